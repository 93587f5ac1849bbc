#include "ingest/remote_ingest.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>

#include "fake_sources.h"
#include "storage/local_store.h"
#include "support/error_of.h"
#include "support/test_env.h"
#include "util/error.h"
#include "zip_fixture.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::FakeSources;

TimePoint At(const std::string& version) { return *ParseVersionFolderName(version); }

std::vector<std::string> Keys(ObjectStore& store, const std::string& prefix) {
  std::vector<std::string> keys;
  for (const auto& o : store.List(prefix)) keys.push_back(o.key.substr(prefix.size()));
  return keys;
}

class RemoteIngest : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_.kaggle_endpoint = sources_.api_url();
    settings_.kaggle_username = sources_.kaggle_username;
    settings_.kaggle_key = sources_.kaggle_key;
    settings_.hf_endpoint = sources_.api_url();
    settings_.cache_dir = dir_.path() / "cache";
    options_.http.retry_base_delay_ms = 10;
    options_.http.retry_max_delay_ms = 50;
    sources_.AddKaggleVersion("andreagarritano", "deezer-social-networks", 1, testing::MakeZip({{"old.csv", "v1", ""}}));
    sources_.AddKaggleVersion("andreagarritano", "deezer-social-networks", 2, testing::MakeZip(testing::DeezerEntries()));
    for (size_t i = 0; i < lfs_.size(); ++i) lfs_[i] = static_cast<char>(i % 251);
    sources_.AddHubRepo("acme", "songs", "main", commit_,
                        {{".gitattributes", "*.parquet filter=lfs diff=lfs merge=lfs -text\n", {}, false},
                         {"README.md", "# Songs\n", {}, false},
                         {"data/train.parquet", lfs_, {}, true},
                         {"data/test.csv", "id,title\n1,a\n", {}, false},
                         {"extra/notes.txt", "notes", {}, false}});
  }

  IngestResult Ingest(ObjectStore& store, const std::string& url, const std::string& version = "2025_06_03/19_56_03_000") {
    return IngestFromUrl(store, "raw", settings_, url, options_, At(version));
  }

  testing::TempDir dir_;
  FakeSources sources_;
  SourceSettings settings_;
  RemoteIngestOptions options_;
  std::string commit_ = "0123456789abcdef0123456789abcdef01234567";
  std::string lfs_ = std::string(2'500'000, '\0');
  const std::string kKaggle = "https://www.kaggle.com/datasets/andreagarritano/deezer-social-networks";
  const std::string kHub = "https://huggingface.co/datasets/acme/songs";
};

TEST_F(RemoteIngest, KaggleDatasetIntoS3WithItsFolders) {
  auto store = testing::MakeTestBucket("kaggle");
  IngestResult r = Ingest(*store, kKaggle + "/data?select=HR");
  EXPECT_EQ(r.dataset, "deezer_social_networks");
  std::string version = "raw/deezer_social_networks/2025_06_03/19_56_03_000/";
  EXPECT_EQ(r.version_uri, store->Uri("raw/deezer_social_networks/2025_06_03/19_56_03_000"));
  EXPECT_EQ(Keys(*store, version), (std::vector<std::string>{"HR/HR_edges.csv", "HR/HR_genres.json", "HU/HU_edges.csv",
                                                              "HU/HU_genres.json", "RO/RO_edges.csv", "RO/RO_genres.json"}));
  EXPECT_EQ(store->Get(version + "HR/HR_edges.csv"), "node_1,node_2\n0,4076\n0,7015\n");
  auto manifest = nlohmann::json::parse(store->Get("raw/deezer_social_networks/manifest.json"));
  EXPECT_EQ(manifest["latest"], r.version_uri);  // on S3 a URI is a URI
  EXPECT_EQ(manifest["source"], "https://kaggle.com/datasets/andreagarritano/deezer-social-networks");
  EXPECT_EQ(manifest["revision"], "2");
  // Basic auth to the API, nothing to the storage host.
  for (const auto& seen : sources_.requests())
    EXPECT_EQ(seen.authorization.empty(), seen.host == "storage") << seen.path;
}

