#include "torture/torture_invariants.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "storage/versioned_datasets.h"
#include "support/test_env.h"

namespace dlctl::testing {
namespace fs = std::filesystem;

namespace {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

// The last non-empty line of a command's stderr: its error message.
std::string LastLine(const std::string& text) {
  std::string last, line;
  std::istringstream lines(text);
  while (std::getline(lines, line))
    if (!line.empty()) last = line;
  return last.empty() ? "(no message)" : last;
}

std::string Joined(const std::vector<std::string>& args) {
  std::string text;
  for (const auto& arg : args) text += (text.empty() ? "" : " ") + arg;
  return text;
}

// The rows of `dlctl query -f csv` output (header dropped), each split at commas (the values
// asked for here hold none).
std::vector<std::vector<std::string>> CsvRows(const std::string& out) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(out);
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    rows.push_back(std::move(cells));
  }
  return rows;
}

// Data files of a version, by key relative to it (placeholders and manifests left out).
std::map<std::string, ObjectInfo> VersionFiles(ObjectStore& store, const std::string& version_key) {
  std::map<std::string, ObjectInfo> files;
  for (const auto& object : store.List(version_key + "/"))
    if (!IsIgnoredFileName(object.key)) files[object.key.substr(version_key.size() + 1)] = object;
  return files;
}

// The version a manifest names carries its completion mark (storage/versioned_datasets.h).
void CheckCompletionMark(ObjectStore& store, const Manifest& manifest, const std::string& where,
                         std::vector<std::string>& problems) {
  if (!store.Head(VersionedDatasets::CompleteMarkKey(manifest.latest_key)))
    problems.push_back(where + ", which has no completion mark");
}

}  // namespace

InvariantChecker::InvariantChecker(const TortureLab& lab)
    : lab_(lab), settings_(lab.project().settings()), store_(lab.project().store()) {}

std::vector<std::string> InvariantChecker::CheckManifests() {
  std::vector<std::string> problems;
  using Check = std::vector<std::string> (InvariantChecker::*)();
  for (Check check : {&InvariantChecker::CheckRawManifests, &InvariantChecker::CheckExportManifests,
                      &InvariantChecker::CheckBackupManifest}) {
    try {
      for (auto& problem : (this->*check)()) problems.push_back(std::move(problem));
    } catch (const std::exception& e) {
      problems.push_back(std::string("reading the manifests failed: ") + e.what());
    }
  }
  return problems;
}

std::vector<std::string> InvariantChecker::CheckRawManifests() {
  std::vector<std::string> problems;
  VersionedDatasets raw(*store_, settings_.ingest_prefix);
  for (const auto& name : raw.Names()) {
    auto manifest = raw.ReadManifest(name);
    if (!manifest) continue;  // nothing published yet
    std::map<std::string, ObjectInfo> files = VersionFiles(*store_, manifest->latest_key);
    std::string where = fmt::format("raw manifest of {} names {}", name, manifest->latest_uri);
    CheckCompletionMark(*store_, *manifest, where, problems);
    auto source = lab_.raw_sources().find(name);
    if (source == lab_.raw_sources().end()) {
      if (files.empty()) problems.push_back(where + ", which holds no files");
      continue;
    }
    // The published version holds exactly the source's files, with their sizes and bytes.
    size_t expected_files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(source->second)) {
      if (!entry.is_regular_file()) continue;
      ++expected_files;
      std::string key = entry.path().lexically_relative(source->second).generic_string();
      auto found = files.find(key);
      if (found == files.end()) {
        problems.push_back(fmt::format("{}, which lacks {}", where, key));
      } else if (found->second.size != entry.file_size()) {
        problems.push_back(fmt::format("{}, whose {} has {} bytes, not {}", where, key, found->second.size,
                                       entry.file_size()));
      } else if (!verified_.count(found->second.key)) {
        if (store_->Get(found->second.key) != ReadFile(entry.path()))
          problems.push_back(fmt::format("{}, whose {} differs from the file ingested", where, key));
        else
          verified_.insert(found->second.key);
      }
    }
    if (files.size() != expected_files)
      problems.push_back(fmt::format("{}, which holds {} files, not the {} ingested", where, files.size(),
                                     expected_files));
  }
  return problems;
}

