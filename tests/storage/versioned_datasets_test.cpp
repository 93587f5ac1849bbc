#include "storage/versioned_datasets.h"

#include <gtest/gtest.h>

#include "storage/local_store.h"
#include "util/process_owner.h"
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

// A version with `files`, as a finished write leaves it: data, then its .complete mark.
void PutComplete(ObjectStore& store, const std::string& version, const std::vector<std::string>& files) {
  for (const auto& file : files) store.Put(version + "/" + file, file);
  store.Put(VersionedDatasets::CompleteMarkKey(version), "{}");
}

// A .writing mark of a process that is gone: this process's pid with another start time.
void PutDeadWriter(ObjectStore& store, const std::string& version) {
  ProcessOwner gone = CurrentProcess();
  gone.start_ticks += 1;
  store.Put(VersionedDatasets::WritingMarkKey(version), nlohmann::json{{"owner", OwnerTag(gone)}}.dump());
}

TEST_P(VersionedDatasetsTest, BeginVersionIsDatedMarksItsWriterAndRefusesAnExistingVersion) {
  VersionedDatasets raw(store(), "raw");
  std::string key = raw.BeginVersion("ds", At("2025_06_03/19_56_03_042"));
  EXPECT_EQ(key, "raw/ds/2025_06_03/19_56_03_042");
  auto mark = nlohmann::json::parse(store().Get("raw/ds/2025_06_03/19_56_03_042.writing"));
  EXPECT_EQ(mark["owner"], OwnerTag(CurrentProcess()));
  EXPECT_THROW(raw.BeginVersion("ds", At("2025_06_03/19_56_03_042")), Error);  // by its mark alone
  store().Put("raw/ds/2025_06_03/19_56_03_043/a.csv", "x");
  EXPECT_THROW(raw.BeginVersion("ds", At("2025_06_03/19_56_03_043")), Error);  // by its folder
  EXPECT_EQ(raw.BeginVersion("ds", At("2025_06_03/19_56_03_044")), "raw/ds/2025_06_03/19_56_03_044");
}

TEST_P(VersionedDatasetsTest, PublishMarksTheVersionCompleteThenPointsTheManifestAtIt) {
  VersionedDatasets raw(store(), "raw");
  std::string key = raw.BeginVersion("ds", At("2025_06_03/19_56_03_042"));
  store().Put(key + "/a.csv", "x");
  Dataset before = raw.Describe("ds", true);
  ASSERT_EQ(before.versions.size(), 1u);
  EXPECT_FALSE(before.versions[0].complete);
  EXPECT_FALSE(raw.ReadManifest("ds"));

  raw.Publish("ds", key, {{"source", "here"}});
  auto m = raw.ReadManifest("ds");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->dataset, "ds");
  EXPECT_EQ(m->latest_key, key);
  EXPECT_EQ(m->latest_uri, store().Uri(key));
  auto json = nlohmann::json::parse(store().Get("raw/ds/manifest.json"));
  EXPECT_EQ(json["latest"], "s3://" + store().Bucket() + "/" + key);  // the same text on every store
  EXPECT_EQ(json["source"], "here");
  auto complete = nlohmann::json::parse(store().Get(key + ".complete"));
  EXPECT_EQ(complete["source"], "here");
  EXPECT_TRUE(complete.contains("completed_at"));
  EXPECT_FALSE(store().Head(key + ".writing"));
  Dataset after = raw.Describe("ds", true);
  ASSERT_EQ(after.versions.size(), 1u);
  EXPECT_TRUE(after.versions[0].complete);
  ASSERT_EQ(after.versions[0].files.size(), 1u);  // the marks are not files of the version
  EXPECT_EQ(after.versions[0].files[0].key, key + "/a.csv");
}

TEST_P(VersionedDatasetsTest, VersionsWithoutMarksAreFromBeforeThemAndComplete) {
  VersionedDatasets raw(store(), "raw");
  store().Put("raw/ds/2025_01_01/00_00_00_000/a.csv", "old, finished");
  store().Put("raw/ds/2025_01_02/00_00_00_000/a.csv", "old, latest");
  store().Put("raw/ds/manifest.json", nlohmann::json{{"dataset", "ds"},
                                                     {"latest", store().Uri("raw/ds/2025_01_02/00_00_00_000")}}.dump());
  raw.BeginVersion("ds", At("2025_01_03/00_00_00_000"));
  store().Put("raw/ds/2025_01_03/00_00_00_000/a.csv", "new, killed half-way");
  Dataset ds = raw.Describe("ds", false);
  ASSERT_EQ(ds.versions.size(), 3u);
  EXPECT_TRUE(ds.versions[0].complete);
  EXPECT_TRUE(ds.versions[1].complete);
  EXPECT_FALSE(ds.versions[2].complete);

  // Backups ask for their manifest.json: one without it is incomplete even without marks.
  VersionedDatasets backups(store(), "backups", 1, "manifest.json");
  store().Put("backups/catalog/2025_01_01/00_00_00_000/stage.sqlite", "x");
  store().Put("backups/catalog/2025_01_01/00_00_00_000/manifest.json", "{}");
  store().Put("backups/catalog/2025_01_02/00_00_00_000/stage.sqlite", "x");
  for (bool with_files : {false, true}) {
    Dataset catalog = backups.Describe("catalog", with_files);
    ASSERT_EQ(catalog.versions.size(), 2u);
    EXPECT_TRUE(catalog.versions[0].complete);
    EXPECT_FALSE(catalog.versions[1].complete);
  }
}

