// FetchHuggingFace: the Hugging Face Hub's HTTP API, as huggingface_hub's snapshot_download
// calls it (resolve the revision to a commit, list the tree, download each file).
#include <nlohmann/json.hpp>

#include <optional>

#include "ingest/credentials.h"
#include "ingest/parallel.h"
#include "ingest/source_fetch.h"
#include "util/error.h"

namespace dlctl {
namespace fs = std::filesystem;

namespace {

struct HubFile {
  std::string path;
  uint64_t size = 0;
  std::string oid;                        // git blob id
  std::optional<std::string> lfs_sha256;  // LFS (and Xet) files: the content's sha256
  uint64_t lfs_size = 0;
};

bool IsHex(const std::string& s, size_t length) {
  if (s.size() != length) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// A repo path must stay a plain relative path: it becomes a key, and a file in a local bucket.
bool IsSafePath(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.back() == '/' || path.find('\\') != std::string::npos) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

// Link: <https://host/api/...&cursor=abc>; rel="next", <...>; rel="prev" -> the "next" URL.
std::string NextLink(const std::string& header) {
  size_t at = 0;
  while ((at = header.find('<', at)) != std::string::npos) {
    size_t close = header.find('>', at);
    if (close == std::string::npos) return "";
    size_t next_link = header.find('<', close);
    std::string params = header.substr(close + 1, next_link == std::string::npos ? std::string::npos : next_link - close - 1);
    if (params.find("rel=\"next\"") != std::string::npos || params.find("rel=next") != std::string::npos)
      return header.substr(at + 1, close - at - 1);
    at = close;
  }
  return "";
}

class HubRepo {
 public:
  HubRepo(const SourceRef& ref, const SourceSettings& sources, const HttpClient& http)
      : ref_(ref), http_(http), auth_(HuggingFaceAuthorization(sources)),
        repo_(ref.owner + "/" + ref.dataset), endpoint_(sources.hf_endpoint) {}

  std::string Commit(const std::string& revision) {
    return Explained(revision, [&] {
      HttpResponse r = http_.Get(endpoint_ + "/api/datasets/" + repo_ + "/revision/" + UrlEncode(revision, false), auth_);
      auto json = nlohmann::json::parse(r.body, nullptr, false);
      if (!json.is_object() || !json.contains("sha") || !json["sha"].is_string() ||
          !IsHex(json["sha"].get<std::string>(), 40))
        throw Error("the hub's answer about " + repo_ + " at " + revision + " has no commit sha");
      return json["sha"].get<std::string>();
    });
  }

  // Every file under `folder` (the whole repo when empty) at `commit`.
  std::vector<HubFile> List(const std::string& commit, const std::string& folder) {
    std::vector<HubFile> files;
    std::string url = endpoint_ + "/api/datasets/" + repo_ + "/tree/" + commit;
    if (!folder.empty()) url.append("/").append(UrlEncode(folder, true));
    url += "?recursive=true&expand=false";
    Explained(commit, [&] {
      while (!url.empty()) {
        HttpResponse page = http_.Get(url, auth_);
        auto json = nlohmann::json::parse(page.body, nullptr, false);
        if (!json.is_array()) throw Error("the hub's tree listing of " + repo_ + " is not a JSON array");
        for (const auto& entry : json) AddEntry(entry, files);
        url = NextLink(page.Header("link"));
      }
      return std::string();
    });
    return files;
  }

  void Download(const std::string& commit, const HubFile& file, const fs::path& target, ProgressBar& progress) {
    DownloadRequest request;
    request.url = endpoint_ + "/datasets/" + repo_ + "/resolve/" + commit + "/" + UrlEncode(file.path, true);
    request.authorization = auth_;
    request.target = target;
    request.progress = &progress;
    request.label = repo_ + "/" + file.path;
    if (file.lfs_sha256) {
      request.size = file.lfs_size;
      request.digest = ExpectedDigest{DigestKind::kSha256, *file.lfs_sha256, false};
    } else {
      request.size = file.size;
      request.digest = ExpectedDigest{DigestKind::kSha1, file.oid, true};
    }
    Explained(commit, [&] {
      http_.Download(request);
      return std::string();
    });
  }

 private:
  void AddEntry(const nlohmann::json& entry, std::vector<HubFile>& files) {
    auto bad = [&] { throw Error("the hub's tree listing of " + repo_ + " holds an entry dlctl cannot read"); };
    if (!entry.is_object() || !entry.contains("type") || !entry.contains("path")) bad();
    if (entry["type"] != "file") return;  // "directory": its files are listed too (recursive)
    HubFile f;
    f.path = entry.value("path", "");
    f.size = entry.value("size", uint64_t{0});
    f.oid = entry.value("oid", "");
    if (!IsSafePath(f.path)) throw Error("the hub lists an unsafe path '" + f.path + "' in " + repo_);
    if (!IsHex(f.oid, 40)) bad();
    if (entry.contains("lfs") && entry["lfs"].is_object()) {
      std::string sha = entry["lfs"].value("oid", "");
      if (!IsHex(sha, 64)) bad();
      f.lfs_sha256 = sha;
      f.lfs_size = entry["lfs"].value("size", f.size);
    }
    files.push_back(std::move(f));
  }

  // Runs a request; the hub's refusals become messages a user can act on.
  template <typename Fn>
  std::string Explained(const std::string& revision, Fn fn) {
    try {
      return fn();
    } catch (const HttpStatusError& e) {
      const HttpResponse& r = e.response();
      std::string code = r.Header("x-error-code");
      std::string page = "huggingface.co/datasets/" + repo_;
      if (code == "GatedRepo" || (r.status == 403 && !auth_.empty()))
        throw Error(page + " is gated: accept its conditions on its page, then set HF_TOKEN to a token of that account" +
                    (auth_.empty() ? "" : " (the token sent has no access)"));
      if (r.status == 401 || r.status == 403)
        throw Error(page + " needs a token (HTTP " + std::to_string(r.status) + "): " +
                    (auth_.empty() ? "set HF_TOKEN" : "HF_TOKEN was refused"));
      if (code == "RevisionNotFound") throw NotFoundError("no revision '" + revision + "' in " + page);
      if (code == "EntryNotFound") throw NotFoundError("no '" + ref_.path + "' at " + revision + " in " + page);
      if (r.status == 404) throw NotFoundError("no Hugging Face dataset " + repo_ + " (or it is private: set HF_TOKEN)");
      throw;
    }
  }

  const SourceRef& ref_;
  const HttpClient& http_;
  std::string auth_, repo_, endpoint_;
};

}  // namespace

FetchedDataset FetchHuggingFace(const SourceRef& ref, const SourceSettings& sources, const HttpClient& http,
                                const FetchOptions& options) {
  std::string revision = !options.revision.empty() ? options.revision : !ref.revision.empty() ? ref.revision : "main";
  HubRepo repo(ref, sources, http);
  std::string commit = repo.Commit(revision);
  std::string folder = ref.path_is_file ? fs::path(ref.path).parent_path().generic_string() : ref.path;

  std::vector<HubFile> wanted;
  for (auto& f : repo.List(commit, folder)) {
    bool git_file = f.path.find('/') == std::string::npos && f.path.rfind(".git", 0) == 0;
    if (ref.path_is_file ? f.path == ref.path : !git_file && options.filter.Selects(f.path))
      wanted.push_back(std::move(f));
  }

  // Blobs are named by content (LFS sha256, else git blob id), so a re-run finds them.
  fs::path blobs = sources.cache_dir / "huggingface" / ref.owner / ref.dataset / "blobs";
  FetchedDataset fetched;
  fetched.revision = commit;
  std::vector<size_t> missing;
  uint64_t missing_bytes = 0;
  for (size_t i = 0; i < wanted.size(); ++i) {
    const HubFile& f = wanted[i];
    fs::path blob = blobs / (f.lfs_sha256 ? *f.lfs_sha256 : f.oid);
    uint64_t size = f.lfs_sha256 ? f.lfs_size : f.size;
    fetched.files.push_back({blob, f.path, size});
    if (!fs::exists(blob)) missing.push_back(i), missing_bytes += size;
  }
  ProgressBar progress("downloading " + ref.owner + "/" + ref.dataset, missing_bytes);
  ForEachParallel(missing.size(), options.parallel_downloads, [&](size_t i) {
    const VersionFile& f = fetched.files[missing[i]];
    repo.Download(commit, wanted[missing[i]], f.path, progress);
  });
  return fetched;
}

}  // namespace dlctl
