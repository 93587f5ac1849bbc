// One suite, run against every ObjectStore: LocalStore in a temp folder and S3Store on a fresh
// bucket of the test radosgw. Whatever one store does, the other must do the same.
#include <gmock/gmock.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <functional>
#include <random>
#include <thread>

#include "storage/local_store.h"
#include "storage/object_store.h"
#include "storage/s3_store.h"
#include "support/test_env.h"
#include "util/error.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

constexpr uint64_t kMiB = 1 << 20;

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<ObjectStore>(const fs::path& scratch)> make;
};

void PrintTo(const StoreFactory& factory, std::ostream* out) { *out << factory.name; }

// Small parts so that a few MiB already exercise multipart uploads and parallel ranged GETs.
S3Tuning SmallParts() {
  S3Tuning tuning;
  tuning.part_size = 5 * kMiB;
  tuning.multipart_threshold = 8 * kMiB;
  tuning.parallel_parts = 4;
  return tuning;
}

const StoreFactory kLocal{"Local", [](const fs::path& scratch) -> std::unique_ptr<ObjectStore> {
                            return std::make_unique<LocalStore>(scratch / "bucket");
                          }};
const StoreFactory kS3{"S3", [](const fs::path&) -> std::unique_ptr<ObjectStore> {
                         return testing::MakeTestBucket("suite", SmallParts());
                       }};

std::string RandomBytes(size_t size, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string data(size, '\0');
  for (size_t i = 0; i < size; i += 8) {
    uint64_t word = rng();
    std::memcpy(data.data() + i, &word, std::min<size_t>(8, size - i));
  }
  return data;
}

std::vector<std::string> KeysOf(const std::vector<ObjectInfo>& objects) {
  std::vector<std::string> keys;
  for (const auto& object : objects) keys.push_back(object.key);
  return keys;
}

class ObjectStoreTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam().make(scratch_.path()); }

  std::string ReadRangeOf(const std::string& key, uint64_t offset, uint64_t length) {
    std::string out(length, '\0');
    out.resize(store_->ReadRange(key, offset, length, out.data()));
    return out;
  }

  // Writes `data` through a writer in uneven pieces, as a producer streaming rows would.
  void WriteInPieces(ObjectWriter& writer, const std::string& data) {
    for (size_t at = 0, piece = 1; at < data.size(); at += piece, piece = piece * 3 + 1) {
      piece = std::min(piece, data.size() - at);
      writer.Write(data.data() + at, piece);
    }
  }

  TempDir scratch_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_P(ObjectStoreTest, PutThenGetFromMemory) {
  std::string binary("a\0b\xff\n", 5);
  store_->Put("dir/binary.bin", binary);
  store_->Put("dir/text.txt", "hello");
  EXPECT_EQ(store_->Get("dir/binary.bin"), binary);
  EXPECT_EQ(store_->Get("dir/text.txt"), "hello");
}

TEST_P(ObjectStoreTest, PutOverwrites) {
  store_->Put("k", "first version");
  store_->Put("k", "second");
  EXPECT_EQ(store_->Get("k"), "second");
  EXPECT_EQ(store_->Head("k")->size, 6u);
}

TEST_P(ObjectStoreTest, PutFileThenGetToFile) {
  fs::path source = scratch_.path() / "in" / "small.csv";
  WriteFile(source, "id,name\n1,a\n");
  store_->PutFile("raw/small.csv", source);
  fs::path target = scratch_.path() / "out.csv";
  store_->GetToFile("raw/small.csv", target);
  EXPECT_EQ(ReadFile(target), "id,name\n1,a\n");
  EXPECT_EQ(store_->Get("raw/small.csv"), "id,name\n1,a\n");
}

TEST_P(ObjectStoreTest, ZeroByteObject) {
  store_->Put("empty", "");
  ASSERT_TRUE(store_->Head("empty"));
  EXPECT_EQ(store_->Head("empty")->size, 0u);
  EXPECT_EQ(store_->Get("empty"), "");
  EXPECT_EQ(ReadRangeOf("empty", 0, 10), "");
  fs::path target = scratch_.path() / "empty.out";
  store_->GetToFile("empty", target);
  EXPECT_TRUE(fs::exists(target));
  EXPECT_EQ(fs::file_size(target), 0u);

  fs::path empty_file = scratch_.path() / "empty.in";
  WriteFile(empty_file, "");
  store_->PutFile("empty-from-file", empty_file);
  EXPECT_EQ(store_->Head("empty-from-file")->size, 0u);
}

