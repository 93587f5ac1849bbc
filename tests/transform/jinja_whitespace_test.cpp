// Whitespace control and dbt's Jinja2 settings (no trim_blocks, trailing newline dropped).
#include "jinja_test_support.h"

namespace dlctl::jinja::testing {
namespace {

// clang-format off
const RenderCase kWhitespaceCases[] = {
    {"BlockTagsKeepNewlines", "{% if flag %}\nyes\n{% endif %}\n", "\nyes\n"},
    {"TrailingNewlineDropped", "line\n", "line"},
    {"OnlyOneTrailingNewlineDropped", "line\n\n", "line\n"},
    {"CrLfNormalized", "a\r\nb\r\n", "a\nb"},
    {"StripBeforeBlock", "a   \n  {%- if flag %}b{% endif %}", "ab"},
    {"StripAfterBlock", "{% if flag -%}  \n  b{% endif %}", "b"},
    {"StripBothSides", "a\n  {%- if flag -%}\n  b\n  {%- endif -%}\n  c", "abc"},
    {"StripVariable", "x   {{- 1 -}}   y", "x1y"},
    {"StripComment", "a  {#- c -#}  b", "ab"},
    {"StripInLoop", "{% for x in items -%}\n  {{ x }}\n{%- endfor %}", "123"},
    {"LoopWithoutStripKeepsLines", "{% for x in items %}\n{{ x }}\n{% endfor %}", "\n1\n\n2\n\n3\n"},
    {"StripSetBlock", "{%- set x -%}\n  value\n{%- endset -%}\n[{{ x }}]", "[value]"},
    {"MacroWhitespacePreserved", "{% macro m() %} x {% endmacro %}[{{ m() }}]", "[ x ]"},
    {"SqlSelectList", "select\n{%- for c in cols %}\n    {{ c }}{% if not loop.last %},{% endif %}\n{%- endfor %}\nfrom t", "select\n    id,\n    name,\n    email\nfrom t"},
    {"PlusModifierIgnored", "a\n{%+ if flag %}b{% endif %}", "a\nb"},
    {"RawWithStrip", "a  {%- raw -%}  {{ x }}  {%- endraw -%}  b", "a{{ x }}b"},
    {"StripAcrossMultipleLines", "a\n\n\n{{- 'b' }}", "ab"},
    {"MinusInsideExpressionIsNotStrip", "{{ 5 - 3 }}|{{ n -1 }}", "2|6"},
    {"DataOnly", "plain text with { braces } and %", "plain text with { braces } and %"},
    {"LoneBraces", "{ {x} } %} }}", "{ {x} } %} }}"},
};

// clang-format on

class JinjaWhitespace : public ::testing::TestWithParam<RenderCase> {};

TEST_P(JinjaWhitespace, RendersLikeJinja2) { EXPECT_EQ(RenderCaseSource(GetParam()), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(Cases, JinjaWhitespace, ::testing::ValuesIn(kWhitespaceCases), CaseName);

}  // namespace
}  // namespace dlctl::jinja::testing
