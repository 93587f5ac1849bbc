// `dlctl backup` on a project with two catalogs and an engine database, on the local default
// and on S3: backup -> restore gives the same query results, damage is found before anything is
// written, a non-empty target needs --force, --source takes every documented form.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <regex>

#include "backup/backup.h"
#include "backup/file_digest.h"
#include "support/dlctl_project.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::Bucket;
using testing::CommandResult;
using testing::DlctlProject;
using Lines = std::vector<std::string>;

TimePoint At(const std::string& iso_millis) {  // "2025-06-03T19:56:03.123"
  std::tm tm{};
  int millis = 0;
  std::sscanf(iso_millis.c_str(), "%d-%d-%dT%d:%d:%d.%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
              &tm.tm_min, &tm.tm_sec, &millis);
  tm.tm_year -= 1900, tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(millis);
}

class BackupCli : public ::testing::TestWithParam<Bucket> {
 protected:
  BackupCli() : project_(GetParam()) {}

  void MakeLake() {
    project_.Query(
        "CREATE SCHEMA stage.raw;"
        "CREATE TABLE stage.raw.songs AS SELECT range AS id, 'song ' || range AS title FROM range(100);"
        "CREATE SCHEMA graphs.music;"
        "CREATE TABLE graphs.music.nodes_songs AS SELECT range * 2 AS id FROM range(50);"
        "CREATE TABLE notes AS SELECT 'an engine table' AS note");
  }

  // What the lake and the engine say, as seen with `env` (e.g. another LOCAL_DIR).
  std::string State(const std::map<std::string, std::string>& env = {}) {
    return project_.Query(
        "SELECT (SELECT count(*) || '/' || max(title) FROM stage.raw.songs) AS songs,"
        " (SELECT count(*) || '/' || sum(id) FROM graphs.music.nodes_songs) AS nodes,"
        " (SELECT string_agg(note, ';' ORDER BY note) FROM notes) AS notes",
        env);
  }

  // `dlctl lake verify CATALOG` finds every file the catalog references.
  void ExpectVerified(const std::string& catalog, const std::map<std::string, std::string>& env = {}) {
    CommandResult verify = project_.Run({"lake", "verify", catalog, "--json"}, env);
    ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;
    nlohmann::json report = nlohmann::json::parse(verify.out);
    EXPECT_EQ(report["ok"], true) << verify.out;
    EXPECT_GT(report["files_checked"].get<int>(), 0) << verify.out;
  }

  CommandResult Restore(std::vector<std::string> args) {
    args.insert(args.begin(), {"backup", "restore"});
    return project_.Run(args);
  }