TEST_F(RemoteIngest, KaggleRevisionAndBearerToken) {
  settings_.kaggle_username.clear();
  settings_.kaggle_key.clear();
  settings_.kaggle_api_token = sources_.kaggle_token;
  LocalStore store(dir_.path() / "bucket");
  options_.revision = "1";
  options_.name = "Deezer Old";
  IngestResult r = Ingest(store, kKaggle);
  EXPECT_EQ(r.dataset, "deezer_old");
  EXPECT_EQ(Keys(store, "raw/deezer_old/2025_06_03/19_56_03_000/"), std::vector<std::string>{"old.csv"});
  EXPECT_EQ(sources_.CountRequests("/api/v1/datasets/view/"), 0);  // the version was given
}

TEST_F(RemoteIngest, KaggleCredentialsFromKaggleJson) {
  settings_.kaggle_username.clear();
  settings_.kaggle_key.clear();
  settings_.kaggle_config_dir = dir_.path() / "kaggle-config";
  testing::WriteFile(settings_.kaggle_config_dir / "kaggle.json",
                     "{\"username\": \"" + sources_.kaggle_username + "\", \"key\": \"" + sources_.kaggle_key + "\"}");
  LocalStore store(dir_.path() / "bucket");
  EXPECT_EQ(Ingest(store, kKaggle).files, 6u);
}

TEST_F(RemoteIngest, KaggleWithoutCredentialsSaysWhereToPutThem) {
  settings_.kaggle_username.clear();
  settings_.kaggle_key.clear();
  LocalStore store(dir_.path() / "bucket");
  std::string error = testing::ErrorOf([&] { Ingest(store, kKaggle); });
  EXPECT_EQ(error.rfind("kaggle.com/datasets/andreagarritano/deezer-social-networks: Kaggle answered HTTP 401: no Kaggle "
                        "credentials are set: create an API token at kaggle.com/settings",
                        0),
            0u)
      << error;
  settings_.kaggle_key = "wrong";
  settings_.kaggle_username = "alice";
  error = testing::ErrorOf([&] { Ingest(store, kKaggle); });
  EXPECT_NE(error.find("the credentials were refused"), std::string::npos) << error;
  EXPECT_EQ(error.find("wrong"), std::string::npos);
  EXPECT_TRUE(store.List("raw/").empty());
}

TEST_F(RemoteIngest, KaggleUnknownDatasetIsNotFound) {
  LocalStore store(dir_.path() / "bucket");
  EXPECT_THROW(Ingest(store, "https://www.kaggle.com/datasets/nobody/nothing"), NotFoundError);
  options_.revision = "7";
  EXPECT_EQ(testing::ErrorOf([&] { Ingest(store, kKaggle); }),
            "no Kaggle dataset kaggle.com/datasets/andreagarritano/deezer-social-networks version 7 (or it is private "
            "to another account)");
}

TEST_F(RemoteIngest, ARerunUsesTheCacheAndMakesANewVersion) {
  LocalStore store(dir_.path() / "bucket");
  Ingest(store, kKaggle, "2025_06_03/19_56_03_000");
  Ingest(store, kHub, "2025_06_03/19_56_03_000");
  int storage_before = sources_.CountRequests("/blobs/");
  int resolves_before = sources_.CountRequests("/datasets/acme/songs/resolve/");
  IngestResult k = Ingest(store, kKaggle, "2025_06_04/10_00_00_000");
  IngestResult h = Ingest(store, kHub, "2025_06_04/10_00_00_000");
  EXPECT_EQ(sources_.CountRequests("/blobs/"), storage_before);
  EXPECT_EQ(sources_.CountRequests("/datasets/acme/songs/resolve/"), resolves_before);
  EXPECT_EQ(sources_.CountRequests("/api/v1/datasets/download/"), 1);
  EXPECT_EQ(k.files, 6u);
  EXPECT_EQ(h.files, 4u);
  EXPECT_EQ(store.Get("raw/songs/2025_06_04/10_00_00_000/data/train.parquet"), lfs_);
}

