#include "storage/versioned_datasets.h"

#include <fnmatch.h>

#include <algorithm>
#include <set>

#include "util/error.h"

namespace dlctl {
namespace {

std::string LastSegment(const std::string& key) {
  size_t slash = key.find_last_of('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

// "raw/ds/2025_06_03/" -> "2025_06_03"
std::string FolderName(const std::string& folder_key) {
  return LastSegment(folder_key.substr(0, folder_key.size() - 1));
}

}  // namespace

bool IsIgnoredFileName(const std::string& key) {
  std::string name = LastSegment(key);
  return name == ".keep" || name == "README" || name == "manifest.json" || fnmatch("*.md", name.c_str(), 0) == 0;
}

VersionedDatasets::VersionedDatasets(ObjectStore& store, std::string prefix, int name_depth)
    : store_(store), prefix_(std::move(prefix)), name_depth_(name_depth) {}

std::string VersionedDatasets::NewVersion(const std::string& name, TimePoint now) {
  std::string key = DatasetFolder(name) + VersionFolderName(now);
  Listing existing = store_.ListFolder(key + "/");
  if (!existing.objects.empty() || !existing.common_prefixes.empty())
    throw Error("version " + store_.Uri(key) + " already exists: wait a millisecond and try again");
  return key;
}

void VersionedDatasets::Publish(const std::string& name, const std::string& version_key,
                                const nlohmann::json& extra) {
  nlohmann::json manifest = extra.is_object() ? extra : nlohmann::json::object();
  manifest["dataset"] = name;
  manifest["latest"] = store_.Uri(version_key);
  manifest["updated_at"] = IsoTimestamp(std::chrono::system_clock::now());
  store_.Put(ManifestKey(name), manifest.dump(2) + "\n");
}

std::optional<Manifest> VersionedDatasets::ReadManifest(const std::string& name) {
  std::string key = ManifestKey(name);
  std::string text;
  try {
    text = store_.Get(key);
  } catch (const NotFoundError&) {
    return std::nullopt;
  }
  Manifest m;
  try {
    m.json = nlohmann::json::parse(text);
    m.dataset = m.json.at("dataset").get<std::string>();
    m.latest_uri = m.json.at("latest").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    throw Error("manifest " + store_.Uri(key) + " is not valid: it needs string fields \"dataset\" and \"latest\"");
  }
  auto latest_key = store_.KeyOf(m.latest_uri);
  if (!latest_key || latest_key->rfind(DatasetFolder(name), 0) != 0)
    throw Error("manifest " + store_.Uri(key) + " points outside its dataset (" + m.latest_uri + ")");
  while (!latest_key->empty() && latest_key->back() == '/') latest_key->pop_back();
  m.latest_key = *latest_key;
  return m;
}

void VersionedDatasets::RemoveVersion(const std::string& version_key) {
  std::vector<std::string> keys;
  for (const auto& object : store_.List(version_key + "/")) keys.push_back(object.key);
  store_.DeleteMany(keys);
}

std::vector<std::string> VersionedDatasets::Names() {
  std::vector<std::string> folders = {prefix_ + "/"};
  for (int depth = 0; depth < name_depth_; ++depth) {
    std::vector<std::string> next;
    for (const auto& folder : folders)
      for (const auto& child : store_.ListFolder(folder).common_prefixes) next.push_back(child);
    folders = std::move(next);
  }
  std::vector<std::string> names;
  for (const auto& folder : folders) {
    std::string name = folder.substr(prefix_.size() + 1, folder.size() - prefix_.size() - 2);
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> VersionedDatasets::VersionKeys(const std::string& name) {
  std::vector<std::string> keys;
  for (const auto& date_folder : store_.ListFolder(DatasetFolder(name)).common_prefixes) {
    for (const auto& time_folder : store_.ListFolder(date_folder).common_prefixes) {
      std::string version = FolderName(date_folder) + "/" + FolderName(time_folder);
      if (ParseVersionFolderName(version)) keys.push_back(DatasetFolder(name) + version);
    }
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

Dataset VersionedDatasets::Describe(const std::string& name, bool with_files) {
  Dataset dataset;
  dataset.name = name;
  dataset.manifest = ReadManifest(name);
  for (const auto& key : VersionKeys(name)) {
    DatasetVersion version{key, {}};
    if (with_files)
      for (const auto& object : store_.List(key + "/"))
        if (!IsIgnoredFileName(object.key)) version.files.push_back(object);
    dataset.versions.push_back(std::move(version));
  }
  return dataset;
}

PruneReport VersionedDatasets::Prune(const std::string& name, std::optional<int> keep, bool dry_run) {
  if (keep && *keep < 1) throw UsageError("--keep must be at least 1");
  PruneReport report;
  auto manifest = ReadManifest(name);
  std::vector<std::string> versions = VersionKeys(name);
  std::set<std::string> kept;
  if (manifest) kept.insert(manifest->latest_key);
  if (keep)
    for (size_t i = versions.size() > static_cast<size_t>(*keep) ? versions.size() - *keep : 0; i < versions.size(); ++i)
      kept.insert(versions[i]);
  for (const auto& version : versions) {
    if (kept.count(version)) continue;
    std::vector<ObjectInfo> objects = store_.List(version + "/");
    bool has_data = std::any_of(objects.begin(), objects.end(),
                                [](const ObjectInfo& o) { return !IsIgnoredFileName(o.key); });
    if (!keep && has_data) continue;
    report.removed_versions.push_back(version);
    report.removed_objects += objects.size();
    if (!dry_run) {
      std::vector<std::string> keys;
      for (const auto& o : objects) keys.push_back(o.key);
      store_.DeleteMany(keys);
    }
  }
  return report;
}

}  // namespace dlctl
