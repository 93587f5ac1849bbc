#include "util/secret_mask.h"

#include <algorithm>

namespace dlctl {
namespace {

// Letters, digits, '_' and every byte of a multi-byte UTF-8 character: what continues a word.
bool IsWordByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u >= 0x80 || std::isalnum(u) || c == '_';
}

// The occurrence at [at, at + size) is glued to a word on neither side. A secret that itself
// begins (ends) with a separator such as '/' is a token whatever precedes (follows) it.
bool IsToken(const std::string& text, size_t at, size_t size) {
  bool glued_before = at > 0 && IsWordByte(text[at - 1]) && IsWordByte(text[at]);
  size_t end = at + size;
  bool glued_after = end < text.size() && IsWordByte(text[end]) && IsWordByte(text[end - 1]);
  return !glued_before && !glued_after;
}

}  // namespace

std::string MaskSecrets(std::string text, std::vector<std::string> secrets) {
  std::sort(secrets.begin(), secrets.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  static const std::string kMask = "***";
  for (const std::string& secret : secrets) {
    if (secret.size() < kMinMaskedSecretLength) continue;
    for (size_t at = text.find(secret); at != std::string::npos;) {
      if (IsToken(text, at, secret.size())) {
        text.replace(at, secret.size(), kMask);
        at = text.find(secret, at + kMask.size());
      } else {
        at = text.find(secret, at + 1);
      }
    }
  }
  return text;
}

}  // namespace dlctl
