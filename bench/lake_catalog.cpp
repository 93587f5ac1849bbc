// The lakehouse engine's costs, each next to its baseline in the same run:
//  (a) a query over a 1000-file lake table vs read_parquet over the same file list;
//  (b) attaching a catalog of 10,000 snapshots and 100,000 files and binding a table of its
//      latest snapshot (goal < 100 ms), plus the first query of one of its tables;
//  (c) CREATE TABLE AS of 10 M rows into the lake vs DuckDB's COPY ... TO of the same rows;
//  (d) file pruning: a 1000-file table of a sorted key, a query selecting 1% of the keys, with
//      pruning by the catalog's per-file statistics and without (files opened counted at the
//      ObjectStore).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "config/settings.h"
#include "engine/engine.h"
#include "lake/catalog/attach.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/sqlite_metadata_store.h"
#include "lake/large_catalog.h"  // in tests/
#include "storage/local_store.h"
#include "util/sql_quote.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;

// A local bucket that counts the objects read through it (each distinct key once per reset).
class CountingStore : public LocalStore {
 public:
  using LocalStore::LocalStore;
  size_t ReadRange(const std::string& key, uint64_t offset, uint64_t length, char* out) override {
    Note(key);
    return LocalStore::ReadRange(key, offset, length, out);
  }
  std::string Get(const std::string& key) override {
    Note(key);
    return LocalStore::Get(key);
  }
  size_t FilesRead() {
    std::lock_guard<std::mutex> lock(mutex_);
    return keys_.size();
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    keys_.clear();
  }

 private:
  void Note(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    keys_.insert(key);
  }
  std::mutex mutex_;
  std::set<std::string> keys_;
};

