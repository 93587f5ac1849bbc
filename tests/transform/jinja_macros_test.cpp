// Macros: defaults, varargs, kwargs, caller, call blocks, scoping.
#include "jinja_test_support.h"

namespace dlctl::jinja::testing {
namespace {

// clang-format off
const RenderCase kMacroCases[] = {
    {"Simple", "{% macro hello(name) %}Hello {{ name }}!{% endmacro %}{{ hello('Ada') }}", "Hello Ada!"},
    {"Default", "{% macro greet(name, greeting='Hi') %}{{ greeting }} {{ name }}{% endmacro %}{{ greet('A') }}|{{ greet('B', 'Yo') }}", "Hi A|Yo B"},
    {"Keyword", "{% macro greet(name, greeting='Hi') %}{{ greeting }} {{ name }}{% endmacro %}{{ greet(greeting='Hey', name='C') }}", "Hey C"},
    {"DefaultRefersToEarlierParameter", "{% macro m(a, b=a * 2) %}{{ a }},{{ b }}{% endmacro %}{{ m(3) }}", "3,6"},
    {"MissingArgumentIsUndefined", "{% macro m(a, b) %}[{{ a }}][{{ b }}][{{ b is defined }}]{% endmacro %}{{ m(1) }}", "[1][][False]"},
    {"Varargs", "{% macro m(a) %}{{ a }}:{{ varargs }}{% endmacro %}{{ m(1, 2, 3) }}", "1:(2, 3)"},
    {"Kwargs", "{% macro m(a) %}{{ a }}:{{ kwargs }}{% endmacro %}{{ m(1, x=2, y='z') }}", "1:{'x': 2, 'y': 'z'}"},
    {"VarargsEmpty", "{% macro m() %}{{ varargs | length }}{{ kwargs | length }}{% endmacro %}{{ m() }}", "00"},
    {"Caller", "{% macro wrap() %}<{{ caller() }}>{% endmacro %}{% call wrap() %}inside{% endcall %}", "<inside>"},
    {"CallerWithArguments", "{% macro each(xs) %}{% for x in xs %}{{ caller(x, loop.index) }}{% endfor %}{% endmacro %}{% call(item, i) each(names) %}{{ i }}={{ item }};{% endcall %}", "1=b;2=a;3=c;"},
    {"CallerSeesOuterVariables", "{% set who = 'outer' %}{% macro wrap() %}[{{ caller() }}]{% endmacro %}{% call wrap() %}{{ who }}{% endcall %}", "[outer]"},
    {"CallerCalledTwice", "{% macro twice() %}{{ caller() }}{{ caller() }}{% endmacro %}{% call twice() %}ab{% endcall %}", "abab"},
    {"Recursion", "{% macro fact(k) %}{% if k <= 1 %}1{% else %}{{ k * (fact(k - 1) | int) }}{% endif %}{% endmacro %}{{ fact(5) }}", "120"},
    {"MacroReturnsStringForConcatenation", "{% macro q(x) %}\"{{ x }}\"{% endmacro %}{{ q('a') ~ '.' ~ q('b') }}", "\"a\".\"b\""},
    {"MacroResultFiltered", "{% macro m() %}  abc  {% endmacro %}[{{ m() | trim | upper }}]", "[ABC]"},
    {"MacroSeesTemplateVariables", "{% set prefix = 'p_' %}{% macro m(x) %}{{ prefix }}{{ x }}{% endmacro %}{{ m('a') }}", "p_a"},
    {"MacroSeesLaterSet", "{% macro m() %}{{ late }}{% endmacro %}{% set late = 'L' %}{{ m() }}", "L"},
    {"MacroSetDoesNotLeak", "{% set x = 'outer' %}{% macro m() %}{% set x = 'inner' %}{{ x }}{% endmacro %}{{ m() }} {{ x }}", "inner outer"},
    {"MacroCallsMacro", "{% macro a() %}A{% endmacro %}{% macro b() %}{{ a() }}B{% endmacro %}{{ b() }}", "AB"},
    {"MacroAsArgument", "{% macro apply(f, x) %}{{ f(x) }}{% endmacro %}{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}{{ apply(twice, 'z') }}", "zz"},
    {"MacroInLoop", "{% macro sq(x) %}{{ x * x }}{% endmacro %}{% for i in items %}{{ sq(i) }} {% endfor %}", "1 4 9 "},
    {"MacroWithDoMutatesArgument", "{% macro add(xs, x) %}{% do xs.append(x) %}{% endmacro %}{% set l = [] %}{{ add(l, 1) }}{{ add(l, 2) }}{{ l }}", "[1, 2]"},
    {"MacroDefinitionPrintsNothing", "[{% macro m() %}x{% endmacro %}]", "[]"},
    {"MacroInsideIfDefined", "{% if flag %}{% macro m() %}yes{% endmacro %}{% endif %}{{ m() }}", "yes"},
    {"CallBlockWithArgumentsToMacro", "{% macro tag(name) %}<{{ name }}>{{ caller() }}</{{ name }}>{% endmacro %}{% call tag('b') %}bold{% endcall %}", "<b>bold</b>"},
    {"NestedCallBlocks", "{% macro w(c) %}{{ c }}({{ caller() }}){% endmacro %}{% call w('a') %}{% call w('b') %}x{% endcall %}{% endcall %}", "a(b(x))"},
};

// clang-format on

class JinjaMacros : public ::testing::TestWithParam<RenderCase> {};

TEST_P(JinjaMacros, RendersLikeJinja2) { EXPECT_EQ(RenderCaseSource(GetParam()), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(Cases, JinjaMacros, ::testing::ValuesIn(kMacroCases), CaseName);

}  // namespace
}  // namespace dlctl::jinja::testing