std::vector<std::string> InvariantChecker::CheckExportManifests() {
  std::vector<std::string> problems;
  VersionedDatasets exports(*store_, settings_.exports_prefix, 2);
  for (const auto& name : exports.Names()) {
    auto manifest = exports.ReadManifest(name);
    if (!manifest) continue;
    std::string where = fmt::format("export manifest of {} names {}", name, manifest->latest_uri);
    CheckCompletionMark(*store_, *manifest, where, problems);
    size_t listed = 0;
    for (const auto& table : manifest->json.at("tables")) {
      for (const auto& file : table.at("files")) {
        ++listed;
        std::string path = file.at("path").get<std::string>();
        uint64_t size = file.at("size").get<uint64_t>();
        auto head = store_->Head(manifest->latest_key + "/" + path);
        if (!head)
          problems.push_back(fmt::format("{}, which lacks {}", where, path));
        else if (head->size != size)
          problems.push_back(fmt::format("{}, whose {} has {} bytes, not the {} listed", where, path, head->size, size));
      }
    }
    if (listed == 0) problems.push_back(where + " and lists no files");
  }
  return problems;
}

std::vector<std::string> InvariantChecker::CheckBackupManifest() {
  std::vector<std::string> problems;
  VersionedDatasets backups(*store_, settings_.backups_prefix);
  auto manifest = backups.ReadManifest("catalog");
  if (!manifest) return {"no backup is published (the lab made one)"};
  std::string where = "backup manifest names " + manifest->latest_uri;
  CheckCompletionMark(*store_, *manifest, where, problems);
  std::string listing;
  try {
    listing = store_->Get(manifest->latest_key + "/manifest.json");
  } catch (const std::exception& e) {
    return {fmt::format("{}, whose own manifest.json cannot be read: {}", where, e.what())};
  }
  nlohmann::json files = nlohmann::json::parse(listing).at("files");
  if (files.empty()) problems.push_back(where + ", which lists no files");
  for (const auto& file : files) {
    std::string key = manifest->latest_key + "/" + file.at("path").get<std::string>();
    uint64_t size = file.at("size").get<uint64_t>();
    auto head = store_->Head(key);
    if (!head) {
      problems.push_back(fmt::format("{}, which lacks {}", where, file.at("path").get<std::string>()));
    } else if (head->size != size) {
      problems.push_back(fmt::format("{}, whose {} has {} bytes, not the {} listed", where,
                                     file.at("path").get<std::string>(), head->size, size));
    } else if (!verified_.count(key)) {
      if (Sha256Hex(store_->Get(key)) != file.at("sha256").get<std::string>())
        problems.push_back(fmt::format("{}, whose {} does not match its SHA-256", where, file.at("path").get<std::string>()));
      else
        verified_.insert(key);
    }
  }
  return problems;
}

std::vector<std::string> InvariantChecker::VerifyCatalogs(const std::map<std::string, std::string>& env,
                                                          const std::string& where) {
  std::vector<std::string> problems;
  for (const auto& catalog : settings_.catalogs) {
    CommandResult verify = lab_.Run({"lake", "verify", catalog.name}, env);
    if (verify.exit_code != 0)
      problems.push_back(fmt::format("`dlctl lake verify {}`{} exited {}: {}", catalog.name, where, verify.exit_code,
                                     LastLine(verify.err)));
  }
  return problems;
}

