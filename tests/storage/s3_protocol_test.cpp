// The pure parts of the S3 client: canonical encoding for SigV4, the retry policy, and the XML
// bodies. Each of these broke requests in a way that radosgw only reports as a 403 or 400.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>
#include <set>

#include "storage/s3_encoding.h"
#include "storage/s3_retry.h"
#include "storage/s3_store.h"
#include "storage/s3_xml.h"

namespace dlctl {
namespace {

using ::testing::ElementsAre;
using std::chrono::milliseconds;

TEST(S3EncodingTest, KeyPathKeepsSlashesAndUnreservedBytesOnly) {
  EXPECT_EQ(EncodeKeyPath("raw/a b/c+d%e=f&g?h"), "raw/a%20b/c%2Bd%25e%3Df%26g%3Fh");
  EXPECT_EQ(EncodeKeyPath("x/./y/../z~_.-"), "x/./y/../z~_.-");
  EXPECT_EQ(EncodeKeyPath("é日"), "%C3%A9%E6%97%A5");
}

TEST(S3EncodingTest, QueryIsSortedEncodedAndValuelessParametersGetAnEqualsSign) {
  EXPECT_EQ(EncodeQueryComponent("tree/sp ace+"), "tree%2Fsp%20ace%2B");
  EXPECT_EQ(CanonicalQuery({{"prefix", "tree/"}, {"list-type", "2"}, {"uploads", ""}}),
            "list-type=2&prefix=tree%2F&uploads=");
  EXPECT_EQ(CanonicalQuery({{"uploadId", "2~x"}, {"partNumber", "10"}}), "partNumber=10&uploadId=2~x");
  EXPECT_EQ(CanonicalQuery({}), "");
}

TEST(S3EncodingTest, ListingValuesDecodeBothSpellingsOfSpace) {
  EXPECT_EQ(DecodeListingValue("a+b%20c%2Bd%25%C3%A9"), "a b c+d%é");
  EXPECT_EQ(DecodeListingValue("100%"), "100%") << "a stray % stays as it is";
}

TEST(S3RetryTest, OnlyServerErrorsAndThrottlingAreRetried) {
  for (long status : {500, 502, 503, 504, 429}) EXPECT_TRUE(IsRetryableStatus(status)) << status;
  for (long status : {200, 301, 400, 403, 404, 409, 412, 416}) EXPECT_FALSE(IsRetryableStatus(status)) << status;
  EXPECT_TRUE(IsRetryableErrorCode("InternalError"));
  EXPECT_FALSE(IsRetryableErrorCode("InvalidPart"));
}

TEST(S3RetryTest, BackoffGrowsWithJitterUpToTheCap) {
  S3Tuning tuning;
  tuning.retry_base_delay_ms = 100;
  tuning.retry_max_delay_ms = 1000;
  std::set<int64_t> seen;
  for (int i = 0; i < 200; ++i) {
    milliseconds first = BackoffDelay(1, tuning), third = BackoffDelay(3, tuning), late = BackoffDelay(30, tuning);
    EXPECT_GE(first.count(), 50);
    EXPECT_LE(first.count(), 100);
    EXPECT_GE(third.count(), 200);
    EXPECT_LE(third.count(), 400);
    EXPECT_GE(late.count(), 500);
    EXPECT_LE(late.count(), 1000);
    seen.insert(third.count());
  }
  EXPECT_GT(seen.size(), 20u) << "delays are jittered";
}

TEST(S3RetryTest, RetryAfterIsSecondsOrADate) {
  EXPECT_EQ(ParseRetryAfter("3"), milliseconds(3000));
  EXPECT_EQ(ParseRetryAfter(" 0\r\n"), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), milliseconds(0)) << "a past date means now";
  char future[64];
  std::time_t in_a_minute = std::time(nullptr) + 60;
  std::strftime(future, sizeof future, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&in_a_minute));
  std::optional<milliseconds> wait = ParseRetryAfter(future);
  ASSERT_TRUE(wait);
  EXPECT_GE(wait->count(), 58'000);
  EXPECT_LE(wait->count(), 60'000);
  EXPECT_EQ(ParseRetryAfter("soon"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter(""), std::nullopt);
}

TEST(S3XmlTest, ErrorBody) {
  auto error = ParseErrorBody(R"(<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>gone</Message></Error>)");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, "NoSuchKey");
  EXPECT_EQ(error->message, "gone");
  EXPECT_FALSE(ParseErrorBody("<html>proxy error</html>"));
  EXPECT_FALSE(ParseErrorBody(""));
  EXPECT_FALSE(ParseErrorBody("<CompleteMultipartUploadResult/>"));
}

TEST(S3XmlTest, ListPageWithUrlEncoding) {
  auto page = ParseListPage(
      R"(<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><EncodingType>url</EncodingType>)"
      R"(<IsTruncated>true</IsTruncated><NextContinuationToken>tok+1/=</NextContinuationToken>)"
      R"(<Contents><Key>a%20b%2Bc</Key><Size>12</Size></Contents><Contents><Key>x+y</Key><Size>0</Size></Contents>)"
      R"(<CommonPrefixes><Prefix>d%C3%A9/</Prefix></CommonPrefixes></ListBucketResult>)");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "a b+c");
  EXPECT_EQ(page->objects[0].size, 12u);
  EXPECT_EQ(page->objects[1].key, "x y");
  EXPECT_THAT(page->common_prefixes, ElementsAre("dé/"));
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_token, "tok+1/=") << "the token is not url-encoded";
  EXPECT_FALSE(ParseListPage("<Error><Code>AccessDenied</Code></Error>"));
}

TEST(S3XmlTest, RequestBodies) {
  EXPECT_EQ(CompleteMultipartBody({"\"e1\"", "\"e2\""}),
            "<?xml version=\"1.0\"?><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"e1\"</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>\"e2\"</ETag></Part></CompleteMultipartUpload>");
  EXPECT_EQ(DeleteObjectsBody({"a&b", "<c>"}),
            "<?xml version=\"1.0\"?><Delete><Quiet>true</Quiet><Object><Key>a&amp;b</Key></Object><Object><Key>&lt;c&gt;</Key></Object>"
            "</Delete>");
  EXPECT_EQ(ParseUploadId("<InitiateMultipartUploadResult><UploadId>2~abc</UploadId></InitiateMultipartUploadResult>"),
            "2~abc");
  EXPECT_EQ(ParseUploadId("<InitiateMultipartUploadResult/>"), std::nullopt);
}

TEST(S3XmlTest, DeleteFailures) {
  auto failures = ParseDeleteFailures(
      "<DeleteResult><Deleted><Key>ok</Key></Deleted><Error><Key>p/a</Key><Code>AccessDenied</Code>"
      "<Message>no</Message></Error></DeleteResult>");
  ASSERT_TRUE(failures);
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ((*failures)[0].key, "p/a");
  EXPECT_EQ((*failures)[0].error.code, "AccessDenied");
  EXPECT_THAT(*ParseDeleteFailures("  "), ::testing::IsEmpty()) << "a quiet answer may be empty";
  EXPECT_FALSE(ParseDeleteFailures("<Error><Code>NoSuchBucket</Code></Error>"));
}

}  // namespace
}  // namespace dlctl
