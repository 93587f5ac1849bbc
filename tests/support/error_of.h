#pragma once
// The message of the dlctl::Error an operation throws; a test failure when it throws none.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "util/error.h"

namespace dlctl::testing {

inline std::string ErrorOf(const std::function<void()>& operation) {
  try {
    operation();
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "no error was thrown";
  return "";
}

}  // namespace dlctl::testing
