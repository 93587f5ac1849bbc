#include "fake_sources.h"

#include <fcntl.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

namespace dlctl::testing {
namespace fs = std::filesystem;

namespace {

std::string Hex(const unsigned char* bytes, unsigned int size) {
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += {kHex[bytes[i] >> 4], kHex[bytes[i] & 15]};
  return hex;
}

// Digest of a prefix string, then a file's or a string's bytes.
std::string DigestOf(const EVP_MD* md, const std::string& prefix, const std::string& content, const fs::path& file,
                     bool base64) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, md, nullptr);
  EVP_DigestUpdate(ctx, prefix.data(), prefix.size());
  if (file.empty()) {
    EVP_DigestUpdate(ctx, content.data(), content.size());
  } else {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> buffer(1 << 20);
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
      EVP_DigestUpdate(ctx, buffer.data(), static_cast<size_t>(in.gcount()));
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx, out, &size);
  EVP_MD_CTX_free(ctx);
  if (!base64) return Hex(out, size);
  std::string b64(4 * ((size + 2) / 3) + 1, '\0');
  b64.resize(static_cast<size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), out, static_cast<int>(size))));
  return b64;
}

struct Blob {
  std::string content;
  fs::path file;
  uint64_t size = 0;
  std::string goog_md5;  // base64; Kaggle's storage sends it in X-Goog-Hash
};

struct HubEntry {
  std::string path, oid, sha256;
  uint64_t size = 0;
  bool lfs = false;
};

struct HubRepo {
  std::string branch, commit;
  std::vector<HubEntry> files;  // sorted by path
  bool gated = false;
};

struct FaultEntry {
  std::string prefix;
  FakeSources::Fault fault;
  int remaining;
  uint64_t drop_after;
};

void JsonError(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  res.status = status;
  if (!code.empty()) res.set_header("X-Error-Code", code);
  res.set_header("X-Error-Message", message);
  res.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
}

}  // namespace

struct FakeSources::Impl {
  httplib::Server api, storage;
  int api_port = 0, storage_port = 0;
  std::thread api_thread, storage_thread;

  mutable std::mutex mutex;
  std::map<std::string, Blob> blobs;
  std::map<std::string, std::map<int, std::string>> kaggle;  // "owner/slug" -> version -> blob
  std::map<std::string, HubRepo> hub;                         // "owner/name"
  std::vector<FaultEntry> faults;
  std::vector<SeenRequest> seen;

  FakeSources* owner = nullptr;

  // The fault queued for this path, if any (one use of it).
  std::optional<FaultEntry> TakeFault(const std::string& path, bool drop) {
    std::lock_guard<std::mutex> lock(mutex);
    for (auto& f : faults) {
      if (f.remaining <= 0 || path.rfind(f.prefix, 0) != 0 || (f.fault == Fault::kDrop) != drop) continue;
      --f.remaining;
      return f;
    }
    return std::nullopt;
  }

