// SQL over s3://<bucket>/... on both stores: the same statements run on the embedded default
// (LocalStore) and on a real S3 server (S3Store, a fresh bucket per test).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "config/settings.h"
#include "engine/engine.h"
#include "storage/local_store.h"
#include "storage/s3_store.h"
#include "support/error_of.h"
#include "support/forwarding_store.h"
#include "support/test_env.h"
#include "util/error.h"
#include "support/joined_rows.h"

namespace dlctl {
namespace {

enum class StoreKind { kLocal, kS3 };

// Passes everything to the real store and counts the bytes handed to its writers, to tell a
// COPY that failed before writing anything from one whose streamed data was discarded.
class WriteCountingStore : public testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  uint64_t bytes_written() const { return *bytes_written_; }

  std::unique_ptr<ObjectWriter> OpenWriter(const std::string& key) override {
    class Writer : public ObjectWriter {
     public:
      Writer(std::unique_ptr<ObjectWriter> inner, std::shared_ptr<std::atomic<uint64_t>> count)
          : inner_(std::move(inner)), count_(std::move(count)) {}
      void Write(const void* data, size_t size) override {
        inner_->Write(data, size);
        *count_ += size;
      }
      void Commit() override { inner_->Commit(); }

     private:
      std::unique_ptr<ObjectWriter> inner_;
      std::shared_ptr<std::atomic<uint64_t>> count_;
    };
    return std::make_unique<Writer>(inner().OpenWriter(key), bytes_written_);
  }

 private:
  std::shared_ptr<std::atomic<uint64_t>> bytes_written_ = std::make_shared<std::atomic<uint64_t>>(0);
};

class EngineStoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreKind::kLocal) {
      settings_.bucket = "lake";
      store_ = std::make_shared<LocalStore>(dir_.path() / "bucket" / "lake");
    } else {
      settings_.bucket = testing::UniqueBucketName("engine");
      auto s3 = std::make_shared<S3Store>(testing::TestS3Settings(), settings_.bucket);
      s3->CreateBucket();
      store_ = s3;
    }
    store_ = counting_ = std::make_shared<WriteCountingStore>(store_);
    engine_ = std::make_unique<Engine>(store_, settings_, EngineOptions{.threads = 2});
  }

  std::string Uri(const std::string& key) const { return "s3://" + settings_.bucket + "/" + key; }

  // The rows of a query, NULL shown as "NULL", each row joined with '|'.
  std::vector<std::string> Rows(const std::string& sql) {
    return testing::JoinedRows(engine_->Query(sql));
  }
  std::string Value(const std::string& sql) { return Rows(sql).at(0); }

  std::string ErrorOf(const std::string& sql) { return testing::ErrorOf([&] { engine_->Query(sql); }); }

  testing::TempDir dir_;
  Settings settings_;
  std::shared_ptr<ObjectStore> store_;
  std::shared_ptr<WriteCountingStore> counting_;
  std::unique_ptr<Engine> engine_;
};

using Lines = std::vector<std::string>;

TEST_P(EngineStoreTest, CopyToParquetThenReadBack) {
  engine_->Query(
      "COPY (SELECT range AS i, 'v' || range AS s, CASE WHEN range % 3 = 0 THEN NULL ELSE range END AS n "
      "FROM range(1000)) TO '" +
      Uri("out/t.parquet") + "' (FORMAT parquet)");
  auto info = store_->Head("out/t.parquet");
  ASSERT_TRUE(info);
  EXPECT_EQ(store_->Get("out/t.parquet").substr(0, 4), "PAR1");
  EXPECT_EQ(
      Value("SELECT count(*), sum(i), count(n), min(s), max(s) FROM read_parquet('" + Uri("out/t.parquet") + "')"),
      "1000|499500|666|v0|v999");
  EXPECT_EQ(Rows("SELECT i, s, n FROM '" + Uri("out/t.parquet") + "' WHERE i IN (3, 4) ORDER BY i"),
            (Lines{"3|v3|NULL", "4|v4|4"}));
}

TEST_P(EngineStoreTest, CopyToCsvWritesRfcCsvThenReadsBack) {
  engine_->Query(
      "COPY (SELECT * FROM (VALUES (1, 'plain', 1.5), (2, 'with, comma', NULL), (3, 'say \"hi\"', 3.0)) "
      "t(id, text, x) ORDER BY id) TO '" +
      Uri("out/t.csv") + "' (HEADER, DELIMITER ',')");
  EXPECT_EQ(store_->Get("out/t.csv"), "id,text,x\n1,plain,1.5\n2,\"with, comma\",\n3,\"say \"\"hi\"\"\",3.0\n");
  EXPECT_EQ(Rows("SELECT id, text, x FROM read_csv('" + Uri("out/t.csv") + "') ORDER BY id"),
            (Lines{"1|plain|1.5", "2|with, comma|NULL", "3|say \"hi\"|3.0"}));
}