TEST_F(RemoteIngest, AnInterruptedDownloadResumesOnTheNextRun) {
  std::string big(3'000'000, '\0');  // random, so the zip stays as big
  std::mt19937 random(42);
  for (char& c : big) c = static_cast<char>(random());
  sources_.AddKaggleVersion("acme", "big", 1, testing::MakeZip({{"big.bin", big, ""}}));
  // The connection drops after 1 MB, then at once on every resume, until the attempts run out.
  sources_.Inject("/blobs/", FakeSources::Fault::kDrop, options_.http.max_attempts, 1'000'000);
  LocalStore store(dir_.path() / "bucket");
  std::string url = "https://www.kaggle.com/datasets/acme/big";
  EXPECT_NE(testing::ErrorOf([&] { Ingest(store, url); }).find("(after 6 attempts)"), std::string::npos);
  fs::path part = settings_.cache_dir / "kaggle/acme/big/1/big.zip.part";
  ASSERT_TRUE(fs::exists(part));
  uint64_t kept = fs::file_size(part);
  EXPECT_GT(kept, 0u);
  EXPECT_TRUE(store.List("raw/").empty());

  Ingest(store, url);
  EXPECT_EQ(store.Get("raw/big/2025_06_03/19_56_03_000/big.bin"), big);
  EXPECT_EQ(sources_.requests().back().range, "bytes=" + std::to_string(kept) + "-");
}

TEST_F(RemoteIngest, HuggingFaceRepoWithLfsFileAndPagedTree) {
  auto store = testing::MakeTestBucket("hub");
  IngestResult r = Ingest(*store, kHub);
  EXPECT_EQ(r.dataset, "songs");
  std::string version = "raw/songs/2025_06_03/19_56_03_000/";
  EXPECT_EQ(Keys(*store, version),
            (std::vector<std::string>{"README.md", "data/test.csv", "data/train.parquet", "extra/notes.txt"}));
  EXPECT_EQ(store->Get(version + "data/train.parquet"), lfs_);
  EXPECT_EQ(store->Get(version + "data/test.csv"), "id,title\n1,a\n");
  auto manifest = nlohmann::json::parse(store->Get("raw/songs/manifest.json"));
  EXPECT_EQ(manifest["revision"], commit_);
  EXPECT_GE(sources_.CountRequests("/api/datasets/acme/songs/tree/" + commit_), 4);  // 2 entries a page
  EXPECT_EQ(sources_.CountRequests("/api/datasets/acme/songs/revision/main"), 1);
}

TEST_F(RemoteIngest, HuggingFaceIncludeExcludeAndSubfolders) {
  LocalStore store(dir_.path() / "bucket");
  options_.include = {"data/", "*.md"};
  options_.exclude = {"*.parquet"};
  Ingest(store, kHub, "2025_06_03/19_56_03_000");
  EXPECT_EQ(Keys(store, "raw/songs/2025_06_03/19_56_03_000/"), (std::vector<std::string>{"README.md", "data/test.csv"}));
  EXPECT_EQ(sources_.CountRequests("/blobs/"), 0);  // the LFS file was never downloaded

  options_ = {};
  Ingest(store, kHub + "/tree/main/extra", "2025_06_03/19_56_04_000");
  EXPECT_EQ(Keys(store, "raw/songs/2025_06_03/19_56_04_000/"), std::vector<std::string>{"extra/notes.txt"});
  Ingest(store, kHub + "/blob/main/data/test.csv", "2025_06_03/19_56_05_000");
  EXPECT_EQ(Keys(store, "raw/songs/2025_06_03/19_56_05_000/"), std::vector<std::string>{"data/test.csv"});

  options_.include = {"nothing/*"};
  EXPECT_EQ(testing::ErrorOf([&] { Ingest(store, kHub, "2025_06_03/19_56_06_000"); }),
            "huggingface.co/datasets/acme/songs has no files --include/--exclude select");
}

