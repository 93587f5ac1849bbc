#pragma once
// Python's operators on Jinja values: arithmetic, comparison, membership, "%" formatting.
#include "transform/jinja/ast.h"
#include "transform/jinja/value.h"

namespace dlctl::jinja {

// + - * / // % ** ~ (not and/or, which short-circuit in the interpreter). Throws dlctl::Error.
Value ApplyBinary(BinaryOp op, const Value& left, const Value& right);
bool ApplyCompare(CompareOp op, const Value& left, const Value& right);
Value Negate(const Value& operand);
// Python's "<": numbers, strings, lists. Throws when the types do not compare.
bool LessThan(const Value& left, const Value& right);
// Python's `item in container`.
bool Contains(const Value& container, const Value& item);
// Python's "format" % args (%s %r %d %i %f %x %%, %(name)s with a dict).
std::string PercentFormat(const std::string& format, const Value& args);
// The Python type name in operator messages: 'str', 'int', 'list'.
std::string PythonType(const Value& value);
// Throws the "'x' is undefined" error of an undefined value; a no-op otherwise.
void RequireDefined(const Value& value);

}  // namespace dlctl::jinja
