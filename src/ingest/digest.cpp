#include "ingest/digest.h"

#include <openssl/evp.h>

#include <fstream>
#include <vector>

#include "util/error.h"
#include "util/hex.h"

namespace dlctl {

struct Digest::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Digest::Digest(DigestKind kind) : impl_(std::make_unique<Impl>()) {
  const EVP_MD* md = kind == DigestKind::kMd5 ? EVP_md5() : kind == DigestKind::kSha1 ? EVP_sha1() : EVP_sha256();
  impl_->ctx = EVP_MD_CTX_new();
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx, md, nullptr) != 1) throw Error("cannot start a checksum");
}

Digest::~Digest() { EVP_MD_CTX_free(impl_->ctx); }

void Digest::Update(const void* data, size_t size) { EVP_DigestUpdate(impl_->ctx, data, size); }

void Digest::UpdateFromFile(const std::filesystem::path& file, uint64_t length) {
  std::ifstream in(file, std::ios::binary);
  std::vector<char> buffer(1 << 20);
  while (length > 0 && in) {
    in.read(buffer.data(), static_cast<std::streamsize>(std::min<uint64_t>(buffer.size(), length)));
    std::streamsize got = in.gcount();
    if (got <= 0) break;
    Update(buffer.data(), static_cast<size_t>(got));
    length -= static_cast<uint64_t>(got);
  }
  if (length > 0) throw Error("cannot read " + file.string() + " to check it");
}

std::string Digest::HexFinal() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(impl_->ctx, out, &size);
  return Hex(std::string_view(reinterpret_cast<const char*>(out), size));
}

std::string Base64ToHex(const std::string& base64) {
  if (base64.empty() || base64.size() % 4 != 0) return "";
  std::vector<unsigned char> out(base64.size());
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(base64.data()),
                          static_cast<int>(base64.size()));
  if (n < 0) return "";
  for (size_t i = base64.size(); i > 0 && base64[i - 1] == '='; --i) --n;  // DecodeBlock counts padding
  return Hex(std::string_view(reinterpret_cast<const char*>(out.data()), static_cast<size_t>(n)));
}

std::string Base64Encode(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace dlctl