TEST_P(ObjectStoreTest, ReadRange) {
  std::string data = RandomBytes(100, 1);
  store_->Put("ranged", data);
  EXPECT_EQ(ReadRangeOf("ranged", 10, 20), data.substr(10, 20));
  EXPECT_EQ(ReadRangeOf("ranged", 0, 100), data);
  EXPECT_EQ(ReadRangeOf("ranged", 90, 50), data.substr(90)) << "short read at the end";
  EXPECT_EQ(ReadRangeOf("ranged", 99, 1), data.substr(99));
  EXPECT_EQ(ReadRangeOf("ranged", 100, 10), "") << "at the end";
  EXPECT_EQ(ReadRangeOf("ranged", 1000, 10), "") << "past the end";
  EXPECT_EQ(ReadRangeOf("ranged", 5, 0), "");
  EXPECT_THROW(ReadRangeOf("missing", 0, 10), NotFoundError);
}

TEST_P(ObjectStoreTest, HeadPresentAndMissing) {
  store_->Put("a/b.txt", "12345");
  std::optional<ObjectInfo> info = store_->Head("a/b.txt");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->key, "a/b.txt");
  EXPECT_EQ(info->size, 5u);
  EXPECT_FALSE(store_->Head("a/missing.txt"));
  EXPECT_FALSE(store_->Head("a")) << "a folder-like prefix is not an object";
}

TEST_P(ObjectStoreTest, GetMissingThrowsNotFound) {
  EXPECT_THROW(store_->Get("no/such/key"), NotFoundError);
  fs::path target = scratch_.path() / "never.out";
  EXPECT_THROW(store_->GetToFile("no/such/key", target), NotFoundError);
  EXPECT_FALSE(fs::exists(target));
  EXPECT_THAT(KeysOf(store_->List("")), IsEmpty()) << "a failed read leaves nothing behind";
}

TEST_P(ObjectStoreTest, ListIsRecursiveSortedAndSized) {
  store_->Put("raw/sub/deeper/c.csv", "ccc");
  store_->Put("raw/a.csv", "a");
  store_->Put("stage/x", "xx");
  store_->Put("raw/sub/b.csv", "bb");
  std::vector<ObjectInfo> raw = store_->List("raw/");
  EXPECT_THAT(KeysOf(raw), ElementsAre("raw/a.csv", "raw/sub/b.csv", "raw/sub/deeper/c.csv"));
  ASSERT_EQ(raw.size(), 3u);
  EXPECT_EQ(raw[0].size, 1u);
  EXPECT_EQ(raw[2].size, 3u);
  EXPECT_THAT(KeysOf(store_->List("")), ElementsAre("raw/a.csv", "raw/sub/b.csv", "raw/sub/deeper/c.csv", "stage/x"));
  EXPECT_THAT(KeysOf(store_->List("nothing/")), IsEmpty());
}

TEST_P(ObjectStoreTest, ListFolderSplitsAtSlash) {
  store_->Put("raw/a.csv", "a");
  store_->Put("raw/sub/b.csv", "b");
  store_->Put("raw/sub/deeper/c.csv", "c");
  store_->Put("raw/other/d.csv", "d");
  store_->Put("top.txt", "t");

  Listing raw = store_->ListFolder("raw/");
  EXPECT_THAT(KeysOf(raw.objects), ElementsAre("raw/a.csv"));
  EXPECT_THAT(raw.common_prefixes, ElementsAre("raw/other/", "raw/sub/"));

  Listing root = store_->ListFolder("");
  EXPECT_THAT(KeysOf(root.objects), ElementsAre("top.txt"));
  EXPECT_THAT(root.common_prefixes, ElementsAre("raw/"));

  Listing sub = store_->ListFolder("raw/sub/");
  EXPECT_THAT(KeysOf(sub.objects), ElementsAre("raw/sub/b.csv"));
  EXPECT_THAT(sub.common_prefixes, ElementsAre("raw/sub/deeper/"));
}

TEST_P(ObjectStoreTest, PrefixIsAPlainStringPrefix) {
  store_->Put("raw/foo/1.csv", "1");
  store_->Put("raw/foo_bar/2.csv", "2");
  store_->Put("raw/foo.txt", "3");
  EXPECT_THAT(KeysOf(store_->List("raw/foo/")), ElementsAre("raw/foo/1.csv"));
  EXPECT_THAT(KeysOf(store_->List("raw/foo")), ElementsAre("raw/foo.txt", "raw/foo/1.csv", "raw/foo_bar/2.csv"));
  Listing folder = store_->ListFolder("raw/foo/");
  EXPECT_THAT(KeysOf(folder.objects), ElementsAre("raw/foo/1.csv"));
  EXPECT_THAT(folder.common_prefixes, IsEmpty());
  Listing raw = store_->ListFolder("raw/");
  EXPECT_THAT(KeysOf(raw.objects), ElementsAre("raw/foo.txt"));
  EXPECT_THAT(raw.common_prefixes, ElementsAre("raw/foo/", "raw/foo_bar/"));
}