  std::string CreateBackupId() {
    CommandResult created = project_.Run({"backup", "create"});
    EXPECT_EQ(created.exit_code, 0) << created.err;
    EXPECT_TRUE(std::regex_match(created.out, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\n)")))
        << created.out;
    return created.out.substr(0, created.out.size() - 1);
  }

  // Hidden staging folders left next to `folder` or inside it.
  Lines Leftovers(const fs::path& folder) {
    Lines found;
    for (const fs::path& where : {folder, folder.parent_path()}) {
      if (!fs::is_directory(where)) continue;
      for (const auto& entry : fs::directory_iterator(where)) {
        std::string name = entry.path().filename().string();
        if (name.find(".restore-") != std::string::npos || name.rfind(".replaced-", 0) == 0 ||
            name.rfind(".backup-", 0) == 0)
          found.push_back(entry.path().string());
      }
    }
    return found;
  }

  DlctlProject project_;
};

TEST_P(BackupCli, BackupThenRestoreGivesTheSameQueryResults) {
  MakeLake();
  std::string before = State();
  std::string id = CreateBackupId();

  // The manifest lists every file with the size and SHA-256 of what was uploaded.
  nlohmann::json manifest = nlohmann::json::parse(project_.store()->Get("backups/catalog/manifest.json"));
  EXPECT_EQ(manifest["dataset"], "catalog");
  EXPECT_EQ(manifest["id"], id);
  std::string version = manifest["latest"].get<std::string>().substr(("s3://" + project_.store()->Bucket() + "/").size());
  ASSERT_EQ(manifest["files"].size(), 3u);
  Lines paths;
  testing::TempDir downloads;
  for (const auto& file : manifest["files"]) {
    std::string path = file["path"];
    paths.push_back(path + " " + file["kind"].get<std::string>() + " " + file["catalog"].get<std::string>());
    fs::path local = downloads.path() / "file";
    fs::remove(local);
    project_.store()->GetToFile(version + "/" + path, local);
    EXPECT_EQ(file["size"], fs::file_size(local)) << path;
    EXPECT_EQ(file["sha256"], Sha256OfFile(local)) << path;
  }
  EXPECT_EQ(paths, (Lines{"engine.duckdb engine ", "stage.sqlite catalog stage", "marts/graphs.sqlite catalog graphs"}));
  EXPECT_EQ(project_.store()->Get(version + "/manifest.json"),
            project_.store()->Get(version + "/manifest.json"));  // the backup's own copy exists
  EXPECT_TRUE(Leftovers(project_.local()).empty());

  // Into a fresh folder (the bucket is shared: on the local default it lives under local/).
  fs::path fresh = project_.dir() / "fresh";
  CommandResult into_fresh = Restore({"--target", fresh.string()});
  ASSERT_EQ(into_fresh.exit_code, 0) << into_fresh.err;
  EXPECT_EQ(into_fresh.out, "restored backup " + id + " (3 files) into " + fresh.string() + "\n");
  if (GetParam() == Bucket::kLocal) fs::create_directory_symlink(project_.local() / "bucket", fresh / "bucket");
  std::map<std::string, std::string> fresh_env = {{"LOCAL_DIR", fresh.string()}};
  EXPECT_EQ(State(fresh_env), before);
  ExpectVerified("stage", fresh_env);
  ExpectVerified("graphs", fresh_env);

  // Over the changed originals, with --force: the changed files are kept aside.
  project_.Query("INSERT INTO stage.raw.songs VALUES (100, 'zz late song'); DELETE FROM graphs.music.nodes_songs "
                 "WHERE id < 50; INSERT INTO notes VALUES ('later')");
  std::string changed = State();
  ASSERT_NE(changed, before);
  CommandResult refused = Restore({});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("is not empty: add --force"), std::string::npos) << refused.err;
  EXPECT_EQ(State(), changed);

