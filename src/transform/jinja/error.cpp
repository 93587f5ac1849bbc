#include "transform/jinja/error.h"

#include <fmt/format.h>

namespace dlctl::jinja {

TemplateError::TemplateError(std::string file, int line, std::string message)
    : Error(fmt::format("{}:{}: {}", file, line, message)),
      file_(std::move(file)),
      line_(line),
      message_(std::move(message)) {}

}  // namespace dlctl::jinja
