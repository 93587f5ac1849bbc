#include "ingest/ingest.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "storage/local_store.h"
#include "support/test_env.h"
#include "util/error.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;

TimePoint At(const std::string& version) { return *ParseVersionFolderName(version); }

// A real LocalStore that fails uploads of keys ending in `poison`, the way a dropped
// connection would half-way through an ingest.
class FailingStore : public LocalStore {
 public:
  FailingStore(fs::path root, std::string poison) : LocalStore(std::move(root)), poison_(std::move(poison)) {}
  void PutFile(const std::string& key, const fs::path& file, const ProgressFn& progress) override {
    if (key.size() >= poison_.size() && key.compare(key.size() - poison_.size(), poison_.size(), poison_) == 0)
      throw Error("injected failure uploading " + key);
    LocalStore::PutFile(key, file, progress);
  }

 private:
  std::string poison_;
};

class IngestTest : public ::testing::Test {
 protected:
  fs::path MakeTree(int files) {
    fs::path tree = dir_.path() / "tree";
    for (int i = 0; i < files; ++i)
      testing::WriteFile(tree / ("part" + std::to_string(i / 10)) / ("f" + std::to_string(i) + ".csv"),
                         std::string(1000 + i, 'x'));
    return tree;
  }
  testing::TempDir dir_;
};

TEST_F(IngestTest, UploadsEveryFileThenPublishes) {
  LocalStore store(dir_.path() / "bucket");
  IngestResult r = IngestLocalPath(store, "raw", MakeTree(25), "Tree Data", At("2025_06_03/19_56_03_042"));
  EXPECT_EQ(r.dataset, "tree_data");
  EXPECT_EQ(r.files, 25u);
  EXPECT_EQ(r.version_uri, store.Uri("raw/tree_data/2025_06_03/19_56_03_042"));
  EXPECT_EQ(store.List("raw/tree_data/2025_06_03/19_56_03_042/").size(), 25u);
  EXPECT_TRUE(store.Head("raw/tree_data/2025_06_03/19_56_03_042.complete"));
  EXPECT_FALSE(store.Head("raw/tree_data/2025_06_03/19_56_03_042.writing"));
  EXPECT_EQ(store.Get("raw/tree_data/2025_06_03/19_56_03_042/part1/f12.csv"), std::string(1012, 'x'));
  auto manifest = nlohmann::json::parse(store.Get("raw/tree_data/manifest.json"));
  EXPECT_EQ(manifest["latest"], "s3://bucket/raw/tree_data/2025_06_03/19_56_03_042");
}

TEST_F(IngestTest, AFailedUploadRemovesThePartialVersionAndKeepsTheOldManifest) {
  FailingStore store(dir_.path() / "bucket", "f17.csv");
  fs::path tree = MakeTree(25);
  IngestResult first = IngestManual(store, "raw", "tree", At("2025_06_03/19_56_03_000"));
  std::string manifest_before = store.Get("raw/tree/manifest.json");

  EXPECT_THROW(IngestLocalPath(store, "raw", tree, "tree", At("2025_06_03/19_56_04_000"), 4), Error);
  EXPECT_TRUE(store.List("raw/tree/2025_06_03/19_56_04_000").empty()) << "its files and its marks";
  EXPECT_EQ(store.Get("raw/tree/manifest.json"), manifest_before);
  EXPECT_TRUE(store.Head("raw/tree/2025_06_03/19_56_03_000/.keep")) << first.version_uri;
}

TEST_F(IngestTest, AnExistingVersionFolderIsAnErrorAndNothingIsWritten) {
  LocalStore store(dir_.path() / "bucket");
  IngestManual(store, "raw", "same", At("2025_06_03/19_56_03_042"));
  std::string manifest_before = store.Get("raw/same/manifest.json");
  EXPECT_THROW(IngestLocalPath(store, "raw", MakeTree(3), "same", At("2025_06_03/19_56_03_042")), Error);
  EXPECT_EQ(store.List("raw/same/").size(), 3u);  // .keep, its .complete mark and the manifest
  EXPECT_EQ(store.Get("raw/same/manifest.json"), manifest_before);
}

}  // namespace
}  // namespace dlctl
