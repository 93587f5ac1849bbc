#include "transform/jinja/interpreter.h"

#include <fmt/format.h>

#include "transform/jinja/error.h"
#include "transform/jinja/methods.h"
#include "transform/jinja/operators.h"

namespace dlctl::jinja {
namespace {

// Deep enough for any real macro recursion, shallow enough to fail before the stack does.
constexpr int kMaxMacroDepth = 200;

// Thrown by return() and caught by the macro call it ends; not an error.
struct ReturnSignal {
  Value value;
};

// The `loop` variable of a for loop; updated in place as the loop advances.
class LoopObject : public Object {
 public:
  explicit LoopObject(std::vector<Value> items) : items_(std::move(items)) {}
  std::string TypeName() const override { return "LoopContext"; }
  const std::vector<Value>& items() const { return items_; }
  void set_index(size_t index) { index_ = index; }

  Value GetAttribute(const std::string& name) const override {
    int64_t index = static_cast<int64_t>(index_);
    int64_t length = static_cast<int64_t>(items_.size());
    if (name == "index") return Value(index + 1);
    if (name == "index0") return Value(index);
    if (name == "revindex") return Value(length - index);
    if (name == "revindex0") return Value(length - index - 1);
    if (name == "first") return Value(index == 0);
    if (name == "last") return Value(index == length - 1);
    if (name == "length") return Value(length);
    if (name == "depth") return Value(1);
    if (name == "depth0") return Value(0);
    if (name == "previtem") {
      return index > 0 ? items_[index_ - 1] : Value::MakeUndefined("there is no previous item");
    }
    if (name == "nextitem") {
      return index + 1 < length ? items_[index_ + 1] : Value::MakeUndefined("there is no next item");
    }
    if (name == "cycle") {
      return Value::Function("cycle", [index](const CallArgs& args) {
        if (args.positional.empty()) throw Error("no items for cycling given");
        return args.positional[static_cast<size_t>(index) % args.positional.size()];
      });
    }
    return Object::GetAttribute(name);
  }

 private:
  std::vector<Value> items_;
  size_t index_ = 0;
};

// Restores what a macro call changed when it ends, however it ends.
class MacroScope {
 public:
  MacroScope(std::shared_ptr<const TemplateData>& current, const std::shared_ptr<const TemplateData>& entered,
             int& depth)
      : current_(current), saved_(current), depth_(depth) {
    current_ = entered;
    ++depth_;
  }
  ~MacroScope() {
    current_ = saved_;
    --depth_;
  }

