#include "tools/sample_data.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "support/error_of.h"
#include "support/test_env.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;

const std::vector<std::string> kFiles = {
    "deezer-social-networks/HR/HR_edges.csv", "deezer-social-networks/HR/HR_genres.json",
    "deezer-social-networks/HU/HU_edges.csv", "deezer-social-networks/HU/HU_genres.json",
    "deezer-social-networks/RO/RO_edges.csv", "deezer-social-networks/RO/RO_genres.json",
    "million-song-dataset-spotify-lastfm/Music Info.csv",
    "million-song-dataset-spotify-lastfm/User Listening History.csv"};

std::vector<std::string> Lines(const fs::path& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The fields of one CSV line ("" escapes a quote inside a quoted field).
std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

class SampleDataTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    datasets_ = GenerateSampleData(dir_->path(), {0.002, 7});
  }
  static void TearDownTestSuite() { delete dir_; }
  static fs::path Path(const std::string& relative) { return dir_->path() / relative; }
  static TempDir* dir_;
  static std::vector<SampleDataset> datasets_;
};
TempDir* SampleDataTest::dir_ = nullptr;
std::vector<SampleDataset> SampleDataTest::datasets_;

TEST_F(SampleDataTest, WritesTheKaggleFileLayoutAndNothingElse) {
  std::set<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(dir_->path()))
    if (entry.is_regular_file()) found.insert(fs::relative(entry.path(), dir_->path()).generic_string());
  EXPECT_EQ(found, std::set<std::string>(kFiles.begin(), kFiles.end()));
  ASSERT_EQ(datasets_.size(), 2u);
  EXPECT_EQ(datasets_[0].folder, dir_->path() / "deezer-social-networks");
  EXPECT_EQ(datasets_[1].folder, dir_->path() / "million-song-dataset-spotify-lastfm");
  EXPECT_EQ(datasets_[0].files.size(), 6u);
  EXPECT_EQ(datasets_[1].files.size(), 2u);
}

TEST_F(SampleDataTest, HeadersAreTheDatasets) {
  EXPECT_EQ(Lines(Path(kFiles[0]))[0], "node_1,node_2");
  EXPECT_EQ(Lines(Path(kFiles[6]))[0],
            "track_id,name,artist,spotify_preview_url,spotify_id,tags,genre,year,duration_ms,danceability,energy,"
            "key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature");
  EXPECT_EQ(Lines(Path(kFiles[7]))[0], "track_id,user_id,playcount");
}

TEST_F(SampleDataTest, RowCountsFollowTheScale) {
  EXPECT_EQ(Lines(Path(kFiles[0])).size(), 1u + 996);  // round(498202 * 0.002)
  EXPECT_EQ(Lines(Path(kFiles[2])).size(), 1u + 446);
  EXPECT_EQ(Lines(Path(kFiles[4])).size(), 1u + 252);
  EXPECT_EQ(Lines(Path(kFiles[6])).size(), 1u + 101);  // round(50683 * 0.002) tracks
  EXPECT_EQ(Lines(Path(kFiles[7])).size(), 1u + 19423);
  EXPECT_EQ(datasets_[1].files[1].rows, 19423u);
  EXPECT_EQ(datasets_[0].files[1].rows, 109u);  // HR users: round(54573 * 0.002)
}

TEST_F(SampleDataTest, DeezerEdgesJoinUsersThatHaveGenres) {
  for (const char* country : {"HR", "HU", "RO"}) {
    std::string dir = std::string("deezer-social-networks/") + country + "/" + country;
    nlohmann::json genres = nlohmann::json::parse(ReadFile(Path(dir + "_genres.json")));
    ASSERT_TRUE(genres.is_object());
    for (const auto& [user, list] : genres.items()) {
      ASSERT_TRUE(list.is_array());
      EXPECT_FALSE(list.empty()) << user;
      std::set<std::string> distinct(list.begin(), list.end());
      EXPECT_EQ(distinct.size(), list.size()) << user;
    }
    std::set<std::pair<long, long>> pairs;
    std::vector<std::string> lines = Lines(Path(dir + "_edges.csv"));
    for (size_t i = 1; i < lines.size(); ++i) {
      std::vector<std::string> f = CsvFields(lines[i]);
      ASSERT_EQ(f.size(), 2u) << lines[i];
      long a = std::stol(f[0]), b = std::stol(f[1]);
      EXPECT_LT(a, b) << lines[i];
      EXPECT_TRUE(genres.contains(f[0]) && genres.contains(f[1])) << lines[i];
      EXPECT_TRUE(pairs.insert({a, b}).second) << "repeated " << lines[i];
    }
  }
}

