// ExportDataset through the C++ API: a store that fails its Nth write part-way through an
// export, and tables large enough to be split into parts, on the local default and on S3.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>

#include "engine/engine.h"
#include "exporter/exporter.h"
#include "support/dlctl_project.h"
#include "support/error_of.h"
#include "support/forwarding_store.h"
#include "support/joined_rows.h"
#include "util/error.h"

namespace dlctl {
namespace {

using testing::Bucket;
using testing::DlctlProject;
using Lines = std::vector<std::string>;

// Passes everything to the real store, but the Nth write (a streamed object's commit, a put or
// a copy) fails, as a full disk or a dropped connection would.
class FailingStore : public testing::ForwardingStore {
 public:
  FailingStore(std::shared_ptr<ObjectStore> inner, int fail_at) : ForwardingStore(std::move(inner)), fail_at_(fail_at) {}

  void CountWrite() {
    if (++writes_ == fail_at_) throw Error("injected failure of write " + std::to_string(fail_at_));
  }
  int writes() const { return writes_; }

  void Put(const std::string& key, std::string_view data) override {
    CountWrite();
    inner().Put(key, data);
  }
  void PutFile(const std::string& key, const std::filesystem::path& file, const ProgressFn& progress) override {
    CountWrite();
    inner().PutFile(key, file, progress);
  }
  std::unique_ptr<ObjectWriter> OpenWriter(const std::string& key) override {
    return std::make_unique<Writer>(*this, inner().OpenWriter(key));
  }
  void Copy(const std::string& from_key, const std::string& to_key) override {
    CountWrite();
    inner().Copy(from_key, to_key);
  }

 private:
  class Writer : public ObjectWriter {
   public:
    Writer(FailingStore& store, std::unique_ptr<ObjectWriter> inner) : store_(store), inner_(std::move(inner)) {}
    void Write(const void* data, size_t size) override { inner_->Write(data, size); }
    void Commit() override {
      store_.CountWrite();
      inner_->Commit();
    }

   private:
    FailingStore& store_;
    std::unique_ptr<ObjectWriter> inner_;
  };

  std::atomic<int> writes_{0};
  int fail_at_;
};

class ExportStore : public ::testing::TestWithParam<Bucket> {
 protected:
  ExportStore() : project_(GetParam()) {
    project_.Query(
        "CREATE SCHEMA graphs.music;"
        "CREATE TABLE graphs.music.edges_plays AS SELECT range AS id, md5(range::VARCHAR) AS payload "
        "FROM range(300000);"
        "CREATE TABLE graphs.music.nodes_songs AS SELECT range AS id FROM range(3)");
    settings_ = project_.settings();
    options_.catalog = "graphs";
    options_.schema = "music";
  }

  ExportResult Export(std::shared_ptr<ObjectStore> store, int64_t millis) {
    return ExportDataset(settings_, std::move(store), options_,
                         TimePoint{} + std::chrono::hours(24 * 365 * 56) + std::chrono::milliseconds(millis));
  }

  Lines Keys(const std::string& prefix) {
    Lines keys;
    for (const auto& object : project_.store()->List(prefix)) keys.push_back(object.key);
    return keys;
  }

  DlctlProject project_;
  Settings settings_;
  ExportOptions options_;
};

TEST_P(ExportStore, AWriteFailingPartWayLeavesTheManifestAndRemovesTheNewFiles) {
  ExportResult first = Export(project_.store(), 0);
  std::string manifest = project_.store()->Get("exports/graphs/music/manifest.json");
  Lines keys = Keys("exports/");
  ASSERT_EQ(keys.size(), 4u);  // two files, the version's .complete mark, the manifest

  // Writes of an export: the version's .writing mark, the first table's part, its copy to the file
  // name, the second table's part, its copy, the .complete mark, the manifest. Fail each in turn.
  for (int fail_at = 1; fail_at <= 7; ++fail_at) {
    auto failing = std::make_shared<FailingStore>(project_.store(), fail_at);
    std::string message = testing::ErrorOf([&] { Export(failing, fail_at); });
    EXPECT_NE(message.find("injected failure of write " + std::to_string(fail_at)), std::string::npos) << message;
    EXPECT_EQ(project_.store()->Get("exports/graphs/music/manifest.json"), manifest) << fail_at;
    EXPECT_EQ(Keys("exports/"), keys) << fail_at;
  }
  auto counting = std::make_shared<FailingStore>(project_.store(), 0);
  ExportResult last = Export(counting, 9);
  EXPECT_EQ(counting->writes(), 7);
  EXPECT_NE(project_.store()->Get("exports/graphs/music/manifest.json"), manifest);
  EXPECT_NE(last.version_uri, first.version_uri);
}

TEST_P(ExportStore, ATableLargerThanTheLimitIsSplitIntoParts) {
  // DuckDB starts a new file between row groups (122,880 rows), so 300,000 rows make three.
  options_.max_file_bytes = 1 << 20;
  ExportResult result = Export(project_.store(), 0);
  ASSERT_EQ(result.tables.size(), 2u);
  const ExportedTable& plays = result.tables[0];
  EXPECT_EQ(plays.name, "edges_plays");
  EXPECT_EQ(plays.rows, 300000);
  ASSERT_EQ(plays.files.size(), 3u);
  std::string version = *project_.store()->KeyOf(result.version_uri);
  for (size_t i = 0; i < plays.files.size(); ++i) {
    EXPECT_EQ(plays.files[i].path.rfind("edges/edges_plays/part_", 0), 0u) << plays.files[i].path;
    EXPECT_EQ(project_.store()->Head(version + "/" + plays.files[i].path)->size, plays.files[i].size);
  }
  // The small table is still one file with the plain name.
  ASSERT_EQ(result.tables[1].files.size(), 1u);
  EXPECT_EQ(result.tables[1].files[0].path, "nodes/nodes_songs.parquet");

  Engine engine(project_.store(), settings_);
  EXPECT_EQ(testing::JoinedRows(engine.Query("SELECT count(*), count(DISTINCT id), sum(id) FROM read_parquet('s3://" +
                                             settings_.bucket + "/" + version + "/edges/edges_plays/*.parquet')")),
            (Lines{"300000|300000|44999850000"}));
  nlohmann::json manifest = nlohmann::json::parse(project_.store()->Get("exports/graphs/music/manifest.json"));
  EXPECT_EQ(manifest["tables"][0]["files"].size(), plays.files.size());
  EXPECT_EQ(manifest["tables"][0]["rows"], 300000);
}

TEST(ExportNames, RoutingAndFormats) {
  EXPECT_EQ(ExportFolderFor("nodes_users"), "nodes/");
  EXPECT_EQ(ExportFolderFor("user_edges"), "edges/");
  EXPECT_EQ(ExportFolderFor("nodes_with_edges"), "nodes/");
  EXPECT_EQ(ExportFolderFor("genres"), "");
  EXPECT_EQ(ParseExportFormat("csv"), ExportFormat::kCsv);
  EXPECT_STREQ(ExportFormatName(ParseExportFormat("json")), "json");
  EXPECT_THROW(ParseExportFormat("Parquet"), UsageError);
}

INSTANTIATE_TEST_SUITE_P(Buckets, ExportStore, ::testing::Values(Bucket::kLocal, Bucket::kS3), testing::BucketName);

}  // namespace
}  // namespace dlctl
