#pragma once
// Shared by the Jinja tests: a table row, and the context the table-driven cases render with.
// The expected outputs in the tables are what Jinja2 3.1 (with the `do` and `loopcontrols`
// extensions, dbt's settings) renders for the same template and context.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "transform/jinja/environment.h"

namespace dlctl::jinja::testing {

struct RenderCase {
  const char* name;
  const char* source;
  const char* expected;
};

inline std::ostream& operator<<(std::ostream& out, const RenderCase& c) { return out << c.source; }

inline std::string CaseName(const ::testing::TestParamInfo<RenderCase>& info) { return info.param.name; }

inline Value User(const char* name, int age, bool active) {
  return MakeDict({{"name", Value(name)}, {"age", Value(age)}, {"active", Value(active)}});
}

inline Context SampleContext() {
  return {
      {"items", Value(ValueList{Value(1), Value(2), Value(3)})},
      {"names", Value(ValueList{Value("b"), Value("a"), Value("c")})},
      {"user", MakeDict({{"name", Value("Ada")}, {"age", Value(36)}})},
      {"users", Value(ValueList{User("Ada", 36, true), User("Bob", 25, false), User("Cy", 41, true)})},
      {"empty", Value(ValueList{})},
      {"n", Value(7)},
      {"pi", Value(3.14159)},
      {"s", Value("Hello World")},
      {"text", Value("  padded  ")},
      {"cols", Value(ValueList{Value("id"), Value("name"), Value("email")})},
      {"flag", Value(true)},
      {"nothing", Value::None()},
      {"mapping", MakeDict({{"b", Value(2)}, {"a", Value(1)}})},
  };
}

// Renders one table row with a fresh environment and the sample context.
inline std::string RenderCaseSource(const RenderCase& c) {
  Environment environment;
  return environment.RenderString(c.source, "case.sql", SampleContext());
}

}  // namespace dlctl::jinja::testing
