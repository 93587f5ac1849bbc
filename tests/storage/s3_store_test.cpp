// What only S3Store does: error messages for bad credentials and buckets (never with the
// secret), URIs, bucket creation, and that big objects really travel as multipart uploads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "storage/s3_client.h"
#include "storage/s3_store.h"
#include "storage/s3_transfer.h"
#include "support/error_of.h"
#include "support/test_env.h"
#include "util/error.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr uint64_t kMiB = 1 << 20;

std::string BucketOf(const S3Store& store) {
  std::string uri = store.Uri("");
  return uri.substr(5, uri.size() - 6);  // "s3://<bucket>/"
}

S3Tuning SmallParts() {
  S3Tuning tuning;
  tuning.part_size = 5 * kMiB;
  tuning.multipart_threshold = 5 * kMiB;
  tuning.max_attempts = 2;
  tuning.retry_base_delay_ms = 1;
  return tuning;
}

using testing::ErrorOf;

// Runs every operation but Head that reaches the server and returns the messages of their errors.
std::vector<std::string> ErrorsOfEveryOperation(S3Store& store, const fs::path& scratch) {
  fs::path file = scratch / "upload.bin";
  testing::WriteFile(file, std::string(6 * kMiB, 'x'));
  char buffer[10];
  return {
      ErrorOf([&] { store.Put("k", "small"); }),
      ErrorOf([&] { store.Put("k", std::string(6 * kMiB, 'y')); }),
      ErrorOf([&] { store.PutFile("k", file); }),
      ErrorOf([&] {
        auto writer = store.OpenWriter("k");
        writer->Write("abc", 3);
        writer->Commit();
      }),
      ErrorOf([&] { store.Get("k"); }),
      ErrorOf([&] { store.GetToFile("k", scratch / "download.bin"); }),
      ErrorOf([&] { store.ReadRange("k", 0, sizeof buffer, buffer); }),
      ErrorOf([&] { store.List("a/"); }),
      ErrorOf([&] { store.ListFolder("a/"); }),
      ErrorOf([&] { store.Delete("k"); }),
      ErrorOf([&] { store.DeleteMany({"k", "l"}); }),
      ErrorOf([&] { store.Copy("k", "l"); }),
  };
}

TEST(S3StoreTest, WrongSecretNamesTheProblemButNeverTheSecret) {
  auto real = testing::MakeTestBucket("secret");
  S3Settings settings = testing::TestS3Settings();
  settings.secret_access_key = "wr0ng-Secret-7fQ";
  S3Store store(settings, BucketOf(*real), SmallParts());
  testing::TempDir scratch;
  for (const std::string& message : ErrorsOfEveryOperation(store, scratch.path())) {
    SCOPED_TRACE(message);
    EXPECT_THAT(message, HasSubstr("HTTP 403"));
    EXPECT_THAT(message, HasSubstr("at http://" + settings.endpoint + " failed"));
    EXPECT_THAT(message, HasSubstr("s3://" + BucketOf(*real)));
    EXPECT_THAT(message, Not(HasSubstr(settings.secret_access_key)));
    EXPECT_THAT(message, Not(HasSubstr("\n")));
  }
  std::string head = ErrorOf([&] { store.Head("k"); });  // HEAD answers carry no error code
  EXPECT_THAT(head, HasSubstr("HeadObject s3://" + BucketOf(*real) + "/k"));
  EXPECT_THAT(head, HasSubstr("HTTP 403 (access denied, or wrong S3 credentials)"));
  std::string get = ErrorOf([&] { store.Get("dir/k"); });
  EXPECT_THAT(get, HasSubstr("S3 GetObject s3://" + BucketOf(*real) + "/dir/k at http://" + settings.endpoint));
  EXPECT_THAT(get, HasSubstr("HTTP 403 SignatureDoesNotMatch"));
  EXPECT_THAT(get, HasSubstr("check S3_SECRET_ACCESS_KEY"));
}

TEST(S3StoreTest, UnknownAccessKeyIsNamed) {
  auto real = testing::MakeTestBucket("access");
  S3Settings settings = testing::TestS3Settings();
  settings.access_key_id = "NOSUCHKEY0000";
  S3Store store(settings, BucketOf(*real));
  std::string message = ErrorOf([&] { store.List(""); });
  EXPECT_THAT(message, HasSubstr("ListObjectsV2"));
  EXPECT_THAT(message, HasSubstr("HTTP 403 InvalidAccessKeyId"));
  EXPECT_THAT(message, HasSubstr("check S3_ACCESS_KEY_ID"));
}

