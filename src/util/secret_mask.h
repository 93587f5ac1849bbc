#pragma once
// Secrets in text a person reads. A secret is replaced by "***" as a whole, and only where it
// stands as a token of its own: never inside a longer word, so a message stays readable whatever
// the secret is. Values shorter than kMinMaskedSecretLength are left as they are: masking "e"
// would garble every word holding an e and hide nothing (settings warn about such secrets).
#include <cstddef>
#include <string>
#include <vector>

namespace dlctl {

inline constexpr size_t kMinMaskedSecretLength = 8;

// `text` with every token-occurrence of each secret (of at least kMinMaskedSecretLength
// characters) replaced by "***"; the longest secrets first, so one holding another goes whole.
std::string MaskSecrets(std::string text, std::vector<std::string> secrets);

}  // namespace dlctl
