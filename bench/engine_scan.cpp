// What the s3:// file system costs over DuckDB's own local reads: the same Parquet and CSV files
// read through StoreFileSystem on a LocalStore and by their absolute paths.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "config/settings.h"
#include "engine/engine.h"
#include "storage/local_store.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;

// One bucket with a ~25 MB Parquet file and 200 small CSV files, shared by every benchmark.
struct Lake {
  Lake() : root(fs::temp_directory_path() / ("dlctl-bench-engine-" + std::to_string(::getpid()))) {
    settings.bucket = "lake";
    store = std::make_shared<LocalStore>(root / "lake");
    engine = std::make_unique<Engine>(store, settings);
    engine->Query(
        "COPY (SELECT range AS i, md5(range::VARCHAR) AS s FROM range(600000)) TO 's3://lake/big.parquet' "
        "(COMPRESSION uncompressed)");
    for (int f = 0; f < 200; ++f)
      store->Put("csv/part-" + std::to_string(f) + ".csv", "i,s\n" + std::to_string(f) + ",x\n");
  }
  ~Lake() {
    engine.reset();
    std::error_code ec;
    fs::remove_all(root, ec);
  }

  fs::path root;
  Settings settings;
  std::shared_ptr<LocalStore> store;
  std::unique_ptr<Engine> engine;
};

Lake& SharedLake() {
  static Lake lake;
  return lake;
}

void Run(benchmark::State& state, const std::string& sql) {
  Lake& lake = SharedLake();
  uint64_t bytes_before = lake.engine->StoreBytesRead();
  for (auto _ : state) benchmark::DoNotOptimize(lake.engine->Query(sql));
  state.counters["store_bytes_per_query"] =
      static_cast<double>(lake.engine->StoreBytesRead() - bytes_before) / static_cast<double>(state.iterations());
}

void BM_ParquetSumThroughStore(benchmark::State& state) {
  Run(state, "SELECT sum(i) FROM read_parquet('s3://lake/big.parquet')");
}
void BM_ParquetSumLocalPath(benchmark::State& state) {
  Run(state, "SELECT sum(i) FROM read_parquet('" + SharedLake().store->Uri("big.parquet") + "')");
}
void BM_ParquetCountThroughStore(benchmark::State& state) {
  Run(state, "SELECT count(*) FROM read_parquet('s3://lake/big.parquet')");
}
void BM_CsvGlobThroughStore(benchmark::State& state) {
  Run(state, "SELECT sum(i) FROM read_csv('s3://lake/csv/*.csv')");
}
void BM_CsvGlobLocalPath(benchmark::State& state) {
  Run(state, "SELECT sum(i) FROM read_csv('" + SharedLake().store->Uri("csv/*.csv") + "')");
}

BENCHMARK(BM_ParquetSumThroughStore)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParquetSumLocalPath)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParquetCountThroughStore)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvGlobThroughStore)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvGlobLocalPath)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace dlctl

BENCHMARK_MAIN();