 private:
  std::shared_ptr<const TemplateData>& current_;
  std::shared_ptr<const TemplateData> saved_;
  int& depth_;
};

std::vector<Value> Unpack(const Value& value, size_t count) {
  std::vector<Value> items = value.Iterate();
  if (items.size() > count) throw Error(fmt::format("too many values to unpack (expected {})", count));
  if (items.size() < count) {
    throw Error(fmt::format("not enough values to unpack (expected {}, got {})", count, items.size()));
  }
  return items;
}

// What a callee is called in messages: its name when it has one in the source.
std::string CalleeName(const Expr& callee, const Value& value) {
  if (callee.kind == Expr::Kind::kName) return static_cast<const NameExpr&>(callee).name;
  if (callee.kind == Expr::Kind::kAttribute) return static_cast<const AttributeExpr&>(callee).name;
  return value.TypeName();
}

// Python's slice of a list or string.
Value SliceOf(const Value& object, const Value& start_value, const Value& stop_value, const Value& step_value) {
  RequireDefined(object);
  int64_t step = step_value.is_none() || step_value.is_undefined() ? 1 : step_value.ToInt();
  if (step == 0) throw Error("slice step cannot be zero");
  std::vector<Value> items;
  bool is_string = object.is_string();
  if (is_string) {
    items = object.Iterate();
  } else if (object.is_list()) {
    items = object.list().items;
  } else {
    throw Error(fmt::format("'{}' is not subscriptable", PythonType(object)));
  }
  int64_t length = static_cast<int64_t>(items.size());
  auto clamp = [&](const Value& bound, int64_t fallback) {
    if (bound.is_none() || bound.is_undefined()) return fallback;
    int64_t at = bound.ToInt();
    if (at < 0) at += length;
    if (step > 0) return std::clamp<int64_t>(at, 0, length);
    return std::clamp<int64_t>(at, -1, length - 1);
  };
  int64_t start = clamp(start_value, step > 0 ? 0 : length - 1);
  int64_t stop = clamp(stop_value, step > 0 ? length : -1);
  std::vector<Value> sliced;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) sliced.push_back(items[static_cast<size_t>(i)]);
  if (!is_string) return Value(std::move(sliced), object.list().tuple);
  std::string out;
  for (const Value& character : sliced) out += character.as_string();
  return Value(std::move(out));
}

Value Subscript(const Value& object, const Value& index) {
  switch (object.kind()) {
    case Value::Kind::kUndefined:
      RequireDefined(object);
      break;
    case Value::Kind::kDict: {
      const Value* found = object.dict().Find(index);
      if (found) return *found;
      return Value::MakeUndefined(fmt::format("'dict object' has no attribute {}", index.Repr()));
    }
    case Value::Kind::kList:
    case Value::Kind::kString: {
      if (!index.is_int() && !index.is_bool()) break;
      std::vector<Value> items = object.is_list() ? std::vector<Value>{} : object.Iterate();
      const std::vector<Value>& sequence = object.is_list() ? object.list().items : items;
      int64_t at = index.ToInt();
      if (at < 0) at += static_cast<int64_t>(sequence.size());
      if (at >= 0 && at < static_cast<int64_t>(sequence.size())) return sequence[static_cast<size_t>(at)];
      return Value::MakeUndefined(fmt::format("{} has no element {}", object.TypeName(), index.Repr()));
    }
    case Value::Kind::kObject:
      return object.object()->GetItem(index);
    default:
      break;
  }
  return Value::MakeUndefined(fmt::format("{} has no element {}", object.TypeName(), index.Repr()));
}

Value Attribute(const Value& object, const std::string& name) {
  switch (object.kind()) {
    case Value::Kind::kUndefined:
      RequireDefined(object);
      break;
    case Value::Kind::kDict: {
      const Value* found = object.dict().Find(Value(name));
      if (found) return *found;
      if (HasMethod(object, name)) return BindMethod(object, name);
      break;
    }
    case Value::Kind::kObject:
      return object.object()->GetAttribute(name);
    default:
      if (HasMethod(object, name)) return BindMethod(object, name);
      break;
  }
  return Value::MakeUndefined(fmt::format("'{}' has no attribute '{}'", object.TypeName(), name));
}

}  // namespace

Value MacroObject::Call(const CallArgs& args, Renderer& renderer) const { return renderer.CallMacro(*this, args); }

Value MacroObject::GetAttribute(const std::string& name) const {
  if (name == "name") return Value(macro_->name);
  if (name != "arguments") return Object::GetAttribute(name);
  std::vector<Value> names;
  for (const Parameter& parameter : macro_->parameters) names.emplace_back(parameter.name);
  return Value(std::move(names), true);
}

std::string Renderer::Render(const std::shared_ptr<const TemplateData>& template_data) {
  template_ = template_data;
  std::string out;
  out.reserve(template_data->source.size());
  Execute(template_data->body, std::make_shared<Frame>(nullptr), out);
  return out;
}

Value Renderer::EvaluateOutput(const std::shared_ptr<const TemplateData>& template_data) {
  template_ = template_data;
  const OutputStmt* output = nullptr;
  for (const StmtPtr& stmt : template_data->body) {
    if (stmt->kind == Stmt::Kind::kOutput && !output) {
      output = static_cast<const OutputStmt*>(stmt.get());
    } else if (stmt->kind != Stmt::Kind::kData ||
               static_cast<const DataStmt&>(*stmt).text.find_first_not_of(" \t\r\n") != std::string::npos) {
      throw Error("expected a single expression");
    }
  }
  if (!output) throw Error("expected a single expression");
  try {
    return Eval(*output->expr, std::make_shared<Frame>(nullptr));
  } catch (const std::exception&) {
    Rethrow(output->line);
  }
}

