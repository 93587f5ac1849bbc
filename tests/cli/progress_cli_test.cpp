// Progress as a user sees it: on a terminal only (pseudo-terminals here), one line redrawn in
// place, never as wide as the terminal, erased at the end; nothing of it in a pipe or on stdout.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/dlctl_project.h"
#include "support/test_env.h"
#include "util/display_width.h"

namespace dlctl::testing {
namespace {

constexpr std::string_view kRedraw = "\r\x1b[K";

// The drawings of a progress line: what follows each "\r ESC[K".
std::vector<std::string> Drawings(const std::string& err) {
  std::vector<std::string> drawings;
  for (size_t at = err.find(kRedraw); at != std::string::npos;) {
    size_t next = err.find(kRedraw, at + kRedraw.size());
    drawings.push_back(err.substr(at + kRedraw.size(), next == std::string::npos ? std::string::npos
                                                                                  : next - at - kRedraw.size()));
    at = next;
  }
  return drawings;
}

// Drawn at least once, each drawing narrower than the terminal and on one line, one of them
// saying `what`, the last one erased (an empty drawing): the line is gone from the screen.
void ExpectProgressLine(const CommandResult& r, const std::string& what, size_t columns) {
  std::vector<std::string> drawings = Drawings(r.err);
  ASSERT_GE(drawings.size(), 2u) << r.err;
  bool labelled = false;
  for (const std::string& drawing : drawings) {
    EXPECT_LT(DisplayWidth(drawing), columns) << drawing;
    EXPECT_EQ(drawing.find('\n'), std::string::npos) << drawing;
    labelled = labelled || drawing.find(what) != std::string::npos;
  }
  EXPECT_TRUE(labelled) << what << " in " << r.err;
  EXPECT_EQ(drawings.back(), "") << r.err;
}

class ProgressCli : public ::testing::Test {
 protected:
  CommandResult Must(const std::vector<std::string>& args) {
    CommandResult result = project_.Run(args);
    EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.out << result.err;
    return result;
  }
  DlctlProject project_{Bucket::kLocal};
};

TEST_F(ProgressCli, IngestDrawsOneLineInPlace) {
  WriteFile(project_.dir() / "data" / "big.bin", std::string(8 << 20, 'x'));
  CommandResult r = project_.RunOnTerminal({"ingest", "dataset", "data", "with_a_rather_long_dataset_name"}, 40);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectProgressLine(r, "uploadi… ", 40);  // the label gives way to the numbers
  EXPECT_NE(r.err.find("100%"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("uploading"), std::string::npos) << "stdout holds only the URI";
  CommandResult piped = Must({"ingest", "dataset", "data", "again"});
  EXPECT_EQ(piped.err, "");
}

TEST_F(ProgressCli, LongQueriesShowTheirProgress) {
  // progress_bar_time 0: the progress shows at once instead of after DuckDB's two seconds.
  const std::string sql =
      "CREATE TEMP TABLE t AS SELECT range AS r FROM range(10000000); SET progress_bar_time = 0; "
      "SELECT count(DISTINCT r % 1000003) AS n FROM t";
  CommandResult r = project_.RunOnTerminal({"query", "-f", "csv", sql});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectProgressLine(r, "query: ", 60);
  EXPECT_NE(r.err.find("% ["), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "n\n1000003\n");
  CommandResult piped = Must({"query", "-f", "csv", sql});
  EXPECT_EQ(piped.err, "");
}

TEST_F(ProgressCli, ExportBackupGraphLoadAndEmbeddingsSayWhatTheyAreDoing) {
  project_.Query(
      "CREATE TABLE notes AS SELECT 1 AS n;"  // the engine database, which backup copies too
      "CREATE TABLE stage.main.t AS SELECT 1 AS x;"
      "CREATE SCHEMA graphs.toy;"
      "CREATE TABLE graphs.toy.nodes_people AS SELECT range::BIGINT AS node_id FROM range(1, 50);"
      "CREATE TABLE graphs.toy.edges_knows AS SELECT range::BIGINT AS source_id, (range % 49 + 1)::BIGINT AS target_id "
      "FROM range(1, 50)");
  CommandResult exported = project_.RunOnTerminal({"export", "dataset", "graphs", "toy"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  ExpectProgressLine(exported, "export graphs.toy: edges_knows (1 of 2)", 60);

  CommandResult backup = project_.RunOnTerminal({"backup", "create"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  ExpectProgressLine(backup, "backup: uploading", 60);

  CommandResult load = project_.RunOnTerminal({"graph", "load", "toy"});
  ASSERT_EQ(load.exit_code, 0) << load.err;
  ExpectProgressLine(load, "graph load toy: copying", 60);

  CommandResult embeddings = project_.RunOnTerminal({"graph", "compute", "embeddings", "toy", "-d", "8"});
  ASSERT_EQ(embeddings.exit_code, 0) << embeddings.err;
  ExpectProgressLine(embeddings, "FastRP on 49 nodes", 60);

  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"export", "dataset", "graphs", "toy"}, {"backup", "create"}, {"graph", "load", "toy"},
           {"graph", "compute", "embeddings", "toy", "-d", "8"}})
    EXPECT_EQ(Must(args).err, "") << ::testing::PrintToString(args);
}

TEST_F(ProgressCli, TransformPrintsStartLinesOnATerminal) {
  WriteFile(project_.dir() / "p/dbt_project.yml", "name: p\nconfig-version: 2\nmodels:\n  p:\n    +materialized: table\n");
  WriteFile(project_.dir() / "p/models/a.sql", "select 1 as x");
  WriteFile(project_.dir() / "p/models/b.sql", "select x from {{ ref('a') }}");
  CommandResult r = project_.RunOnTerminal({"transform", "--project-dir", "p"}, 100, true);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  size_t start_a = r.out.find("  1 of 2 START table model stage.main.a ");
  size_t done_a = r.out.find("  1 of 2 OK    table model stage.main.a ");
  size_t start_b = r.out.find("  2 of 2 START table model stage.main.b ");
  ASSERT_NE(start_a, std::string::npos) << r.out;
  ASSERT_NE(done_a, std::string::npos) << r.out;
  ASSERT_NE(start_b, std::string::npos) << r.out;
  EXPECT_LT(start_a, done_a);
  EXPECT_LT(done_a, start_b);
  EXPECT_NE(r.out.find(" [RUN]\n"), std::string::npos) << r.out;
  CommandResult piped = Must({"transform", "--project-dir", "p"});
  EXPECT_EQ(piped.out.find("START"), std::string::npos) << piped.out;
}

}  // namespace
}  // namespace dlctl::testing