  CommandResult forced = Restore({"--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(State(), before);
  ExpectVerified("stage");
  ExpectVerified("graphs");
  Lines kept = Leftovers(project_.local());
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_NE(forced.out.find("the files it replaced are in " + kept[0]), std::string::npos) << forced.out;
  for (const char* path : {"engine.duckdb", "stage.sqlite", "marts/graphs.sqlite"})
    EXPECT_TRUE(fs::is_regular_file(fs::path(kept[0]) / path)) << path;
}

TEST_P(BackupCli, ADamagedBackupFileIsFoundBeforeAnythingIsWritten) {
  MakeLake();
  std::string id = CreateBackupId();
  std::string version = "backups/catalog/" + VersionFolderName(At(id.substr(0, 23)));
  std::string stage_key = version + "/stage.sqlite", graphs_key = version + "/marts/graphs.sqlite";
  std::string stage = project_.store()->Get(stage_key), graphs = project_.store()->Get(graphs_key);
  std::string local_stage = testing::ReadFile(project_.local() / "stage.sqlite");

  std::string flipped = stage;
  flipped[flipped.size() / 2] ^= 0x20;
  project_.store()->Put(stage_key, flipped);
  fs::path fresh = project_.dir() / "fresh";
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--target", fresh.string()},
                                               std::vector<std::string>{"--force"}}) {
    CommandResult r = Restore(args);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("backup " + id + " is damaged: stage.sqlite has"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nothing was restored"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(fresh));
  EXPECT_EQ(testing::ReadFile(project_.local() / "stage.sqlite"), local_stage);
  EXPECT_TRUE(Leftovers(fresh).empty());
  EXPECT_TRUE(Leftovers(project_.local()).empty());

  project_.store()->Put(stage_key, stage);
  project_.store()->Put(graphs_key, graphs.substr(0, graphs.size() - 1));
  CommandResult truncated = Restore({"--target", fresh.string()});
  EXPECT_EQ(truncated.exit_code, 1);
  EXPECT_NE(truncated.err.find("marts/graphs.sqlite has " + std::to_string(graphs.size() - 1) + " bytes"),
            std::string::npos)
      << truncated.err;
  EXPECT_FALSE(fs::exists(fresh));

  project_.store()->Put(graphs_key, graphs);
  CommandResult repaired = Restore({"--target", fresh.string()});
  EXPECT_EQ(repaired.exit_code, 0) << repaired.err;
}

TEST_P(BackupCli, ANonEmptyTargetNeedsForceAndKeepsWhatTheBackupDoesNotHold) {
  MakeLake();
  CreateBackupId();
  fs::path target = project_.dir() / "target";
  testing::WriteFile(target / "mine.txt", "hands off");
  CommandResult refused = Restore({"--target", target.string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err, "dlctl: error: restore target " + target.string() +
                             " is not empty: add --force to replace the files the backup holds (the current ones are "
                             "kept aside in .replaced-<time>/ there)\n");
  EXPECT_EQ(std::distance(fs::recursive_directory_iterator(target), fs::recursive_directory_iterator()), 1);

  CommandResult forced = Restore({"--target", target.string(), "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(forced.out.find("replaced"), std::string::npos) << forced.out;  // nothing was in the way
  EXPECT_EQ(testing::ReadFile(target / "mine.txt"), "hands off");
  EXPECT_TRUE(fs::is_regular_file(target / "marts" / "graphs.sqlite"));
  EXPECT_TRUE(Leftovers(target).empty());

  // A stale journal beside a replaced catalog goes aside with it.
  testing::WriteFile(target / "stage.sqlite-journal", "stale");
  CommandResult again = Restore({"--target", target.string(), "--force"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(fs::exists(target / "stage.sqlite-journal"));
  Lines kept = Leftovers(target);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(testing::ReadFile(fs::path(kept[0]) / "stage.sqlite-journal"), "stale");
}

TEST_P(BackupCli, SourceTakesFolderAndIsoFormsAndSaysWhenNoneOrSeveralMatch) {
  MakeLake();
  Settings settings = project_.settings();
  for (const char* at : {"2025-06-03T19:56:03.123", "2025-06-03T19:56:03.456", "2025-06-03T19:57:00.000"})
    CreateBackup(settings, *project_.store(), At(at));

  int n = 0;
  auto restored = [&](const std::vector<std::string>& source) {
    std::vector<std::string> args = source;
    args.insert(args.end(), {"--target", (project_.dir() / fmt::format("t{}", n++)).string()});
    CommandResult r = Restore(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find(" ("));
  };
  EXPECT_EQ(restored({}), "restored backup 2025-06-03T19:57:00.000Z");
  EXPECT_EQ(restored({"--source", "2025-06-03T19:56:03.123"}), "restored backup 2025-06-03T19:56:03.123Z");
  EXPECT_EQ(restored({"--source", "2025-06-03T19:56:03.123Z"}), "restored backup 2025-06-03T19:56:03.123Z");
  EXPECT_EQ(restored({"--source", "2025-06-03 19:56:03.4567"}), "restored backup 2025-06-03T19:56:03.456Z");
  EXPECT_EQ(restored({"--source", "2025-06-03T21:56:03.456+02:00"}), "restored backup 2025-06-03T19:56:03.456Z");
  EXPECT_EQ(restored({"--source", "2025-06-03T19:57:00"}), "restored backup 2025-06-03T19:57:00.000Z");
  EXPECT_EQ(restored({"--source", "2025_06_03/19_56_03_123"}), "restored backup 2025-06-03T19:56:03.123Z");
  EXPECT_EQ(restored({"--source", project_.store()->Uri("backups/catalog/2025_06_03/19_56_03_456")}),
            "restored backup 2025-06-03T19:56:03.456Z");

  fs::path target = project_.dir() / "unused";
  CommandResult several = Restore({"--source", "2025-06-03T19:56:03Z", "--target", target.string()});
  EXPECT_EQ(several.exit_code, 2);
  EXPECT_EQ(several.err,
            "dlctl: error: --source 2025-06-03T19:56:03Z matches 2 backups (2025-06-03T19:56:03.123Z, "
            "2025-06-03T19:56:03.456Z): give the milliseconds\n");
  CommandResult none = Restore({"--source", "2025-06-03T19:56:04", "--target", target.string()});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.err, "dlctl: error: no backup matches --source 2025-06-03T19:56:04 (dlctl backup ls lists them)\n");
  CommandResult bad = Restore({"--source", "last tuesday", "--target", target.string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--source wants a backup id like 2025-06-03T19:56:03.123"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(target));
}

TEST_P(BackupCli, LsListsBackupsAndTheirFilesPruneKeepsTheNewestAndTheLatest) {
  MakeLake();
  Settings settings = project_.settings();
  for (const char* at : {"2025-06-03T19:56:03.123", "2025-06-03T19:56:03.456", "2025-06-03T19:57:00.000"})
    CreateBackup(settings, *project_.store(), At(at));
  // A backup that never finished: files, no manifest.json. It is newer than the latest.
  project_.store()->Put("backups/catalog/2025_06_04/00_00_00_000/stage.sqlite", "partial");

  CommandResult ls = project_.Run({"backup", "ls", "--format", "csv"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_EQ(ls.out,
            "backup,key,latest,complete,problem\n"
            "2025-06-03T19:56:03.123Z,backups/catalog/2025_06_03/19_56_03_123,false,true,\n"
            "2025-06-03T19:56:03.456Z,backups/catalog/2025_06_03/19_56_03_456,false,true,\n"
            "2025-06-03T19:57:00.000Z,backups/catalog/2025_06_03/19_57_00_000,true,true,\n"
            "2025-06-04T00:00:00.000Z,backups/catalog/2025_06_04/00_00_00_000,false,false,"
            "\"incomplete: being written, or abandoned\"\n");
  CommandResult all = project_.Run({"backup", "ls", "-a", "-f", "csv"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("\n2025-06-03T19:57:00.000Z,backups/catalog/2025_06_03/19_57_00_000,true,true,,engine.duckdb,,"),
            std::string::npos)
      << all.out;
  EXPECT_NE(all.out.find("\n2025-06-04T00:00:00.000Z,backups/catalog/2025_06_04/00_00_00_000,false,false,"
                         "\"incomplete: being written, or abandoned\",stage.sqlite,,"
                         "7,\n"),
            std::string::npos)
      << all.out;
  CommandResult table = project_.Run({"backup", "ls"});
  EXPECT_NE(table.out.find("│ 2025-06-03T19:57:00.000Z │ backups/catalog/2025_06_03/19_57_00_000 │ true    │ true     │"),
            std::string::npos)
      << table.out;
  CommandResult json = project_.Run({"backup", "ls", "-a", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json listed = nlohmann::json::parse(json.out);
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[2]["latest"], true);
  EXPECT_EQ(listed[2]["files"].size(), 3u);
  EXPECT_EQ(listed[2]["files"][1]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(listed[3]["complete"], false);

  CommandResult unfinished = Restore({"--source", "2025-06-04T00:00:00", "--target", (project_.dir() / "t").string()});
  EXPECT_EQ(unfinished.exit_code, 1);
  EXPECT_NE(unfinished.err.find("backup 2025-06-04T00:00:00.000Z has no manifest.json (it never finished)"),
            std::string::npos)
      << unfinished.err;

  CommandResult dry = project_.Run({"backup", "prune", "--keep", "2", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  std::string uri = project_.store()->Uri("backups/catalog/");
  // The unfinished backup is long abandoned: it goes, whatever --keep says.
  EXPECT_EQ(std::count(dry.out.begin(), dry.out.end(), '\n'), 2) << dry.out;
  EXPECT_EQ(dry.out.rfind("would remove " + uri + "2025_06_03/19_56_03_123 (older than the newest 2, ", 0), 0u)
      << dry.out;
  EXPECT_NE(dry.out.find("\nwould remove " + uri + "2025_06_04/00_00_00_000 (incomplete, 7 B)\n"), std::string::npos)
      << dry.out;
  CommandResult keep_one = project_.Run({"backup", "prune", "--keep", "1"});
  ASSERT_EQ(keep_one.exit_code, 0) << keep_one.err;
  EXPECT_EQ(keep_one.out.rfind("removed " + uri + "2025_06_03/19_56_03_123 (older than the newest 1, ", 0), 0u)
      << keep_one.out;
  EXPECT_NE(keep_one.out.find("\nremoved " + uri + "2025_06_03/19_56_03_456 (older than the newest 1, "),
            std::string::npos) << keep_one.out;
  EXPECT_NE(keep_one.out.find("\nremoved " + uri + "2025_06_04/00_00_00_000 (incomplete, 7 B)\n"), std::string::npos)
      << keep_one.out;
  CommandResult after = project_.Run({"backup", "ls", "-f", "csv"});
  EXPECT_EQ(after.out,
            "backup,key,latest,complete,problem\n"
            "2025-06-03T19:57:00.000Z,backups/catalog/2025_06_03/19_57_00_000,true,true,\n");
  EXPECT_EQ(project_.Run({"backup", "prune", "--keep", "0"}).exit_code, 2);
}

// A finished backup whose file went missing is damaged: never shown as the latest, not counted by
// prune --keep, and restore without --source says so instead of picking it.
TEST_P(BackupCli, ADamagedLatestBackupIsNotTheLatestAndRestoreSaysWhy) {
  MakeLake();
  Settings settings = project_.settings();
  for (const char* at : {"2025-06-03T19:56:03.123", "2025-06-03T19:57:00.000"})
    CreateBackup(settings, *project_.store(), At(at));
  project_.store()->Delete("backups/catalog/2025_06_03/19_57_00_000/marts/graphs.sqlite");

  CommandResult ls = project_.Run({"backup", "ls", "--format", "csv"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_EQ(ls.out,
            "backup,key,latest,complete,problem\n"
            "2025-06-03T19:56:03.123Z,backups/catalog/2025_06_03/19_56_03_123,false,true,\n"
            "2025-06-03T19:57:00.000Z,backups/catalog/2025_06_03/19_57_00_000,false,false,"
            "damaged: marts/graphs.sqlite is missing\n");
  nlohmann::json listed = nlohmann::json::parse(project_.Run({"backup", "ls", "--json"}).out);
  EXPECT_EQ(listed[1]["problem"], "damaged: marts/graphs.sqlite is missing");

  CommandResult restore = Restore({"--target", (project_.dir() / "t").string()});
  EXPECT_EQ(restore.exit_code, 1);
  EXPECT_EQ(restore.err,
            "dlctl: error: the latest backup 2025-06-03T19:57:00.000Z cannot be restored (damaged: "
            "marts/graphs.sqlite is missing): choose an earlier one with --source (dlctl backup ls lists them)\n");
  EXPECT_EQ(Restore({"--source", "2025-06-03T19:56:03.123", "--target", (project_.dir() / "t").string()}).exit_code,
            0);

  // --keep 1 keeps the newest undamaged backup; the damaged one stays as the manifest's latest.
  EXPECT_EQ(project_.Run({"backup", "prune", "--keep", "1", "--dry-run"}).out, "");

  project_.store()->Put("backups/catalog/2025_06_03/19_57_00_000/manifest.json", "{\"files\": 3}");
  CommandResult unreadable = project_.Run({"backup", "ls", "--format", "csv"});
  EXPECT_NE(unreadable.out.find(",false,false,\"damaged: backup manifest "), std::string::npos) << unreadable.out;
}

TEST_P(BackupCli, WhatDoesNotExistIsSkippedAndSaidAndNothingAtAllIsAnError) {
  CommandResult nothing = project_.Run({"backup", "create"});
  EXPECT_EQ(nothing.exit_code, 1);
  EXPECT_NE(nothing.err.find("nothing to back up"), std::string::npos) << nothing.err;
  EXPECT_TRUE(project_.store()->List("backups/").empty());
  CommandResult no_backup = Restore({"--target", (project_.dir() / "t").string()});
  EXPECT_EQ(no_backup.exit_code, 1);
  EXPECT_NE(no_backup.err.find("no backup to restore"), std::string::npos) << no_backup.err;

  project_.Query("CREATE SCHEMA graphs.music; CREATE TABLE graphs.music.t AS SELECT 1 AS x");
  fs::remove(project_.local() / "engine.duckdb");
  CommandResult created = project_.Run({"backup", "create"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.err,
            "dlctl: note: engine.duckdb does not exist: not backed up\n"
            "dlctl: note: stage.sqlite does not exist: not backed up\n");
  nlohmann::json manifest = nlohmann::json::parse(project_.store()->Get("backups/catalog/manifest.json"));
  EXPECT_EQ(manifest["skipped"], nlohmann::json({"engine.duckdb", "stage.sqlite"}));
  ASSERT_EQ(manifest["files"].size(), 1u);
  EXPECT_EQ(manifest["files"][0]["path"], "marts/graphs.sqlite");
}

INSTANTIATE_TEST_SUITE_P(Buckets, BackupCli, ::testing::Values(Bucket::kLocal, Bucket::kS3), testing::BucketName);

}  // namespace
}  // namespace dlctl
