#include "engine/bucket_paths.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace dlctl {
namespace {

TEST(BucketPathsTest, MapsUrisOfTheBucketToKeys) {
  BucketPaths paths("lake");
  EXPECT_EQ(paths.KeyOf("s3://lake/raw/a.csv"), "raw/a.csv");
  EXPECT_EQ(paths.KeyOf("s3://lake/"), "");
  EXPECT_EQ(paths.KeyOf("s3://lake"), "");
  EXPECT_EQ(paths.UriOf("raw/a.csv"), "s3://lake/raw/a.csv");
  EXPECT_TRUE(BucketPaths::IsS3Uri("s3://other/x"));
  EXPECT_FALSE(BucketPaths::IsS3Uri("/tmp/lake/x"));
}

TEST(BucketPathsTest, RejectsOtherBucketsNamingTheServedOne) {
  BucketPaths paths("lake");
  try {
    paths.KeyOf("s3://lakehouse/raw/a.csv");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "bucket 'lakehouse' is not available: queries can read and write only s3://lake/...");
  }
}

}  // namespace
}  // namespace dlctl
