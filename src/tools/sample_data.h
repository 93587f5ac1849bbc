#pragma once
// Seeded sample data shaped like the two Kaggle datasets of the example transform project:
//   deezer-social-networks/{HR,HU,RO}/{XX}_edges.csv (node_1,node_2) and {XX}_genres.json
//   million-song-dataset-spotify-lastfm/Music Info.csv and User Listening History.csv
// Scale 1.0 is about the real sizes (498,202 HR edges; 9,711,301 listening rows). The same
// seed and scale give the same bytes.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace dlctl {

struct SampleDataOptions {
  double scale = 0.1;
  uint64_t seed = 42;
};

struct SampleFile {
  std::filesystem::path path;
  uint64_t rows = 0;  // data rows (CSV lines after the header; JSON object entries)
};

struct SampleDataset {
  std::filesystem::path folder;  // OUT_DIR/<Kaggle slug>: ingest it with `dlctl ingest dataset FOLDER`
  std::vector<SampleFile> files;
};

inline constexpr const char* kDeezerFolder = "deezer-social-networks";
inline constexpr const char* kMillionSongFolder = "million-song-dataset-spotify-lastfm";

// Writes both datasets under `out_dir` (created if needed); each file is written to a temporary
// name and renamed, so a file is either complete or absent. UsageError for a scale outside
// (0, 10].
std::vector<SampleDataset> GenerateSampleData(const std::filesystem::path& out_dir, const SampleDataOptions& options);

}  // namespace dlctl
