#include "transform/compile/macro_registry.h"

#include <memory>

#include "util/error.h"

namespace dlctl::transform {

using jinja::Value;

namespace {

// A package's macros as a value: dbt_utils.star.
class PackageNamespace : public jinja::Object {
 public:
  PackageNamespace(std::string name, const jinja::Namespace& macros) : name_(std::move(name)), macros_(macros) {}
  std::string TypeName() const override { return "namespace"; }
  std::string ToString() const override { return "<namespace " + name_ + ">"; }
  Value GetAttribute(const std::string& name) const override {
    auto found = macros_.find(name);
    if (found != macros_.end()) return found->second;
    return Value::MakeUndefined("'" + name_ + "' has no macro named '" + name + "'");
  }

 private:
  std::string name_;
  const jinja::Namespace& macros_;  // owned by the registry
};

}  // namespace

MacroRegistry::MacroRegistry(std::string root_package, std::vector<DispatchConfig> dispatch)
    : root_(std::move(root_package)), dispatch_(std::move(dispatch)) {
  own_[kGlobalPackage];
  own_[root_];
}

void MacroRegistry::AddFile(const jinja::Environment& environment, const std::string& package, const std::string& path,
                            const std::string& display_path, const std::string& text) {
  jinja::MacroFile file = jinja::Environment::MacroValues(environment.Parse(text, display_path));
  jinja::Namespace& macros = own_[package];
  for (const auto& [name, value] : file.macros) {
    std::string key = package + "." + name;
    auto [it, inserted] = defined_in_.emplace(key, display_path);
    if (!inserted && package != kGlobalPackage)
      throw Error(display_path + ": macro '" + name + "' of package '" + package + "' is already defined in " +
                  it->second);
    it->second = display_path;
    macros[name] = value;
    if (inserted) macros_.push_back({"macro." + key, package, name, path});
  }
  files_.push_back(std::move(file));
}

void MacroRegistry::Build() {
  // The namespaces shared by every package, lowest precedence first.
  jinja::Namespace shared = own_[kGlobalPackage];
  shared[kGlobalPackage] = Value(jinja::ObjectPtr(std::make_shared<PackageNamespace>(kGlobalPackage, own_[kGlobalPackage])));
  for (const auto& [package, macros] : own_)
    if (package != kGlobalPackage) shared[package] = Value(jinja::ObjectPtr(std::make_shared<PackageNamespace>(package, macros)));
  for (const auto& [name, value] : own_[root_]) shared[name] = value;
  for (const auto& [package, macros] : own_) {
    if (package == kGlobalPackage) continue;
    jinja::Namespace& visible = visible_[package];
    visible = shared;
    if (package != root_)
      for (const auto& [name, value] : macros) visible[name] = value;
  }
}

const jinja::Namespace& MacroRegistry::NamespaceFor(const std::string& package) const {
  auto found = visible_.find(package);
  if (found == visible_.end()) found = visible_.find(root_);
  return found->second;
}

const Value* MacroRegistry::Find(const std::string& package, const std::string& name,
                                 const jinja::Namespace& seen_from) const {
  const jinja::Namespace* search = &seen_from;
  if (!package.empty()) {
    auto own = own_.find(package);
    if (own == own_.end()) return nullptr;
    search = &own->second;
  }
  auto found = search->find(name);
  if (found == search->end() || !found->second.is_callable()) return nullptr;
  return &found->second;
}

std::vector<std::string> MacroRegistry::SearchOrder(const std::string& macro_namespace) const {
  if (macro_namespace.empty()) return {""};
  std::vector<std::string> order;
  for (const DispatchConfig& config : dispatch_)
    if (config.macro_namespace == macro_namespace) order = config.search_order;
  if (order.empty()) {
    if (macro_namespace == kGlobalPackage || !own_.count(macro_namespace)) return {""};
    order = {root_, macro_namespace};
  }
  // dlctl's DuckDB versions of a package's macros come just before the package's own.
  std::string shims = ShimPackage(macro_namespace);
  if (own_.count(shims))
    for (auto it = order.begin(); it != order.end(); ++it)
      if (*it == macro_namespace) {
        order.insert(it, shims);
        break;
      }
  return order;
}

}  // namespace dlctl::transform
