#include "storage/versioned_datasets.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <set>

#include "util/error.h"
#include "util/process_owner.h"

namespace dlctl {
namespace {

constexpr std::string_view kWritingSuffix = ".writing";
constexpr std::string_view kCompleteSuffix = ".complete";

std::string LastSegment(const std::string& key) {
  size_t slash = key.find_last_of('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

// "raw/ds/2025_06_03/" -> "2025_06_03"
std::string FolderName(const std::string& folder_key) {
  return LastSegment(folder_key.substr(0, folder_key.size() - 1));
}

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// What one version has in the store: its folder (any object under it) and its marks.
struct Found {
  bool folder = false;
  bool writing_mark = false;
  bool complete_mark = false;
};

}  // namespace

bool IsIgnoredFileName(const std::string& key) {
  std::string name = LastSegment(key);
  return name == ".keep" || name == "README" || name == "manifest.json" || fnmatch("*.md", name.c_str(), 0) == 0;
}

VersionedDatasets::VersionedDatasets(ObjectStore& store, std::string prefix, int name_depth, std::string required_file)
    : store_(store), prefix_(std::move(prefix)), name_depth_(name_depth), required_file_(std::move(required_file)) {}

std::string VersionedDatasets::BeginVersion(const std::string& name, TimePoint now) {
  std::string key = DatasetFolder(name) + VersionFolderName(now);
  Listing existing = store_.ListFolder(key + "/");
  if (!existing.objects.empty() || !existing.common_prefixes.empty() || store_.Head(WritingMarkKey(key)) ||
      store_.Head(CompleteMarkKey(key)))
    throw Error("version " + store_.Uri(key) + " already exists: wait a millisecond and try again");
  const ProcessOwner& self = CurrentProcess();
  nlohmann::json mark = {{"owner", OwnerTag(self)}, {"pid", self.pid}, {"host", self.host},
                         {"started_at", IsoTimestamp(now)}};
  store_.Put(WritingMarkKey(key), mark.dump(2) + "\n");
  return key;
}

void VersionedDatasets::Publish(const std::string& name, const std::string& version_key,
                                const nlohmann::json& extra) {
  std::string now = IsoTimestamp(std::chrono::system_clock::now());
  nlohmann::json mark = extra.is_object() ? extra : nlohmann::json::object();
  mark["completed_at"] = now;
  store_.Put(CompleteMarkKey(version_key), mark.dump(2) + "\n");

  nlohmann::json manifest = extra.is_object() ? extra : nlohmann::json::object();
  manifest["dataset"] = name;
  // An s3:// URI whatever the store: the same text on the local default and on S3, so a bucket
  // copied or synced elsewhere keeps its manifests valid (the bucket's name is not checked).
  manifest["latest"] = "s3://" + store_.Bucket() + "/" + version_key;
  manifest["updated_at"] = now;
  store_.Put(ManifestKey(name), manifest.dump(2) + "\n");
  store_.Delete(WritingMarkKey(version_key));
}

std::optional<std::string> VersionedDatasets::ResolveLatest(const std::string& name, std::string latest) const {
  while (!latest.empty() && latest.back() == '/') latest.pop_back();
  std::string folder = DatasetFolder(name);
  std::string key;
  if (latest.rfind("s3://", 0) == 0) {
    size_t slash = latest.find('/', 5);
    if (slash == std::string::npos) return std::nullopt;
    key = latest.substr(slash + 1);
  } else if (latest.rfind('/', 0) == 0) {
    // An absolute path, as dlctl wrote on the local default before: inside this bucket, or a bucket
    // that has moved since (copied with its lab): then the part from the dataset's folder on.
    if (auto inside = store_.KeyOf(latest)) {
      key = *inside;
    } else {
      size_t at = latest.rfind("/" + folder);
      if (at == std::string::npos) return std::nullopt;
      key = latest.substr(at + 1);
    }
  } else {
    key = latest;
  }
  if (key.rfind(folder, 0) != 0 || !ParseVersionFolderName(key.substr(folder.size()))) return std::nullopt;
  return key;
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
  std::string latest;
  try {
    m.json = nlohmann::json::parse(text);
    m.dataset = m.json.at("dataset").get<std::string>();
    latest = m.json.at("latest").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    throw Error("manifest " + store_.Uri(key) + " is not valid: it needs string fields \"dataset\" and \"latest\"");
  }
  std::optional<std::string> latest_key = ResolveLatest(name, latest);
  if (!latest_key)
    throw Error("manifest " + store_.Uri(key) + " points outside its dataset (" + latest + ")");
  m.latest_key = *latest_key;
  m.latest_uri = store_.Uri(m.latest_key);
  return m;
}

void VersionedDatasets::RemoveVersion(const std::string& version_key) {
  std::vector<std::string> keys;
  for (const auto& object : store_.List(version_key + "/")) keys.push_back(object.key);
  keys.push_back(CompleteMarkKey(version_key));
  keys.push_back(WritingMarkKey(version_key));
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

Dataset VersionedDatasets::Describe(const std::string& name, bool with_files) {
  Dataset dataset;
  dataset.name = name;
  dataset.manifest = ReadManifest(name);

  // Versions are their folders and their marks, found in each date folder's listing.
  std::map<std::string, Found> found;  // by version key, so sorted by time
  for (const auto& date_folder : store_.ListFolder(DatasetFolder(name)).common_prefixes) {
    std::string date = FolderName(date_folder);
    Listing listing = store_.ListFolder(date_folder);
    for (const auto& time_folder : listing.common_prefixes)
      if (ParseVersionFolderName(date + "/" + FolderName(time_folder)))
        found[DatasetFolder(name) + date + "/" + FolderName(time_folder)].folder = true;
    for (const auto& object : listing.objects) {
      std::string file = LastSegment(object.key);
      for (std::string_view suffix : {kWritingSuffix, kCompleteSuffix}) {
        if (!EndsWith(file, suffix)) continue;
        std::string time = file.substr(0, file.size() - suffix.size());
        if (!ParseVersionFolderName(date + "/" + time)) continue;
        Found& version = found[DatasetFolder(name) + date + "/" + time];
        (suffix == kWritingSuffix ? version.writing_mark : version.complete_mark) = true;
      }
    }
  }

  for (const auto& [key, what] : found) {
    DatasetVersion version;
    version.key = key;
    version.time = *ParseVersionFolderName(key.substr(DatasetFolder(name).size()));
    version.writing_mark = what.writing_mark;
    version.complete_mark = what.complete_mark;
    std::vector<ObjectInfo> objects;
    if (with_files && what.folder) objects = store_.List(key + "/");
    for (const auto& object : objects)
      if (!IsIgnoredFileName(object.key)) version.files.push_back(object);
    bool named_by_manifest = dataset.manifest && dataset.manifest->latest_key == key;
    bool written_before_marks = !what.writing_mark && !what.complete_mark && what.folder;
    if (written_before_marks && !required_file_.empty()) {
      std::string required = key + "/" + required_file_;
      written_before_marks = with_files ? std::any_of(objects.begin(), objects.end(),
                                                      [&](const ObjectInfo& o) { return o.key == required; })
                                        : store_.Head(required).has_value();
    }
    version.complete = what.complete_mark || named_by_manifest || written_before_marks;
    dataset.versions.push_back(std::move(version));
  }
  return dataset;
}

bool VersionedDatasets::IsAbandoned(const DatasetVersion& version, TimePoint now) {
  if (version.complete || now - version.time < kAbandonedAge) return false;
  if (!version.writing_mark) return true;
  try {
    auto mark = nlohmann::json::parse(store_.Get(WritingMarkKey(version.key)));
    auto owner = ParseOwnerTag(mark.value("owner", ""));
    return !owner || CheckLiveness(*owner) != Liveness::kAlive;
  } catch (const nlohmann::json::exception&) {
    return true;  // a mark nobody can read protects nothing
  } catch (const NotFoundError&) {
    return true;  // its writer finished or gave up since the listing
  }
}

RemovedVersion VersionedDatasets::Remove(const DatasetVersion& version, std::string reason, bool dry_run) {
  RemovedVersion removed{version.key, std::move(reason), 0, 0};
  std::vector<std::string> keys;
  for (const auto& o : store_.List(version.key + "/")) keys.push_back(o.key), removed.bytes += o.size;
  // The marks go last: a removal stopped half-way leaves a version the next prune selects again.
  if (version.writing_mark) keys.push_back(WritingMarkKey(version.key));
  if (version.complete_mark) keys.push_back(CompleteMarkKey(version.key));
  removed.objects = keys.size();
  if (!dry_run) store_.DeleteMany(keys);
  return removed;
}

PruneReport VersionedDatasets::Prune(const std::string& name, std::optional<int> keep, bool dry_run, TimePoint now,
                                     const std::vector<std::string>& not_counted) {
  if (keep && *keep < 1) throw UsageError("--keep must be at least 1");
  Dataset dataset = Describe(name, true);
  std::set<std::string> uncounted(not_counted.begin(), not_counted.end());
  std::set<std::string> kept;
  if (dataset.manifest) kept.insert(dataset.manifest->latest_key);
  if (keep) {
    int counted = 0;
    for (auto v = dataset.versions.rbegin(); v != dataset.versions.rend() && counted < *keep; ++v)
      if (v->complete && !uncounted.count(v->key)) kept.insert(v->key), ++counted;
  }

  PruneReport report;
  for (const auto& version : dataset.versions) {
    if (kept.count(version.key)) continue;
    if (!version.complete) {
      if (IsAbandoned(version, now)) report.removed.push_back(Remove(version, "incomplete", dry_run));
    } else if (keep) {
      report.removed.push_back(
          Remove(version, uncounted.count(version.key) ? "damaged" : "older than the newest " + std::to_string(*keep),
                 dry_run));
    } else if (version.files.empty()) {
      report.removed.push_back(Remove(version, "empty", dry_run));
    }
  }
  return report;
}

PruneReport VersionedDatasets::RemoveAbandoned(const std::string& name, bool dry_run, TimePoint now) {
  Dataset dataset = Describe(name, false);
  PruneReport report;
  for (const auto& version : dataset.versions) {
    if (!version.complete) {
      if (IsAbandoned(version, now) && !(dataset.manifest && dataset.manifest->latest_key == version.key))
        report.removed.push_back(Remove(version, "incomplete", dry_run));
    } else if (version.writing_mark && version.complete_mark) {
      // Its writer died between the two marks: the version is complete, its .writing mark is litter.
      DatasetVersion writing_only = version;
      writing_only.complete = false;
      writing_only.complete_mark = false;
      if (!IsAbandoned(writing_only, now)) continue;
      std::string mark = WritingMarkKey(version.key);
      std::optional<ObjectInfo> head = store_.Head(mark);
      if (!head) continue;
      if (!dry_run) store_.Delete(mark);
      report.removed.push_back({mark, "a finished version's .writing mark", 1, head->size});
    }
  }
  return report;
}

}  // namespace dlctl
