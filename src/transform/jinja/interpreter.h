#pragma once
// Renders a parsed template by walking its tree. One Renderer per render: it holds the render's
// context, the frames of its scopes and where it is (for error locations).
#include <memory>
#include <string>
#include <unordered_map>

#include "transform/jinja/ast.h"
#include "transform/jinja/environment.h"

namespace dlctl::jinja {

// The variables of one scope; lookups continue in the parent, then the render's context,
// then the environment's globals.
struct Frame {
  explicit Frame(std::shared_ptr<Frame> p) : parent(std::move(p)) {}
  std::unordered_map<std::string, Value> variables;
  std::shared_ptr<Frame> parent;
};
using FramePtr = std::shared_ptr<Frame>;

// A {% macro %} (or a call block's caller) as a value. It keeps its template alive and the
// frame it was defined in (none for macros loaded into the environment: they see the context
// of whichever render calls them, as dbt's macros do).
class MacroObject : public Object {
 public:
  MacroObject(std::shared_ptr<const TemplateData> owner, const MacroStmt* macro, FramePtr closure)
      : owner_(std::move(owner)), macro_(macro), closure_(std::move(closure)) {}
  std::string ToString() const override { return "<Macro '" + macro_->name + "'>"; }
  std::string TypeName() const override { return "Macro"; }
  Value GetAttribute(const std::string& name) const override;  // name, arguments
  bool IsCallable() const override { return true; }
  Value Call(const CallArgs& args, Renderer& renderer) const override;
  const std::shared_ptr<const TemplateData>& owner() const { return owner_; }
  const MacroStmt& macro() const { return *macro_; }
  const FramePtr& closure() const { return closure_; }

 private:
  std::shared_ptr<const TemplateData> owner_;
  const MacroStmt* macro_;
  FramePtr closure_;
};

class Renderer {
 public:
  Renderer(const Environment& environment, const Context& context, const Namespace* macros = nullptr)
      : environment_(environment), context_(context), macros_(macros) {}

  std::string Render(const std::shared_ptr<const TemplateData>& template_data);
  // The value of a template that is one {{ expression }} (and blanks), unprinted.
  Value EvaluateOutput(const std::shared_ptr<const TemplateData>& template_data);
  // A name as the render's context, macros and globals give it (no local variables).
  Value LookupName(const std::string& name) const { return Lookup(name, nullptr); }
  // Calls a macro, native function or callable object; throws for anything else.
  Value Call(const Value& callee, const CallArgs& args);
  Value CallMacro(const MacroObject& macro, const CallArgs& args);
  // For filters and tests that take others by name (map, select, selectattr).
  Value ApplyFilter(const std::string& name, const Value& input, const CallArgs& args);
  bool ApplyTest(const std::string& name, const Value& input, const CallArgs& args);
  // dbt's return(value): ends the innermost macro call with `value`.
  [[noreturn]] void Return(Value value);

 private:
  enum class Flow { kNormal, kBreak, kContinue };

  Flow Execute(const Body& body, const FramePtr& frame, std::string& out);
  Flow ExecuteStatement(const Stmt& stmt, const FramePtr& frame, std::string& out);
  Flow ExecuteFor(const ForStmt& stmt, const FramePtr& frame, std::string& out);
  void Assign(const AssignTarget& target, const Value& value, Frame& frame);

  Value Eval(const Expr& expr, const FramePtr& frame);
  Value Lookup(const std::string& name, const Frame* frame) const;
  Value EvalCall(const CallExpr& call, const FramePtr& frame, const Value* caller = nullptr);
  CallArgs EvalArguments(const Arguments& arguments, const FramePtr& frame);
  Value EvalFilter(const FilterExpr& filter, const FramePtr& frame, const Value* block_input);
  [[noreturn]] void Rethrow(int line);

  const Environment& environment_;
  const Context& context_;
  const Namespace* macros_;
  std::shared_ptr<const TemplateData> template_;  // the template (or macro's template) running now
  int macro_depth_ = 0;
};

}  // namespace dlctl::jinja
