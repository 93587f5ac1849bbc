#pragma once
// The files a catalog's metadata knows about, in every snapshot it still holds: what
// `lake verify` checks, `lake expire` schedules and `lake cleanup` removes.
#include <cstdint>
#include <string>
#include <vector>

#include "lake/metadata/metadata_store.h"

namespace dlctl::lake {

struct CatalogFile {
  enum class Kind { kData, kDelete };
  Kind kind = Kind::kData;
  int64_t id = 0;  // data_file_id or delete_file_id
  int64_t table_id = 0;
  std::string table;  // "schema.table" (its latest name), for messages
  std::string path;   // resolved: absolute path or s3:// URI
  int64_t size = 0;   // file_size_bytes as recorded
};

struct ScheduledFile {
  int64_t data_file_id = 0;
  std::string path;  // resolved
  std::string schedule_start;
};

// Every data and delete file row of the catalog, paths resolved against `data_path` (ends with '/').
std::vector<CatalogFile> ReferencedFiles(MetadataStore& store, const std::string& data_path);

// The rows of ducklake_files_scheduled_for_deletion, paths resolved against `data_path`.
std::vector<ScheduledFile> ScheduledFiles(MetadataStore& store, const std::string& data_path);

// The time a DuckLake file name carries: "ducklake-<uuidv7>[-delete].parquet" -> microseconds
// since the epoch; -1 for names without a version-7 UUID.
int64_t FileNameTimeMicros(const std::string& path);

}  // namespace dlctl::lake
