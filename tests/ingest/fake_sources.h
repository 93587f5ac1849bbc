#pragma once
// Kaggle's API, the Hugging Face Hub and a storage host, played on 127.0.0.1 for the ingest
// tests and benchmark. They speak the real request and response shapes: Kaggle's
// /api/v1/datasets/view|download with Basic or Bearer auth and a 302 to a signed storage URL
// carrying X-Goog-Hash; the Hub's /api/datasets/REPO/revision|tree (paged by Link headers) and
// /datasets/REPO/resolve/... (LFS files by a 302 to storage), X-Error-Code on refusals, gated
// repos. The storage host is a second port, so curl treats it as another host. Faults (500,
// 429 with Retry-After, dropped connections) can be queued for any path.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace dlctl::testing {

struct SeenRequest {
  std::string host;  // "api" or "storage"
  std::string path;
  std::string authorization;
  std::string range;
};

struct HubFileSpec {
  std::string path;
  std::string content;               // or:
  std::filesystem::path content_file;  // a large file served from disk
  bool lfs = false;
};

class FakeSources {
 public:
  FakeSources();
  ~FakeSources();
  FakeSources(const FakeSources&) = delete;
  FakeSources& operator=(const FakeSources&) = delete;

  std::string api_url() const;      // for KAGGLE_API_ENDPOINT and HF_ENDPOINT
  std::string storage_url() const;

  // Kaggle accepts Basic kaggle_username:kaggle_key or Bearer kaggle_token.
  std::string kaggle_username = "alice", kaggle_key = "kaggle-secret-key", kaggle_token = "KGAT_secret_token";
  void AddKaggleVersion(const std::string& owner, const std::string& slug, int version, std::string archive);

  // A gated repo answers 401 without a token, 403 GatedRepo with a token other than hf_token.
  std::string hf_token = "hf_secret_token";
  size_t tree_page_size = 2;
  void AddHubRepo(const std::string& owner, const std::string& name, const std::string& branch,
                  const std::string& commit, const std::vector<HubFileSpec>& files, bool gated = false);

  enum class Fault { kStatus500, kStatus429, kDrop };
  // The next `times` requests whose path starts with `path_prefix` fail so; kDrop sends
  // `drop_after` bytes of the body, then closes the connection.
  void Inject(const std::string& path_prefix, Fault fault, int times = 1, uint64_t drop_after = 0);
  int retry_after_seconds = 1;

  std::vector<SeenRequest> requests() const;
  int CountRequests(const std::string& path_prefix) const;

  // sha256 / git blob sha1 of content, as the Hub lists them (hex).
  static std::string Sha256Hex(const std::string& content);
  static std::string GitBlobId(const std::string& content);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dlctl::testing
