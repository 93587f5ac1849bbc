// `dlctl export` on a graphs mart made with `dlctl query`, on the local default and on S3: the
// files are readable with the right rows, the manifest describes them, failures leave the
// previous manifest, and ls/prune stay inside their own catalog/schema.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/settings.h"
#include "engine/engine.h"
#include "support/dlctl_project.h"
#include "support/joined_rows.h"

namespace dlctl {
namespace {

using testing::Bucket;
using testing::CommandResult;
using testing::DlctlProject;
using Lines = std::vector<std::string>;

class ExportCli : public ::testing::TestWithParam<Bucket> {
 protected:
  ExportCli() : project_(GetParam()) {}

  // A small mart, its tables in Parquet files (inlining off: a test removes a data file).
  void MakeMusicMart() {
    project_.Query(
        "CALL graphs.set_option('data_inlining_row_limit', 0);"
        "CREATE SCHEMA graphs.music;"
        "CREATE TABLE graphs.music.nodes_users AS SELECT range AS id, 'user ' || range AS name FROM range(5);"
        "CREATE TABLE graphs.music.edges_follows AS SELECT range AS src, range + 1 AS dst FROM range(4);"
        "CREATE TABLE graphs.music.genres AS SELECT * FROM (VALUES (1, 'jazz'), (2, 'rock')) g(id, genre);"
        "CREATE VIEW graphs.music.user_count AS SELECT count(*) AS users FROM graphs.music.nodes_users");
  }

  CommandResult Export(std::vector<std::string> args) {
    args.insert(args.begin(), {"export", "dataset"});
    return project_.Run(args);
  }

  // The version key of the URI `export dataset` printed.
  std::string VersionKey(const CommandResult& result) {
    std::string uri = result.out.substr(0, result.out.find('\n'));
    auto key = project_.store()->KeyOf(uri);
    EXPECT_TRUE(key) << uri;
    return key.value_or("");
  }

  nlohmann::json Manifest(const std::string& dataset) {
    return nlohmann::json::parse(project_.store()->Get("exports/" + dataset + "/manifest.json"));
  }

  Lines Keys(const std::string& prefix) {
    Lines keys;
    for (const auto& object : project_.store()->List(prefix)) keys.push_back(object.key);
    return keys;
  }

  Lines ReadRows(const std::string& sql) {
    Settings settings = project_.settings();
    Engine engine(project_.store(), settings);
    return testing::JoinedRows(engine.Query(sql));
  }

  std::string Uri(const std::string& key) { return "s3://" + project_.settings().bucket + "/" + key; }

