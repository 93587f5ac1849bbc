#include "lake/maintenance/catalog_verify.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "lake/maintenance/catalog_files.h"

namespace dlctl::lake {

namespace {

const char* KindName(CatalogFile::Kind kind) { return kind == CatalogFile::Kind::kData ? "data" : "delete"; }

// The size of a file outside the bucket listing; nullopt when it does not exist.
std::optional<uint64_t> SizeOutsideListing(ObjectStore& store, const std::string& path, std::string* why_unknown) {
  if (auto key = store.KeyOf(path)) {
    auto info = store.Head(*key);
    return info ? std::optional<uint64_t>(info->size) : std::nullopt;
  }
  if (path.rfind("s3://", 0) == 0) {
    *why_unknown = "outside the configured bucket, cannot be checked";
    return std::nullopt;
  }
  std::error_code error;
  auto size = std::filesystem::file_size(path, error);
  return error ? std::nullopt : std::optional<uint64_t>(size);
}

}  // namespace

VerifyReport VerifyCatalog(MetadataStore& catalog, ObjectStore& store, const std::string& data_path) {
  VerifyReport report;
  // One listing of the data path answers for almost every file: no request per file on S3.
  std::unordered_map<std::string, uint64_t> listed;
  auto data_key = store.KeyOf(data_path);
  if (data_key)
    for (ObjectInfo& object : store.List(*data_key)) listed.emplace(store.Uri(object.key), object.size);

  std::vector<CatalogFile> files = ReferencedFiles(catalog, data_path);
  std::unordered_set<int64_t> data_file_ids;
  std::unordered_set<std::string> known_paths;
  for (const CatalogFile& file : files) {
    if (file.kind == CatalogFile::Kind::kData) data_file_ids.insert(file.id);
    known_paths.insert(file.path);
  }
  std::unordered_set<int64_t> table_ids;
  for (const Row& row : catalog.Query("SELECT DISTINCT table_id FROM ducklake_table")) table_ids.insert(row.Int(0));

  for (const CatalogFile& file : files) {
    ++report.files_checked;
    std::string what = fmt::format("{} file {} of {}", KindName(file.kind), file.id,
                                   file.table.empty() ? fmt::format("table {}", file.table_id) : file.table);
    if (!table_ids.count(file.table_id))
      report.problems.push_back({file.path, fmt::format("{} belongs to table {}, which the catalog does not have", what,
                                                        file.table_id)});
    std::optional<uint64_t> size;
    std::string why_unknown;
    if (auto found = listed.find(file.path); found != listed.end())
      size = found->second;
    else
      size = SizeOutsideListing(store, file.path, &why_unknown);
    if (!size) {
      report.problems.push_back({file.path, why_unknown.empty() ? "missing (" + what + ")" : what + " is " + why_unknown});
    } else if (static_cast<int64_t>(*size) != file.size) {
      report.problems.push_back(
          {file.path, fmt::format("size {} bytes, the catalog says {} ({})", *size, file.size, what)});
    }
  }
  for (const Row& row : catalog.Query("SELECT delete_file_id, data_file_id FROM ducklake_delete_file"))
    if (!data_file_ids.count(row.Int(1)))
      report.problems.push_back({"", fmt::format("delete file {} applies to data file {}, which the catalog does not have",
                                                 row.Int(0), row.Int(1))});

  for (const ScheduledFile& file : ScheduledFiles(catalog, data_path)) known_paths.insert(file.path);
  for (const auto& [path, size] : listed)
    if (!known_paths.count(path)) report.orphans.push_back({path, size});
  std::sort(report.orphans.begin(), report.orphans.end(),
            [](const OrphanFile& a, const OrphanFile& b) { return a.path < b.path; });
  return report;
}

}  // namespace dlctl::lake
