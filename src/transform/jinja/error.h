#pragma once
// A template that does not parse or fails while rendering: "file:line: what is wrong".
#include <string>

#include "util/error.h"

namespace dlctl::jinja {

class TemplateError : public Error {
 public:
  TemplateError(std::string file, int line, std::string message);
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  // The message without the location.
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  int line_;
  std::string message_;
};

}  // namespace dlctl::jinja
