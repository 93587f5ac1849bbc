#include "transform/jinja/environment.h"

#include <fmt/format.h>

#include "transform/jinja/ast.h"
#include "transform/jinja/interpreter.h"
#include "transform/jinja/parser.h"
#include "util/error.h"

namespace dlctl::jinja {
namespace {

// dbt's return(value): ends the macro it is called in; the call evaluates to value.
class ReturnFunction : public Object {
 public:
  std::string TypeName() const override { return "function"; }
  std::string ToString() const override { return "<function return>"; }
  bool IsCallable() const override { return true; }
  Value Call(const CallArgs& args, Renderer& renderer) const override {
    renderer.Return(args.Bind("return", {"value"}, {Value::None()})[0]);
  }
};

Value Range(const CallArgs& args) {
  for (const auto& arg : args.positional) {
    if (!arg.is_int() && !arg.is_bool()) throw Error(fmt::format("range() needs integers, not {}", arg.TypeName()));
  }
  int64_t start = 0, stop = 0, step = 1;
  switch (args.positional.size()) {
    case 1:
      stop = args.positional[0].ToInt();
      break;
    case 3:
      step = args.positional[2].ToInt();
      [[fallthrough]];
    case 2:
      start = args.positional[0].ToInt();
      stop = args.positional[1].ToInt();
      break;
    default:
      throw Error(fmt::format("range expected 1 to 3 arguments, got {}", args.positional.size()));
  }
  if (step == 0) throw Error("range() arg 3 must not be zero");
  std::vector<Value> items;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) items.emplace_back(i);
  return Value(std::move(items));
}

// dict(mapping, **kwargs) and namespace(mapping, **kwargs).
Value NewDict(const CallArgs& args, bool is_namespace) {
  Value dict = Value::EmptyDict();
  dict.dict().is_namespace = is_namespace;
  if (args.positional.size() > 1) throw Error("dict expected at most 1 argument");
  if (!args.positional.empty()) {
    const Value& initial = args.positional[0];
    if (!initial.is_dict()) throw Error(fmt::format("cannot convert {} to a dict", initial.TypeName()));
    for (const auto& [key, value] : initial.dict().entries()) dict.dict().Set(key, value);
  }
  for (const auto& [key, value] : args.keyword) dict.dict().Set(Value(key), value);
  return dict;
}

}  // namespace

const std::string& Template::file() const { return data_->file; }

std::vector<std::string> Template::MacroNames() const {
  std::vector<std::string> names;
  for (const MacroStmt* macro : data_->macros) names.push_back(macro->name);
  return names;
}

Environment::Environment() {
  AddBuiltinFilters(filters_);
  AddBuiltinTests(tests_);
  AddFunction("range", Range);
  AddFunction("dict", [](const CallArgs& args) { return NewDict(args, false); });
  AddFunction("namespace", [](const CallArgs& args) { return NewDict(args, true); });
  AddGlobal("return", Value(ObjectPtr(std::make_shared<ReturnFunction>())));
}

void Environment::AddGlobal(const std::string& name, Value value) { globals_[name] = std::move(value); }

void Environment::AddFunction(const std::string& name, NativeFunction function) {
  AddGlobal(name, Value::Function(name, std::move(function)));
}

void Environment::AddFilter(const std::string& name, FilterFunction filter) { filters_[name] = std::move(filter); }

void Environment::AddTest(const std::string& name, TestFunction test) { tests_[name] = std::move(test); }

const Value* Environment::FindGlobal(const std::string& name) const {
  auto found = globals_.find(name);
  return found == globals_.end() ? nullptr : &found->second;
}

Template Environment::Parse(std::string_view source, std::string file) const {
  return Template(ParseTemplate(source, std::move(file), filters_, tests_));
}

std::vector<std::string> Environment::LoadMacros(std::string_view source, std::string file) {
  Template macros = Parse(source, std::move(file));
  AddMacros(macros);
  return macros.MacroNames();
}

void Environment::AddMacros(const Template& macros) {
  for (const MacroStmt* macro : macros.data()->macros) {
    AddGlobal(macro->name, Value(ObjectPtr(std::make_shared<MacroObject>(macros.data(), macro, nullptr))));
  }
}

MacroFile Environment::MacroValues(const Template& macros) {
  MacroFile file;
  file.frame = std::make_shared<Frame>(nullptr);
  // The macros see their file's frame without owning it (it owns them): no reference cycle.
  FramePtr siblings(FramePtr(), file.frame.get());
  for (const MacroStmt* macro : macros.data()->macros) {
    Value value(ObjectPtr(std::make_shared<MacroObject>(macros.data(), macro, siblings)));
    file.frame->variables[macro->name] = value;
    file.macros.emplace_back(macro->name, std::move(value));
  }
  return file;
}

std::string Environment::Render(const Template& parsed, const Context& context, const Namespace* macros) const {
  Renderer renderer(*this, context, macros);
  return renderer.Render(parsed.data());
}

std::string Environment::RenderString(std::string_view source, std::string file, const Context& context,
                                      const Namespace* macros) const {
  return Render(Parse(source, std::move(file)), context, macros);
}

Value Environment::CallValue(const Value& callee, const CallArgs& args, const Context& context,
                             const Namespace* macros) const {
  Renderer renderer(*this, context, macros);
  return renderer.Call(callee, args);
}

Value Environment::Evaluate(std::string_view expression, const std::string& file, const Context& context,
                            const Namespace* macros) const {
  Template parsed = Parse("{{ " + std::string(expression) + " }}", file);
  Renderer renderer(*this, context, macros);
  return renderer.EvaluateOutput(parsed.data());
}

Value Environment::CallGlobal(const std::string& name, const CallArgs& args, const Context& context) const {
  const Value* callee = FindGlobal(name);
  if (!callee) throw Error(fmt::format("'{}' is undefined", name));
  Renderer renderer(*this, context);
  return renderer.Call(*callee, args);
}

}  // namespace dlctl::jinja