struct Workspace {
  Workspace() : root(fs::temp_directory_path() / ("dlctl-bench-lake-" + std::to_string(::getpid()))) {
    settings.bucket = "lake";
    store = std::make_shared<CountingStore>(root / "bucket");
    engine = std::make_unique<Engine>(store, settings);
  }
  ~Workspace() {
    engine.reset();
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  // A new SQLite catalog `name` with its data in the bucket (s3://lake/<name>/, read through the
  // counting store), attached to the engine.
  void NewCatalog(const std::string& name) {
    fs::path file = root / (name + ".sqlite");
    std::string data_path = "s3://lake/" + name + "/";
    CreateCatalog(*std::make_unique<SqliteMetadataStore>(file, true), data_path);
    CatalogSource source;
    source.name = name;
    source.data_path = data_path;
    source.open = [file](bool create) { return std::make_unique<SqliteMetadataStore>(file, create); };
    source.write.store = store;  // the files of replaced tables are removed, as a user's rerun would
    AttachCatalog(*engine, std::move(source));
  }
  fs::path root;
  Settings settings;
  std::shared_ptr<CountingStore> store;
  std::unique_ptr<Engine> engine;
};

Workspace& Shared() {
  static Workspace workspace;
  return workspace;
}

// (b) ---------------------------------------------------------------------------------------
const fs::path& LargeCatalogFile() {
  static fs::path file = [] {
    fs::path path = Shared().root / "large.sqlite";
    SqliteMetadataStore store(path, true);
    WriteLargeCatalog(*Shared().engine, store, Shared().root);
    return path;
  }();
  return file;
}

void AttachLarge(Engine& engine) {
  CatalogSource source;
  source.name = "big";
  source.data_path = "/nowhere/";
  source.open = [file = LargeCatalogFile()](bool create) { return std::make_unique<SqliteMetadataStore>(file, create); };
  AttachCatalog(engine, std::move(source));
}

void BM_AttachAndBindLatestSnapshot(benchmark::State& state) {
  LargeCatalogFile();
  for (auto _ : state) {
    AttachLarge(*Shared().engine);
    benchmark::DoNotOptimize(Shared().engine->Query("DESCRIBE big.s2.t101"));
  }
}
BENCHMARK(BM_AttachAndBindLatestSnapshot)->Unit(benchmark::kMillisecond)->MinTime(2);

void BM_AttachBindAndCountOneTable(benchmark::State& state) {
  LargeCatalogFile();
  for (auto _ : state) {
    AttachLarge(*Shared().engine);
    benchmark::DoNotOptimize(Shared().engine->Query("SELECT count(*) FROM big.s2.t101"));
  }
}
BENCHMARK(BM_AttachBindAndCountOneTable)->Unit(benchmark::kMillisecond)->MinTime(2);

// (a) ---------------------------------------------------------------------------------------
// The data files of `catalog`.main.t as a read_parquet list.
std::string FileList(const std::string& catalog) {
  SqliteMetadataStore store(Shared().root / (catalog + ".sqlite"), false);
  std::string list = "[";
  for (const Row& row : store.Query("SELECT path FROM ducklake_data_file WHERE end_snapshot IS NULL ORDER BY 1"))
    list += (list.size() > 1 ? ", " : "") + SqlLiteral("s3://lake/" + catalog + "/main/t/" + row.Text(0));
  return list + "]";
}

// stage.main.t: 1000 files of 10,000 rows each (one INSERT per file, one commit), file i holding
// ids i * 10,000 .. (i + 1) * 10,000 - 1: a sorted key, for (d).
const std::string& ThousandFiles() {
  static std::string list = [] {
    Workspace& w = Shared();
    w.NewCatalog("stage");
    std::string sql = "BEGIN; CREATE TABLE stage.main.t (id BIGINT, v DOUBLE, k VARCHAR); ";
    for (int file = 0; file < 1000; ++file)
      sql += fmt::format("INSERT INTO stage.main.t SELECT i, i * 0.5, 'k' || (i % 100) FROM range({}, {}) t(i); ",
                         file * 10000, (file + 1) * 10000);
    w.engine->Query(sql + "COMMIT");
    return FileList("stage");
  }();
  return list;
}

const char* kAggregate = "SELECT count(*), sum(id), avg(v), count(DISTINCT k) FROM ";

void BM_QueryThousandFileLakeTable(benchmark::State& state) {
  ThousandFiles();
  for (auto _ : state) benchmark::DoNotOptimize(Shared().engine->Query(std::string(kAggregate) + "stage.main.t"));
}
BENCHMARK(BM_QueryThousandFileLakeTable)->Unit(benchmark::kMillisecond)->MinTime(3);

void BM_ReadParquetSameThousandFiles(benchmark::State& state) {
  std::string sql = std::string(kAggregate) + "read_parquet(" + ThousandFiles() + ")";
  for (auto _ : state) benchmark::DoNotOptimize(Shared().engine->Query(sql));
}
BENCHMARK(BM_ReadParquetSameThousandFiles)->Unit(benchmark::kMillisecond)->MinTime(3);

// (d) ---------------------------------------------------------------------------------------
// 1% of the keys of the sorted table (ids 0 .. 10 M - 1): 100,000 ids from the middle.
const char* kOnePercent = "SELECT count(*), sum(v) FROM stage.main.t WHERE id BETWEEN 5000000 AND 5099999";

void RunSelective(benchmark::State& state, bool pruning) {
  ThousandFiles();
  Workspace& w = Shared();
  w.engine->Query(std::string("SET ") + kFilePruningSetting + " = " + (pruning ? "true" : "false"));
  size_t files = 0;
  for (auto _ : state) {
    w.store->Reset();
    benchmark::DoNotOptimize(w.engine->Query(kOnePercent));
    files = w.store->FilesRead();
  }
  w.engine->Query(std::string("RESET ") + kFilePruningSetting);
  state.counters["files_opened"] = static_cast<double>(files);
}

void BM_SelectOnePercentWithPruning(benchmark::State& state) { RunSelective(state, true); }
BENCHMARK(BM_SelectOnePercentWithPruning)->Unit(benchmark::kMillisecond)->MinTime(2)->MeasureProcessCPUTime();

void BM_SelectOnePercentWithoutPruning(benchmark::State& state) { RunSelective(state, false); }
BENCHMARK(BM_SelectOnePercentWithoutPruning)->Unit(benchmark::kMillisecond)->MinTime(2)->MeasureProcessCPUTime();

// (c) ---------------------------------------------------------------------------------------
const char* kTenMillionRows =
    "SELECT i AS id, i * 0.5 AS v, 'name-' || (i % 1000) AS k, DATE '2020-01-01' + (i % 3650)::INTEGER AS d "
    "FROM range(10000000) t(i)";

void BM_CtasTenMillionRows(benchmark::State& state) {
  Workspace& w = Shared();
  w.NewCatalog("ctas");
  for (auto _ : state) w.engine->Query(std::string("CREATE OR REPLACE TABLE ctas.main.t AS ") + kTenMillionRows);
}
BENCHMARK(BM_CtasTenMillionRows)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_CopyTenMillionRows(benchmark::State& state) {
  std::string target = SqlLiteral("s3://lake/copy.parquet");
  for (auto _ : state)
    Shared().engine->Query(fmt::format("COPY ({}) TO {} (FORMAT parquet)", kTenMillionRows, target));
}
BENCHMARK(BM_CopyTenMillionRows)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace dlctl::lake

BENCHMARK_MAIN();