TEST_P(ObjectStoreTest, ListingsGoBeyondOneThousandKeys) {
  // 600 objects and 500 sub-folders directly under many/: both listings need two pages.
  constexpr int kObjects = 600, kFolders = 500, kThreads = 8;
  std::vector<std::string> keys;
  for (int i = 0; i < kObjects; ++i) keys.push_back(fmt::format("many/k{:04}", i));
  for (int i = 0; i < kFolders; ++i) keys.push_back(fmt::format("many/d{:04}/x", i));
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (size_t i; (i = next++) < keys.size();) store_->Put(keys[i], "v");
    });
  for (auto& thread : threads) thread.join();

  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(KeysOf(store_->List("many/")), sorted);

  Listing folder = store_->ListFolder("many/");
  ASSERT_EQ(folder.objects.size(), static_cast<size_t>(kObjects));
  ASSERT_EQ(folder.common_prefixes.size(), static_cast<size_t>(kFolders));
  EXPECT_EQ(folder.objects.front().key, "many/k0000");
  EXPECT_EQ(folder.objects.back().key, "many/k0599");
  EXPECT_EQ(folder.common_prefixes.front(), "many/d0000/");
  EXPECT_EQ(folder.common_prefixes.back(), "many/d0499/");
  EXPECT_TRUE(std::is_sorted(folder.common_prefixes.begin(), folder.common_prefixes.end()));

  store_->DeleteMany(keys);  // more than one DeleteObjects batch
  EXPECT_THAT(KeysOf(store_->List("many/")), IsEmpty());
}

TEST_P(ObjectStoreTest, KeysWithAwkwardCharacters) {
  const std::vector<std::string> keys = {"sp ace/a b.txt", "plus+sign", "per%cent/100%", "eq=amp&q?x=1",
                                         "café/é.csv",     "日本/データ.csv", "all +%=&?é 日本/z"};
  for (const auto& key : keys) store_->Put(key, "value of " + key);
  for (const auto& key : keys) {
    SCOPED_TRACE(key);
    EXPECT_EQ(store_->Get(key), "value of " + key);
    ASSERT_TRUE(store_->Head(key));
    EXPECT_EQ(store_->Head(key)->size, ("value of " + key).size());
    EXPECT_EQ(ReadRangeOf(key, 0, 5), "value");
    store_->Copy(key, key + ".copy");
    EXPECT_EQ(store_->Get(key + ".copy"), "value of " + key);
    fs::path file = scratch_.path() / "awkward.out";
    store_->GetToFile(key, file);
    EXPECT_EQ(ReadFile(file), "value of " + key);
  }
  std::vector<std::string> originals = KeysOf(store_->List(""));
  std::erase_if(originals, [](const std::string& key) { return key.ends_with(".copy"); });
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(originals, sorted);

  EXPECT_THAT(KeysOf(store_->List("sp ace/")), ElementsAre("sp ace/a b.txt", "sp ace/a b.txt.copy"));
  EXPECT_THAT(KeysOf(store_->List("plus+")), ElementsAre("plus+sign", "plus+sign.copy"));
  EXPECT_THAT(KeysOf(store_->List("日本/")), ElementsAre("日本/データ.csv", "日本/データ.csv.copy"));
  Listing root = store_->ListFolder("");
  EXPECT_THAT(root.common_prefixes, ElementsAre("all +%=&?é 日本/", "café/", "per%cent/", "sp ace/", "日本/"));

  store_->Delete("plus+sign");
  EXPECT_FALSE(store_->Head("plus+sign"));
  EXPECT_TRUE(store_->Head("plus+sign.copy")) << "deleting plus+sign must not touch others";
  store_->DeleteMany(KeysOf(store_->List("")));
  EXPECT_THAT(KeysOf(store_->List("")), IsEmpty());
}

TEST_P(ObjectStoreTest, DeleteSingleMissingAndMany) {
  store_->Put("d/1", "1");
  store_->Put("d/2", "2");
  store_->Put("d/3", "3");
  store_->Put("keep", "k");
  store_->Delete("d/1");
  EXPECT_FALSE(store_->Head("d/1"));
  EXPECT_NO_THROW(store_->Delete("d/1")) << "deleting a missing key is fine";
  EXPECT_NO_THROW(store_->Delete("never/existed"));
  store_->DeleteMany({"d/2", "d/3", "d/missing"});
  EXPECT_THAT(KeysOf(store_->List("")), ElementsAre("keep"));
  EXPECT_NO_THROW(store_->DeleteMany({}));
}