TEST_F(SampleDataTest, MusicInfoRowsParseAndListeningHistoryPointsAtThem) {
  std::vector<std::string> info = Lines(Path(kFiles[6]));
  std::set<std::string> tracks;
  bool some_quoted = false;
  for (size_t i = 1; i < info.size(); ++i) {
    std::vector<std::string> f = CsvFields(info[i]);
    ASSERT_EQ(f.size(), 21u) << info[i];
    EXPECT_EQ(f[0].size(), 18u);
    EXPECT_EQ(f[0].substr(0, 2), "TR");
    EXPECT_TRUE(tracks.insert(f[0]).second) << "repeated track " << f[0];
    EXPECT_EQ(f[4].size(), 22u);  // spotify_id
    int year = std::stoi(f[7]);
    EXPECT_TRUE(year >= 1950 && year <= 2019) << year;
    EXPECT_GE(std::stod(f[9]), 0.0);
    EXPECT_LT(std::stod(f[12]), 0.0);  // loudness
    some_quoted = some_quoted || info[i].find('"') != std::string::npos;
  }
  EXPECT_TRUE(some_quoted);
  std::vector<std::string> history = Lines(Path(kFiles[7]));
  std::set<std::pair<std::string, std::string>> pairs;
  for (size_t i = 1; i < history.size(); ++i) {
    std::vector<std::string> f = CsvFields(history[i]);
    ASSERT_EQ(f.size(), 3u);
    EXPECT_TRUE(tracks.count(f[0])) << f[0];
    EXPECT_EQ(f[1].size(), 40u);
    EXPECT_GE(std::stol(f[2]), 1);
    EXPECT_TRUE(pairs.insert({f[0], f[1]}).second) << "repeated " << history[i];
  }
}

TEST(SampleData, SameSeedSameBytesOtherSeedOtherBytes) {
  TempDir a, b, c;
  GenerateSampleData(a.path(), {0.001, 99});
  GenerateSampleData(b.path(), {0.001, 99});
  GenerateSampleData(c.path(), {0.001, 100});
  for (const auto& file : kFiles) {
    std::string first = ReadFile(a.path() / file);
    EXPECT_FALSE(first.empty()) << file;
    EXPECT_EQ(first, ReadFile(b.path() / file)) << file;
    EXPECT_NE(first, ReadFile(c.path() / file)) << file;
  }
}

TEST(SampleData, ScaleMustBePositiveAndReasonable) {
  TempDir dir;
  EXPECT_EQ(testing::ErrorOf([&] { GenerateSampleData(dir.path(), {0, 1}); }),
            "--scale must be greater than 0 and at most 10 (got 0)");
  EXPECT_EQ(testing::ErrorOf([&] { GenerateSampleData(dir.path(), {-0.5, 1}); }),
            "--scale must be greater than 0 and at most 10 (got -0.5)");
  EXPECT_THROW(GenerateSampleData(dir.path(), {11, 1}), UsageError);
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(SampleData, TinyScalesStillWriteEveryFile) {
  TempDir dir;
  GenerateSampleData(dir.path(), {0.00001, 3});
  for (const auto& file : kFiles) EXPECT_GE(Lines(dir.path() / file).size(), 1u) << file;
  EXPECT_EQ(Lines(dir.path() / kFiles[6]).size(), 2u);   // one track
  EXPECT_EQ(Lines(dir.path() / kFiles[7]).size(), 98u);  // round(9711301 * 0.00001) rows: one per user
}

}  // namespace
}  // namespace dlctl
