#include "transform/jinja/operators.h"

#include <fmt/format.h>

#include <cmath>

#include "util/error.h"

namespace dlctl::jinja {
namespace {

const char* OperatorSymbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSubtract: return "-";
    case BinaryOp::kMultiply: return "*";
    case BinaryOp::kDivide: return "/";
    case BinaryOp::kFloorDivide: return "//";
    case BinaryOp::kModulo: return "%";
    case BinaryOp::kPower: return "**";
    case BinaryOp::kConcat: return "~";
    case BinaryOp::kAnd: return "and";
    case BinaryOp::kOr: return "or";
  }
  return "?";
}

[[noreturn]] void Unsupported(BinaryOp op, const Value& left, const Value& right) {
  throw Error(fmt::format("unsupported operand type(s) for {}: '{}' and '{}'", OperatorSymbol(op), PythonType(left),
                          PythonType(right)));
}

bool BothIntegral(const Value& a, const Value& b) { return !a.is_double() && !b.is_double(); }

int64_t FloorDivide(int64_t a, int64_t b) {
  int64_t quotient = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --quotient;
  return quotient;
}

Value Repeat(const Value& sequence, int64_t times) {
  if (sequence.is_string()) {
    std::string out;
    for (int64_t i = 0; i < times; ++i) out += sequence.as_string();
    return Value(std::move(out));
  }
  std::vector<Value> items;
  for (int64_t i = 0; i < times; ++i) {
    for (const Value& item : sequence.list().items) items.push_back(item);
  }
  return Value(std::move(items), sequence.list().tuple);
}

// Python's integers do not overflow; ours are 64 bits, so going past them is an error, not UB.
[[noreturn]] void Overflow() { throw Error("integer overflow: the result does not fit in 64 bits"); }

int64_t CheckedAdd(int64_t a, int64_t b) {
  int64_t sum;
  if (__builtin_add_overflow(a, b, &sum)) Overflow();
  return sum;
}

int64_t CheckedSubtract(int64_t a, int64_t b) {
  int64_t difference;
  if (__builtin_sub_overflow(a, b, &difference)) Overflow();
  return difference;
}

int64_t CheckedMultiply(int64_t a, int64_t b) {
  int64_t product;
  if (__builtin_mul_overflow(a, b, &product)) Overflow();
  return product;
}

// By squaring; a square that overflows would be used, so that is an overflow too.
int64_t CheckedPower(int64_t base, int64_t exponent) {
  int64_t result = 1;
  while (exponent > 0) {
    if (exponent & 1) result = CheckedMultiply(result, base);
    exponent >>= 1;
    if (exponent > 0) base = CheckedMultiply(base, base);
  }
  return result;
}

Value Arithmetic(BinaryOp op, const Value& left, const Value& right) {
  if (!left.is_number() || !right.is_number()) Unsupported(op, left, right);
  bool integral = BothIntegral(left, right);
  switch (op) {
    case BinaryOp::kAdd:
      return integral ? Value(CheckedAdd(left.ToInt(), right.ToInt())) : Value(left.ToDouble() + right.ToDouble());
    case BinaryOp::kSubtract:
      return integral ? Value(CheckedSubtract(left.ToInt(), right.ToInt()))
                      : Value(left.ToDouble() - right.ToDouble());
    case BinaryOp::kMultiply:
      return integral ? Value(CheckedMultiply(left.ToInt(), right.ToInt()))
                      : Value(left.ToDouble() * right.ToDouble());
    case BinaryOp::kDivide:
      if (right.ToDouble() == 0) throw Error("division by zero");
      return Value(left.ToDouble() / right.ToDouble());
    case BinaryOp::kFloorDivide:
      if (right.ToDouble() == 0) throw Error("integer division or modulo by zero");
      if (integral) return Value(FloorDivide(left.ToInt(), right.ToInt()));
      return Value(std::floor(left.ToDouble() / right.ToDouble()));
    case BinaryOp::kModulo: {
      if (right.ToDouble() == 0) throw Error("integer division or modulo by zero");
      if (integral) {
        int64_t a = left.ToInt(), b = right.ToInt();
        return Value(a - FloorDivide(a, b) * b);
      }
      double a = left.ToDouble(), b = right.ToDouble();
      double remainder = std::fmod(a, b);
      if (remainder != 0 && ((remainder < 0) != (b < 0))) remainder += b;
      return Value(remainder);
    }
    case BinaryOp::kPower:
      if (integral && right.ToInt() >= 0) return Value(CheckedPower(left.ToInt(), right.ToInt()));
      return Value(std::pow(left.ToDouble(), right.ToDouble()));
    default:
      Unsupported(op, left, right);
  }
}

// One "%..." conversion of PercentFormat.
std::string Convert(char conversion, const std::string& spec, const Value& value) {
  switch (conversion) {
    case 's':
      return fmt::format(fmt::runtime("{:" + spec + "}"), value.ToString());
    case 'r':
      return fmt::format(fmt::runtime("{:" + spec + "}"), value.Repr());
    case 'd':
    case 'i':
      return fmt::format(fmt::runtime("{:" + spec + "d}"), value.ToInt());
    case 'x':
      return fmt::format(fmt::runtime("{:" + spec + "x}"), value.ToInt());
    case 'f':
      return fmt::format(fmt::runtime("{:" + spec + (spec.find('.') == std::string::npos ? ".6f}" : "f}")),
                         value.ToDouble());
    default:
      throw Error(fmt::format("unsupported format character '{}'", conversion));
  }
}

}  // namespace

