#pragma once
// Parses a template's tokens into its syntax tree. Filters and tests are looked up while
// parsing, so an unknown one is a syntax error with its line, as in Jinja2.
#include <memory>
#include <string>

#include "transform/jinja/ast.h"
#include "transform/jinja/filters.h"

namespace dlctl::jinja {

// Throws TemplateError ("file:line: message").
std::shared_ptr<const TemplateData> ParseTemplate(std::string_view source, std::string file, const FilterTable& filters,
                                                  const TestTable& tests);

}  // namespace dlctl::jinja
