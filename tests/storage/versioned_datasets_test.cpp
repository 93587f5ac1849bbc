#include "storage/versioned_datasets.h"

#include <gtest/gtest.h>

#include "storage/local_store.h"
#include "support/test_env.h"
#include "util/error.h"

namespace dlctl {
namespace {

using namespace std::chrono;

TimePoint At(const std::string& version) { return *ParseVersionFolderName(version); }

// The same cases on the embedded local bucket and on the test S3 server.
class VersionedDatasetsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "local") store_ = std::make_unique<LocalStore>(dir_.path() / "bucket");
    else store_ = testing::MakeTestBucket("versions");
  }
  void TearDown() override {
    if (!store_) return;
    std::vector<std::string> keys;
    for (const auto& o : store_->List("")) keys.push_back(o.key);
    store_->DeleteMany(keys);
  }
  ObjectStore& store() { return *store_; }

  testing::TempDir dir_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_P(VersionedDatasetsTest, NewVersionIsDatedAndRefusesAnExistingFolder) {
  VersionedDatasets raw(store(), "raw");
  std::string key = raw.NewVersion("ds", At("2025_06_03/19_56_03_042"));
  EXPECT_EQ(key, "raw/ds/2025_06_03/19_56_03_042");
  store().Put(key + "/a.csv", "x");
  EXPECT_THROW(raw.NewVersion("ds", At("2025_06_03/19_56_03_042")), Error);
  EXPECT_EQ(raw.NewVersion("ds", At("2025_06_03/19_56_03_043")), "raw/ds/2025_06_03/19_56_03_043");
}

TEST_P(VersionedDatasetsTest, ManifestPointsAtTheFullUriAndReadsBack) {
  VersionedDatasets raw(store(), "raw");
  std::string key = raw.NewVersion("ds", At("2025_06_03/19_56_03_042"));
  store().Put(key + "/a.csv", "x");
  EXPECT_FALSE(raw.ReadManifest("ds"));
  raw.Publish("ds", key);
  auto m = raw.ReadManifest("ds");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->dataset, "ds");
  EXPECT_EQ(m->latest_uri, store().Uri(key));
  EXPECT_EQ(m->latest_key, key);
  auto json = nlohmann::json::parse(store().Get("raw/ds/manifest.json"));
  EXPECT_EQ(json["dataset"], "ds");
  EXPECT_EQ(json["latest"], store().Uri(key));
}

TEST_P(VersionedDatasetsTest, ReadsManifestsInTheOriginalsFormat) {
  VersionedDatasets raw(store(), "raw");
  std::string key = "raw/deezer/2025_06_04/17_30_12_345";
  store().Put(key + "/HR/HR_edges.csv", "a,b\n");
  store().Put("raw/deezer/manifest.json", "{\"dataset\": \"deezer\", \"latest\": \"" + store().Uri(key) + "\"}");
  auto m = raw.ReadManifest("deezer");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->latest_key, key);
}

TEST_P(VersionedDatasetsTest, RejectsManifestsPointingElsewhere) {
  VersionedDatasets raw(store(), "raw");
  store().Put("raw/a/manifest.json", "{\"dataset\": \"a\", \"latest\": \"" + store().Uri("raw/b/2025_01_01/00_00_00_000") + "\"}");
  EXPECT_THROW(raw.ReadManifest("a"), Error);
  store().Put("raw/c/manifest.json", "{\"latest\": 3}");
  EXPECT_THROW(raw.ReadManifest("c"), Error);
}

TEST_P(VersionedDatasetsTest, NamesAndVersionsStopAtSlashBoundaries) {
  VersionedDatasets raw(store(), "raw");
  store().Put("raw/foo/2025_01_01/00_00_00_000/a.csv", "1");
  store().Put("raw/foo_bar/2025_01_01/00_00_00_000/b.csv", "2");
  store().Put("rawdata/x/2025_01_01/00_00_00_000/c.csv", "3");
  EXPECT_EQ(raw.Names(), (std::vector<std::string>{"foo", "foo_bar"}));
  Dataset foo = raw.Describe("foo", true);
  ASSERT_EQ(foo.versions.size(), 1u);
  ASSERT_EQ(foo.versions[0].files.size(), 1u);
  EXPECT_EQ(foo.versions[0].files[0].key, "raw/foo/2025_01_01/00_00_00_000/a.csv");
}

