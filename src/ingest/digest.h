#pragma once
// Streaming checksums of downloads (OpenSSL): what the sources publish for their files.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace dlctl {

enum class DigestKind { kMd5, kSha1, kSha256 };

// One expected checksum: git blob ids (sha1 of "blob <size>\0" + content) for Hugging Face
// files kept in git, sha256 for its LFS files, the MD5 of Google Cloud Storage's
// X-Goog-Hash for Kaggle's archives.
struct ExpectedDigest {
  DigestKind kind = DigestKind::kSha256;
  std::string hex;         // lower-case hex
  bool git_blob = false;   // hash "blob <size>\0" first, as git does
};

class Digest {
 public:
  explicit Digest(DigestKind kind);
  ~Digest();
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;

  void Update(const void* data, size_t size);
  // Adds the first `length` bytes of a file (a partial download being resumed).
  void UpdateFromFile(const std::filesystem::path& file, uint64_t length);
  std::string HexFinal();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "1B2M2Y8AsgTpgAmY7PhCfg==" -> "d41d8cd98f00b204e9800998ecf8427e"; empty when not base64.
std::string Base64ToHex(const std::string& base64);
std::string Base64Encode(const std::string& bytes);

}  // namespace dlctl
