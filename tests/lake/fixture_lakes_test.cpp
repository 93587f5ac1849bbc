// The acceptance test of the read side: the fixture lakes written by DuckDB 1.5.5's own ducklake
// extension, attached at every snapshot, must show exactly the objects, column types and rows
// the extension showed (expected/ in each fixture folder).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config/settings.h"
#include "engine/engine.h"
#include "attach_catalog.h"
#include "storage/local_store.h"
#include "support/test_env.h"
#include "duckdb_cli_csv.h"
#include "util/sql_quote.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;

fs::path FixtureDir(const std::string& lake) {
  return fs::path(testing::RequiredEnv("DLCTL_SHARED_DIR")) / "fixtures" / "ducklake" / lake;
}

std::vector<std::string> Lines(const fs::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// expected/snapshots.csv: "snapshot_id,schema_version,changes" -> the snapshot ids.
std::vector<SnapshotId> ExpectedSnapshots(const fs::path& dir) {
  std::vector<SnapshotId> ids;
  std::vector<std::string> lines = Lines(dir / "expected" / "snapshots.csv");
  for (size_t i = 1; i < lines.size(); ++i) ids.push_back(std::stoll(lines[i].substr(0, lines[i].find(','))));
  return ids;
}

// expected/index.csv: `snapshot,schema,object,"name TYPE; name TYPE"` -> per snapshot,
// "schema.object" -> the column list.
std::map<SnapshotId, std::map<std::string, std::string>> ExpectedIndex(const fs::path& dir) {
  std::map<SnapshotId, std::map<std::string, std::string>> index;
  for (const std::string& line : Lines(dir / "expected" / "index.csv")) {
    size_t first = line.find(','), second = line.find(',', first + 1), third = line.find(',', second + 1);
    std::string columns = line.substr(third + 1);
    if (columns.size() >= 2 && columns.front() == '"') columns = columns.substr(1, columns.size() - 2);
    index[std::stoll(line.substr(0, first))]
         [line.substr(first + 1, second - first - 1) + "." + line.substr(second + 1, third - second - 1)] = columns;
  }
  return index;
}


class FixtureLakes : public ::testing::TestWithParam<std::string> {};

TEST_P(FixtureLakes, EverySnapshotShowsTheExtensionsObjectsTypesAndRows) {
  const fs::path fixture = FixtureDir(GetParam());
  testing::TempDir dir;
  fs::copy_file(fixture / "catalog.sqlite", dir.path() / "catalog.sqlite");  // never touch the fixture

  Settings settings;
  settings.bucket = "lake";
  Engine engine(std::make_shared<LocalStore>(dir.path() / "bucket"), settings);
  engine.Query("SET TimeZone = 'UTC'");  // the extension printed TIMESTAMPTZ values in UTC

  auto index = ExpectedIndex(fixture);
  std::vector<SnapshotId> snapshots = ExpectedSnapshots(fixture);
  ASSERT_FALSE(snapshots.empty());
  int objects_checked = 0;
  for (SnapshotId snapshot : snapshots) {
    SCOPED_TRACE(GetParam() + " at snapshot " + std::to_string(snapshot));
    AttachSqliteCatalog(engine, dir.path() / "catalog.sqlite", (fixture / "data").string(), "lake", snapshot);

    std::map<std::string, std::string> objects;
    QueryResult listed = engine.Query(
        "SELECT schema_name, table_name FROM duckdb_columns() WHERE database_name = 'lake' GROUP BY ALL ORDER BY ALL");
    for (const auto& row : listed.rows) {
      QueryResult columns = engine.Query(
          "SELECT string_agg(column_name || ' ' || data_type, '; ' ORDER BY column_index) FROM duckdb_columns() "
          "WHERE database_name = 'lake' AND schema_name = " +
          SqlLiteral(*row[0]) + " AND table_name = " + SqlLiteral(*row[1]));
      objects[*row[0] + "." + *row[1]] = *columns.rows.at(0).at(0);
    }
    EXPECT_EQ(objects, index[snapshot]);

    for (const auto& [object, columns] : index[snapshot]) {
      size_t dot = object.find('.');
      std::string sql = "SELECT * FROM lake." + SqlIdentifier(object.substr(0, dot)) + "." +
                        SqlIdentifier(object.substr(dot + 1)) + " ORDER BY ALL";
      fs::path expected = fixture / "expected" / ("snap" + std::to_string(snapshot) + "__" + object + ".csv");
      EXPECT_EQ(CliCsv(engine.Query(sql)), testing::ReadFile(expected)) << object;
      ++objects_checked;
    }
  }
  int expected_files = 0;
  for (const auto& entry : fs::directory_iterator(fixture / "expected"))
    expected_files += entry.path().filename().string().rfind("snap", 0) == 0 && entry.path().extension() == ".csv" &&
                      entry.path().filename() != "snapshots.csv";
  EXPECT_EQ(objects_checked, expected_files);
}

INSTANTIATE_TEST_SUITE_P(DuckDB155, FixtureLakes, ::testing::Values("parquet_only", "inlined", "views"));

}  // namespace
}  // namespace dlctl::lake
