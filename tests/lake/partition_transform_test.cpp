// The partition transforms as the catalog spells them, the hive names of their keys, and the
// bucket hash against the test vectors of Iceberg's specification (appendix B).
#include "lake/metadata/partition_transform.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace dlctl::lake {
namespace {

TEST(PartitionTransform, ParsesAndPrintsWhatTheCatalogStores) {
  for (const char* text : {"identity", "year", "month", "day", "hour", "bucket(16)"})
    EXPECT_EQ(PartitionTransform::Parse(text).ToString(), text);
  EXPECT_EQ(PartitionTransform::Parse("bucket(7)").bucket_count, 7);
  for (const char* text : {"truncate(4)", "bucket(0)", "bucket(x)", "bucket()", "Year", ""})
    EXPECT_THROW(PartitionTransform::Parse(text), Error) << text;
}

TEST(PartitionTransform, NamesKeysAsTheExtensionDoes) {
  std::set<std::string> used;
  EXPECT_EQ(PartitionTransform::Parse("year").KeyName("d", used), "year");
  EXPECT_EQ(PartitionTransform::Parse("month").KeyName("d", used), "month");
  EXPECT_EQ(PartitionTransform::Parse("year").KeyName("ts", used), "year_ts");  // "year" is taken
  EXPECT_EQ(PartitionTransform::Parse("identity").KeyName("country", used), "country");
  EXPECT_EQ(PartitionTransform::Parse("bucket(4)").KeyName("id", used), "bucket");
}

TEST(PartitionTransform, HashesLikeIceberg) {
  EXPECT_EQ(Murmur3HashLong(34), 2017239379);           // int and long 34
  EXPECT_EQ(Murmur3HashLong(17486), -653330422);        // date 2017-11-16 (days)
  EXPECT_EQ(Murmur3HashLong(81068000000), -662762989);  // time 22:31:08 (microseconds)
  EXPECT_EQ(Murmur3HashLong(1510871468000000), -2047944441);  // timestamp 2017-11-16T22:31:08
  EXPECT_EQ(Murmur3Hash32("iceberg", 7), 1210000089);
  const unsigned char bytes[] = {0, 1, 2, 3};
  EXPECT_EQ(Murmur3Hash32(bytes, sizeof bytes), -188683207);
  EXPECT_EQ(BucketOfHash(Murmur3HashLong(34), 100), 79);  // Iceberg's bucket(100, 34)
  EXPECT_EQ(BucketOfHash(-653330422, 16), (-653330422 & 0x7fffffff) % 16);
}

}  // namespace
}  // namespace dlctl::lake