TEST_P(VersionedDatasetsTest, AVersionWithOnlyAWritingMarkIsListedAsIncomplete) {
  VersionedDatasets raw(store(), "raw");
  std::string key = raw.BeginVersion("ds", At("2025_01_01/00_00_00_000"));  // killed before its first file
  Dataset ds = raw.Describe("ds", true);
  ASSERT_EQ(ds.versions.size(), 1u);
  EXPECT_EQ(ds.versions[0].key, key);
  EXPECT_FALSE(ds.versions[0].complete);
  EXPECT_TRUE(ds.versions[0].files.empty());
}

TEST_P(VersionedDatasetsTest, ManifestsReadWhereverTheBucketWent) {
  VersionedDatasets raw(store(), "raw");
  std::string key = "raw/deezer/2025_06_04/17_30_12_345";
  PutComplete(store(), key, {"HR/HR_edges.csv"});
  auto latest_of = [&](const std::string& latest) {
    store().Put("raw/deezer/manifest.json", nlohmann::json{{"dataset", "deezer"}, {"latest", latest}}.dump());
    return raw.ReadManifest("deezer")->latest_key;
  };
  EXPECT_EQ(latest_of(store().Uri(key)), key);                     // as this store names it (the original's form)
  EXPECT_EQ(latest_of("s3://other-bucket/" + key), key);           // synced to a bucket of another name
  EXPECT_EQ(latest_of(key + "/"), key);                            // a key
  EXPECT_EQ(latest_of("/old/lab/local/bucket/lakehouse/" + key), key);  // a local lab copied elsewhere
}