TEST(S3StoreTest, MissingBucketIsAnErrorNotAMissingObject) {
  S3Settings settings = testing::TestS3Settings();
  std::string bucket = testing::UniqueBucketName("nobucket");
  S3Store store(settings, bucket, SmallParts());
  testing::TempDir scratch;
  for (const std::string& message : ErrorsOfEveryOperation(store, scratch.path())) {
    SCOPED_TRACE(message);
    EXPECT_THAT(message, HasSubstr("HTTP 404 NoSuchBucket"));
    EXPECT_THAT(message, HasSubstr("s3://" + bucket));
    EXPECT_THAT(message, HasSubstr("http://" + settings.endpoint));
    EXPECT_THAT(message, Not(HasSubstr(settings.secret_access_key)));
  }
  EXPECT_THROW(
      try { store.Get("k"); } catch (const NotFoundError&) { FAIL() << "NoSuchBucket must not read as a missing key"; },
      Error);
  EXPECT_FALSE(store.Head("k")) << "a HEAD cannot tell a missing bucket from a missing key";
}

TEST(S3StoreTest, ErrorAnswerToAnUploadDoesNotSpoilTheNextRequest) {
  // radosgw answers NoSuchBucket without reading the body; were the connection reused, the
  // body's bytes would be read as the start of the next request (405 MethodNotAllowed).
  S3Store store(testing::TestS3Settings(), testing::UniqueBucketName("nobucket"));
  EXPECT_THAT(ErrorOf([&] { store.Put("k", "some body bytes"); }), HasSubstr("NoSuchBucket"));
  EXPECT_THAT(ErrorOf([&] { store.Get("k"); }), HasSubstr("NoSuchBucket"));
  EXPECT_THAT(ErrorOf([&] { store.DeleteMany({"k"}); }), HasSubstr("NoSuchBucket"));
  EXPECT_THAT(ErrorOf([&] { store.Copy("k", "l"); }), HasSubstr("NoSuchBucket"));
}

TEST(S3StoreTest, CreateBucketTwiceIsFine) {
  auto store = testing::MakeTestBucket("twice");
  EXPECT_NO_THROW(store->CreateBucket());
  store->Put("k", "v");
  EXPECT_NO_THROW(store->CreateBucket());
  EXPECT_EQ(store->Get("k"), "v") << "re-creating keeps the content";
}

TEST(S3StoreTest, UriKeyOfAndDescribe) {
  S3Settings settings = testing::TestS3Settings();
  S3Store store(settings, "lake");
  EXPECT_EQ(store.Uri("raw/a b/é.csv"), "s3://lake/raw/a b/é.csv");
  for (std::string key : {"raw/x.csv", "a b/c+d%e", "日本/データ"}) EXPECT_EQ(store.KeyOf(store.Uri(key)), key);
  EXPECT_EQ(store.KeyOf("s3://other/raw/x.csv"), std::nullopt);
  EXPECT_EQ(store.KeyOf("s3://lakehouse/raw/x.csv"), std::nullopt);
  EXPECT_EQ(store.KeyOf("s3://lake"), std::nullopt);
  EXPECT_EQ(store.KeyOf("s3://lake/"), std::nullopt);
  EXPECT_EQ(store.KeyOf("/tmp/lake/raw/x.csv"), std::nullopt);
  EXPECT_EQ(store.Describe(), "s3://lake at http://" + settings.endpoint);
}

TEST(S3StoreTest, EmptyKeyIsAUsageError) {
  auto store = testing::MakeTestBucket("emptykey");
  EXPECT_THROW(store->Put("", "v"), UsageError);
  EXPECT_THROW(store->Get(""), UsageError);
}

