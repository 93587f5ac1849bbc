// The lakehouse engine's costs, each next to its baseline in the same run (issue 3):
//  (a) a query over a 1000-file lake table vs read_parquet over the same file list;
//  (b) opening a catalog of 10,000 snapshots and 100,000 files and binding its latest snapshot
//      (goal < 100 ms), plus the first query of one of its tables;
//  (c) CREATE TABLE AS of 10 M rows into the lake vs DuckDB's COPY ... TO of the same rows.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "config/settings.h"
#include "engine/engine.h"
#include "lake/catalog_binding.h"
#include "lake/catalog_reader.h"
#include "lake/lake_transaction.h"
#include "lake/sql_quote.h"
#include "lake/sqlite_metadata_store.h"
#include "lake/large_catalog.h"  // in tests/
#include "storage/local_store.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;

struct Workspace {
  Workspace() : root(fs::temp_directory_path() / ("dlctl-bench-lake-" + std::to_string(::getpid()))) {
    settings.bucket = "lake";
    store = std::make_shared<LocalStore>(root / "bucket");
    engine = std::make_unique<Engine>(store, settings);
  }
  ~Workspace() {
    engine.reset();
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  fs::path root;
  Settings settings;
  std::shared_ptr<LocalStore> store;
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

void BM_OpenAndBindLatestSnapshot(benchmark::State& state) {
  const fs::path& file = LargeCatalogFile();
  for (auto _ : state) {
    SqliteMetadataStore store(file, false);
    CatalogReader reader(store);
    BindCatalog(*Shared().engine, reader, reader.Load({}, /*with_files=*/false), "big");
  }
}
BENCHMARK(BM_OpenAndBindLatestSnapshot)->Unit(benchmark::kMillisecond)->MinTime(2);

// The baseline: every file row of the snapshot read up front, as before lazy binding.
void BM_OpenLoadEveryFileAndBind(benchmark::State& state) {
  const fs::path& file = LargeCatalogFile();
  for (auto _ : state) {
    SqliteMetadataStore store(file, false);
    CatalogReader reader(store);
    BindCatalog(*Shared().engine, reader, reader.Load(), "big");
  }
}
BENCHMARK(BM_OpenLoadEveryFileAndBind)->Unit(benchmark::kMillisecond)->MinTime(2);

void BM_OpenBindAndCountOneTable(benchmark::State& state) {
  const fs::path& file = LargeCatalogFile();
  for (auto _ : state) {
    SqliteMetadataStore store(file, false);
    CatalogReader reader(store);
    BindCatalog(*Shared().engine, reader, reader.Load({}, /*with_files=*/false), "big");
    benchmark::DoNotOptimize(Shared().engine->Query("SELECT count(*) FROM big.s2.t101"));
  }
}
BENCHMARK(BM_OpenBindAndCountOneTable)->Unit(benchmark::kMillisecond)->MinTime(2);

// (a) ---------------------------------------------------------------------------------------
struct ThousandFileLake {
  ThousandFileLake() {
    Workspace& w = Shared();
    std::string data_path = w.store->Uri("stage") + "/";
    metadata = std::make_unique<SqliteMetadataStore>(w.root / "stage.sqlite", true);
    CreateCatalog(*metadata, data_path);
    LakeTransaction transaction(*metadata, *w.engine, data_path);
    transaction.CreateSchema("s");
    transaction.CreateTable("s", "t", {{"id", "BIGINT"}, {"v", "DOUBLE"}, {"k", "VARCHAR"}});
    for (int file = 0; file < 1000; ++file)
      transaction.Insert("s", "t",
                         fmt::format("SELECT i, i * 0.5, 'k' || (i % 100) FROM range({}, {}) t(i)", file * 10000,
                                     (file + 1) * 10000));
    transaction.Commit();
    CatalogReader reader(*metadata, data_path);
    CatalogState state = reader.Load();
    BindCatalog(*w.engine, reader, state, "stage");
    file_list = "[";
    for (const DataFileInfo& info : state.FindTable("s", "t")->files)
      file_list += (file_list.size() > 1 ? ", " : "") + SqlLiteral(info.path);
    file_list += "]";
  }
  std::unique_ptr<SqliteMetadataStore> metadata;
  std::string file_list;
};

ThousandFileLake& Thousand() {
  static ThousandFileLake lake;
  return lake;
}

const char* kAggregate = "SELECT count(*), sum(id), avg(v), count(DISTINCT k) FROM ";

void BM_QueryThousandFileLakeTable(benchmark::State& state) {
  Thousand();
  for (auto _ : state) benchmark::DoNotOptimize(Shared().engine->Query(std::string(kAggregate) + "stage.s.t"));
}
BENCHMARK(BM_QueryThousandFileLakeTable)->Unit(benchmark::kMillisecond)->MinTime(3);

void BM_ReadParquetSameThousandFiles(benchmark::State& state) {
  std::string sql = std::string(kAggregate) + "read_parquet(" + Thousand().file_list + ")";
  for (auto _ : state) benchmark::DoNotOptimize(Shared().engine->Query(sql));
}
BENCHMARK(BM_ReadParquetSameThousandFiles)->Unit(benchmark::kMillisecond)->MinTime(3);

// (c) ---------------------------------------------------------------------------------------
const char* kTenMillionRows =
    "SELECT i AS id, i * 0.5 AS v, 'name-' || (i % 1000) AS k, DATE '2020-01-01' + (i % 3650)::INTEGER AS d "
    "FROM range(10000000) t(i)";

void BM_CtasTenMillionRows(benchmark::State& state) {
  Workspace& w = Shared();
  std::string data_path = w.store->Uri("ctas") + "/";
  SqliteMetadataStore metadata(w.root / "ctas.sqlite", true);
  CreateCatalog(metadata, data_path);
  {
    LakeTransaction transaction(metadata, *w.engine, data_path);
    transaction.CreateSchema("s");
    transaction.Commit();
  }
  for (auto _ : state) {
    WriteOptions options;
    options.store = w.store;  // the replaced files are removed, as a user's rerun would
    LakeTransaction transaction(metadata, *w.engine, data_path, options);
    transaction.CreateTableAs("s", "t", kTenMillionRows, /*or_replace=*/true);
    transaction.Commit();
  }
}
BENCHMARK(BM_CtasTenMillionRows)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_CopyTenMillionRows(benchmark::State& state) {
  std::string target = SqlLiteral((Shared().root / "copy.parquet").string());
  for (auto _ : state)
    Shared().engine->Query(fmt::format("COPY ({}) TO {} (FORMAT parquet)", kTenMillionRows, target));
}
BENCHMARK(BM_CopyTenMillionRows)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace dlctl::lake

BENCHMARK_MAIN();
