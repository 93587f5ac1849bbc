#pragma once
// A mart schema published as files: every table (and, when asked, every view) of one schema at
// one snapshot, written by the engine straight into a new version
//   exports/<catalog>/<schema>/YYYY_MM_DD/HH_mm_SS_sss/{nodes/,edges/,}<table>.<format>
// and exports/<catalog>/<schema>/manifest.json written last, naming the snapshot, the tables,
// their row counts and files.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "storage/object_store.h"
#include "util/clock.h"

namespace dlctl {

enum class ExportFormat { kParquet, kCsv, kJson };

// "parquet", "csv" or "json"; anything else is a UsageError.
ExportFormat ParseExportFormat(const std::string& name);
const char* ExportFormatName(ExportFormat format);

struct ExportOptions {
  std::string catalog;  // a mart catalog: "graphs"
  std::string schema;
  ExportFormat format = ExportFormat::kParquet;
  std::optional<int64_t> snapshot;  // the latest when empty
  bool include_views = false;
  // A table whose file would grow past this is written as parts <table>/part_<i>.<format>.
  uint64_t max_file_bytes = uint64_t{1} << 30;
};

struct ExportedFile {
  std::string path;  // relative to the version folder: "nodes/users.parquet"
  uint64_t size = 0;
};

struct ExportedTable {
  std::string name;
  std::string kind;  // "table" or "view"
  int64_t rows = 0;
  std::vector<ExportedFile> files;  // one, or the parts of a large table
};

struct ExportResult {
  std::string dataset;      // "<catalog>/<schema>"
  std::string version_uri;  // what the manifest now points to
  int64_t snapshot_id = 0;
  std::vector<ExportedTable> tables;
};

// "nodes/" when the name contains "nodes", else "edges/" when it contains "edges", else "" (the
// original's routing, which the graph loader relies on).
std::string ExportFolderFor(const std::string& table_name);

// Exports one schema. Throws UsageError for a catalog that is not a configured mart, NotFoundError
// for a missing catalog file, snapshot or schema, Error for a schema with nothing to export or a
// table that cannot be written; on every failure the files written so far are removed and the
// manifest is left as it was.
ExportResult ExportDataset(const Settings& settings, std::shared_ptr<ObjectStore> store, const ExportOptions& options,
                           TimePoint now);

}  // namespace dlctl
