// The built-in filters.
#include "jinja_test_support.h"

namespace dlctl::jinja::testing {
namespace {

// clang-format off
const RenderCase kFilterCases[] = {
    {"Lower", "{{ s | lower }}", "hello world"},
    {"Upper", "{{ s | upper }}", "HELLO WORLD"},
    {"Title", "{{ 'hello big-world (again)' | title }}", "Hello Big-World (Again)"},
    {"Capitalize", "{{ 'hELLO wORLD' | capitalize }}", "Hello world"},
    {"Replace", "{{ s | replace('l', 'L') }}", "HeLLo WorLd"},
    {"ReplaceWithCount", "{{ 'aaaa' | replace('a', 'b', 2) }}", "bbaa"},
    {"Trim", "[{{ text | trim }}]", "[padded]"},
    {"TrimChars", "{{ '--x--' | trim('-') }}", "x"},
    {"Join", "{{ names | join }}|{{ names | join(', ') }}", "bac|b, a, c"},
    {"JoinAttribute", "{{ users | join(', ', attribute='name') }}", "Ada, Bob, Cy"},
    {"JoinNumbers", "{{ items | join('+') }}", "1+2+3"},
    {"DefaultOnUndefined", "{{ missing | default('fallback') }}", "fallback"},
    {"DefaultKeepsDefined", "{{ n | default(0) }}", "7"},
    {"DefaultNoneIsDefined", "{{ nothing | default('x') }}", "None"},
    {"DefaultBoolean", "{{ '' | default('empty', true) }}|{{ '' | d('empty', boolean=true) }}", "empty|empty"},
    {"DefaultAlias", "{{ missing | d('short') }}", "short"},
    {"DefaultOfMissingAttribute", "{{ user.zip | default('00000') }}", "00000"},
    {"Length", "{{ names | length }} {{ s | length }} {{ user | length }} {{ missing | length }}", "3 11 2 0"},
    {"CountAlias", "{{ items | count }}", "3"},
    {"LengthUnicode", "{{ 'héllo' | length }}", "5"},
    {"ListOfString", "{{ 'abc' | list }}", "['a', 'b', 'c']"},
    {"ListOfDict", "{{ user | list }}", "['name', 'age']"},
    {"Int", "{{ '42' | int }} {{ 3.9 | int }} {{ 'x' | int }} {{ 'x' | int(-1) }} {{ '3.7' | int }}", "42 3 0 -1 3"},
    {"IntBase", "{{ 'ff' | int(base=16) }}", "255"},
    {"Float", "{{ '2.5' | float }} {{ 3 | float }} {{ 'x' | float }}", "2.5 3.0 0.0"},
    {"String", "{{ (items | string) ~ '!' }} {{ (1 | string) + '2' }}", "[1, 2, 3]! 12"},
    {"ToJson", "{{ {'b': 1, 'a': [1, 2.5, none, true], 'c': 'x'} | tojson }}", "{\"a\": [1, 2.5, null, true], \"b\": 1, \"c\": \"x\"}"},
    {"ToJsonEscapesHtml", "{{ \"<a href='x'>&</a>\" | tojson }}", "\"\\u003ca href=\\u0027x\\u0027\\u003e\\u0026\\u003c/a\\u003e\""},
    {"ToJsonUnicode", "{{ 'é' | tojson }}", "\"\\u00e9\""},
    {"ToJsonIndent", "{{ {'a': [1, 2], 'b': {}} | tojson(indent=2) }}", "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}"},
    {"ToJsonString", "{{ 'say \"hi\"\\n' | tojson }}", "\"say \\\"hi\\\"\\n\""},
    {"First", "{{ names | first }} {{ 'xyz' | first }}", "b x"},
    {"Last", "{{ names | last }}", "c"},
    {"FirstOfEmptyIsUndefined", "[{{ empty | first }}]", "[]"},
    {"Sort", "{{ names | sort }} {{ names | sort(reverse=true) }}", "['a', 'b', 'c'] ['c', 'b', 'a']"},
    {"SortCaseInsensitive", "{{ ['b', 'A', 'c'] | sort }} {{ ['b', 'A', 'c'] | sort(case_sensitive=true) }}", "['A', 'b', 'c'] ['A', 'b', 'c']"},
    {"SortAttribute", "{{ users | sort(attribute='age') | map(attribute='name') | join(',') }}", "Bob,Ada,Cy"},
    {"SortNumbers", "{{ [3, 1.5, 2] | sort }}", "[1.5, 2, 3]"},
    {"Unique", "{{ [1, 2, 1, 3, 2] | unique | list }} {{ ['a', 'A', 'b'] | unique | list }}", "[1, 2, 3] ['a', 'b']"},
    {"MapAttribute", "{{ users | map(attribute='name') | list }}", "['Ada', 'Bob', 'Cy']"},
    // As Jinja2's: a false input (none) maps and selects to nothing, so `x in none|map('lower')` is false.
    {"MapOfNoneIsEmpty", "{{ none | map('lower') | list }} {{ 'a' in none | map('lower') }}", "[] False"},
    {"SelectOfNoneIsEmpty", "{{ none | select('odd') | list }}", "[]"},
    {"MapAttributeDefault", "{{ users | map(attribute='zip', default='-') | join }}", "---"},
    {"MapFilter", "{{ names | map('upper') | join }}", "BAC"},
    {"MapFilterWithArgs", "{{ cols | map('replace', 'e', 'E') | join(',') }}", "id,namE,Email"},
    {"Select", "{{ range(10) | select('odd') | list }}", "[1, 3, 5, 7, 9]"},
    {"SelectTruthy", "{{ [0, 1, '', 'a', none] | select | list }}", "[1, 'a']"},
    {"SelectWithArgument", "{{ items | select('gt', 1) | list }}", "[2, 3]"},
    {"Reject", "{{ range(6) | reject('even') | list }}", "[1, 3, 5]"},
    {"Selectattr", "{{ users | selectattr('active') | map(attribute='name') | join(',') }}", "Ada,Cy"},
    {"SelectattrWithTest", "{{ users | selectattr('age', 'gt', 30) | map(attribute='name') | join(',') }}", "Ada,Cy"},
    {"SelectattrEq", "{{ users | selectattr('name', 'equalto', 'Bob') | map(attribute='age') | first }}", "25"},
    {"Rejectattr", "{{ users | rejectattr('active') | map(attribute='name') | join(',') }}", "Bob"},
    {"Abs", "{{ -5 | abs }} {{ -2.5 | abs }}", "5 2.5"},
    {"Round", "{{ pi | round }} {{ pi | round(2) }} {{ 2.5 | round }} {{ pi | round(1, 'floor') }} {{ 2.1 | round(0, 'ceil') }}", "3.0 3.14 2.0 3.1 3.0"},
    {"Indent", "{{ 'a\\nb\\n\\nc' | indent }}", "a\n    b\n\n    c"},
    {"IndentFirstAndWidth", "{{ 'a\\nb' | indent(2, true) }}", "  a\n  b"},
    {"IndentBlank", "{{ 'a\\n\\nb' | indent(2, blank=true) }}", "a\n  \n  b"},
    {"IndentString", "{{ 'a\\nb' | indent('> ') }}", "a\n> b"},
    {"Wordcount", "{{ 'one two  three' | wordcount }}", "3"},
    {"Items", "{{ mapping | items | list }}", "[('b', 2), ('a', 1)]"},
    {"Dictsort", "{{ mapping | dictsort }} {{ mapping | dictsort(by='value', reverse=true) }}", "[('a', 1), ('b', 2)] [('b', 2), ('a', 1)]"},
    {"Reverse", "{{ 'abc' | reverse }} {{ items | reverse | list }}", "cba [3, 2, 1]"},
    {"Sum", "{{ items | sum }} {{ users | sum(attribute='age') }} {{ [0.5, 1] | sum(start=1) }}", "6 102 2.5"},
    {"MinMax", "{{ items | min }} {{ items | max }} {{ users | max(attribute='age') }}", "1 3 {'name': 'Cy', 'age': 41, 'active': True}"},
    {"Format", "{{ '%s is %d' | format('n', 7) }}", "n is 7"},
    {"Safe", "{{ '<b>' | safe }}", "<b>"},
    {"Escape", "{{ '<a & \"b\">' | e }}", "&lt;a &amp; &#34;b&#34;&gt;"},
    {"Center", "[{{ 'ab' | center(6) }}]", "[  ab  ]"},
    {"Chain", "{{ '  Mixed Case ' | trim | lower | replace(' ', '_') }}", "mixed_case"},
    {"FilterWithExpressionArgument", "{{ cols | join(', ' if flag else ';') }}", "id, name, email"},
    {"FilterOnLiteralList", "{{ [3, 1, 2] | sort | first }}", "1"},
    {"FilterBindsTighterThanPlus", "{{ 1 + items | length }}", "4"},
    {"UpperOfNumber", "{{ 12 | upper }}", "12"},
    {"Attr", "{{ user | attr('name') }}|", "|"},
};

// clang-format on

class JinjaFilters : public ::testing::TestWithParam<RenderCase> {};

TEST_P(JinjaFilters, RendersLikeJinja2) { EXPECT_EQ(RenderCaseSource(GetParam()), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(Cases, JinjaFilters, ::testing::ValuesIn(kFilterCases), CaseName);

}  // namespace
}  // namespace dlctl::jinja::testing
