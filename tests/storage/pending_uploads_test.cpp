// What a killed process leaves half-uploaded, and how it is found and discarded: LocalStore's
// staging files (named by their process) and S3's incomplete multipart uploads.
#include <gtest/gtest.h>

#include <filesystem>

#include "storage/local_store.h"
#include "storage/s3_client.h"
#include "storage/s3_store.h"
#include "support/test_env.h"
#include "util/error.h"
#include "util/process_owner.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr uint64_t kMiB = 1 << 20;

ProcessOwner GoneProcess() {
  ProcessOwner gone = CurrentProcess();
  gone.start_ticks += 1;  // this pid, but another start: a process that has exited
  return gone;
}

const PendingUpload* Find(const std::vector<PendingUpload>& uploads, const std::string& part) {
  for (const auto& upload : uploads)
    if (upload.description.find(part) != std::string::npos) return &upload;
  return nullptr;
}

TEST(LocalStorePendingUploads, StagingFilesNameTheirProcessAndTheNextWriterRemovesTheDeadOnes) {
  testing::TempDir dir;
  fs::path staging = dir.path() / ".staging-bucket";
  testing::WriteFile(staging / ("0-1." + OwnerTag(GoneProcess())), std::string(1000, 'd'));
  testing::WriteFile(staging / ("0-2." + OwnerTag(CurrentProcess())), "alive");
  testing::WriteFile(staging / "123-0-456", "from a dlctl before the tags, just written");
  testing::WriteFile(staging / "124-0-457", "from a dlctl before the tags, long ago");
  fs::last_write_time(staging / "124-0-457", fs::file_time_type::clock::now() - 2h);

  LocalStore store(dir.path() / "bucket");
  std::vector<PendingUpload> uploads = store.PendingUploads();
  ASSERT_EQ(uploads.size(), 4u);
  EXPECT_EQ(Find(uploads, "0-1.")->owner, Liveness::kDead);
  EXPECT_EQ(Find(uploads, "0-1.")->bytes, 1000u);
  EXPECT_EQ(Find(uploads, "0-2.")->owner, Liveness::kAlive);
  EXPECT_EQ(Find(uploads, "123-0-456")->owner, Liveness::kUnknown);
  auto now = std::chrono::system_clock::now();
  EXPECT_TRUE(IsAbandoned(*Find(uploads, "0-1."), now));
  EXPECT_FALSE(IsAbandoned(*Find(uploads, "0-2."), now + 24h));
  EXPECT_FALSE(IsAbandoned(*Find(uploads, "123-0-456"), now));
  EXPECT_TRUE(IsAbandoned(*Find(uploads, "124-0-457"), now));

  store.Put("k", "v");  // the first write of this process sweeps
  EXPECT_FALSE(fs::exists(staging / ("0-1." + OwnerTag(GoneProcess()))));
  EXPECT_FALSE(fs::exists(staging / "124-0-457"));
  EXPECT_TRUE(fs::exists(staging / ("0-2." + OwnerTag(CurrentProcess()))));
  EXPECT_TRUE(fs::exists(staging / "123-0-456"));
  EXPECT_EQ(store.Get("k"), "v");

  store.DiscardPendingUpload(*Find(store.PendingUploads(), "123-0-456"));
  EXPECT_FALSE(fs::exists(staging / "123-0-456"));
  EXPECT_THROW(store.DiscardPendingUpload({dir.path() / "bucket" / "k", "", 0, {}, Liveness::kDead}), Error);
  EXPECT_EQ(store.Get("k"), "v");
}

TEST(S3PendingUploads, AnUnfinishedMultipartUploadIsListedWithItsPartsAndCanBeDiscarded) {
  auto store = testing::MakeTestBucket("pending");
  S3Client client(testing::TestS3Settings(), store->Bucket(), {});
  // What a process killed between two parts leaves: an upload with one part.
  S3Response created = client.SendOk(
      {.operation = "CreateMultipartUpload", .method = "POST", .key = "exports/x/part.parquet", .query = {{"uploads", ""}}});
  std::string upload_id = *ParseUploadId(created.body);
  MemoryBody part(std::string(5 * kMiB, 'p'));
  client.SendOk({.operation = "UploadPart", .method = "PUT", .key = "exports/x/part.parquet",
                 .query = {{"partNumber", "1"}, {"uploadId", upload_id}}, .body = &part});

  std::vector<PendingUpload> uploads = store->PendingUploads();
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].description, "multipart upload of " + store->Uri("exports/x/part.parquet"));
  EXPECT_EQ(uploads[0].bytes, 5 * kMiB);
  EXPECT_EQ(uploads[0].owner, Liveness::kUnknown);
  auto now = std::chrono::system_clock::now();
  EXPECT_LT(std::chrono::abs(now - uploads[0].last_activity), 10min) << "the time its part arrived";
  EXPECT_FALSE(IsAbandoned(uploads[0], now));
  EXPECT_TRUE(IsAbandoned(uploads[0], now + 2h));

  store->DiscardPendingUpload(uploads[0]);
  EXPECT_TRUE(store->PendingUploads().empty());
  store->DiscardPendingUpload(uploads[0]);  // gone already: nothing to do
}

}  // namespace
}  // namespace dlctl
