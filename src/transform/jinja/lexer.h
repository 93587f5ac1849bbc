#pragma once
// Splits a template into text and the tokens inside {{ }} and {% %}, with Jinja2's defaults as
// dbt uses them: comments {# #} dropped, whitespace control ({%- -%} {{- -}} {#- -#}) applied,
// {% raw %} kept verbatim, "\r\n" read as "\n", one trailing newline of the source dropped.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dlctl::jinja {

enum class TokenKind {
  kData,           // text between tags
  kVariableBegin,  // {{
  kVariableEnd,    // }}
  kBlockBegin,     // {%
  kBlockEnd,       // %}
  kName,
  kInteger,
  kFloat,
  kString,
  kOperator,
  kEnd,
};

struct Token {
  TokenKind kind;
  int line;
  std::string_view text;     // data, name or operator: a view into the source
  std::string string_value;  // a string literal, escapes decoded
  int64_t int_value = 0;
  double float_value = 0;
};

// The source must outlive the tokens (they view into it). Throws TemplateError.
std::vector<Token> Tokenize(std::string_view source, const std::string& file);

// What the lexer reads: newlines normalized, the trailing newline dropped.
std::string NormalizeSource(std::string_view source);

// How a token reads in a message: "'}}'", "name 'foo'", "end of template".
std::string Describe(const Token& token);

}  // namespace dlctl::jinja
