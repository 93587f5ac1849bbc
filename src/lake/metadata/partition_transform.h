#pragma once
// The transforms a DuckLake partition key applies to its column (spec notes §1.7), as
// ducklake_partition_column.transform spells them: identity, year, month, day, hour (DuckDB's
// functions of those names: the year, the month of the year, the day of the month, the hour of
// the day, as int64) and bucket(N) (Iceberg's: (murmur3_x86_32(v) & INT32_MAX) % N, an int32).
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

namespace dlctl::lake {

enum class TransformKind { kIdentity, kYear, kMonth, kDay, kHour, kBucket };

struct PartitionTransform {
  TransformKind kind = TransformKind::kIdentity;
  int64_t bucket_count = 0;  // bucket(N) only

  // From the catalog's text; throws Error for text that is not one of the spec's transforms.
  static PartitionTransform Parse(const std::string& text);
  // As the catalog stores it: "identity", "year", ..., "bucket(16)".
  std::string ToString() const;
  // The name of DuckDB's function that computes it ("year"), empty for identity and bucket.
  std::string FunctionName() const;

  // The name a key with this transform of column `column` takes in hive paths ("country",
  // "year", "bucket"), as the extension names it: `column` itself for identity, else the
  // transform's name, suffixed with "_<column>" when a key before it (`used`, lower case)
  // already took that name. Adds the name to `used`.
  std::string KeyName(const std::string& column, std::set<std::string>& used) const;

  bool operator==(const PartitionTransform& other) const {
    return kind == other.kind && bucket_count == other.bucket_count;
  }
};

// Murmur3 x86 32-bit with seed 0 (Iceberg's bucket hash) of `size` bytes.
int32_t Murmur3Hash32(const void* data, size_t size);
// Iceberg hashes integers (and dates, timestamps, booleans as 0/1) as 8-byte little-endian longs.
int32_t Murmur3HashLong(int64_t value);
// A bucket number in [0, count) from a hash, as Iceberg and DuckLake compute it.
int32_t BucketOfHash(int32_t hash, int64_t count);

}  // namespace dlctl::lake