TEST_P(VersionedDatasetsTest, ExportsHaveTwoLevelNames) {
  VersionedDatasets exports(store(), "exports", 2);
  store().Put("exports/graphs/music/2025_01_01/00_00_00_000/nodes/a.parquet", "1");
  store().Put("exports/graphs/music_extra/2025_01_01/00_00_00_000/b.parquet", "2");
  store().Put("exports/analytics/taoec/2025_01_01/00_00_00_000/c.parquet", "3");
  EXPECT_EQ(exports.Names(), (std::vector<std::string>{"analytics/taoec", "graphs/music", "graphs/music_extra"}));
}

TEST_P(VersionedDatasetsTest, PruneRemovesEmptyVersionsButNeverTheLatest) {
  VersionedDatasets raw(store(), "raw");
  store().Put("raw/ds/2025_01_01/00_00_00_000/.keep", "");
  store().Put("raw/ds/2025_01_02/00_00_00_000/data.csv", "1");
  store().Put("raw/ds/2025_01_03/00_00_00_000/.keep", "");
  store().Put("raw/ds/2025_01_04/00_00_00_000/.keep", "");
  raw.Publish("ds", "raw/ds/2025_01_04/00_00_00_000");
  store().Put("raw/ds_other/2025_01_01/00_00_00_000/.keep", "");

  PruneReport dry = raw.Prune("ds", std::nullopt, true);
  EXPECT_EQ(dry.removed_versions,
            (std::vector<std::string>{"raw/ds/2025_01_01/00_00_00_000", "raw/ds/2025_01_03/00_00_00_000"}));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_01/00_00_00_000/.keep"));

  PruneReport real = raw.Prune("ds", std::nullopt, false);
  EXPECT_EQ(real.removed_versions, dry.removed_versions);
  EXPECT_FALSE(store().Head("raw/ds/2025_01_01/00_00_00_000/.keep"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_02/00_00_00_000/data.csv"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_04/00_00_00_000/.keep"));
  EXPECT_TRUE(store().Head("raw/ds_other/2025_01_01/00_00_00_000/.keep"));
  EXPECT_TRUE(store().Head("raw/ds/manifest.json"));
}

TEST_P(VersionedDatasetsTest, PruneKeepsTheNewestNAndTheLatest) {
  VersionedDatasets raw(store(), "raw");
  for (const char* v : {"2025_01_01/00_00_00_000", "2025_01_02/00_00_00_000", "2025_01_03/00_00_00_000",
                        "2025_01_04/00_00_00_000"})
    store().Put(std::string("raw/ds/") + v + "/data.csv", v);
  raw.Publish("ds", "raw/ds/2025_01_01/00_00_00_000");  // latest is the oldest (a rollback)
  PruneReport report = raw.Prune("ds", 2, false);
  EXPECT_EQ(report.removed_versions, (std::vector<std::string>{"raw/ds/2025_01_02/00_00_00_000"}));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_01/00_00_00_000/data.csv"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_03/00_00_00_000/data.csv"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_04/00_00_00_000/data.csv"));
  EXPECT_THROW(raw.Prune("ds", 0, false), UsageError);
}

TEST(IsIgnoredFileName, SkipsPlaceholdersAndManifests) {
  EXPECT_TRUE(IsIgnoredFileName("raw/ds/v/.keep"));
  EXPECT_TRUE(IsIgnoredFileName("raw/ds/v/README"));
  EXPECT_TRUE(IsIgnoredFileName("raw/ds/v/notes.md"));
  EXPECT_TRUE(IsIgnoredFileName("raw/ds/manifest.json"));
  EXPECT_FALSE(IsIgnoredFileName("raw/ds/v/data.csv"));
  EXPECT_FALSE(IsIgnoredFileName("raw/ds/v/.keep.csv"));
}

INSTANTIATE_TEST_SUITE_P(Stores, VersionedDatasetsTest, ::testing::Values("local", "s3"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dlctl
