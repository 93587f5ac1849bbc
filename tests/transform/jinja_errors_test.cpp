// Errors: one line, "file:line: what is wrong", for templates that do not parse and for
// renders that fail.
#include "support/error_of.h"
#include "jinja_test_support.h"
#include "transform/jinja/error.h"

namespace dlctl::jinja::testing {
namespace {

using dlctl::testing::ErrorOf;

struct ErrorCase {
  const char* name;
  const char* source;
  const char* message;
};

std::ostream& operator<<(std::ostream& out, const ErrorCase& c) { return out << c.source; }

// clang-format off
const ErrorCase kErrorCases[] = {
    // Syntax errors, found while parsing.
    {"MissingOperand", "{{ 1 + }}", "models/m.sql:1: expected an expression, got '}}'"},
    {"UnclosedIf", "line 1\n{% if flag %}\nbody", "models/m.sql:2: unclosed '{% if %}': expected '{% endif %}' before the end of the template"},
    {"UnclosedFor", "{% for x in items %}{{ x }}", "models/m.sql:1: unclosed '{% for %}': expected '{% endfor %}' before the end of the template"},
    {"UnclosedMacro", "\n\n{% macro m() %}x", "models/m.sql:3: unclosed '{% macro %}': expected '{% endmacro %}' before the end of the template"},
    {"UnclosedElseOfIf", "{% if flag %}a{% else %}b", "models/m.sql:1: unclosed '{% if %}': expected '{% endif %}' before the end of the template"},
    {"UnclosedSetBlock", "{% set x %}abc", "models/m.sql:1: unclosed '{% set %}': expected '{% endset %}' before the end of the template"},
    {"UnclosedCall", "{% call m() %}abc", "models/m.sql:1: unclosed '{% call %}': expected '{% endcall %}' before the end of the template"},
    {"MismatchedEnd", "{% if flag %}{% endfor %}", "models/m.sql:1: unexpected '{% endfor %}': expected '{% endif %}' to close the '{% if %}' from line 1"},
    {"MismatchedEndNested", "{% for x in items %}\n{% if x %}\n{% endfor %}", "models/m.sql:3: unexpected '{% endfor %}': expected '{% endif %}' to close the '{% if %}' from line 2"},
    {"ElifAfterElse", "{% if a %}{% else %}{% elif b %}{% endif %}", "models/m.sql:1: unexpected '{% elif %}': expected '{% endif %}' to close the '{% if %}' from line 1"},
    {"EndWithoutBlock", "a\n{% endif %}", "models/m.sql:2: unexpected '{% endif %}': no block is open"},
    {"ElseWithoutBlock", "{% else %}", "models/m.sql:1: unexpected '{% else %}': no block is open"},
    {"EndTagInMacro", "{% macro m() %}{% endif %}", "models/m.sql:1: unexpected '{% endif %}': expected '{% endmacro %}' to close the '{% macro %}' from line 1"},
    {"UnknownTag", "{% frobnicate %}", "models/m.sql:1: unknown tag 'frobnicate'"},
    {"IncludeNotSupported", "{% include 'other.sql' %}", "models/m.sql:1: '{% include %}' is not supported"},
    {"ExtendsNotSupported", "{% extends 'base.sql' %}", "models/m.sql:1: '{% extends %}' is not supported"},
    {"UnknownFilter", "\n{{ x | nosuch }}", "models/m.sql:2: no filter named 'nosuch'"},
    {"UnknownFilterInBlock", "{% filter nosuch %}x{% endfilter %}", "models/m.sql:1: no filter named 'nosuch'"},
    {"UnknownTest", "{{ x is nosuch }}", "models/m.sql:1: no test named 'nosuch'"},
    {"UnterminatedString", "{{ 'abc }}", "models/m.sql:1: unterminated string literal"},
    {"UnclosedVariable", "a\n{{ x ", "models/m.sql:2: unclosed tag: '{{' without '}}'"},
    {"UnclosedBlockTag", "{% if x", "models/m.sql:1: unclosed tag: '{%' without '%}'"},
    {"UnclosedComment", "{# comment", "models/m.sql:1: unclosed comment: '{#' without '#}'"},
    {"UnclosedRaw", "{% raw %}abc", "models/m.sql:1: unclosed '{% raw %}' block: expected '{% endraw %}' before the end of the template"},
    {"BreakOutsideLoop", "{% break %}", "models/m.sql:1: '{% break %}' outside of a for loop"},
    {"ContinueInMacroInLoop", "{% for x in items %}{% macro m() %}{% continue %}{% endmacro %}{% endfor %}", "models/m.sql:1: '{% continue %}' outside of a for loop"},
    {"UnexpectedCharacter", "{{ a @ b }}", "models/m.sql:1: unexpected character '@'"},
    {"PositionalAfterKeyword", "{{ f(a=1, 2) }}", "models/m.sql:1: positional argument follows keyword argument"},
    {"SetWithoutName", "{% set %}", "models/m.sql:1: expected a variable name, got '%}'"},
    {"ForWithoutIn", "{% for x of items %}{% endfor %}", "models/m.sql:1: expected 'in', got name 'of'"},
    {"UnclosedParenthesis", "{{ (1 }}", "models/m.sql:1: unexpected '}', expected ')'"},
    {"UnopenedBracket", "{{ 1] }}", "models/m.sql:1: unexpected ']'"},
    {"ParenthesisNotClosedBeforeEnd", "{{ f(1, 2 }}", "models/m.sql:1: unexpected '}', expected ')'"},
    {"CallBlockWithoutCall", "{% call m %}x{% endcall %}", "models/m.sql:1: '{% call %}' needs a call, like '{% call my_macro() %}'"},
    {"TagWithoutName", "{% 'x' %}", "models/m.sql:1: expected a tag name, got string 'x'"},
    // Runtime errors, found while rendering.
    {"CallUndefined", "a\nb\n{{ nope() }}", "models/m.sql:3: 'nope' is undefined"},
    {"AttributeOfUndefined", "{{ nope.bar }}", "models/m.sql:1: 'nope' is undefined"},
    {"AttributeOfMissingAttribute", "{{ user.zip.code }}", "models/m.sql:1: 'dict object' has no attribute 'zip'"},
    {"MethodOfUndefined", "{{ nope.split(',') }}", "models/m.sql:1: 'nope' is undefined"},
    {"CallNonCallable", "{{ n() }}", "models/m.sql:1: 'n' is not callable"},
    {"CallNonCallableAttribute", "{{ user.name() }}", "models/m.sql:1: 'name' is not callable"},
    {"MacroTooManyArguments", "{% macro m(a) %}{% endmacro %}\n{{ m(1, 2) }}", "models/m.sql:2: macro 'm' takes not more than 1 argument(s)"},
    {"MacroUnknownKeyword", "{% macro m(a) %}{% endmacro %}{{ m(b=1) }}", "models/m.sql:1: macro 'm' takes no keyword argument 'b'"},
    {"MacroArgumentTwice", "{% macro m(a) %}{% endmacro %}{{ m(1, a=2) }}", "models/m.sql:1: macro 'm' got multiple values for argument 'a'"},
    {"CallBlockToMacroWithoutCaller", "{% macro m() %}x{% endmacro %}{% call m() %}y{% endcall %}", "models/m.sql:1: macro 'm' takes no keyword argument 'caller'"},
    {"InfiniteRecursion", "{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}", "models/m.sql:1: macro 'r' called itself more than 200 deep"},
    {"IntegerOverflow", "{{ 2 ** 62 * 4 }}", "models/m.sql:1: integer overflow: the result does not fit in 64 bits"},
    {"PowerOverflow", "{{ 10 ** 19 }}", "models/m.sql:1: integer overflow: the result does not fit in 64 bits"},
    {"DivisionByZero", "{{ 1 / 0 }}", "models/m.sql:1: division by zero"},
    {"ModuloByZero", "{{ 1 % 0 }}", "models/m.sql:1: integer division or modulo by zero"},
    {"AddStringAndInt", "{{ 'a' + 1 }}", "models/m.sql:1: unsupported operand type(s) for +: 'str' and 'int'"},
    {"ArithmeticOnUndefined", "{{ nope + 1 }}", "models/m.sql:1: 'nope' is undefined"},
    {"CompareIntAndString", "{{ 1 < 'a' }}", "models/m.sql:1: '<' not supported between instances of 'int' and 'str'"},
    {"UnpackTooFew", "{% set a, b = [1] %}", "models/m.sql:1: not enough values to unpack (expected 2, got 1)"},
    {"UnpackTooMany", "{% for a, b in [(1, 2, 3)] %}{% endfor %}", "models/m.sql:1: too many values to unpack (expected 2)"},
    {"AssignAttributeOfNonNamespace", "{% set n.x = 1 %}", "models/m.sql:1: cannot assign attribute on non-namespace object 'n'"},
    {"ReturnOutsideMacro", "{{ return(1) }}", "models/m.sql:1: return() called outside of a macro"},
    {"FilterUnknownKeyword", "{{ items | sort(nonsense=1) }}", "models/m.sql:1: sort() got an unexpected keyword argument 'nonsense'"},
    {"FilterTooManyArguments", "{{ 'x' | int(1, 2, 3) }}", "models/m.sql:1: int() takes at most 2 argument(s) (3 given)"},
    {"RangeOfString", "{{ range(1, 'a') }}", "models/m.sql:1: range() needs integers, not str object"},
    {"ToJsonOfFunction", "{{ range | tojson }}", "models/m.sql:1: Object of type function is not JSON serializable"},
    {"LengthOfNumber", "{{ n | length }}", "models/m.sql:1: object of type 'int' has no len()"},
    {"IterateNumber", "{% for x in n %}{% endfor %}", "models/m.sql:1: 'int object' is not iterable"},
    {"ErrorLineInsideMultilineExpression", "{{ 'a' ~\n  nope() }}", "models/m.sql:2: 'nope' is undefined"},
    {"ErrorLineInsideLoopBody", "{% for x in items %}\n{{ x }}\n{{ x / 0 }}\n{% endfor %}", "models/m.sql:3: division by zero"},
    {"ErrorInsideMacroNamesTheMacroLine", "{% macro m() %}\n\n{{ 1 / 0 }}{% endmacro %}\n{{ m() }}", "models/m.sql:3: division by zero"},
    {"ListIndexMethodMissing", "{{ [1].index(5) }}", "models/m.sql:1: 5 is not in list"},
    {"DictPopMissing", "{{ {}.pop('k') }}", "models/m.sql:1: KeyError: 'k'"},
    {"FormatMissingArgument", "{{ '{} {}'.format(1) }}", "models/m.sql:1: replacement index 1 out of range"},
    {"PercentFormatTooFewArguments", "{{ '%s %s' % ('a',) }}", "models/m.sql:1: not enough arguments for format string"},
    {"UnhashableDictKey", "{{ {[1]: 2} }}", "models/m.sql:1: unhashable type: 'list object'"},
};
// clang-format on

class JinjaErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(JinjaErrors, NameFileLineAndProblem) {
  Environment environment;
  EXPECT_EQ(ErrorOf([&] { environment.RenderString(GetParam().source, "models/m.sql", SampleContext()); }),
            GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(Cases, JinjaErrors, ::testing::ValuesIn(kErrorCases),
                         [](const ::testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

TEST(JinjaErrors, AreTemplateErrorsWithFileAndLine) {
  Environment environment;
  try {
    environment.RenderString("ok\n{{ 1 / 0 }}", "models/x.sql");
    FAIL() << "no error";
  } catch (const TemplateError& error) {
    EXPECT_EQ(error.file(), "models/x.sql");
    EXPECT_EQ(error.line(), 2);
    EXPECT_EQ(error.message(), "division by zero");
    EXPECT_EQ(error.exit_code(), kExitFailure);
  }
}

TEST(JinjaErrors, InAMacroFileNameThatFile) {
  Environment environment;
  environment.LoadMacros("{% macro boom() %}\n  {{ nope() }}\n{% endmacro %}", "macros/boom.sql");
  EXPECT_EQ(ErrorOf([&] { environment.RenderString("select\n{{ boom() }}", "models/m.sql"); }),
            "macros/boom.sql:2: 'nope' is undefined");
}

TEST(JinjaErrors, ASyntaxErrorInAMacroFileIsFoundWhenLoading) {
  Environment environment;
  EXPECT_EQ(ErrorOf([&] { environment.LoadMacros("{% macro m() %}\n{% if x %}\n{% endmacro %}", "macros/bad.sql"); }),
            "macros/bad.sql:3: unexpected '{% endmacro %}': expected '{% endif %}' to close the '{% if %}' from line 2");
}

}  // namespace
}  // namespace dlctl::jinja::testing
