// dbt's other commands as a user runs them on a scratch project: build (tests gate what reads
// their node), ls, compile, show, run-operation and deps.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "support/dlctl_project.h"
#include "support/run_command.h"
#include "support/test_env.h"

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;

class DbtCommands : public ::testing::Test {
 protected:
  DbtCommands() : project_(Bucket::kLocal) {
    Write({{"dbt_project.yml", "name: p\nconfig-version: 2\nmodels:\n  p:\n    +materialized: table\n"},
           {"seeds/raw_orders.csv", "id,amount\n1,10\n2,20\n2,30\n"},
           {"models/orders.sql", "select * from {{ ref('raw_orders') }}"},
           {"models/totals.sql", "select sum(amount) as total from {{ ref('orders') }}"},
           {"models/schema.yml",
            "version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        data_tests: [unique]\n"},
           {"macros/ops.sql",
            "{% macro double(x) %}{{ return(x * 2) }}{% endmacro %}\n"
            "{% macro count_rows(table) %}{% set r = run_query('select count(*) from ' ~ ref(table)) %}"
            "{{ return(r.rows[0][0]) }}{% endmacro %}"}});
  }

  void Write(const std::map<std::string, std::string>& files) {
    for (const auto& [path, text] : files) WriteFile(project_.dir() / "p" / path, text);
  }
  CommandResult Run(std::vector<std::string> args) {
    args.insert(args.end(), {"--project-dir", "p"});
    return project_.Run(args);
  }

  DlctlProject project_;
};

