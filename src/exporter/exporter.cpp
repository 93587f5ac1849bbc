#include "exporter/exporter.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "lake/lakehouse.h"
#include "storage/versioned_datasets.h"
#include "util/error.h"
#include "util/progress.h"
#include "util/sql_quote.h"

namespace dlctl {
namespace {

struct ExportObject {
  std::string name;
  std::string kind;  // "table" or "view"
};

void CheckMartCatalog(const Settings& settings, const std::string& name) {
  const CatalogSettings* catalog = settings.FindCatalog(name);
  if (catalog && catalog->is_mart) return;
  std::string marts;
  for (const auto& c : settings.catalogs)
    if (c.is_mart) marts += (marts.empty() ? "" : ", ") + c.name;
  throw UsageError("'" + name + "' is not a mart catalog (configured marts: " + (marts.empty() ? "none" : marts) +
                   ")");
}

std::vector<ExportObject> ObjectsToExport(const lake::SchemaInfo& schema, bool include_views) {
  std::vector<ExportObject> objects;
  for (const auto& table : schema.tables) objects.push_back({table.name, "table"});
  if (include_views)
    for (const auto& view : schema.views) objects.push_back({view.name, "view"});
  std::sort(objects.begin(), objects.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return objects;
}

std::string CopyOptions(ExportFormat format) {
  switch (format) {
    case ExportFormat::kParquet:
      return "FORMAT parquet";
    case ExportFormat::kCsv:
      return "FORMAT csv, HEADER true";
    case ExportFormat::kJson:
      return "FORMAT json";
  }
  return "";
}

int64_t RowCount(const QueryResult& result) {
  if (result.rows.size() != 1 || result.rows[0].empty() || !result.rows[0][0])
    throw Error("the engine reported no row count");
  return std::stoll(*result.rows[0][0]);
}

// Streams one table or view into `<version>/<folder><name>.<format>`: the engine writes parts of
// at most max_file_bytes into a folder of that name, and a lone part (the usual case) is then
// moved to the plain file name. Nothing passes through memory or local disk as a whole.
ExportedTable ExportObjectFiles(Engine& engine, ObjectStore& store, const Settings& settings,
                                const ExportOptions& options, const std::string& version_key,
                                const ExportObject& object) {
  std::string qualified = SqlIdentifier(options.catalog) + "." + SqlIdentifier(options.schema) + "." +
                          SqlIdentifier(object.name);
  std::string relative = ExportFolderFor(object.name) + object.name;
  std::string extension = std::string(".") + ExportFormatName(options.format);
  std::string parts_key = version_key + "/" + relative;
  auto uri = [&](const std::string& key) { return "s3://" + settings.bucket + "/" + key; };

  ExportedTable table{object.name, object.kind, 0, {}};
  table.rows = RowCount(engine.Query(fmt::format("COPY (SELECT * FROM {}) TO {} ({}, FILE_SIZE_BYTES {}, "
                                                 "FILENAME_PATTERN 'part_{{i}}')",
                                                 qualified, SqlLiteral(uri(parts_key)), CopyOptions(options.format),
                                                 options.max_file_bytes)));
  std::vector<ObjectInfo> parts = store.List(parts_key + "/");
  if (parts.size() == 1) {
    std::string file_key = parts_key + extension;
    store.Copy(parts[0].key, file_key);
    store.Delete(parts[0].key);
    table.files.push_back({relative + extension, parts[0].size});
  } else if (parts.empty()) {
    // Nothing was rotated into the folder (an empty result): one file with the header or schema.
    engine.Query(fmt::format("COPY (SELECT * FROM {}) TO {} ({})", qualified,
                             SqlLiteral(uri(parts_key + extension)), CopyOptions(options.format)));
    auto head = store.Head(parts_key + extension);
    if (!head) throw Error("the engine wrote no file");
    table.files.push_back({relative + extension, head->size});
  } else {
    for (const auto& part : parts)
      table.files.push_back({part.key.substr(version_key.size() + 1), part.size});
  }
  return table;
}

nlohmann::json ManifestExtra(const ExportOptions& options, const lake::SnapshotInfo& snapshot,
                             const std::vector<ExportedTable>& tables) {
  nlohmann::json list = nlohmann::json::array();
  int64_t rows = 0;
  uint64_t bytes = 0;
  for (const auto& table : tables) {
    nlohmann::json files = nlohmann::json::array();
    uint64_t table_bytes = 0;
    for (const auto& file : table.files) {
      files.push_back({{"path", file.path}, {"size", file.size}});
      table_bytes += file.size;
    }
    list.push_back({{"name", table.name}, {"kind", table.kind}, {"rows", table.rows}, {"bytes", table_bytes},
                    {"files", files}});
    rows += table.rows;
    bytes += table_bytes;
  }
  return {{"catalog", options.catalog}, {"schema", options.schema},           {"format", ExportFormatName(options.format)},
          {"snapshot_id", snapshot.id}, {"snapshot_time", snapshot.time},     {"tables", list},
          {"rows", rows},               {"bytes", bytes}};
}

}  // namespace

ExportFormat ParseExportFormat(const std::string& name) {
  if (name == "parquet") return ExportFormat::kParquet;
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "json") return ExportFormat::kJson;
  throw UsageError("--format must be parquet, csv or json (got '" + name + "')");
}

const char* ExportFormatName(ExportFormat format) {
  switch (format) {
    case ExportFormat::kParquet:
      return "parquet";
    case ExportFormat::kCsv:
      return "csv";
    case ExportFormat::kJson:
      return "json";
  }
  return "";
}

std::string ExportFolderFor(const std::string& table_name) {
  if (table_name.find("nodes") != std::string::npos) return "nodes/";
  if (table_name.find("edges") != std::string::npos) return "edges/";
  return "";
}

ExportResult ExportDataset(const Settings& settings, std::shared_ptr<ObjectStore> store, const ExportOptions& options,
                           TimePoint now) {
  CheckMartCatalog(settings, options.catalog);
  if (options.max_file_bytes == 0) throw UsageError("the file size limit of an export must be positive");
  lake::Lakehouse lakehouse(settings);
  lake::CatalogReader& reader = lakehouse.reader(options.catalog);
  lake::SnapshotSelector at;
  at.id = options.snapshot;
  lake::SnapshotInfo snapshot = reader.ResolveSnapshot(at);
  at.id = snapshot.id;
  lake::CatalogState state = reader.Load(at, false);
  const lake::SchemaInfo* schema = state.FindSchema(options.schema);
  if (!schema)
    throw NotFoundError(fmt::format("catalog {} has no schema '{}' at snapshot {}", options.catalog, options.schema,
                                    snapshot.id));
  std::vector<ExportObject> objects = ObjectsToExport(*schema, options.include_views);
  if (objects.empty())
    throw Error(fmt::format("nothing to export: {}.{} has no tables at snapshot {}{}", options.catalog,
                            options.schema, snapshot.id,
                            schema->views.empty() || options.include_views ? "" : " (it has views: add --views)"));

  // A private in-memory engine: the lake at the chosen snapshot is all an export reads.
  Engine engine(store, settings);
  lakehouse.Attach(engine, {}, {{options.catalog, at}});

  ExportResult result;
  result.dataset = options.catalog + "/" + options.schema;
  result.snapshot_id = snapshot.id;
  VersionedDatasets exports(*store, settings.exports_prefix, 2);
  std::string version_key = exports.BeginVersion(result.dataset, now);
  ProgressLine progress("export " + options.catalog + "." + options.schema + ":");
  try {
    for (const auto& object : objects) {
      progress.Update(fmt::format("{} ({} of {})", object.name, result.tables.size() + 1, objects.size()), true);
      try {
        result.tables.push_back(ExportObjectFiles(engine, *store, settings, options, version_key, object));
      } catch (const Error& e) {
        throw Error(fmt::format("cannot export {} {}.{}.{}: {}", object.kind, options.catalog, options.schema,
                                object.name, e.what()),
                    e.exit_code());
      }
    }
    exports.Publish(result.dataset, version_key, ManifestExtra(options, snapshot, result.tables));
  } catch (...) {
    try {
      exports.RemoveVersion(version_key);
    } catch (const std::exception&) {
      // The first failure is the one to report; prune removes what is left.
    }
    throw;
  }
  result.version_uri = store->Uri(version_key);
  return result;
}

}  // namespace dlctl