TEST_P(VersionedDatasetsTest, RejectsManifestsPointingElsewhere) {
  VersionedDatasets raw(store(), "raw");
  store().Put("raw/a/manifest.json", "{\"dataset\": \"a\", \"latest\": \"" + store().Uri("raw/b/2025_01_01/00_00_00_000") + "\"}");
  EXPECT_THROW(raw.ReadManifest("a"), Error);
  store().Put("raw/a/manifest.json", "{\"dataset\": \"a\", \"latest\": \"/elsewhere/raw/b/2025_01_01/00_00_00_000\"}");
  EXPECT_THROW(raw.ReadManifest("a"), Error);
  store().Put("raw/a/manifest.json", "{\"dataset\": \"a\", \"latest\": \"s3://bucket/raw/a/not-a-version\"}");
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

std::vector<std::string> Keys(const PruneReport& report) {
  std::vector<std::string> keys;
  for (const auto& removed : report.removed) keys.push_back(removed.key);
  return keys;
}

TEST_P(VersionedDatasetsTest, PruneRemovesEmptyVersionsButNeverTheLatest) {
  VersionedDatasets raw(store(), "raw");
  PutComplete(store(), "raw/ds/2025_01_01/00_00_00_000", {".keep"});
  PutComplete(store(), "raw/ds/2025_01_02/00_00_00_000", {"data.csv"});
  PutComplete(store(), "raw/ds/2025_01_03/00_00_00_000", {".keep"});
  PutComplete(store(), "raw/ds/2025_01_04/00_00_00_000", {".keep"});
  raw.Publish("ds", "raw/ds/2025_01_04/00_00_00_000");
  PutComplete(store(), "raw/ds_other/2025_01_01/00_00_00_000", {".keep"});
  TimePoint now = At("2025_01_05/00_00_00_000");

  PruneReport dry = raw.Prune("ds", std::nullopt, true, now);
  EXPECT_EQ(Keys(dry), (std::vector<std::string>{"raw/ds/2025_01_01/00_00_00_000", "raw/ds/2025_01_03/00_00_00_000"}));
  EXPECT_EQ(dry.removed[0].reason, "empty");
  EXPECT_TRUE(store().Head("raw/ds/2025_01_01/00_00_00_000/.keep"));

  PruneReport real = raw.Prune("ds", std::nullopt, false, now);
  EXPECT_EQ(Keys(real), Keys(dry));
  EXPECT_FALSE(store().Head("raw/ds/2025_01_01/00_00_00_000/.keep"));
  EXPECT_FALSE(store().Head("raw/ds/2025_01_01/00_00_00_000.complete"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_02/00_00_00_000/data.csv"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_04/00_00_00_000/.keep"));
  EXPECT_TRUE(store().Head("raw/ds_other/2025_01_01/00_00_00_000/.keep"));
  EXPECT_TRUE(store().Head("raw/ds/manifest.json"));
}

TEST_P(VersionedDatasetsTest, PruneKeepsTheNewestNAndTheLatest) {
  VersionedDatasets raw(store(), "raw");
  for (const char* v : {"2025_01_01/00_00_00_000", "2025_01_02/00_00_00_000", "2025_01_03/00_00_00_000",
                        "2025_01_04/00_00_00_000"})
    PutComplete(store(), std::string("raw/ds/") + v, {"data.csv"});
  raw.Publish("ds", "raw/ds/2025_01_01/00_00_00_000");  // latest is the oldest (a rollback)
  PruneReport report = raw.Prune("ds", 2, false, At("2025_01_05/00_00_00_000"));
  EXPECT_EQ(Keys(report), (std::vector<std::string>{"raw/ds/2025_01_02/00_00_00_000"}));
  EXPECT_EQ(report.removed[0].reason, "older than the newest 2");
  EXPECT_EQ(report.removed[0].bytes, 8u);  // its data.csv
  EXPECT_TRUE(store().Head("raw/ds/2025_01_01/00_00_00_000/data.csv"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_03/00_00_00_000/data.csv"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_04/00_00_00_000/data.csv"));
  EXPECT_THROW(raw.Prune("ds", 0, false, At("2025_01_05/00_00_00_000")), UsageError);
}

// What a kill -9 during ingest leaves: two newer versions with most of their files. --keep 2 must
// keep both complete versions and touch the partial ones only once they are abandoned.
TEST_P(VersionedDatasetsTest, PruneNeverCountsIncompleteVersionsAndRemovesThemOnceAbandoned) {
  VersionedDatasets raw(store(), "raw");
  PutComplete(store(), "raw/ds/2025_01_01/00_00_00_000", {"a.csv", "b.csv"});
  PutComplete(store(), "raw/ds/2025_01_02/00_00_00_000", {"a.csv", "b.csv"});
  raw.Publish("ds", "raw/ds/2025_01_02/00_00_00_000");
  for (const char* v : {"raw/ds/2025_01_04/00_00_00_000", "raw/ds/2025_01_04/00_10_00_000"}) {
    PutDeadWriter(store(), v);
    store().Put(std::string(v) + "/a.csv", "a");
  }
  TimePoint soon_after = At("2025_01_04/00_30_00_000");
  EXPECT_TRUE(Keys(raw.Prune("ds", 2, true, soon_after)).empty());
  EXPECT_TRUE(Keys(raw.Prune("ds", 1, true, soon_after)) ==
              std::vector<std::string>{"raw/ds/2025_01_01/00_00_00_000"}) << "the older complete one is beyond 1";

  TimePoint later = At("2025_01_04/01_05_00_000");  // the first is an hour old, the second not yet
  PruneReport report = raw.Prune("ds", 2, false, later);
  EXPECT_EQ(Keys(report), (std::vector<std::string>{"raw/ds/2025_01_04/00_00_00_000"}));
  EXPECT_EQ(report.removed[0].reason, "incomplete");
  EXPECT_FALSE(store().Head("raw/ds/2025_01_04/00_00_00_000.writing"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_04/00_10_00_000.writing"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_01/00_00_00_000/a.csv"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_02/00_00_00_000/a.csv"));
}

TEST_P(VersionedDatasetsTest, AVersionItsLiveWriterIsStillWritingIsNeverRemoved) {
  VersionedDatasets raw(store(), "raw");
  std::string key = raw.BeginVersion("ds", At("2025_01_01/00_00_00_000"));  // this process writes it
  store().Put(key + "/a.csv", "a");
  TimePoint a_day_later = At("2025_01_02/00_00_00_000");
  EXPECT_TRUE(Keys(raw.Prune("ds", 1, false, a_day_later)).empty());
  EXPECT_TRUE(Keys(raw.RemoveAbandoned("ds", false, a_day_later)).empty());
  EXPECT_TRUE(store().Head(key + "/a.csv"));
}

TEST_P(VersionedDatasetsTest, RemoveAbandonedTakesOnlyWhatDeadWritersLeft) {
  VersionedDatasets raw(store(), "raw");
  PutComplete(store(), "raw/ds/2025_01_01/00_00_00_000", {".keep"});  // empty, but finished: not garbage
  PutComplete(store(), "raw/ds/2025_01_02/00_00_00_000", {"a.csv"});
  PutDeadWriter(store(), "raw/ds/2025_01_02/00_00_00_000");  // died between its two marks
  PutDeadWriter(store(), "raw/ds/2025_01_03/00_00_00_000");
  store().Put("raw/ds/2025_01_03/00_00_00_000/a.csv", "a");
  PruneReport report = raw.RemoveAbandoned("ds", false, At("2025_01_04/00_00_00_000"));
  EXPECT_EQ(Keys(report),
            (std::vector<std::string>{"raw/ds/2025_01_02/00_00_00_000.writing", "raw/ds/2025_01_03/00_00_00_000"}));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_01/00_00_00_000/.keep"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_02/00_00_00_000/a.csv"));
  EXPECT_TRUE(store().Head("raw/ds/2025_01_02/00_00_00_000.complete"));
  EXPECT_FALSE(store().Head("raw/ds/2025_01_03/00_00_00_000/a.csv"));
  EXPECT_FALSE(store().Head("raw/ds/2025_01_03/00_00_00_000.writing"));
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
