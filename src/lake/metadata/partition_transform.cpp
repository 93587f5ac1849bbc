#include "lake/metadata/partition_transform.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <limits>
#include <string_view>

#include "util/error.h"

namespace dlctl::lake {

namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

uint32_t RotateLeft(uint32_t value, int bits) { return (value << bits) | (value >> (32 - bits)); }

uint32_t MixBlock(uint32_t block) { return RotateLeft(block * 0xcc9e2d51u, 15) * 0x1b873593u; }

}  // namespace

PartitionTransform PartitionTransform::Parse(const std::string& text) {
  if (text == "identity") return {TransformKind::kIdentity};
  if (text == "year") return {TransformKind::kYear};
  if (text == "month") return {TransformKind::kMonth};
  if (text == "day") return {TransformKind::kDay};
  if (text == "hour") return {TransformKind::kHour};
  constexpr std::string_view kBucket = "bucket(";
  if (text.size() > kBucket.size() + 1 && text.compare(0, kBucket.size(), kBucket) == 0 && text.back() == ')') {
    int64_t count = 0;
    const char* first = text.data() + kBucket.size();
    const char* last = text.data() + text.size() - 1;
    auto [end, error] = std::from_chars(first, last, count);
    if (error == std::errc() && end == last && count > 0 && count <= std::numeric_limits<int32_t>::max())
      return {TransformKind::kBucket, count};
  }
  throw Error(fmt::format("unknown partition transform '{}' (DuckLake has identity, year, month, day, hour, "
                          "bucket(N))",
                          text));
}

std::string PartitionTransform::ToString() const {
  if (kind == TransformKind::kBucket) return fmt::format("bucket({})", bucket_count);
  return kind == TransformKind::kIdentity ? "identity" : FunctionName();
}

std::string PartitionTransform::FunctionName() const {
  switch (kind) {
    case TransformKind::kYear:
      return "year";
    case TransformKind::kMonth:
      return "month";
    case TransformKind::kDay:
      return "day";
    case TransformKind::kHour:
      return "hour";
    default:
      return "";
  }
}

std::string PartitionTransform::KeyName(const std::string& column, std::set<std::string>& used) const {
  std::string name = kind == TransformKind::kIdentity ? column
                     : kind == TransformKind::kBucket ? std::string("bucket")
                                                      : FunctionName();
  if (used.count(Lower(name))) name += "_" + column;
  used.insert(Lower(name));
  return name;
}

int32_t Murmur3Hash32(const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  uint32_t hash = 0;
  size_t blocks = size / 4;
  for (size_t i = 0; i < blocks; ++i) {
    uint32_t block;
    std::memcpy(&block, bytes + i * 4, 4);  // little endian, as the x86 variant reads it
    hash ^= MixBlock(block);
    hash = RotateLeft(hash, 13) * 5 + 0xe6546b64u;
  }
  uint32_t tail = 0;
  switch (size & 3) {
    case 3:
      tail ^= static_cast<uint32_t>(bytes[blocks * 4 + 2]) << 16;
      [[fallthrough]];
    case 2:
      tail ^= static_cast<uint32_t>(bytes[blocks * 4 + 1]) << 8;
      [[fallthrough]];
    case 1:
      tail ^= bytes[blocks * 4];
      hash ^= MixBlock(tail);
  }
  hash ^= static_cast<uint32_t>(size);
  hash ^= hash >> 16;
  hash *= 0x85ebca6bu;
  hash ^= hash >> 13;
  hash *= 0xc2b2ae35u;
  hash ^= hash >> 16;
  return static_cast<int32_t>(hash);
}

int32_t Murmur3HashLong(int64_t value) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(static_cast<uint64_t>(value) >> (8 * i));
  return Murmur3Hash32(bytes, sizeof bytes);
}

int32_t BucketOfHash(int32_t hash, int64_t count) {
  return static_cast<int32_t>((hash & std::numeric_limits<int32_t>::max()) % count);
}

}  // namespace dlctl::lake