TEST_F(DbtCommands, BuildSkipsWhatReadsANodeWhoseTestFails) {
  CommandResult build = Run({"build", "--threads", "1"});
  EXPECT_EQ(build.exit_code, 1) << build.out << build.err;
  // raw_orders, orders, the failing unique test, and totals skipped because of it.
  EXPECT_NE(build.out.find("OK    seed seed stage.main.raw_orders"), std::string::npos) << build.out;
  EXPECT_NE(build.out.find("FAIL  test unique_orders_id"), std::string::npos) << build.out;
  EXPECT_NE(build.out.find("SKIP  table model stage.main.totals"), std::string::npos) << build.out;
  Write({{"seeds/raw_orders.csv", "id,amount\n1,10\n2,20\n3,30\n"}});
  CommandResult fixed = Run({"build"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;
  EXPECT_EQ(project_.Query("select total from stage.main.totals"), "total\n60\n");
}

TEST_F(DbtCommands, SnapshotRecordsChangesOfItsQuery) {
  Write({{"snapshots/orders_history.sql",
          "{% snapshot orders_history %}{{ config(unique_key='id', strategy='check', check_cols=['amount']) }}"
          "select * from {{ ref('raw_orders') }} where id = 1{% endsnapshot %}"}});
  ASSERT_EQ(Run({"seed"}).exit_code, 0);
  CommandResult first = Run({"snapshot"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("OK    snapshot snapshot stage.main.orders_history"), std::string::npos) << first.out;
  Write({{"seeds/raw_orders.csv", "id,amount\n1,11\n"}});
  ASSERT_EQ(Run({"seed"}).exit_code, 0);
  ASSERT_EQ(Run({"snapshot"}).exit_code, 0);
  EXPECT_EQ(project_.Query("select amount, dbt_valid_to is null as current from stage.main.orders_history order by dbt_valid_from"),
            "amount,current\n10,false\n11,true\n");
}

TEST_F(DbtCommands, LsListsNodesAsDbtDoes) {
  CommandResult all = Run({"ls"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(all.out, "p.orders\np.totals\np.raw_orders\np.unique_orders_id\n");
  CommandResult models = Run({"ls", "--resource-type", "model", "--output", "path", "-s", "orders+"});
  EXPECT_EQ(models.out, "models/orders.sql\nmodels/totals.sql\n");
  CommandResult json = Run({"ls", "totals", "-o", "json"});
  nlohmann::json node = nlohmann::json::parse(json.out);
  EXPECT_EQ(node["unique_id"], "model.p.totals");
  EXPECT_EQ(node["depends_on"]["nodes"], nlohmann::json::array({"model.p.orders"}));
  EXPECT_EQ(Run({"ls", "-o", "yaml"}).exit_code, 2);
}

TEST_F(DbtCommands, CompileShowAndRunOperation) {
  ASSERT_EQ(Run({"seed"}).exit_code, 0);
  CommandResult compiled = Run({"compile", "-s", "totals"});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;
  EXPECT_EQ(compiled.out, "select sum(amount) as total from \"stage\".\"main\".\"orders\"\n");
  EXPECT_TRUE(fs::exists(project_.dir() / "p/target/compiled/p/models/totals.sql"));
  // show runs a model's SQL without writing it: orders does not exist in the lake yet.
  CommandResult shown = Run({"show", "-s", "orders", "--limit", "2", "-f", "csv"});
  EXPECT_EQ(shown.out, "id,amount\n1,10\n2,20\n") << shown.err;
  CommandResult inline_rows = Run({"show", "--inline", "select {{ double(21) }} as x", "-f", "csv"});
  EXPECT_EQ(inline_rows.out, "x\n42\n") << inline_rows.err;
  EXPECT_EQ(Run({"show", "-f", "csv"}).exit_code, 2);  // neither --select nor --inline
  CommandResult operation = Run({"run-operation", "count_rows", "--args", "{table: raw_orders}"});
  EXPECT_EQ(operation.out, "3\n") << operation.err;
  CommandResult missing = Run({"run-operation", "nope"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no macro named 'nope'"), std::string::npos) << missing.err;
}

TEST_F(DbtCommands, SourceFreshnessOfLakeTablesAndRawDatasets) {
  WriteFile(project_.dir() / "data/events.csv", "x\n1\n");
  ASSERT_EQ(project_.Run({"ingest", "dataset", "data", "Event Files"}).exit_code, 0);
  Write({{"seeds/loads.csv", "id,loaded_at\n1,2020-01-01 00:00:00\n"},
         {"models/sources.yml",
          "version: 2\nsources:\n"
          "  - name: event_files\n    database: raw\n    freshness: {error_after: {count: 1, period: hour}}\n"
          "    tables: [{name: events.csv}]\n"
          "  - name: lake\n    database: stage\n    schema: main\n    loaded_at_field: loaded_at\n"
          "    freshness: {warn_after: {count: 1, period: day}}\n"
          "    tables:\n      - name: loads\n      - name: loads_strict\n        identifier: loads\n"
          "        freshness: {error_after: {count: 2, period: day}}\n"}});
  ASSERT_EQ(Run({"seed", "-s", "loads"}).exit_code, 0);
  CommandResult fresh = Run({"source", "freshness"});
  EXPECT_EQ(fresh.exit_code, 1) << fresh.out << fresh.err;  // loads_strict is years old
  EXPECT_NE(fresh.out.find("PASS freshness of event_files.events.csv"), std::string::npos) << fresh.out;
  EXPECT_NE(fresh.out.find("WARN freshness of lake.loads"), std::string::npos) << fresh.out;
  EXPECT_NE(fresh.out.find("ERROR STALE freshness of lake.loads_strict"), std::string::npos) << fresh.out;
  nlohmann::json sources = nlohmann::json::parse(ReadFile(project_.dir() / "p/target/sources.json"));
  ASSERT_EQ(sources["results"].size(), 3u);
  EXPECT_EQ(sources["metadata"]["dbt_schema_version"], "https://schemas.getdbt.com/dbt/sources/v3.json");
  for (const auto& result : sources["results"])
    if (result["unique_id"] == "source.p.lake.loads") EXPECT_EQ(result["max_loaded_at"], "2020-01-01T00:00:00.000Z");
  CommandResult only_raw = Run({"source", "freshness", "-s", "source:event_files"});
  EXPECT_EQ(only_raw.exit_code, 0) << only_raw.err;
}

TEST_F(DbtCommands, DepsLinksLocalPackagesAndExplainsHubOnes) {
  WriteFile(project_.dir() / "lib/dbt_project.yml", "name: lib\n");
  WriteFile(project_.dir() / "lib/macros/m.sql", "{% macro hello() %}hi{% endmacro %}");
  Write({{"packages.yml", "packages:\n  - local: ../lib\n"}});
  CommandResult deps = Run({"deps"});
  ASSERT_EQ(deps.exit_code, 0) << deps.err;
  EXPECT_EQ(deps.out, "linked   lib (../lib)\n");
  EXPECT_TRUE(fs::is_symlink(project_.dir() / "p/dbt_packages/lib"));
  CommandResult used = Run({"show", "--inline", "select '{{ lib.hello() }}' as x", "-f", "csv"});
  EXPECT_EQ(used.out, "x\nhi\n") << used.err;

  // A tarball given as a path (a URL downloads the same way), with the package in its top folder.
  WriteFile(project_.dir() / "tarred/shout-1.0/dbt_project.yml", "name: shout\n");
  WriteFile(project_.dir() / "tarred/shout-1.0/macros/m.sql", "{% macro loud(x) %}upper({{ x }}){% endmacro %}");
  ASSERT_EQ(RunCommand({"tar", "czf", (project_.dir() / "shout.tar.gz").string(), "-C",
                        (project_.dir() / "tarred").string(), "shout-1.0"})
                .exit_code,
            0);
  Write({{"packages.yml", "packages:\n  - local: ../lib\n  - tarball: ../shout.tar.gz\n"}});
  CommandResult both = Run({"deps"});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_EQ(both.out, "linked   lib (../lib)\nunpacked shout (../shout.tar.gz)\n");
  EXPECT_TRUE(fs::is_regular_file(project_.dir() / "p/dbt_packages/shout/macros/m.sql"));
  EXPECT_EQ(Run({"show", "--inline", "select {{ shout.loud(\"'a'\") }} as x", "-f", "csv"}).out, "x\nA\n");

  Write({{"packages.yml", "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n"}});
  CommandResult hub = Run({"deps"});
  EXPECT_EQ(hub.exit_code, 1);
  EXPECT_EQ(std::count(hub.err.begin(), hub.err.end(), '\n'), 1) << hub.err;
  EXPECT_NE(hub.err.find("put the package in"), std::string::npos) << hub.err;
}

}  // namespace
}  // namespace dlctl::testing