void Renderer::Rethrow(int line) {
  try {
    throw;
  } catch (const TemplateError&) {
    throw;
  } catch (const std::exception& error) {
    throw TemplateError(template_->file, line, error.what());
  }
}

Renderer::Flow Renderer::Execute(const Body& body, const FramePtr& frame, std::string& out) {
  for (const StmtPtr& stmt : body) {
    Flow flow;
    try {
      flow = ExecuteStatement(*stmt, frame, out);
    } catch (const std::exception&) {
      Rethrow(stmt->line);
    }
    if (flow != Flow::kNormal) return flow;
  }
  return Flow::kNormal;
}

Renderer::Flow Renderer::ExecuteStatement(const Stmt& stmt, const FramePtr& frame, std::string& out) {
  switch (stmt.kind) {
    case Stmt::Kind::kData:
      out.append(static_cast<const DataStmt&>(stmt).text);
      return Flow::kNormal;
    case Stmt::Kind::kOutput: {
      Value value = Eval(*static_cast<const OutputStmt&>(stmt).expr, frame);
      if (value.is_string()) {
        out += value.as_string();
      } else {
        out += value.ToString();
      }
      return Flow::kNormal;
    }
    case Stmt::Kind::kIf: {
      const auto& node = static_cast<const IfStmt&>(stmt);
      for (const auto& [condition, body] : node.branches) {
        if (Eval(*condition, frame).Truthy()) return Execute(body, frame, out);
      }
      return Execute(node.otherwise, frame, out);
    }
    case Stmt::Kind::kFor:
      return ExecuteFor(static_cast<const ForStmt&>(stmt), frame, out);
    case Stmt::Kind::kSet: {
      const auto& node = static_cast<const SetStmt&>(stmt);
      Assign(node.target, Eval(*node.value, frame), *frame);
      return Flow::kNormal;
    }
    case Stmt::Kind::kSetBlock: {
      const auto& node = static_cast<const SetBlockStmt&>(stmt);
      std::string rendered;
      Execute(node.body, frame, rendered);
      Value value(std::move(rendered));
      if (node.filter) value = EvalFilter(static_cast<const FilterExpr&>(*node.filter), frame, &value);
      Assign(node.target, value, *frame);
      return Flow::kNormal;
    }
    case Stmt::Kind::kMacro: {
      const auto& node = static_cast<const MacroStmt&>(stmt);
      frame->variables[node.name] = Value(ObjectPtr(std::make_shared<MacroObject>(template_, &node, frame)));
      return Flow::kNormal;
    }
    case Stmt::Kind::kCallBlock: {
      const auto& node = static_cast<const CallBlockStmt&>(stmt);
      Value caller(ObjectPtr(std::make_shared<MacroObject>(template_, &node.caller, frame)));
      out += EvalCall(static_cast<const CallExpr&>(*node.call), frame, &caller).ToString();
      return Flow::kNormal;
    }
    case Stmt::Kind::kFilterBlock: {
      const auto& node = static_cast<const FilterBlockStmt&>(stmt);
      std::string rendered;
      Execute(node.body, frame, rendered);
      Value input(std::move(rendered));
      out += EvalFilter(static_cast<const FilterExpr&>(*node.filter), frame, &input).ToString();
      return Flow::kNormal;
    }
    case Stmt::Kind::kDo:
      Eval(*static_cast<const DoStmt&>(stmt).expr, frame);
      return Flow::kNormal;
    case Stmt::Kind::kBreak:
      return Flow::kBreak;
    case Stmt::Kind::kContinue:
      return Flow::kContinue;
    case Stmt::Kind::kWith: {
      const auto& node = static_cast<const WithStmt&>(stmt);
      auto inner = std::make_shared<Frame>(frame);
      for (const auto& [name, value] : node.assignments) inner->variables[name] = Eval(*value, frame);
      return Execute(node.body, inner, out);
    }
  }
  return Flow::kNormal;
}

