#pragma once
// The Jinja interpreter dlctl's dbt-compatible transform runner renders models and macros with.
// Templates parse once into a tree (Environment::Parse) and render by walking it.
//
// Supported (Jinja2 semantics with dbt's settings: no autoescape, no trim_blocks/lstrip_blocks,
// the trailing newline of a template dropped, the `do` and `loopcontrols` extensions):
//  - {{ }}, {% %}, {# #}, whitespace control ({%- -%} {{- -}} {#- -#}), {% raw %}.
//  - Literals (int, float, strings with escapes, true/false/none in either case, lists, tuples,
//    dicts), names, attributes, indexes, slices, calls with positional, keyword, *args and
//    **kwargs; + - * / // % ** (and "%s" % x formatting), ~, comparisons (chained), in / not in,
//    and / or / not, `x if c else y`, filters with arguments, `is` tests.
//  - {% if/elif/else %}, {% for %} (unpacking, `if` filter, else, loop.index/index0/revindex/
//    revindex0/first/last/length/previtem/nextitem/cycle), {% break %} {% continue %},
//    {% set %} (unpacking, ns.attr, block set with filters), {% macro %} (defaults, varargs,
//    kwargs, caller), {% call(args) m() %}, {% filter %}, {% do %}, {% with %}, and dbt's
//    {% test name(args) %} (a macro named test_<name>), {% snapshot name %} (a macro named
//    snapshot_<name>) and {% materialization name, adapter='x' %} (kept as the macro
//    materialization_<name>_<adapter>, so packages that define one load; never run).
//  - Globals: range, dict, namespace, and dbt's return(value), which ends the macro it is called
//    in and makes the call evaluate to value.
//  - Methods on values: str (lower upper strip lstrip rstrip split replace startswith endswith
//    format join title capitalize find count isdigit ...), list (append extend insert pop remove
//    index count), dict (items keys values get update pop setdefault copy).
//  - Filters and tests: see jinja/filters.cpp; the host may add more.
//  - Scoping as Jinja2: a set inside a for loop or macro stays there (use namespace() to carry
//    values out); macros loaded into the environment see the render's context and globals; the
//    host's macro files (MacroValues) also see their file's other macros first, as a module.
//  - Undefined names print as "" and are false; calling one, or an attribute of one, is an error.
// Deliberately not: autoescape/Markup, template inheritance and inclusion (extends, block,
// include, import), recursive loops, line statements, sandboxing, async.
// Differences that do not matter to SQL templates: lower/upper/title/capitalize change ASCII
// letters only; range(), map, select and friends give lists, not lazy ranges or generators.
//
// Errors are TemplateError (a dlctl::Error): one line, "file:line: what is wrong". A native
// function reports a problem by throwing dlctl::Error; the template's file:line is added.
// An Environment may render from several threads once it is set up (no more Add*/LoadMacros).
//
// Use (the runner's side):
//   jinja::Environment env;
//   env.AddFunction("ref", [&](const jinja::CallArgs& args) { return jinja::Value(RelationOf(args)); });
//   env.AddGlobal("adapter", jinja::MakeObject("adapter", {{"quote", jinja::Value::Function(...)}}));
//   env.LoadMacros(default_macros, "dbt/macros.sql");  // then the project's, which override them
//   jinja::Template model = env.Parse(source, "models/a.sql");   // once
//   std::string sql = env.Render(model, {{"this", this_relation}, {"is_incremental", ...}});
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "transform/jinja/filters.h"
#include "transform/jinja/value.h"

namespace dlctl::jinja {

struct TemplateData;

// The variables a render sees before the environment's globals (dbt's per-model context).
using Context = std::unordered_map<std::string, Value>;
// Names a render sees after its context and before the environment's globals: the host's macros
// as one node sees them (dbt resolves macro names per package).
using Namespace = std::unordered_map<std::string, Value>;

struct Frame;

// A macro file's top-level macros as values. Each sees the file's other macros before the
// render's names, as in a Jinja module. `frame` holds them: keep it while they are in use.
struct MacroFile {
  std::shared_ptr<Frame> frame;
  std::vector<std::pair<std::string, Value>> macros;  // in file order
};

// A parsed template; cheap to copy.
class Template {
 public:
  explicit Template(std::shared_ptr<const TemplateData> data) : data_(std::move(data)) {}
  const std::string& file() const;
  // The macros the file defines at its top level, in order ({% test x %} as "test_x").
  std::vector<std::string> MacroNames() const;
  const std::shared_ptr<const TemplateData>& data() const { return data_; }

 private:
  std::shared_ptr<const TemplateData> data_;
};

class Environment {
 public:
  // With Jinja2's built-in filters and tests, and the globals range, dict, namespace, return.
  Environment();

  // A global every template and macro sees (a later one of the same name replaces it).
  void AddGlobal(const std::string& name, Value value);
  void AddFunction(const std::string& name, NativeFunction function);
  void AddFilter(const std::string& name, FilterFunction filter);
  void AddTest(const std::string& name, TestFunction test);
  // The global of that name, or nullptr.
  const Value* FindGlobal(const std::string& name) const;

  // Parses a template; `file` names it in errors. Throws TemplateError.
  Template Parse(std::string_view source, std::string file) const;
  // Parses a macro file and makes its top-level macros globals, replacing any of the same name
  // (so a project's generate_schema_name overrides a default loaded before it). Returns their names.
  std::vector<std::string> LoadMacros(std::string_view source, std::string file);
  void AddMacros(const Template& macros);
  // The top-level macros of a parsed file, for a host that keeps its own namespaces.
  static MacroFile MacroValues(const Template& macros);

  // Renders with `context` then `macros` (names in them shadow globals). Throws TemplateError.
  std::string Render(const Template& parsed, const Context& context = {}, const Namespace* macros = nullptr) const;
  std::string RenderString(std::string_view source, std::string file, const Context& context = {},
                           const Namespace* macros = nullptr) const;
  // Calls a value (a macro, a function) as a render with `context` and `macros` would.
  Value CallValue(const Value& callee, const CallArgs& args, const Context& context = {},
                  const Namespace* macros = nullptr) const;
  // Calls a global macro or function by name, e.g. generate_schema_name(custom, node).
  Value CallGlobal(const std::string& name, const CallArgs& args, const Context& context = {}) const;
  // Evaluates one expression ("x + 1", "target.name") as a render with `context` would.
  Value Evaluate(std::string_view expression, const std::string& file, const Context& context = {},
                 const Namespace* macros = nullptr) const;

  const FilterTable& filters() const { return filters_; }
  const TestTable& tests() const { return tests_; }

 private:
  FilterTable filters_;
  TestTable tests_;
  std::unordered_map<std::string, Value> globals_;
};

}  // namespace dlctl::jinja