TEST_F(RemoteIngest, GatedRepoAnswers401Then403) {
  sources_.AddHubRepo("meta", "gated", "main", commit_, {{"a.csv", "x", {}, false}}, true);
  LocalStore store(dir_.path() / "bucket");
  std::string url = "https://huggingface.co/datasets/meta/gated";
  EXPECT_EQ(testing::ErrorOf([&] { Ingest(store, url); }),
            "huggingface.co/datasets/meta/gated is gated: accept its conditions on its page, then set HF_TOKEN to a "
            "token of that account");
  settings_.hf_token = "hf_not_allowed";
  EXPECT_EQ(testing::ErrorOf([&] { Ingest(store, url); }),
            "huggingface.co/datasets/meta/gated is gated: accept its conditions on its page, then set HF_TOKEN to a "
            "token of that account (the token sent has no access)");
  EXPECT_TRUE(store.List("raw/").empty());
  settings_.hf_token = sources_.hf_token;
  EXPECT_EQ(Ingest(store, url).files, 1u);
}

TEST_F(RemoteIngest, UnknownRepoRevisionOrPathAreNotFound) {
  LocalStore store(dir_.path() / "bucket");
  EXPECT_EQ(testing::ErrorOf([&] { Ingest(store, "https://huggingface.co/datasets/acme/nope"); }),
            "no Hugging Face dataset acme/nope (or it is private: set HF_TOKEN)");
  EXPECT_EQ(testing::ErrorOf([&] { Ingest(store, kHub + "/tree/v9"); }),
            "no revision 'v9' in huggingface.co/datasets/acme/songs");
  EXPECT_EQ(testing::ErrorOf([&] { Ingest(store, kHub + "/tree/main/missing"); }),
            "no 'missing' at " + commit_ + " in huggingface.co/datasets/acme/songs");
}

TEST_F(RemoteIngest, FailuresMidwayLeaveTheManifestAndNoVersion) {
  auto store = testing::MakeTestBucket("hubfail");
  IngestResult first = Ingest(*store, kHub, "2025_06_03/19_56_03_000");
  std::string manifest = store->Get("raw/songs/manifest.json");
  sources_.AddHubRepo("acme", "songs", "main", std::string(40, 'e'),
                      {{"data/new.csv", "new", {}, false}, {"data/broken.csv", "broken", {}, false}});
  sources_.Inject("/datasets/acme/songs/resolve/" + std::string(40, 'e') + "/data/broken.csv",
                  FakeSources::Fault::kStatus500, 100);
  EXPECT_NE(testing::ErrorOf([&] { Ingest(*store, kHub, "2025_06_03/19_56_04_000"); }).find("HTTP 500"),
            std::string::npos);
  EXPECT_EQ(store->Get("raw/songs/manifest.json"), manifest);
  EXPECT_TRUE(store->List("raw/songs/2025_06_03/19_56_04_000/").empty());
  EXPECT_FALSE(store->List("raw/songs/2025_06_03/19_56_03_000/").empty()) << first.version_uri;
}

TEST_F(RemoteIngest, ZipSlipArchiveIsRefusedAndNothingIsUploaded) {
  sources_.AddKaggleVersion("evil", "slip", 1, testing::MakeZip({{"ok.csv", "fine", ""}, {"../evil", "x", ""}}));
  sources_.AddKaggleVersion("evil", "link", 1, testing::MakeZip({{"passwd", "", "/etc/passwd"}}));
  sources_.AddKaggleVersion("evil", "abs", 1, testing::MakeZip({{(dir_.path() / "abs-evil").string(), "x", ""}}));
  LocalStore store(dir_.path() / "bucket");
  EXPECT_EQ(testing::ErrorOf([&] { Ingest(store, "https://www.kaggle.com/datasets/evil/slip"); }),
            "refusing to unpack slip.zip: entry '../evil' climbs out with '..'");
  EXPECT_NE(testing::ErrorOf([&] { Ingest(store, "https://www.kaggle.com/datasets/evil/link"); })
                .find("symlink 'passwd' points outside"),
            std::string::npos);
  EXPECT_NE(testing::ErrorOf([&] { Ingest(store, "https://www.kaggle.com/datasets/evil/abs"); })
                .find("is an absolute path"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(dir_.path() / "abs-evil"));
  EXPECT_TRUE(store.List("raw/").empty());
  EXPECT_FALSE(fs::exists(settings_.cache_dir / "kaggle" / "evil" / "slip" / "1" / "evil"));
  EXPECT_FALSE(fs::exists(settings_.cache_dir / "kaggle" / "evil" / "slip" / "1" / "files"));
}

}  // namespace
}  // namespace dlctl