Renderer::Flow Renderer::ExecuteFor(const ForStmt& stmt, const FramePtr& frame, std::string& out) {
  Value iterable = Eval(*stmt.iterable, frame);
  std::vector<Value> items = iterable.Iterate();
  if (stmt.filter) {
    auto scratch = std::make_shared<Frame>(frame);
    std::vector<Value> kept;
    for (Value& item : items) {
      Assign(stmt.target, item, *scratch);
      if (Eval(*stmt.filter, scratch).Truthy()) kept.push_back(std::move(item));
    }
    items = std::move(kept);
  }
  if (items.empty()) return Execute(stmt.otherwise, frame, out);  // a break there belongs to an outer loop
  auto loop = std::make_shared<LoopObject>(std::move(items));
  Value loop_value(ObjectPtr{loop});
  for (size_t i = 0; i < loop->items().size(); ++i) {
    // Each iteration is a scope of its own: a set in the body is gone by the next one.
    auto iteration = std::make_shared<Frame>(frame);
    loop->set_index(i);
    iteration->variables["loop"] = loop_value;
    Assign(stmt.target, loop->items()[i], *iteration);
    if (Execute(stmt.body, iteration, out) == Flow::kBreak) break;
  }
  return Flow::kNormal;
}

void Renderer::Assign(const AssignTarget& target, const Value& value, Frame& frame) {
  if (!target.attribute.empty()) {
    Value object = Lookup(target.names[0], &frame);
    if (!object.is_dict() || !object.dict().is_namespace) {
      throw Error(fmt::format("cannot assign attribute on non-namespace object '{}'", target.names[0]));
    }
    object.dict().Set(Value(target.attribute), value);
    return;
  }
  if (!target.unpack) {
    frame.variables[target.names[0]] = value;
    return;
  }
  std::vector<Value> items = Unpack(value, target.names.size());
  for (size_t i = 0; i < items.size(); ++i) frame.variables[target.names[i]] = std::move(items[i]);
}

Value Renderer::Lookup(const std::string& name, const Frame* frame) const {
  for (; frame; frame = frame->parent.get()) {
    auto found = frame->variables.find(name);
    if (found != frame->variables.end()) return found->second;
  }
  auto in_context = context_.find(name);
  if (in_context != context_.end()) return in_context->second;
  if (macros_) {
    auto macro = macros_->find(name);
    if (macro != macros_->end()) return macro->second;
  }
  if (const Value* global = environment_.FindGlobal(name)) return *global;
  return Value::MakeUndefined(fmt::format("'{}' is undefined", name));
}

