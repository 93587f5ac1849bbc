// if, for and loop.*, set and scoping, namespace, do, filter, with, raw, comments.
#include "jinja_test_support.h"

namespace dlctl::jinja::testing {
namespace {

// clang-format off
const RenderCase kStatementCases[] = {
    {"IfTrue", "{% if flag %}yes{% endif %}", "yes"},
    {"IfFalse", "[{% if not flag %}yes{% endif %}]", "[]"},
    {"IfElse", "{% if n > 10 %}big{% else %}small{% endif %}", "small"},
    {"IfElifElse", "{% for x in [1, 5, 9] %}{% if x < 3 %}low{% elif x < 7 %}mid{% else %}high{% endif %} {% endfor %}", "low mid high "},
    {"IfUndefinedIsFalse", "{% if missing %}a{% else %}b{% endif %}", "b"},
    {"IfEmptyListIsFalse", "{% if empty %}a{% else %}b{% endif %}", "b"},
    {"NestedIf", "{% if flag %}{% if n == 7 %}seven{% endif %}{% endif %}", "seven"},
    {"ForList", "{% for x in items %}{{ x }},{% endfor %}", "1,2,3,"},
    {"ForDictIteratesKeys", "{% for k in user %}{{ k }} {% endfor %}", "name age "},
    {"ForString", "{% for c in 'abc' %}{{ c }}.{% endfor %}", "a.b.c."},
    {"ForUnpackItems", "{% for k, v in mapping.items() %}{{ k }}:{{ v }} {% endfor %}", "b:2 a:1 "},
    {"ForUnpackParenthesized", "{% for (a, b) in [(1, 2), (3, 4)] %}{{ a + b }} {% endfor %}", "3 7 "},
    {"ForDictsort", "{% for k, v in mapping | dictsort %}{{ k }}{{ v }}{% endfor %}", "a1b2"},
    {"ForElseWhenEmpty", "{% for x in empty %}{{ x }}{% else %}nothing{% endfor %}", "nothing"},
    {"ForElseSkippedWhenNotEmpty", "{% for x in items %}{{ x }}{% else %}nothing{% endfor %}", "123"},
    {"ForUndefinedIsEmpty", "{% for x in missing %}{{ x }}{% else %}none{% endfor %}", "none"},
    {"LoopIndex", "{% for x in names %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }} {% endfor %}", "1032 2121 3210 "},
    {"LoopFirstLast", "{% for x in names %}{% if loop.first %}[{% endif %}{{ x }}{% if not loop.last %}, {% else %}]{% endif %}{% endfor %}", "[b, a, c]"},
    {"LoopLength", "{% for x in names %}{{ loop.length }}{% endfor %}", "333"},
    {"LoopPrevNext", "{% for x in items %}{{ loop.previtem }}<{{ x }}>{{ loop.nextitem }} {% endfor %}", "<1>2 1<2>3 2<3> "},
    {"LoopCycle", "{% for x in items %}{{ loop.cycle('odd', 'even') }} {% endfor %}", "odd even odd "},
    {"ForWithFilterCondition", "{% for x in range(10) if x is odd %}{{ x }}{{ loop.length }} {% endfor %}", "15 35 55 75 95 "},
    {"NestedLoops", "{% for a in [1, 2] %}{% for b in 'xy' %}{{ a }}{{ b }} {% endfor %}{% endfor %}", "1x 1y 2x 2y "},
    {"OuterLoopViaSet", "{% for a in [1, 2] %}{% set outer = loop %}{% for b in 'xy' %}{{ outer.index }}{{ loop.index }} {% endfor %}{% endfor %}", "11 12 21 22 "},
    {"Break", "{% for x in range(10) %}{% if x == 3 %}{% break %}{% endif %}{{ x }}{% endfor %}", "012"},
    {"Continue", "{% for x in range(6) %}{% if x is even %}{% continue %}{% endif %}{{ x }}{% endfor %}", "135"},
    {"BreakInnerLoopOnly", "{% for a in [1, 2] %}{% for b in [1, 2, 3] %}{% if b == 2 %}{% break %}{% endif %}{{ a }}{{ b }} {% endfor %}{% endfor %}", "11 21 "},
    {"Set", "{% set x = 5 %}{{ x * 2 }}", "10"},
    {"SetTupleUnpacking", "{% set a, b = 1, 2 %}{{ a }}{{ b }}", "12"},
    {"SetListUnpacking", "{% set a, b = ['x', 'y'] %}{{ b }}{{ a }}", "yx"},
    {"SetOverridesContext", "{% set n = 1 %}{{ n }}", "1"},
    {"SetInsideForDoesNotLeak", "{% set total = 0 %}{% for x in items %}{% set total = total + x %}{% endfor %}{{ total }}", "0"},
    {"SetInsideIfLeaks", "{% if flag %}{% set x = 'in' %}{% endif %}{{ x }}", "in"},
    {"NamespaceCarriesOutOfLoop", "{% set ns = namespace(total=0) %}{% for x in items %}{% set ns.total = ns.total + x %}{% endfor %}{{ ns.total }}", "6"},
    {"NamespaceFoundFlag", "{% set ns = namespace(found=false) %}{% for u in users %}{% if u.age > 40 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.found }}", "True"},
    {"BlockSet", "{% set greeting %}Hello {{ user.name }}!{% endset %}[{{ greeting }}]", "[Hello Ada!]"},
    {"BlockSetWithFilter", "{% set shout | upper %}quiet {{ 'words' }}{% endset %}{{ shout }}", "QUIET WORDS"},
    {"BlockSetIsString", "{% set x %}{{ 1 + 1 }}{% endset %}{{ x ~ x }}", "22"},
    {"DoAppend", "{% set xs = [] %}{% do xs.append(1) %}{% do xs.extend([2, 3]) %}{{ xs }}", "[1, 2, 3]"},
    {"DoAppendInsideLoopMutatesOuterList", "{% set xs = [] %}{% for u in users %}{% do xs.append(u.name) %}{% endfor %}{{ xs | join('|') }}", "Ada|Bob|Cy"},
    {"DoDictUpdate", "{% set d = {'a': 1} %}{% do d.update({'b': 2}) %}{% do d.update(c=3) %}{{ d }}", "{'a': 1, 'b': 2, 'c': 3}"},
    {"PrintAppendReturnsNone", "{% set xs = [] %}{{ xs.append(1) }}", "None"},
    {"ListPopInsertRemove", "{% set xs = [1, 2, 3] %}{{ xs.pop() }}{% do xs.insert(0, 0) %}{% do xs.remove(1) %}{{ xs }}", "3[0, 2]"},
    {"DictPopSetdefault", "{% set d = {'a': 1} %}{{ d.pop('a') }}{{ d.setdefault('b', 2) }}{{ d }}", "12{'b': 2}"},
    {"FilterBlock", "{% filter upper %}hello {{ user.name }}{% endfilter %}", "HELLO ADA"},
    {"FilterBlockChain", "{% filter trim | replace(' ', '_') %}  a b c  {% endfilter %}", "a_b_c"},
    {"With", "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}[{{ a }}]", "3[]"},
    {"Raw", "{% raw %}{{ not rendered }} {% if %}{% endraw %}", "{{ not rendered }} {% if %}"},
    {"RawKeepsWhitespace", "{% raw %} {{ x }} {% endraw %}", " {{ x }} "},
    {"CommentDropped", "a{# a comment {{ x }} #}b", "ab"},
    {"MultilineComment", "a{# line one\nline two #}b", "ab"},
    {"TagsWithNewlinesInside", "{% if\n  flag\n%}yes{% endif %}", "yes"},
    {"StatementsInsideCommentIgnored", "x{# {% if %} #}y", "xy"},
    {"RangeWithLoop", "{% for i in range(3) %}{{ i }}{% if not loop.last %}+{% endif %}{% endfor %}", "0+1+2"},
    {"ForOverDictItemsSorted", "{% for k in mapping | sort %}{{ k }}{% endfor %}", "ab"},
    {"NamespaceWithInitialDict", "{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}", "12"},
};

// clang-format on

class JinjaStatements : public ::testing::TestWithParam<RenderCase> {};

TEST_P(JinjaStatements, RendersLikeJinja2) { EXPECT_EQ(RenderCaseSource(GetParam()), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(Cases, JinjaStatements, ::testing::ValuesIn(kStatementCases), CaseName);

}  // namespace
}  // namespace dlctl::jinja::testing