  httplib::Server::HandlerResponse Record(const std::string& host, const httplib::Request& req,
                                          httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      seen.push_back({host, req.path, req.get_header_value("Authorization"), req.get_header_value("Range")});
    }
    if (auto f = TakeFault(req.path, false)) {
      if (f->fault == Fault::kStatus429) {
        res.status = 429;
        res.set_header("Retry-After", std::to_string(owner->retry_after_seconds));
        res.set_content("slow down", "text/plain");
      } else {
        JsonError(res, 500, "", "Internal Error");
      }
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  // A blob's bytes with Range support (httplib cuts the range and answers 206), and a queued
  // drop fault cutting the connection part-way.
  void ServeBlob(const httplib::Request& req, httplib::Response& res, const std::string& name) {
    Blob blob;
    {
      std::lock_guard<std::mutex> lock(mutex);
      auto it = blobs.find(name);
      if (it == blobs.end()) return JsonError(res, 404, "", "NoSuchKey");
      blob = it->second;
    }
    std::optional<FaultEntry> drop = TakeFault(req.path, true);
    uint64_t cut = drop ? drop->drop_after : UINT64_MAX;
    res.set_header("Accept-Ranges", "bytes");
    if (!blob.goog_md5.empty()) res.set_header("X-Goog-Hash", "crc32c=AAAAAA==,md5=" + blob.goog_md5);
    auto shared = std::make_shared<Blob>(std::move(blob));
    res.set_content_provider(
        shared->size, "application/octet-stream", [shared, cut](size_t offset, size_t length, httplib::DataSink& sink) {
          if (offset >= cut) return false;  // the connection drops here
          size_t n = std::min<uint64_t>({length, 1u << 20, cut - offset});
          if (shared->file.empty()) {
            sink.write(shared->content.data() + offset, n);
          } else {
            std::vector<char> buffer(n);
            int fd = ::open(shared->file.c_str(), O_RDONLY);
            ssize_t got = fd < 0 ? -1 : ::pread(fd, buffer.data(), n, static_cast<off_t>(offset));
            if (fd >= 0) ::close(fd);
            if (got <= 0) return false;
            sink.write(buffer.data(), static_cast<size_t>(got));
          }
          return true;
        });
  }

  bool KaggleAuthorized(const httplib::Request& req) {
    std::string auth = req.get_header_value("Authorization");
    std::string basic = "Basic " + [&] {
      std::string plain = owner->kaggle_username + ":" + owner->kaggle_key;
      std::string b64(4 * ((plain.size() + 2) / 3) + 1, '\0');
      b64.resize(static_cast<size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                                                     reinterpret_cast<const unsigned char*>(plain.data()),
                                                     static_cast<int>(plain.size()))));
      return b64;
    }();
    return auth == basic || auth == "Bearer " + owner->kaggle_token;
  }

  void KaggleView(const httplib::Request& req, httplib::Response& res) {
    if (!KaggleAuthorized(req)) return KaggleError(res, 401, "Unauthenticated");
    std::string handle = req.matches[1].str() + "/" + req.matches[2].str();
    std::lock_guard<std::mutex> lock(mutex);
    auto it = kaggle.find(handle);
    if (it == kaggle.end()) return KaggleError(res, 404, "Not found");
    nlohmann::json view = {{"ref", handle},
                           {"title", req.matches[2].str()},
                           {"url", "https://www.kaggle.com/datasets/" + handle},
                           {"currentVersionNumber", it->second.rbegin()->first}};
    res.set_content(view.dump(), "application/json");
  }

  void KaggleDownload(const httplib::Request& req, httplib::Response& res) {
    if (!KaggleAuthorized(req)) return KaggleError(res, 401, "Unauthenticated");
    std::string handle = req.matches[1].str() + "/" + req.matches[2].str();
    std::lock_guard<std::mutex> lock(mutex);
    auto it = kaggle.find(handle);
    if (it == kaggle.end()) return KaggleError(res, 404, "Not found");
    int version = it->second.rbegin()->first;
    if (req.has_param("dataset_version_number")) version = std::stoi(req.get_param_value("dataset_version_number"));
    auto v = it->second.find(version);
    if (v == it->second.end()) return KaggleError(res, 404, "Not found");
    res.set_redirect(owner->storage_url() + "/blobs/" + v->second + "?X-Goog-Signature=sig-" + v->second, 302);
  }

  static void KaggleError(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(nlohmann::json{{"code", status}, {"message", message}}.dump(), "application/json");
  }

  // The repo and its commit for a revision (branch name or commit sha), or an error answer.
  const HubRepo* FindRepo(const httplib::Request& req, httplib::Response& res, const std::string& revision) {
    auto it = hub.find(req.matches[1].str() + "/" + req.matches[2].str());
    if (it == hub.end()) {
      JsonError(res, 404, "RepoNotFound", "Repository not found");
      return nullptr;
    }
    if (revision != it->second.branch && revision != it->second.commit) {
      JsonError(res, 404, "RevisionNotFound", "Invalid rev id: " + revision);
      return nullptr;
    }
    return &it->second;
  }

  void HubRevision(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    const HubRepo* repo = FindRepo(req, res, req.matches[3].str());
    if (!repo) return;
    nlohmann::json info = {{"id", req.matches[1].str() + "/" + req.matches[2].str()},
                           {"sha", repo->commit},
                           {"gated", repo->gated ? nlohmann::json("auto") : nlohmann::json(false)},
                           {"private", false}};
    res.set_content(info.dump(), "application/json");
  }

  void HubTree(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    const HubRepo* repo = FindRepo(req, res, req.matches[3].str());
    if (!repo) return;
    if (req.get_param_value("recursive") != "true") return JsonError(res, 400, "", "this fake only lists recursively");
    std::string folder = req.matches[4].str();
    if (!folder.empty()) folder = folder.substr(1) + "/";
    std::vector<nlohmann::json> entries;
    std::set<std::string> dirs;
    for (const auto& f : repo->files) {
      if (f.path.rfind(folder, 0) != 0) continue;
      for (size_t slash = f.path.find('/', folder.size()); slash != std::string::npos; slash = f.path.find('/', slash + 1))
        if (dirs.insert(f.path.substr(0, slash)).second)
          entries.push_back({{"type", "directory"}, {"oid", std::string(40, 'd')}, {"size", 0}, {"path", f.path.substr(0, slash)}});
      nlohmann::json e = {{"type", "file"}, {"oid", f.oid}, {"size", f.size}, {"path", f.path}};
      if (f.lfs) {
        e["lfs"] = {{"oid", f.sha256}, {"size", f.size}, {"pointerSize", 134}};
      }
      entries.push_back(e);
    }
    if (entries.empty()) return JsonError(res, 404, "EntryNotFound", folder + " does not exist on \"" + req.matches[3].str() + "\"");
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a["path"] < b["path"]; });
    size_t start = req.has_param("cursor") ? std::stoul(req.get_param_value("cursor")) : 0;
    size_t end = std::min(entries.size(), start + owner->tree_page_size);
    nlohmann::json page = nlohmann::json::array();
    for (size_t i = start; i < end; ++i) page.push_back(entries[i]);
    if (end < entries.size()) {
      std::string next = owner->api_url() + req.path + "?recursive=true&expand=false&cursor=" + std::to_string(end);
      res.set_header("Link", "<" + next + ">; rel=\"next\"");
    }
    res.set_content(page.dump(), "application/json");
  }

  void HubResolve(const httplib::Request& req, httplib::Response& res) {
    std::unique_lock<std::mutex> lock(mutex);
    const HubRepo* repo = FindRepo(req, res, req.matches[3].str());
    if (!repo) return;
    std::string auth = req.get_header_value("Authorization");
    if (repo->gated && auth.empty())
      return JsonError(res, 401, "GatedRepo", "Access to dataset is restricted. You must be authenticated to access it.");
    if (repo->gated && auth != "Bearer " + owner->hf_token)
      return JsonError(res, 403, "GatedRepo", "Access to dataset is restricted and you are not in the authorized list.");
    std::string path = req.matches[4].str();
    auto f = std::find_if(repo->files.begin(), repo->files.end(), [&](const HubEntry& e) { return e.path == path; });
    if (f == repo->files.end()) return JsonError(res, 404, "EntryNotFound", path + " does not exist");
    res.set_header("X-Repo-Commit", repo->commit);
    if (f->lfs) {
      res.set_header("X-Linked-Etag", "\"" + f->sha256 + "\"");
      res.set_header("X-Linked-Size", std::to_string(f->size));
      res.set_redirect(owner->storage_url() + "/blobs/" + f->sha256 + "?X-Amz-Signature=sig", 302);
      return;
    }
    res.set_header("ETag", "\"" + f->oid + "\"");
    std::string blob = f->oid;
    lock.unlock();
    ServeBlob(req, res, blob);
  }

  void Start(httplib::Server& server, int& port, std::thread& thread) {
    port = server.bind_to_any_port("127.0.0.1");
    if (port <= 0) throw std::runtime_error("cannot bind a port on 127.0.0.1");
    thread = std::thread([&server] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
};

FakeSources::FakeSources() : impl_(std::make_unique<Impl>()) {
  Impl& i = *impl_;
  i.owner = this;
  i.api.set_pre_routing_handler([&i](const auto& req, auto& res) { return i.Record("api", req, res); });
  i.storage.set_pre_routing_handler([&i](const auto& req, auto& res) { return i.Record("storage", req, res); });
  i.api.Get(R"(/api/v1/datasets/view/([^/]+)/([^/]+))", [&i](const auto& req, auto& res) { i.KaggleView(req, res); });
  i.api.Get(R"(/api/v1/datasets/download/([^/]+)/([^/]+))",
            [&i](const auto& req, auto& res) { i.KaggleDownload(req, res); });
  i.api.Get(R"(/api/datasets/([^/]+)/([^/]+)/revision/(.+))", [&i](const auto& req, auto& res) { i.HubRevision(req, res); });
  i.api.Get(R"(/api/datasets/([^/]+)/([^/]+)/tree/([^/]+)(/.+)?)", [&i](const auto& req, auto& res) { i.HubTree(req, res); });
  i.api.Get(R"(/datasets/([^/]+)/([^/]+)/resolve/([^/]+)/(.+))", [&i](const auto& req, auto& res) { i.HubResolve(req, res); });
  i.storage.Get(R"(/blobs/([^/]+))", [&i](const auto& req, auto& res) { i.ServeBlob(req, res, req.matches[1].str()); });
  i.Start(i.api, i.api_port, i.api_thread);
  i.Start(i.storage, i.storage_port, i.storage_thread);
}

FakeSources::~FakeSources() {
  impl_->api.stop();
  impl_->storage.stop();
  impl_->api_thread.join();
  impl_->storage_thread.join();
}

std::string FakeSources::api_url() const { return "http://127.0.0.1:" + std::to_string(impl_->api_port); }
std::string FakeSources::storage_url() const { return "http://127.0.0.1:" + std::to_string(impl_->storage_port); }

void FakeSources::AddKaggleVersion(const std::string& owner, const std::string& slug, int version, std::string archive) {
  std::string name = "kaggle-" + owner + "-" + slug + "-" + std::to_string(version) + ".zip";
  Blob blob;
  blob.size = archive.size();
  blob.goog_md5 = DigestOf(EVP_md5(), "", archive, {}, true);
  blob.content = std::move(archive);
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->blobs[name] = std::move(blob);
  impl_->kaggle[owner + "/" + slug][version] = name;
}

void FakeSources::AddHubRepo(const std::string& owner, const std::string& name, const std::string& branch,
                             const std::string& commit, const std::vector<HubFileSpec>& files, bool gated) {
  HubRepo repo{branch, commit, {}, gated};
  for (const auto& spec : files) {
    Blob blob{spec.content, spec.content_file, 0, ""};
    blob.size = spec.content_file.empty() ? spec.content.size() : fs::file_size(spec.content_file);
    HubEntry e{spec.path, "", "", blob.size, spec.lfs};
    std::string header = "blob " + std::to_string(blob.size);
    header.push_back('\0');
    if (spec.lfs) {
      e.sha256 = DigestOf(EVP_sha256(), "", spec.content, spec.content_file, false);
      e.oid = DigestOf(EVP_sha1(), "", "pointer of " + e.sha256, {}, false);  // the pointer file's blob id
    } else {
      e.oid = DigestOf(EVP_sha1(), header, spec.content, spec.content_file, false);
    }
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->blobs[spec.lfs ? e.sha256 : e.oid] = std::move(blob);
    repo.files.push_back(e);
  }
  std::sort(repo.files.begin(), repo.files.end(), [](const HubEntry& a, const HubEntry& b) { return a.path < b.path; });
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->hub[owner + "/" + name] = std::move(repo);
}

void FakeSources::Inject(const std::string& path_prefix, Fault fault, int times, uint64_t drop_after) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->faults.push_back({path_prefix, fault, times, drop_after});
}

std::vector<SeenRequest> FakeSources::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->seen;
}

int FakeSources::CountRequests(const std::string& path_prefix) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return static_cast<int>(std::count_if(impl_->seen.begin(), impl_->seen.end(),
                                        [&](const SeenRequest& r) { return r.path.rfind(path_prefix, 0) == 0; }));
}

std::string FakeSources::Sha256Hex(const std::string& content) { return DigestOf(EVP_sha256(), "", content, {}, false); }

std::string FakeSources::GitBlobId(const std::string& content) {
  std::string header = "blob " + std::to_string(content.size());
  header.push_back('\0');
  return DigestOf(EVP_sha1(), header, content, {}, false);
}

}  // namespace dlctl::testing