Value Renderer::Eval(const Expr& expr, const FramePtr& frame) {
  switch (expr.kind) {
    case Expr::Kind::kLiteral:
      return static_cast<const LiteralExpr&>(expr).value;
    case Expr::Kind::kName:
      return Lookup(static_cast<const NameExpr&>(expr).name, frame.get());
    case Expr::Kind::kList: {
      const auto& node = static_cast<const ListExpr&>(expr);
      std::vector<Value> items;
      items.reserve(node.items.size());
      for (const ExprPtr& item : node.items) items.push_back(Eval(*item, frame));
      return Value(std::move(items), node.tuple);
    }
    case Expr::Kind::kDict: {
      Value dict = Value::EmptyDict();
      for (const auto& [key, value] : static_cast<const DictExpr&>(expr).items) {
        Value evaluated_key = Eval(*key, frame);
        dict.dict().Set(evaluated_key, Eval(*value, frame));
      }
      return dict;
    }
    case Expr::Kind::kAttribute: {
      const auto& node = static_cast<const AttributeExpr&>(expr);
      return Attribute(Eval(*node.object, frame), node.name);
    }
    case Expr::Kind::kIndex: {
      const auto& node = static_cast<const IndexExpr&>(expr);
      Value object = Eval(*node.object, frame);
      return Subscript(object, Eval(*node.index, frame));
    }
    case Expr::Kind::kSlice: {
      const auto& node = static_cast<const SliceExpr&>(expr);
      Value object = Eval(*node.object, frame);
      Value start = node.start ? Eval(*node.start, frame) : Value::None();
      Value stop = node.stop ? Eval(*node.stop, frame) : Value::None();
      Value step = node.step ? Eval(*node.step, frame) : Value::None();
      return SliceOf(object, start, stop, step);
    }
    case Expr::Kind::kCall:
      return EvalCall(static_cast<const CallExpr&>(expr), frame);
    case Expr::Kind::kFilter:
      return EvalFilter(static_cast<const FilterExpr&>(expr), frame, nullptr);
    case Expr::Kind::kTest: {
      const auto& node = static_cast<const TestExpr&>(expr);
      Value operand = Eval(*node.operand, frame);
      CallArgs args = EvalArguments(node.args, frame);
      try {
        return Value((*node.test)(*this, operand, args) != node.negated);
      } catch (const std::exception&) {
        Rethrow(node.line);
      }
    }
    case Expr::Kind::kUnary: {
      const auto& node = static_cast<const UnaryExpr&>(expr);
      Value operand = Eval(*node.operand, frame);
      if (node.op == UnaryOp::kNot) return Value(!operand.Truthy());
      if (node.op == UnaryOp::kNegate) return Negate(operand);
      RequireDefined(operand);
      return operand;
    }
    case Expr::Kind::kBinary: {
      const auto& node = static_cast<const BinaryExpr&>(expr);
      Value left = Eval(*node.left, frame);
      if (node.op == BinaryOp::kAnd) return left.Truthy() ? Eval(*node.right, frame) : left;
      if (node.op == BinaryOp::kOr) return left.Truthy() ? left : Eval(*node.right, frame);
      return ApplyBinary(node.op, left, Eval(*node.right, frame));
    }
    case Expr::Kind::kCompare: {
      const auto& node = static_cast<const CompareExpr&>(expr);
      Value left = Eval(*node.first, frame);
      for (const auto& [op, operand] : node.rest) {
        Value right = Eval(*operand, frame);
        if (!ApplyCompare(op, left, right)) return Value(false);
        left = std::move(right);
      }
      return Value(true);
    }
    case Expr::Kind::kConditional: {
      const auto& node = static_cast<const ConditionalExpr&>(expr);
      if (Eval(*node.condition, frame).Truthy()) return Eval(*node.then, frame);
      if (node.otherwise) return Eval(*node.otherwise, frame);
      return Value::MakeUndefined("the inline if expression evaluated to false and no else section was defined");
    }
  }
  return Value();
}

CallArgs Renderer::EvalArguments(const Arguments& arguments, const FramePtr& frame) {
  CallArgs args;
  args.positional.reserve(arguments.positional.size());
  for (const ExprPtr& expr : arguments.positional) args.positional.push_back(Eval(*expr, frame));
  if (arguments.star_args) {
    for (Value& item : Eval(*arguments.star_args, frame).Iterate()) args.positional.push_back(std::move(item));
  }
  for (const auto& [name, expr] : arguments.keyword) args.keyword.emplace_back(name, Eval(*expr, frame));
  if (arguments.star_kwargs) {
    Value kwargs = Eval(*arguments.star_kwargs, frame);
    if (!kwargs.is_dict()) throw Error(fmt::format("argument after ** must be a mapping, not {}", PythonType(kwargs)));
    for (const auto& [key, value] : kwargs.dict().entries()) args.keyword.emplace_back(key.ToString(), value);
  }
  return args;
}

Value Renderer::EvalCall(const CallExpr& call, const FramePtr& frame, const Value* caller) {
  try {
    Value callee;
    if (call.callee->kind == Expr::Kind::kAttribute) {
      // obj.method(...) on a str, list or dict calls the method without binding it first.
      const auto& attribute = static_cast<const AttributeExpr&>(*call.callee);
      Value object = Eval(*attribute.object, frame);
      if ((object.is_string() || object.is_list() || object.is_dict()) && HasMethod(object, attribute.name)) {
        return CallMethod(object, attribute.name, EvalArguments(call.args, frame));
      }
      callee = Attribute(object, attribute.name);
    } else {
      callee = Eval(*call.callee, frame);
    }
    CallArgs args = EvalArguments(call.args, frame);
    if (caller) args.keyword.emplace_back("caller", *caller);
    if (callee.is_undefined()) RequireDefined(callee);
    if (!callee.is_callable()) throw Error(fmt::format("'{}' is not callable", CalleeName(*call.callee, callee)));
    return Call(callee, args);
  } catch (const std::exception&) {
    Rethrow(call.line);
  }
}