  DlctlProject project_;
};

TEST_P(ExportCli, WritesEveryTableIntoNodesEdgesOrTheRootWithTheManifestLast) {
  MakeMusicMart();
  CommandResult result = Export({"graphs", "music"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string version = VersionKey(result);
  EXPECT_EQ(version.rfind("exports/graphs/music/", 0), 0u) << version;

  // The view is not exported without --views.
  EXPECT_EQ(Keys(version + "/"), (Lines{version + "/edges/edges_follows.parquet", version + "/genres.parquet",
                                        version + "/nodes/nodes_users.parquet"}));
  EXPECT_EQ(ReadRows("SELECT * FROM read_parquet('" + Uri(version + "/nodes/nodes_users.parquet") + "') ORDER BY id"),
            (Lines{"0|user 0", "1|user 1", "2|user 2", "3|user 3", "4|user 4"}));
  EXPECT_EQ(ReadRows("SELECT * FROM read_parquet('" + Uri(version + "/edges/edges_follows.parquet") + "') ORDER BY src"),
            (Lines{"0|1", "1|2", "2|3", "3|4"}));
  EXPECT_EQ(ReadRows("SELECT * FROM read_parquet('" + Uri(version + "/genres.parquet") + "') ORDER BY id"),
            (Lines{"1|jazz", "2|rock"}));

  nlohmann::json manifest = Manifest("graphs/music");
  EXPECT_EQ(manifest["dataset"], "graphs/music");
  EXPECT_EQ(manifest["latest"], "s3://" + project_.store()->Bucket() + "/" + version);
  auto mark = nlohmann::json::parse(project_.store()->Get(version + ".complete"));
  EXPECT_EQ(mark["tables"], manifest["tables"]) << "the version describes itself";
  EXPECT_EQ(manifest["catalog"], "graphs");
  EXPECT_EQ(manifest["schema"], "music");
  EXPECT_EQ(manifest["format"], "parquet");
  // Five statements made five snapshots after the catalog's first (snapshot 0).
  EXPECT_EQ(manifest["snapshot_id"], 5);
  EXPECT_EQ(manifest["rows"], 11);
  ASSERT_EQ(manifest["tables"].size(), 3u);
  uint64_t total = 0;
  for (const auto& table : manifest["tables"]) {
    ASSERT_EQ(table["files"].size(), 1u) << table.dump();
    std::string path = table["files"][0]["path"];
    auto head = project_.store()->Head(version + "/" + path);
    ASSERT_TRUE(head) << path;
    EXPECT_EQ(table["files"][0]["size"], head->size);
    EXPECT_EQ(table["bytes"], head->size);
    EXPECT_EQ(table["kind"], "table");
    total += head->size;
  }
  EXPECT_EQ(manifest["tables"][0]["name"], "edges_follows");
  EXPECT_EQ(manifest["tables"][0]["rows"], 4);
  EXPECT_EQ(manifest["tables"][1]["files"][0]["path"], "genres.parquet");
  EXPECT_EQ(manifest["tables"][2]["files"][0]["path"], "nodes/nodes_users.parquet");
  EXPECT_EQ(manifest["tables"][2]["rows"], 5);
  EXPECT_EQ(manifest["bytes"], total);
}

TEST_P(ExportCli, ExportsAnEarlierSnapshotWithViewsAsCsvOrJson) {
  MakeMusicMart();
  project_.Query("INSERT INTO graphs.music.nodes_users VALUES (5, 'user 5'), (6, 'user 6')");  // snapshot 6

  CommandResult csv = Export({"graphs", "music", "--snapshot", "5", "--views", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  std::string version = VersionKey(csv);
  EXPECT_EQ(project_.store()->Get(version + "/nodes/nodes_users.csv"),
            "id,name\n0,user 0\n1,user 1\n2,user 2\n3,user 3\n4,user 4\n");
  EXPECT_EQ(project_.store()->Get(version + "/user_count.csv"), "users\n5\n");
  nlohmann::json manifest = Manifest("graphs/music");
  EXPECT_EQ(manifest["snapshot_id"], 5);
  EXPECT_EQ(manifest["format"], "csv");
  EXPECT_EQ(manifest["tables"][3]["name"], "user_count");
  EXPECT_EQ(manifest["tables"][3]["kind"], "view");

  CommandResult json = Export({"graphs", "music", "-f", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  version = VersionKey(json);
  EXPECT_EQ(ReadRows("SELECT count(*), max(id) FROM read_json('" + Uri(version + "/nodes/nodes_users.json") + "')"),
            (Lines{"7|6"}));
  EXPECT_EQ(Manifest("graphs/music")["snapshot_id"], 6);
}

TEST_P(ExportCli, AFailureMidExportLeavesThePreviousManifestAndNoFiles) {
  MakeMusicMart();
  CommandResult first = Export({"graphs", "music"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::string manifest_before = project_.store()->Get("exports/graphs/music/manifest.json");
  Lines keys_before = Keys("exports/");

  // A view that fails when read: it sorts after the tables, so they are written first.
  project_.Query("CREATE VIEW graphs.music.zz_broken AS SELECT error('injected failure') AS x FROM graphs.music.genres");
  CommandResult broken = Export({"graphs", "music", "--views"});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("cannot export view graphs.music.zz_broken"), std::string::npos) << broken.err;
  EXPECT_NE(broken.err.find("injected failure"), std::string::npos) << broken.err;
  EXPECT_EQ(broken.out, "");
  EXPECT_EQ(project_.store()->Get("exports/graphs/music/manifest.json"), manifest_before);
  EXPECT_EQ(Keys("exports/"), keys_before);

  // A table whose data file is gone fails the same way.
  project_.Query("DROP VIEW graphs.music.zz_broken");
  Lines data = Keys("marts/graphs/music/nodes_users/");
  ASSERT_EQ(data.size(), 1u);
  project_.store()->Delete(data[0]);
  CommandResult missing = Export({"graphs", "music"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("cannot export table graphs.music.nodes_users"), std::string::npos) << missing.err;
  EXPECT_EQ(project_.store()->Get("exports/graphs/music/manifest.json"), manifest_before);
  EXPECT_EQ(Keys("exports/"), keys_before);
}

TEST_P(ExportCli, NothingToExportOrNothingThereIsAnErrorWithoutAManifest) {
  project_.Query("CREATE SCHEMA graphs.empty; CREATE VIEW graphs.empty.v AS SELECT 1 AS one");
  CommandResult empty = Export({"graphs", "empty"});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("nothing to export: graphs.empty has no tables at snapshot 2 (it has views: add --views)"),
            std::string::npos)
      << empty.err;

  CommandResult schema = Export({"graphs", "nope"});
  EXPECT_EQ(schema.exit_code, 1);
  EXPECT_NE(schema.err.find("catalog graphs has no schema 'nope' at snapshot 2"), std::string::npos) << schema.err;
  CommandResult snapshot = Export({"graphs", "empty", "--snapshot", "9"});
  EXPECT_EQ(snapshot.exit_code, 1);
  EXPECT_NE(snapshot.err.find("no snapshot 9"), std::string::npos) << snapshot.err;
  CommandResult stage = Export({"stage", "main"});
  EXPECT_EQ(stage.exit_code, 2);
  EXPECT_NE(stage.err.find("'stage' is not a mart catalog (configured marts: graphs)"), std::string::npos) << stage.err;
  CommandResult format = Export({"graphs", "empty", "--format", "xlsx"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_NE(format.err.find("--format must be parquet, csv or json"), std::string::npos) << format.err;
  for (const auto& r : {empty, schema, snapshot, stage, format}) {
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.out, "");
  }
  EXPECT_TRUE(Keys("exports/").empty());
}

TEST_P(ExportCli, LsAndPruneStayInsideTheirOwnSchema) {
  // Two schemas of one catalog whose names prefix each other.
  project_.Query(
      "CREATE SCHEMA graphs.music; CREATE SCHEMA graphs.music_taste;"
      "CREATE TABLE graphs.music.t AS SELECT 1 AS x; CREATE TABLE graphs.music_taste.u AS SELECT 2 AS y");
  std::map<std::string, Lines> versions;
  for (const char* schema : {"music", "music_taste", "music", "music_taste", "music"}) {
    CommandResult r = Export({"graphs", schema});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    versions[schema].push_back(VersionKey(r));
  }

  // The latest version of each schema, a row per file: dataset, version, latest, file, bytes, uri.
  CommandResult ls = project_.Run({"export", "ls", "--format", "csv"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  auto row_start = [](const std::string& dataset, const std::string& key, const std::string& file) {
    return dataset + "," + key.substr(std::string("exports/").size() + dataset.size() + 1) + ",true,true," + file + ",";
  };
  std::vector<std::string> rows;
  for (size_t at = 0, end; (end = ls.out.find('\n', at)) != std::string::npos; at = end + 1)
    rows.push_back(ls.out.substr(at, end - at));
  ASSERT_EQ(rows.size(), 3u) << ls.out;
  EXPECT_EQ(rows[0], "dataset,version,latest,complete,file,bytes,uri");
  EXPECT_EQ(rows[1].rfind(row_start("graphs/music", versions["music"][2], "t.parquet"), 0), 0u) << ls.out;
  EXPECT_EQ(rows[2].rfind(row_start("graphs/music_taste", versions["music_taste"][1], "u.parquet"), 0), 0u) << ls.out;
  CommandResult all = project_.Run({"export", "ls", "-a", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  nlohmann::json listed = nlohmann::json::parse(all.out);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["dataset"], "graphs/music");
  ASSERT_EQ(listed[0]["versions"].size(), 3u);
  for (const auto& version : listed[0]["versions"]) {
    ASSERT_EQ(version["files"].size(), 1u) << version.dump();
    EXPECT_NE(version["files"][0]["key"].get<std::string>().find("/t.parquet"), std::string::npos) << version.dump();
  }
  ASSERT_EQ(listed[1]["versions"].size(), 2u);
  EXPECT_EQ(listed[1]["versions"][1]["latest"], true);

  CommandResult dry = project_.Run({"export", "prune", "--keep", "1", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  std::string removed = " (older than the newest 1, ";
  EXPECT_EQ(dry.out.rfind("would remove " + project_.store()->Uri(versions["music"][0]) + removed, 0), 0u) << dry.out;
  EXPECT_NE(dry.out.find("\nwould remove " + project_.store()->Uri(versions["music"][1]) + removed), std::string::npos);
  EXPECT_NE(dry.out.find("\nwould remove " + project_.store()->Uri(versions["music_taste"][0]) + removed),
            std::string::npos);
  EXPECT_EQ(std::count(dry.out.begin(), dry.out.end(), '\n'), 3) << dry.out;
  EXPECT_EQ(Keys("exports/").size(), 12u);  // five files, their .complete marks, two manifests

  CommandResult prune = project_.Run({"export", "prune", "--keep", "1"});
  ASSERT_EQ(prune.exit_code, 0) << prune.err;
  EXPECT_EQ(Keys("exports/"),
            (Lines{versions["music"][2] + ".complete", versions["music"][2] + "/t.parquet",
                   "exports/graphs/music/manifest.json", versions["music_taste"][1] + ".complete",
                   versions["music_taste"][1] + "/u.parquet", "exports/graphs/music_taste/manifest.json"}));
  // The latest of each schema survives any --keep, and reading it still works.
  EXPECT_EQ(ReadRows("SELECT * FROM read_parquet('" + Uri(versions["music_taste"][1] + "/u.parquet") + "')"),
            (Lines{"2"}));
}

INSTANTIATE_TEST_SUITE_P(Buckets, ExportCli, ::testing::Values(Bucket::kLocal, Bucket::kS3), testing::BucketName);

}  // namespace
}  // namespace dlctl
