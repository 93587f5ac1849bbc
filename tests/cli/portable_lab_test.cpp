// A lab moves: `cp -a` of its folder, or its local bucket synced to S3, and everything reads as
// before. Manifests name versions by s3:// URIs (the bucket's name unchecked), and manifests of
// older dlctl versions, which held absolute local paths, are read relative to their dataset.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "storage/local_store.h"
#include "storage/s3_store.h"
#include "support/dlctl_project.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::Bucket;
using testing::CommandOptions;
using testing::CommandResult;
using testing::DlctlProject;

CommandResult MustRun(const fs::path& dir, const std::map<std::string, std::string>& env,
                      const std::vector<std::string>& args) {
  CommandResult result = testing::RunDlctl(args, CommandOptions{dir, env});
  EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.out << result.err;
  return result;
}

class PortableLab : public ::testing::Test {
 protected:
  PortableLab() : project_(Bucket::kLocal) {}

  // A raw dataset read by a model of the graphs mart, exported; then the raw manifest rewritten
  // as a dlctl before s3:// URIs wrote it (an absolute path into this lab's bucket).
  void MakeLab() {
    fs::path dir = project_.dir();
    testing::WriteFile(dir / "data/notes/people.csv", "node_id,name\n1,ada\n2,grace\n");
    testing::WriteFile(dir / "p/dbt_project.yml",
                       "name: p\nconfig-version: 2\nmodels:\n  p:\n    +materialized: table\n    +database: graphs\n");
    testing::WriteFile(dir / "p/models/sources.yml",
                       "version: 2\nsources:\n  - name: notes\n    database: raw\n    tables:\n      - name: people.csv\n");
    testing::WriteFile(dir / "p/models/nodes_people.sql",
                       "select node_id::bigint as node_id, name from {{ source('notes', 'people.csv') }}\n");
    MustRun(dir, {}, {"ingest", "dataset", "data/notes", "notes"});
    MustRun(dir, {}, {"transform", "--project-dir", "p"});
    MustRun(dir, {}, {"export", "dataset", "graphs", "main"});
    auto manifest = nlohmann::json::parse(project_.store()->Get("raw/notes/manifest.json"));
    std::string key = manifest["latest"].get<std::string>().substr(std::string("s3://lakehouse/").size());
    manifest["latest"] = project_.store()->Uri(key);
    project_.store()->Put("raw/notes/manifest.json", manifest.dump());
  }

  // What must work in a moved lab: listings, a transform reading the raw data, an export.
  void ExpectItWorks(const fs::path& dir, const std::map<std::string, std::string>& env) {
    CommandResult ls = MustRun(dir, env, {"ingest", "ls", "--format", "csv"});
    EXPECT_NE(ls.out.find("notes,"), std::string::npos) << ls.out;
    EXPECT_NE(ls.out.find(",true,true,people.csv,"), std::string::npos) << ls.out;
    EXPECT_NE(MustRun(dir, env, {"export", "ls", "--format", "csv"}).out.find("graphs/main,"), std::string::npos);
    MustRun(dir, env, {"transform", "--project-dir", "p"});
    EXPECT_EQ(MustRun(dir, env, {"query", "-f", "csv", "SELECT name FROM graphs.main.nodes_people ORDER BY 1"}).out,
              "name\nada\ngrace\n");
    MustRun(dir, env, {"export", "dataset", "graphs", "main"});
  }

  DlctlProject project_;
};

TEST_F(PortableLab, ACopiedLabWorksUnchangedWithTheOriginalGone) {
  MakeLab();
  testing::TempDir elsewhere;
  fs::path copy = elsewhere.path() / "lab";
  CommandResult cp = testing::RunCommand({"cp", "-a", project_.dir().string(), copy.string()});
  ASSERT_EQ(cp.exit_code, 0) << cp.err;
  fs::remove_all(project_.local());  // nothing may still point there
  ExpectItWorks(copy, {});
}

TEST_F(PortableLab, ALocalBucketSyncedToS3WorksUnchanged) {
  MakeLab();
  S3Settings s3 = testing::TestS3Settings();
  std::string bucket = testing::UniqueBucketName("synced");  // another name than "lakehouse"
  S3Store remote(s3, bucket);
  remote.CreateBucket();
  LocalStore local(project_.local() / "bucket" / "lakehouse");
  for (const ObjectInfo& object : local.List("")) remote.Put(object.key, local.Get(object.key));
  ExpectItWorks(project_.dir(), {{"S3_ENDPOINT", "http://" + s3.endpoint},
                                 {"S3_ACCESS_KEY_ID", s3.access_key_id},
                                 {"S3_SECRET_ACCESS_KEY", s3.secret_access_key},
                                 {"S3_REGION", s3.region},
                                 {"S3_BUCKET", bucket}});
}

}  // namespace
}  // namespace dlctl
