#pragma once
// The lab the torture suite kills commands in: the example project in transform/ built from tiny
// sample data as `make demo` builds it (ingested, transformed, exported, backed up, loaded into
// Kùzu with embeddings), a manual dataset of a few files (on S3 one of them big enough for a
// multipart upload), and a table for lake writes; on the local default or on a fresh bucket of the
// test S3 server.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/dlctl_project.h"
#include "support/run_command.h"

namespace dlctl::testing {

// The manual dataset the ingest trials upload again and again, and the lake-write trials' table.
inline constexpr const char* kTortureDataset = "torture_files";
inline constexpr const char* kTortureTable = "stage.torture.t";
// The graph mart and graph the export and graph trials work on.
inline constexpr const char* kMartSchema = "music_taste";
// Small embeddings, computed quickly, as the lab's setup and the trials compute them.
inline const std::vector<std::string> kEmbeddingsArgs = {"graph", "compute", "embeddings", kMartSchema, "-d", "8",
                                                         "-e", "2", "--seed", "1"};

class TortureLab {
 public:
  // Builds the lab; throws std::runtime_error naming the step that failed.
  explicit TortureLab(Bucket bucket);

  Bucket bucket() const { return bucket_; }
  const DlctlProject& project() const { return project_; }
  const std::filesystem::path& dir() const { return project_.dir(); }

  CommandResult Run(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env = {}) const;
  KilledCommandResult RunKilledAfter(const std::vector<std::string>& args, double seconds) const;

  // The source folder of each raw dataset ingested from local files, by dataset name.
  const std::map<std::string, std::filesystem::path>& raw_sources() const { return raw_sources_; }

  // What a failure report names: the lab's folder, and its bucket on S3.
  std::string Describe() const;

 private:
  void Step(const std::vector<std::string>& args);

  Bucket bucket_;
  DlctlProject project_;
  std::map<std::string, std::filesystem::path> raw_sources_;
};

}  // namespace dlctl::testing