TEST_P(EngineStoreTest, CopyReplacesAnExistingObject) {
  engine_->Query("COPY (SELECT 1 AS x) TO '" + Uri("out/r.csv") + "'");
  engine_->Query("COPY (SELECT 2 AS x UNION ALL SELECT 3) TO '" + Uri("out/r.csv") + "'");
  EXPECT_EQ(Rows("SELECT x FROM '" + Uri("out/r.csv") + "' ORDER BY x"), (Lines{"2", "3"}));
  EXPECT_EQ(store_->List("out/").size(), 1u);
}

TEST_P(EngineStoreTest, CsvGlobsMatchWholeSegments) {
  store_->Put("raw/foo/a.csv", "id,name\n1,a\n");
  store_->Put("raw/foo/b.csv", "id,name\n2,b\n");
  store_->Put("raw/foo/deep/c.csv", "id,name\n3,c\n");
  store_->Put("raw/foo/deep/deeper/d.csv", "id,name\n4,d\n");
  store_->Put("raw/foo_bar/x.csv", "id,name\n9,x\n");
  store_->Put("raw/foo/notes.txt", "not csv");
  auto names = [&](const std::string& pattern) {
    return Rows("SELECT name FROM read_csv('" + Uri(pattern) + "') ORDER BY name");
  };
  EXPECT_EQ(names("raw/foo/*.csv"), (Lines{"a", "b"}));
  EXPECT_EQ(names("raw/foo/**/*.csv"), (Lines{"a", "b", "c", "d"}));
  EXPECT_EQ(names("raw/foo/?.csv"), (Lines{"a", "b"}));
  EXPECT_EQ(names("raw/foo/[b-z].csv"), (Lines{"b"}));
  EXPECT_EQ(names("raw/*/*.csv"), (Lines{"a", "b", "x"}));
  EXPECT_EQ(names("raw/foo*/*.csv"), (Lines{"a", "b", "x"}));
  EXPECT_EQ(Rows("SELECT file FROM glob('" + Uri("raw/foo/*") + "')"),
            (Lines{Uri("raw/foo/a.csv"), Uri("raw/foo/b.csv"), Uri("raw/foo/notes.txt")}));
  EXPECT_EQ(Rows("SELECT parse_filename(filename) AS f, name FROM read_csv('" + Uri("raw/foo/deep/*.csv") +
                 "', filename = true)"),
            (Lines{"c.csv|c"}));
}

TEST_P(EngineStoreTest, JsonAndParquetGlobsAcrossFolders) {
  store_->Put("json/2024/01/a.json", "{\"k\": 1, \"v\": \"one\"}\n{\"k\": 2, \"v\": \"two\"}\n");
  store_->Put("json/2024/02/b.json", "[{\"k\": 3, \"v\": \"three\"}]");
  store_->Put("json/2025/01/c.json", "{\"k\": 4, \"v\": null}\n");
  EXPECT_EQ(Value("SELECT count(*), sum(k), count(v) FROM read_json('" + Uri("json/**/*.json") + "')"), "4|10|3");
  EXPECT_EQ(Value("SELECT sum(k) FROM read_json('" + Uri("json/2024/*/*.json") + "')"), "6");

  for (int part = 0; part < 3; ++part)
    engine_->Query("COPY (SELECT range + " + std::to_string(part * 100) + " AS i FROM range(100)) TO '" +
                   Uri("pq/part=" + std::to_string(part) + "/data.parquet") + "'");
  EXPECT_EQ(Value("SELECT count(*), sum(i) FROM read_parquet('" + Uri("pq/*/*.parquet") + "')"), "300|44850");
  EXPECT_EQ(Value("SELECT count(*) FROM read_parquet('" + Uri("pq/part=[01]/*.parquet") + "')"), "200");
  EXPECT_EQ(Value("SELECT sum(part) FROM read_parquet('" + Uri("pq/**/*.parquet") + "', hive_partitioning = true)"),
            "300");
}

TEST_P(EngineStoreTest, GlobMatchingNothingIsAnError) {
  store_->Put("raw/foo_bar/x.csv", "id\n1\n");
  std::string message = ErrorOf("SELECT * FROM read_csv('" + Uri("raw/foo/*.csv") + "')");
  EXPECT_NE(message.find("No files found"), std::string::npos) << message;
}

TEST_P(EngineStoreTest, MissingObjectIsAnError) {
  std::string message = ErrorOf("SELECT * FROM read_parquet('" + Uri("nope/missing.parquet") + "')");
  EXPECT_NE(message.find("nope/missing.parquet"), std::string::npos) << message;
}

TEST_P(EngineStoreTest, FailedCopyLeavesNoObject) {
  // The error fires after many rows, so data has already been streamed to the store's writer.
  const std::string failing =
      "SELECT CASE WHEN range < 300000 THEN range ELSE error('boom at ' || range) END AS i, md5(range::VARCHAR) AS s "
      "FROM range(400000)";
  for (const std::string key : {"fail/x.parquet", "fail/x.csv", "fail/x.csv.gz"}) {
    uint64_t written_before = counting_->bytes_written();
    EXPECT_NE(ErrorOf("COPY (" + failing + ") TO '" + Uri(key) + "'").find("boom"), std::string::npos) << key;
    EXPECT_GT(counting_->bytes_written(), written_before) << key << ": nothing was streamed before the error";
    EXPECT_FALSE(store_->Head(key)) << key;
  }
  EXPECT_TRUE(store_->List("fail/").empty());
}

