// Issue 5's export benchmark: `dlctl export` of a 10 M-row mart table to Parquet on an S3 server
// vs DuckDB's COPY ... TO of the same table to the same server, alternating, in one process.
// Usage: export_table ENDPOINT ROUNDS (bench/export_table.sh starts the server).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "config/settings.h"
#include "engine/engine.h"
#include "exporter/exporter.h"
#include "lake/metadata/catalog_reader.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/lakehouse.h"
#include "lake/metadata/sqlite_metadata_store.h"
#include "storage/object_store.h"
#include "storage/s3_store.h"

namespace fs = std::filesystem;
using namespace dlctl;

double SecondsOf(const std::function<void()>& work) {
  auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: export_table ENDPOINT ROUNDS\n");
    return 2;
  }
  fs::path local = fs::temp_directory_path() / ("dlctl-bench-export-" + std::to_string(::getpid()));
  Settings settings = BuildSettings({}, {{"S3_ENDPOINT", std::string("http://") + argv[1]},
                                         {"S3_ACCESS_KEY_ID", "testkey"},
                                         {"S3_SECRET_ACCESS_KEY", "testsecret"},
                                         {"S3_BUCKET", "bench"},
                                         {"LOCAL_DIR", local.string()}},
                                    fs::current_path());
  S3Store(*settings.s3, settings.bucket).CreateBucket();
  std::shared_ptr<ObjectStore> store = OpenObjectStore(settings);
  const CatalogSettings& graphs = *settings.FindCatalog("graphs");
  std::string data_path = lake::CatalogDataPath(settings, graphs);

  Engine engine(store, settings);
  {
    lake::SqliteMetadataStore metadata(graphs.db_path, true);
    lake::CreateCatalog(metadata, data_path);
  }
  lake::Lakehouse lakehouse(settings);
  lakehouse.Attach(engine);
  engine.Query("BEGIN; CREATE SCHEMA graphs.music; CREATE TABLE graphs.music.edges_plays AS SELECT i AS source_id, "
               "i % 100000 AS target_id, i * 0.5 AS weight, 'tag-' || (i % 1000) AS tag FROM range(10000000) t(i); "
               "COMMIT");

  std::vector<double> exports, copies;
  int rounds = std::atoi(argv[2]);
  for (int round = 0; round < rounds; ++round) {
    auto run_export = [&] {
      exports.push_back(SecondsOf([&] {
        ExportOptions options;
        options.catalog = "graphs";
        options.schema = "music";
        ExportDataset(settings, store, options, std::chrono::system_clock::now());
      }));
    };
    auto run_copy = [&] {
      copies.push_back(SecondsOf([&] {
        engine.Query(fmt::format("COPY (SELECT * FROM graphs.music.edges_plays) TO 's3://{}/baseline/r{}.parquet' "
                                 "(FORMAT parquet)",
                                 settings.bucket, round));
      }));
    };
    if (round % 2 == 0) {
      run_export();
      run_copy();
    } else {
      run_copy();
      run_export();
    }
    std::printf("round %d: export %.2f s, copy %.2f s\n", round + 1, exports.back(), copies.back());
  }
  std::printf("median: dlctl export %.2f s, DuckDB COPY TO %.2f s, ratio %.2fx\n", Median(exports), Median(copies),
              Median(exports) / Median(copies));
  fs::remove_all(local);
  return 0;
}