TEST(S3StoreTest, BigObjectsGoMultipartSmallOnesDoNot) {
  auto store = testing::MakeTestBucket("multipart", SmallParts());
  S3Client client(testing::TestS3Settings(), BucketOf(*store), {});
  testing::TempDir scratch;
  std::string data(12 * kMiB, 'm');
  testing::WriteFile(scratch.path() / "big", data);

  store->PutFile("from-file", scratch.path() / "big");
  store->Put("from-memory", data);
  auto writer = store->OpenWriter("from-writer");
  writer->Write(data.data(), data.size());
  writer->Commit();
  store->Put("small", std::string(4 * kMiB, 's'));

  // A multipart object's ETag ends in "-<parts>": three parts of 5, 5 and 2 MiB.
  EXPECT_THAT(HeadObject(client, "from-file")->etag, EndsWith("-3\""));
  EXPECT_THAT(HeadObject(client, "from-memory")->etag, EndsWith("-3\""));
  EXPECT_THAT(HeadObject(client, "from-writer")->etag, EndsWith("-3\""));
  EXPECT_THAT(HeadObject(client, "small")->etag, Not(HasSubstr("-")));
  store->DeleteMany({"from-file", "from-memory", "from-writer", "small"});
}

TEST(S3StoreTest, PartsSmallerThanS3AllowsAreRaisedToFiveMiB) {
  S3Tuning tuning;
  tuning.part_size = 1 * kMiB;
  tuning.multipart_threshold = 1 * kMiB;
  auto store = testing::MakeTestBucket("tinyparts", tuning);
  S3Client client(testing::TestS3Settings(), BucketOf(*store), {});
  std::string data(6 * kMiB, 't');
  store->Put("put", data);
  auto writer = store->OpenWriter("writer");
  writer->Write(data.data(), data.size());
  writer->Commit();
  EXPECT_THAT(HeadObject(client, "put")->etag, EndsWith("-2\"")) << "5 MiB + 1 MiB";
  EXPECT_THAT(HeadObject(client, "writer")->etag, EndsWith("-2\""));
  EXPECT_TRUE(store->Get("writer") == data);
}

TEST(S3StoreTest, AbandonedWriterLeavesNoUploadBehind) {
  auto store = testing::MakeTestBucket("abandon", SmallParts());
  S3Client client(testing::TestS3Settings(), BucketOf(*store), {});
  {
    auto writer = store->OpenWriter("abandoned");
    std::string data(11 * kMiB, 'a');
    writer->Write(data.data(), data.size());
    S3Response during = client.SendOk({.operation = "ListMultipartUploads", .query = {{"uploads", ""}}});
    EXPECT_THAT(during.body, HasSubstr("<Key>abandoned</Key>")) << "the writer did start a multipart upload";
  }
  S3Response after = client.SendOk({.operation = "ListMultipartUploads", .query = {{"uploads", ""}}});
  EXPECT_THAT(after.body, Not(HasSubstr("<Upload>")));
  EXPECT_FALSE(store->Head("abandoned"));
}

TEST(S3StoreTest, WriterRefusesUseAfterCommit) {
  auto store = testing::MakeTestBucket("commit");
  auto writer = store->OpenWriter("k");
  writer->Write("v", 1);
  writer->Commit();
  EXPECT_THROW(writer->Write("w", 1), Error);
  EXPECT_THROW(writer->Commit(), Error);
  EXPECT_EQ(store->Get("k"), "v");
}

TEST(S3StoreTest, DeleteManyReportsKeysItCouldNotDelete) {
  auto store = testing::MakeTestBucket("deletemany");
  std::string bucket = BucketOf(*store);
  S3Client client(testing::TestS3Settings(), bucket, {});
  MemoryBody policy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*",)"
                    R"("Action":"s3:DeleteObject","Resource":"arn:aws:s3:::)" + bucket + R"(/protected/*"}]})");
  client.SendOk({.operation = "PutBucketPolicy", .method = "PUT", .query = {{"policy", ""}},
                 .headers = {"Content-Type: application/json"}, .body = &policy});
  store->Put("free", "v");
  store->Put("protected/a", "v");
  store->Put("protected/b", "v");

  std::string message = ErrorOf([&] { store->DeleteMany({"free", "protected/a", "protected/b"}); });
  EXPECT_THAT(message, HasSubstr("S3 DeleteObjects s3://" + bucket + " at http://"));
  EXPECT_THAT(message, HasSubstr("2 of 3 keys not deleted: protected/a (AccessDenied"));
  EXPECT_THAT(message, HasSubstr("protected/b (AccessDenied"));
  EXPECT_FALSE(store->Head("free"));
  EXPECT_TRUE(store->Head("protected/a"));
}

}  // namespace
}  // namespace dlctl