Value Renderer::Call(const Value& callee, const CallArgs& args) {
  RequireDefined(callee);
  if (!callee.is_callable()) throw Error(fmt::format("'{}' is not callable", callee.TypeName()));
  return callee.object()->Call(args, *this);
}

Value Renderer::CallMacro(const MacroObject& macro_object, const CallArgs& args) {
  const MacroStmt& macro = macro_object.macro();
  if (macro_depth_ >= kMaxMacroDepth) {
    throw Error(fmt::format("macro '{}' called itself more than {} deep", macro.name, kMaxMacroDepth));
  }
  size_t parameter_count = macro.parameters.size();
  if (args.positional.size() > parameter_count && !macro.uses_varargs) {
    throw Error(fmt::format("macro '{}' takes not more than {} argument(s)", macro.name, parameter_count));
  }
  auto frame = std::make_shared<Frame>(macro_object.closure());
  std::vector<bool> given(parameter_count, false);
  for (size_t i = 0; i < args.positional.size() && i < parameter_count; ++i) {
    frame->variables[macro.parameters[i].name] = args.positional[i];
    given[i] = true;
  }
  Value kwargs = Value::EmptyDict();
  Value caller = Value::MakeUndefined("no caller defined");
  for (const auto& [name, value] : args.keyword) {
    size_t i = 0;
    while (i < parameter_count && macro.parameters[i].name != name) ++i;
    if (i < parameter_count) {
      if (given[i]) throw Error(fmt::format("macro '{}' got multiple values for argument '{}'", macro.name, name));
      frame->variables[name] = value;
      given[i] = true;
    } else if (name == "caller" && macro.uses_caller) {
      caller = value;
    } else if (macro.uses_kwargs) {
      kwargs.dict().Set(Value(name), value);
    } else {
      throw Error(fmt::format("macro '{}' takes no keyword argument '{}'", macro.name, name));
    }
  }
  std::vector<Value> varargs;
  for (size_t i = parameter_count; i < args.positional.size(); ++i) varargs.push_back(args.positional[i]);
  frame->variables["varargs"] = Value(std::move(varargs), true);
  frame->variables["kwargs"] = kwargs;
  if (macro.uses_caller) frame->variables["caller"] = caller;

  MacroScope scope(template_, macro_object.owner(), macro_depth_);
  for (size_t i = 0; i < parameter_count; ++i) {
    if (given[i]) continue;
    const Parameter& parameter = macro.parameters[i];
    frame->variables[parameter.name] =
        parameter.default_value
            ? Eval(*parameter.default_value, frame)
            : Value::MakeUndefined(fmt::format("parameter '{}' was not provided", parameter.name));
  }
  std::string out;
  try {
    Execute(macro.body, frame, out);
  } catch (ReturnSignal& signal) {
    return std::move(signal.value);
  }
  return Value(std::move(out));
}

Value Renderer::EvalFilter(const FilterExpr& filter, const FramePtr& frame, const Value* block_input) {
  Value input;
  if (filter.operand) {
    input = filter.operand->kind == Expr::Kind::kFilter && block_input
                ? EvalFilter(static_cast<const FilterExpr&>(*filter.operand), frame, block_input)
                : Eval(*filter.operand, frame);
  } else if (block_input) {
    input = *block_input;
  }
  CallArgs args = EvalArguments(filter.args, frame);
  try {
    return (*filter.filter)(*this, input, args);
  } catch (const std::exception&) {
    Rethrow(filter.line);
  }
}

Value Renderer::ApplyFilter(const std::string& name, const Value& input, const CallArgs& args) {
  auto found = environment_.filters().find(name);
  if (found == environment_.filters().end()) throw Error(fmt::format("no filter named '{}'", name));
  return found->second(*this, input, args);
}

bool Renderer::ApplyTest(const std::string& name, const Value& input, const CallArgs& args) {
  auto found = environment_.tests().find(name);
  if (found == environment_.tests().end()) throw Error(fmt::format("no test named '{}'", name));
  return found->second(*this, input, args);
}

void Renderer::Return(Value value) {
  if (macro_depth_ == 0) throw Error("return() called outside of a macro");
  throw ReturnSignal{std::move(value)};
}

}  // namespace dlctl::jinja
