#pragma once
// dbt's unit tests (dbt 1.8+): `unit_tests:` in properties files. A unit test runs one model's
// SQL with fixture rows in place of the ref()s and source()s it names, and compares the result
// with the expected rows.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "transform/project/config.h"

namespace dlctl::transform {

// Rows of a fixture: a list of dicts, CSV text, or a SELECT; written inline (`rows:`) or in a
// file (`fixture: name` reads <test path>/fixtures/**/name.csv or .sql).
struct FixtureRows {
  std::string format = "dict";               // dict, csv or sql
  nlohmann::json rows = nlohmann::json::array();  // dict: [{column: value}]; csv, sql: the text
};

struct UnitTestInput {
  std::string input;   // "ref('customers')", "source('raw', 'orders')" or "this"
  FixtureRows fixture;
};

struct UnitTest {
  std::string unique_id;   // "unit_test.<package>.<model>.<name>"
  std::string package;
  std::string name;
  std::string model;       // the model under test, by name
  std::string description;
  std::vector<UnitTestInput> given;
  FixtureRows expect;
  nlohmann::json overrides = nlohmann::json::object();  // macros, vars, env_vars
  NodeConfig config;
  std::vector<std::string> fqn;
  std::string path;        // the yml, package-relative
  int line = 0;
};

// CSV text as dict rows (the header names the columns; every value a string, empty is null).
nlohmann::json CsvRows(const std::string& text, const std::string& where);

}  // namespace dlctl::transform