std::string PythonType(const Value& value) {
  std::string name = value.TypeName();
  if (name.ends_with(" object")) name.resize(name.size() - 7);
  return name;
}

void RequireDefined(const Value& value) {
  if (value.is_undefined()) throw Error(value.undefined().hint);
}

Value ApplyBinary(BinaryOp op, const Value& left, const Value& right) {
  if (op == BinaryOp::kConcat) return Value(left.ToString() + right.ToString());
  RequireDefined(left);
  RequireDefined(right);
  if (op == BinaryOp::kAdd) {
    if (left.is_string() && right.is_string()) return Value(left.as_string() + right.as_string());
    if (left.is_list() && right.is_list()) {
      std::vector<Value> items = left.list().items;
      items.insert(items.end(), right.list().items.begin(), right.list().items.end());
      return Value(std::move(items), left.list().tuple);
    }
  }
  if (op == BinaryOp::kMultiply) {
    if ((left.is_string() || left.is_list()) && (right.is_int() || right.is_bool())) return Repeat(left, right.ToInt());
    if ((right.is_string() || right.is_list()) && (left.is_int() || left.is_bool())) return Repeat(right, left.ToInt());
  }
  if (op == BinaryOp::kModulo && left.is_string()) return Value(PercentFormat(left.as_string(), right));
  return Arithmetic(op, left, right);
}

bool LessThan(const Value& left, const Value& right) {
  RequireDefined(left);
  RequireDefined(right);
  if (left.is_number() && right.is_number()) {
    if (BothIntegral(left, right)) return left.ToInt() < right.ToInt();
    return left.ToDouble() < right.ToDouble();
  }
  if (left.is_string() && right.is_string()) return left.as_string() < right.as_string();
  if (left.is_list() && right.is_list()) {
    const auto& a = left.list().items;
    const auto& b = right.list().items;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
      if (!a[i].Equals(b[i])) return LessThan(a[i], b[i]);
    }
    return a.size() < b.size();
  }
  throw Error(fmt::format("'<' not supported between instances of '{}' and '{}'", PythonType(left), PythonType(right)));
}

bool Contains(const Value& container, const Value& item) {
  switch (container.kind()) {
    case Value::Kind::kUndefined:
      return false;
    case Value::Kind::kString:
      if (!item.is_string()) {
        throw Error(fmt::format("'in <string>' requires string as left operand, not {}", PythonType(item)));
      }
      return container.as_string().find(item.as_string()) != std::string::npos;
    case Value::Kind::kList:
      for (const Value& element : container.list().items) {
        if (element.Equals(item)) return true;
      }
      return false;
    case Value::Kind::kDict:
      return container.dict().Find(item) != nullptr;
    case Value::Kind::kObject:
      if (std::optional<std::vector<Value>> items = container.object()->Items()) {
        for (const Value& element : *items) {
          if (element.Equals(item)) return true;
        }
        return false;
      }
      [[fallthrough]];
    default:
      throw Error(fmt::format("argument of type '{}' is not iterable", PythonType(container)));
  }
}

bool ApplyCompare(CompareOp op, const Value& left, const Value& right) {
  switch (op) {
    case CompareOp::kEqual:
      return left.Equals(right);
    case CompareOp::kNotEqual:
      return !left.Equals(right);
    case CompareOp::kLess:
      return LessThan(left, right);
    case CompareOp::kLessEqual:
      return LessThan(left, right) || left.Equals(right);
    case CompareOp::kGreater:
      return LessThan(right, left);
    case CompareOp::kGreaterEqual:
      return LessThan(right, left) || left.Equals(right);
    case CompareOp::kIn:
      return Contains(right, left);
    case CompareOp::kNotIn:
      return !Contains(right, left);
  }
  return false;
}

Value Negate(const Value& operand) {
  RequireDefined(operand);
  if (operand.is_double()) return Value(-operand.as_double());
  if (operand.is_int() || operand.is_bool()) return Value(-operand.ToInt());
  throw Error(fmt::format("bad operand type for unary -: '{}'", PythonType(operand)));
}

std::string PercentFormat(const std::string& format, const Value& args) {
  std::vector<Value> positional;
  if (args.is_list() && args.list().tuple) {
    positional = args.list().items;
  } else {
    positional.push_back(args);
  }
  size_t next = 0;
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    if (++i >= format.size()) throw Error("incomplete format");
    if (format[i] == '%') {
      out += '%';
      continue;
    }
    const Value* value = nullptr;
    if (format[i] == '(') {
      size_t close = format.find(')', i);
      if (close == std::string::npos || !args.is_dict()) throw Error("format requires a mapping");
      value = args.dict().Find(Value(format.substr(i + 1, close - i - 1)));
      if (!value) throw Error(fmt::format("format key '{}' not found", format.substr(i + 1, close - i - 1)));
      i = close + 1;
    }
    std::string spec;
    while (i < format.size() && std::string_view("-+ #0123456789.").find(format[i]) != std::string_view::npos) {
      spec += format[i] == '-' ? '<' : format[i];
      ++i;
    }
    if (i >= format.size()) throw Error("incomplete format");
    if (!value) {
      if (next >= positional.size()) throw Error("not enough arguments for format string");
      value = &positional[next++];
    }
    out += Convert(format[i], spec, *value);
  }
  if (next < positional.size() && !args.is_dict()) throw Error("not all arguments converted during string formatting");
  return out;
}

}  // namespace dlctl::jinja
