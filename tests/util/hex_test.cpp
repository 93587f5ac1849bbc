#include "util/hex.h"

#include <gtest/gtest.h>

namespace dlctl {
namespace {

TEST(Hex, TwoLowerCaseDigitsPerByte) {
  EXPECT_EQ(Hex(std::string("\x00\xff\x1a\x09", 4)), "00ff1a09");
  EXPECT_EQ(Hex("dlctl"), "646c63746c");
  EXPECT_EQ(Hex(""), "");
}

}  // namespace
}  // namespace dlctl
