// Python semantics templates rely on: number printing, tuples, shared lists, scoping details.
#include "jinja_test_support.h"

namespace dlctl::jinja::testing {
namespace {

// clang-format off
const RenderCase kSemanticsCases[] = {
    {"SetInLoopPersistsAcrossIterations", "{% for i in [1, 2] %}{% if i == 2 %}{{ x }}{% endif %}{% set x = i %}{% endfor %}", ""},
    {"PercentOfNone", "{{ '%s' % none }}", "None"},
    {"PercentWithMapping", "{{ '%(a)s-%(b)d' % {'a': 'x', 'b': 3} }}", "x-3"},
    {"PercentLiteralAndFloat", "{{ '%.1f%%' % 12.345 }} {{ '%r' % 'x' }}", "12.3% 'x'"},
    {"SliceMiddle", "{{ [1, 2, 3][1:2] }} {{ 'abc'[::-1] }}", "[2] cba"},
    {"TupleSlice", "{% set t = (1, 2, 3) %}{{ t[1:] }}", "(2, 3)"},
    {"TupleConcatenation", "{{ (1, 2) + (3,) }}", "(1, 2, 3)"},
    {"TupleIsNotList", "{{ [1, 2] == (1, 2) }} {{ (1, 2) == (1, 2) }}", "False True"},
    {"ItemsAreTuples", "{{ {'a': 1}.items() | list }}", "[('a', 1)]"},
    {"FloorDivThenMultiply", "{{ 10 // 3 * 3 }} {{ 2 * -1 }}", "9 -2"},
    {"FloatFormatting", "{{ -0.0 }} {{ 1e-5 }} {{ 0.000123 }} {{ 1.23e16 }} {{ 123456789.0 }} {{ 1e15 }}", "-0.0 1e-05 0.000123 1.23e+16 123456789.0 1000000000000000.0"},
    {"BigInteger", "{{ 123456789012345678 }}", "123456789012345678"},
    {"NoneToString", "{{ none | string }} {{ '1' ~ 2 ~ none }}", "None 12None"},
    {"AndReturnsNone", "{{ true and none }}", "None"},
    {"FloatToInt", "{{ 1.0 | int }} {{ -2.7 | int }}", "1 -2"},
    {"RepeatZero", "[{{ 'x' * 0 }}]", "[]"},
    {"ReplaceEmpty", "{{ 'abc' | replace('', '-') }}", "-a-b-c-"},
    {"SharedListReference", "{% set a = [1, 2] %}{% set b = a %}{% do b.append(3) %}{{ a }}", "[1, 2, 3]"},
    {"DictEqualsDict", "{{ dict(a=1) == {'a': 1} }} {{ {'a': 1, 'b': 2} == {'b': 2, 'a': 1} }}", "True True"},
    {"TrueEqualsOne", "{{ 1 == true }} {{ 0 == false }} {{ 1.0 == 1 }}", "True True True"},
    {"CaseSensitiveCompare", "{{ 'a' < 'B' }}", "False"},
    {"UnpackLists", "{% for a, b in [[1, 2], [3, 4]] %}{{ a * b }} {% endfor %}", "2 12 "},
    {"LoopOutsideLoop", "[{{ loop }}]", "[]"},
    {"TestOnFilterResult", "{{ items | length is odd }}", "True"},
    {"NegativePower", "{{ 2 ** -1 }}", "0.5"},
    {"FloatModulo", "{{ 7 % 2.5 }} {{ -7 // 2.0 }}", "2.0 -4.0"},
    {"RoundAfterArithmetic", "{{ (0.1 * 3) | round(2) }} {{ 5 | float / 2 }}", "0.3 2.5"},
    {"MacroStarArgs", "{% macro m(a, b) %}{{ a }}{{ b }}{% endmacro %}{{ m(*[1, 2]) }}", "12"},
    {"MacroStarKwargs", "{% macro m() %}{{ kwargs.x }}{% endmacro %}{{ m(**{'x': 5}) }}", "5"},
    {"StripOnIfEdges", "a {%- if true %} x {% endif -%} b", "a x b"},
    {"RangeIndex", "{{ range(5)[2] }} {{ range(10) | length }}", "2 10"},
    {"NestedNamespaceInMacro", "{% macro count(xs) %}{% set ns = namespace(n=0) %}{% for x in xs %}{% if x > 1 %}{% set ns.n = ns.n + 1 %}{% endif %}{% endfor %}{{ ns.n }}{% endmacro %}{{ count([1, 2, 3]) }}", "2"},
    {"JoinOfMappedInts", "{{ [1, 2] | map('string') | join('-') }}", "1-2"},
    {"InOnTupleAndDictValues", "{{ 2 in (1, 2) }} {{ 1 in {'a': 1}.values() }}", "True True"},
    {"ListOfTuplesToJson", "{{ [(1, 'a')] | tojson }}", "[[1, \"a\"]]"},
    {"NestedToJsonIndent", "{{ [1, [2, 3], {'k': []}] | tojson(indent=2) }}", "[\n  1,\n  [\n    2,\n    3\n  ],\n  {\n    \"k\": []\n  }\n]"},
    {"StringMultilineFilter", "{{ 'a\nb' | indent(2, true) }}", "  a\n  b"},
    {"ConditionalInsideCall", "{{ range(3 if flag else 1) | list }}", "[0, 1, 2]"},
    {"FilterOnParenthesizedSum", "{{ (1 + 2) | string ~ '!' }}", "3!"},
    {"NotWithIn", "{{ not 2 in items }} {{ 2 not in items }}", "False False"},
    {"OrChainDefault", "{{ missing or nothing or 'third' }}", "third"},
    {"SortDictKeys", "{{ {'b': 1, 'a': 2} | sort }}", "['a', 'b']"},
    {"DictKeyOrderKept", "{% set d = {} %}{% do d.update({'z': 1}) %}{% do d.update({'a': 2}) %}{{ d | list }}", "['z', 'a']"},
    {"StringIteration", "{{ 'héllo' | list | length }} {{ 'héllo'[1] }}", "5 é"},
    {"EmptyTupleAndList", "{{ () }} {{ [] }} {{ {} }}", "() [] {}"},
    {"NestedListRepr", "{{ [[1, 'a'], {'k': (1,)}] }}", "[[1, 'a'], {'k': (1,)}]"},
    {"StringWithDoubleQuoteRepr", "{{ ['say \"hi\"', \"it's\"] }}", "['say \"hi\"', \"it's\"]"},
    {"EscapedNewlineRepr", "{{ ['a\\nb'] }}", "['a\\nb']"},
};

// clang-format on

class JinjaSemantics : public ::testing::TestWithParam<RenderCase> {};

TEST_P(JinjaSemantics, RendersLikeJinja2) { EXPECT_EQ(RenderCaseSource(GetParam()), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(Cases, JinjaSemantics, ::testing::ValuesIn(kSemanticsCases), CaseName);

}  // namespace
}  // namespace dlctl::jinja::testing
