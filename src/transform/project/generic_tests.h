#pragma once
// Generic data tests written in properties files, named the way dbt names them.
#include <nlohmann/json.hpp>

#include <string>
#include <utility>

#include "transform/project/project.h"
#include "transform/project/properties.h"

namespace dlctl::transform {

// What a test is attached to.
struct TestTarget {
  std::string unique_id;    // "model.transform.hr_edges", "source.transform.deezer.HR/HR_edges.csv"
  std::string name;         // model or seed name; "<source>_<table>" for a source table
  bool is_source = false;
  bool enabled = true;
};

// dbt's synthesize_generic_test_names: "<test>_<target>_<args...>" with every run of characters
// outside [0-9a-zA-Z_] in the arguments made '_'; at 64 characters or more, the first 30 of
// "<test>_<target>" then '_' and the MD5 of the full name. Returns {short name, full name}.
std::pair<std::string, std::string> SynthesizeTestName(const std::string& test_type, const std::string& target_name,
                                                        const nlohmann::json& args);

// Builds the test an entry of `tests:`/`data_tests:` describes. The entry is a test name
// ("not_null", "dbt_utils.expression_is_true"), or a one-key mapping {name: {arguments...}}
// whose mapping may hold `arguments:`, `config:`, dbt's config keys (severity, where, tags,
// enabled, ...) and `name:` (a custom test name), or a mapping with `test_name:`.
// `fqn_prefix` is the package name and the yml's folders; the config is the package's
// `data_tests:` levels (then the root project's, for a package's test), then the entry's own
// config keys, then its `config:`.
DataTest BuildGenericTest(const TestEntry& entry, const TestTarget& target, const std::vector<std::string>& fqn_prefix,
                          ProjectConfigTree& project_tests, ProjectConfigTree* root_tests = nullptr);

// Python's str() of a YAML value, as dbt uses it in test names: True, None, ['a', 'b'].
std::string PythonStr(const nlohmann::json& value);

}  // namespace dlctl::transform
