#pragma once
// Percent-encoding as S3's SigV4 canonical form wants it. curl 7.88 signs the path and query
// exactly as sent, so both must already be canonical: RFC 3986, upper-case %XX, sorted query.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dlctl {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Encodes every byte of a key except A-Za-z0-9 - _ . ~ and '/'.
std::string EncodeKeyPath(std::string_view key);

// Encodes every byte except A-Za-z0-9 - _ . ~ (so '/' becomes %2F).
std::string EncodeQueryComponent(std::string_view text);

// "a=1&b=&c=x%2Fy": encoded, sorted by name, "name=" for parameters without a value.
std::string CanonicalQuery(const QueryParams& params);

// Decodes a value from a listing made with encoding-type=url ('+' or %20 for space).
std::string DecodeListingValue(std::string_view text);

}  // namespace dlctl