std::vector<std::string> InvariantChecker::CheckCatalogs() {
  std::vector<std::string> problems = VerifyCatalogs({}, "");
  std::string names;
  for (const auto& catalog : settings_.catalogs) names += (names.empty() ? "'" : ", '") + catalog.name + "'";
  std::vector<std::string> list = {"query", "-f", "csv",
                                   "SELECT database_name, schema_name, table_name FROM duckdb_tables() WHERE "
                                   "database_name IN (" + names + ") ORDER BY ALL"};
  CommandResult tables = lab_.Run(list);
  if (tables.exit_code != 0) {
    problems.push_back(fmt::format("listing the lake's tables (`dlctl {}`) exited {}: {}", Joined(list),
                                   tables.exit_code, LastLine(tables.err)));
    return problems;
  }
  // Every column of every row of every table, in one statement: a checksum of each table.
  std::string read_all;
  for (const auto& row : CsvRows(tables.out)) {
    std::string table = fmt::format("{}.{}.{}", row.at(0), row.at(1), row.at(2));
    read_all += fmt::format("{}SELECT '{}', count(*), bit_xor(hash(t)) FROM {} AS t", read_all.empty() ? "" : " UNION ALL ",
                            table, table);
  }
  if (read_all.empty()) {
    problems.push_back("the lake lists no tables");
    return problems;
  }
  CommandResult read = lab_.Run({"query", "-f", "csv", read_all});
  if (read.exit_code != 0)
    problems.push_back(fmt::format("reading every table of the lake exited {}: {}", read.exit_code, LastLine(read.err)));
  return problems;
}

std::vector<std::string> InvariantChecker::CheckLatestBackup() {
  VersionedDatasets backups(*store_, settings_.backups_prefix);
  std::optional<Manifest> manifest;
  try {
    manifest = backups.ReadManifest("catalog");
  } catch (const std::exception& e) {
    return {std::string("reading the backup manifest failed: ") + e.what()};
  }
  if (!manifest) return {"no backup is published (the lab made one)"};
  if (manifest->latest_key == restored_backup_) return {};

  TempDir target;
  std::vector<std::string> restore_args = {"backup", "restore", "--target", (target.path() / "local").string()};
  CommandResult restore = lab_.Run(restore_args);
  if (restore.exit_code != 0)
    return {fmt::format("`dlctl {}` of {} exited {}: {}", Joined(restore_args), manifest->latest_uri,
                        restore.exit_code, LastLine(restore.err))};
  // The restored catalogs and engine database, with the lab's bucket.
  std::map<std::string, std::string> restored = {{"ENGINE_DB", (target.path() / "local" / "engine.duckdb").string()}};
  for (const auto& catalog : settings_.catalogs)
    restored[catalog.db_variable] =
        (target.path() / "local" / catalog.db_path.lexically_relative(settings_.local_dir)).string();
  std::vector<std::string> problems = VerifyCatalogs(restored, " on the restored backup " + manifest->latest_uri);
  CommandResult engine = lab_.Run({"query", "SELECT count(*) FROM duckdb_tables()"}, restored);
  if (engine.exit_code != 0)
    problems.push_back(fmt::format("the engine database restored from {} does not open: {}", manifest->latest_uri,
                                   LastLine(engine.err)));
  if (problems.empty()) restored_backup_ = manifest->latest_key;
  return problems;
}

std::vector<std::string> InvariantChecker::CheckGraph() {
  CommandResult count = lab_.Run({"graph", "query", kMartSchema, "MATCH (n) RETURN count(n) AS nodes", "-f", "csv"});
  if (count.exit_code != 0)
    return {fmt::format("counting the nodes of graph {} exited {}: {}", kMartSchema, count.exit_code,
                        LastLine(count.err))};
  auto rows = CsvRows(count.out);
  std::string nodes = rows.empty() || rows[0].empty() ? "" : rows[0][0];
  if (graph_nodes_.empty()) graph_nodes_ = nodes;
  if (nodes != graph_nodes_)
    return {fmt::format("graph {} has {} nodes, not the {} it was built with", kMartSchema, nodes, graph_nodes_)};
  return {};
}

std::vector<std::string> InvariantChecker::CheckAll(bool graph) {
  std::vector<std::string> problems = CheckManifests();
  for (auto& problem : CheckCatalogs()) problems.push_back(std::move(problem));
  for (auto& problem : CheckLatestBackup()) problems.push_back(std::move(problem));
  if (graph)
    for (auto& problem : CheckGraph()) problems.push_back(std::move(problem));
  return problems;
}

}  // namespace dlctl::testing