TEST_P(ObjectStoreTest, CopyIsIndependentOfTheSource) {
  store_->Put("from/a", "original");
  store_->Put("to/b", "to be replaced");
  store_->Copy("from/a", "to/b");
  EXPECT_EQ(store_->Get("to/b"), "original");
  store_->Put("from/a", "changed later");
  EXPECT_EQ(store_->Get("to/b"), "original");
  EXPECT_THROW(store_->Copy("from/missing", "to/c"), NotFoundError);
  EXPECT_FALSE(store_->Head("to/c"));
}

TEST_P(ObjectStoreTest, WriterCommitMakesTheObjectVisible) {
  auto writer = store_->OpenWriter("out/streamed.csv");
  std::string data = RandomBytes(100'000, 2);
  WriteInPieces(*writer, data);
  EXPECT_FALSE(store_->Head("out/streamed.csv")) << "nothing is visible before Commit";
  writer->Commit();
  EXPECT_EQ(store_->Get("out/streamed.csv"), data);
}

TEST_P(ObjectStoreTest, WriterWithoutCommitLeavesNothing) {
  {
    auto writer = store_->OpenWriter("out/abandoned.csv");
    writer->Write("some rows", 9);
  }
  EXPECT_FALSE(store_->Head("out/abandoned.csv"));
  EXPECT_THAT(KeysOf(store_->List("")), IsEmpty());
}

TEST_P(ObjectStoreTest, WriterOfSeveralPartsCommits) {
  std::string data = RandomBytes(13 * kMiB + 12345, 3);  // three 5 MiB parts, the last one short
  auto writer = store_->OpenWriter("out/big.bin");
  WriteInPieces(*writer, data);
  EXPECT_FALSE(store_->Head("out/big.bin"));
  writer->Commit();
  ASSERT_EQ(store_->Head("out/big.bin")->size, data.size());
  EXPECT_TRUE(store_->Get("out/big.bin") == data) << "content differs";
  store_->Delete("out/big.bin");
}

TEST_P(ObjectStoreTest, WriterOfSeveralPartsWithoutCommitLeavesNothing) {
  {
    auto writer = store_->OpenWriter("out/big-abandoned.bin");
    WriteInPieces(*writer, RandomBytes(12 * kMiB, 4));
  }
  EXPECT_FALSE(store_->Head("out/big-abandoned.bin"));
  EXPECT_THAT(KeysOf(store_->List("")), IsEmpty());
}

TEST_P(ObjectStoreTest, PutOfSeveralPartsFromMemory) {
  std::string data = RandomBytes(11 * kMiB, 5);
  store_->Put("mem/big.bin", data);
  EXPECT_TRUE(store_->Get("mem/big.bin") == data) << "content differs";
  store_->Delete("mem/big.bin");
}

TEST_P(ObjectStoreTest, LargeFileRoundTripWithProgress) {
  std::string data = RandomBytes(40'000'000, 6);
  fs::path source = scratch_.path() / "large.in";
  WriteFile(source, data);

  uint64_t put_done = 0, put_total = 0;
  store_->PutFile("files/large.bin", source, [&](uint64_t done, uint64_t total) { put_done = done, put_total = total; });
  EXPECT_EQ(put_total, data.size());
  EXPECT_EQ(put_done, data.size());
  EXPECT_EQ(store_->Head("files/large.bin")->size, data.size());

  fs::path target = scratch_.path() / "large.out";
  uint64_t get_done = 0, get_total = 0;
  store_->GetToFile("files/large.bin", target, [&](uint64_t done, uint64_t total) { get_done = done, get_total = total; });
  EXPECT_EQ(get_total, data.size());
  EXPECT_EQ(get_done, data.size());
  EXPECT_TRUE(ReadFile(target) == data) << "downloaded bytes differ";
  EXPECT_THAT(KeysOf(store_->List("")), ElementsAre("files/large.bin"));
  std::vector<std::string> leftovers;
  for (const auto& entry : fs::directory_iterator(scratch_.path()))
    if (entry.path().filename().string().find("large.out") == 0 && entry.path() != target)
      leftovers.push_back(entry.path().string());
  EXPECT_THAT(leftovers, IsEmpty()) << "no temp file stays beside the target";
  store_->Delete("files/large.bin");
}

TEST_P(ObjectStoreTest, GetToFileReplacesAnExistingFile) {
  store_->Put("x", "new content");
  fs::path target = scratch_.path() / "existing.txt";
  WriteFile(target, "old content that is longer");
  store_->GetToFile("x", target);
  EXPECT_EQ(ReadFile(target), "new content");
}

INSTANTIATE_TEST_SUITE_P(Stores, ObjectStoreTest, ::testing::Values(kLocal, kS3),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) { return info.param.name; });

}  // namespace
}  // namespace dlctl