TEST_P(EngineStoreTest, CompressedCopyIsPublishedWhenTheStatementSucceeds) {
  // DuckDB's gzip/zstd writers never close the object beneath them: published after the statement.
  engine_->Query("COPY (SELECT range AS i, md5(range::VARCHAR) AS s FROM range(50000)) TO '" + Uri("gz/x.csv.gz") +
                 "'");
  EXPECT_EQ(store_->Get("gz/x.csv.gz").substr(0, 2), "\x1f\x8b");
  engine_->Query("COPY (SELECT range AS i FROM range(1000)) TO '" + Uri("zst/x.csv") + "' (COMPRESSION zstd)");
  engine_->Query("COPY (SELECT range AS i FROM range(10)) TO '" + Uri("gz/x.ndjson.gz") + "' (FORMAT json)");
  EXPECT_EQ(Value("SELECT count(*), sum(i) FROM read_csv('" + Uri("gz/*.csv.gz") + "')"), "50000|1249975000");
  EXPECT_EQ(Value("SELECT sum(i) FROM read_csv('" + Uri("zst/x.csv") + "', compression = 'zstd')"), "499500");
  EXPECT_EQ(Value("SELECT sum(i) FROM read_json('" + Uri("gz/*.ndjson.gz") + "')"), "45");
}

TEST_P(EngineStoreTest, PartitionedCopyWritesHiveFolders) {
  const std::string copy = "COPY (SELECT range % 3 AS k, range AS v FROM range(30)) TO '" + Uri("parts") +
                           "' (FORMAT parquet, PARTITION_BY (k))";
  engine_->Query(copy);
  EXPECT_EQ(store_->List("parts/").size(), 3u);
  EXPECT_TRUE(store_->Head("parts/k=1/data_0.parquet"));
  EXPECT_EQ(Rows("SELECT k, count(*), sum(v) FROM read_parquet('" + Uri("parts/*/*.parquet") +
                 "', hive_partitioning = true) GROUP BY k ORDER BY k"),
            (Lines{"0|10|135", "1|10|145", "2|10|155"}));
  // DuckDB looks into the "folder" before writing: a second COPY must not mix files into it.
  EXPECT_NE(ErrorOf(copy).find("not empty"), std::string::npos);
}

TEST_P(EngineStoreTest, OtherBucketsAreRejectedClearly) {
  std::string message = ErrorOf("SELECT * FROM read_csv('s3://not-" + settings_.bucket + "/raw/a.csv')");
  EXPECT_NE(message.find("bucket 'not-" + settings_.bucket + "' is not available"), std::string::npos) << message;
  EXPECT_NE(message.find("s3://" + settings_.bucket + "/"), std::string::npos) << message;
  message = ErrorOf("COPY (SELECT 1) TO 's3://not-" + settings_.bucket + "/x.csv'");
  EXPECT_NE(message.find("is not available"), std::string::npos) << message;
}

TEST_P(EngineStoreTest, CountOfALargeParquetObjectReadsOnlyItsFooter) {
  // ~100 MB: uncompressed, and the md5 strings defeat dictionary encoding.
  const uint64_t rows = 2'400'000;
  engine_->Query("COPY (SELECT range AS i, md5(range::VARCHAR) AS s FROM range(" + std::to_string(rows) + ")) TO '" +
                 Uri("big/data.parquet") + "' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 100000)");
  uint64_t size = store_->Head("big/data.parquet")->size;
  EXPECT_GT(size, 95u << 20);

  uint64_t before = engine_->StoreBytesRead();
  EXPECT_EQ(Value("SELECT count(*) FROM read_parquet('" + Uri("big/data.parquet") + "')"), std::to_string(rows));
  uint64_t count_bytes = engine_->StoreBytesRead() - before;
  EXPECT_LT(count_bytes, size / 20);

  before = engine_->StoreBytesRead();
  EXPECT_EQ(Value("SELECT sum(i) FROM read_parquet('" + Uri("big/data.parquet") + "')"),
            std::to_string(rows * (rows - 1) / 2));
  uint64_t column_bytes = engine_->StoreBytesRead() - before;
  EXPECT_LT(column_bytes, size / 3);
  std::cout << "object " << size << " bytes; count(*) read " << count_bytes << " bytes; sum(i) read " << column_bytes
            << " bytes\n";
  store_->Delete("big/data.parquet");  // the test server keeps objects in memory
}

INSTANTIATE_TEST_SUITE_P(Local, EngineStoreTest, ::testing::Values(StoreKind::kLocal));
INSTANTIATE_TEST_SUITE_P(S3, EngineStoreTest, ::testing::Values(StoreKind::kS3));

}  // namespace
}  // namespace dlctl
