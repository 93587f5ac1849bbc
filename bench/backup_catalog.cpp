// Backing up a catalog with 10,000 snapshots (and 100,000 data files), in the same run:
//   copy    dlctl's consistent copy alone (SQLite's online backup API, then PRAGMA quick_check)
//   create  a whole `dlctl backup create` of it: copy, SHA-256, upload to a local bucket, manifests
//   sqlite3 the sqlite3 shell's `.backup` of the same file
// Each round runs the three in a rotating order; medians of wall and CPU time are printed (CPU
// time, this process's or the sqlite3 child's, is the steadier figure on a busy machine).
//
//   backup_catalog [ROUNDS=5]
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <vector>

#include "backup/backup.h"
#include "backup/sqlite_copy.h"
#include "config/settings.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/sqlite_metadata_store.h"
#include "storage/local_store.h"
#include "util/error.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;

constexpr int kSnapshots = 10000;
constexpr int kTables = 200;
constexpr int kDataFiles = 100000;

// Metadata as 10,000 commits would leave it: a snapshot and its changes per commit, tables with
// ten columns, ten data files per snapshot (a fifth of them since replaced).
void GenerateCatalog(const fs::path& path) {
  lake::SqliteMetadataStore store(path, true);
  lake::CreateCatalog(store, "/bench-data/");
  lake::Transaction transaction(store);
  auto numbers = [](int from, int to) {
    return fmt::format("WITH RECURSIVE n(i) AS (SELECT {} UNION ALL SELECT i + 1 FROM n WHERE i < {}) ", from, to);
  };
  store.Execute(numbers(1, kSnapshots) +
                "INSERT INTO ducklake_snapshot SELECT i, '2026-01-01 00:00:00.000000+00', 1 + i / 100, 1000, "
                "200000 FROM n");
  store.Execute(numbers(1, kSnapshots) +
                "INSERT INTO ducklake_snapshot_changes SELECT i, 'inserted_into_table:' || (100 + i % 200), "
                "'bench', 'commit ' || i, NULL FROM n");
  store.Execute(numbers(100, 99 + kTables) +
                "INSERT INTO ducklake_table SELECT i, 'table-' || i, 1, NULL, 0, 't' || i, 't' || i || '/', 1 FROM n");
  store.Execute(numbers(1, 10) +
                "INSERT INTO ducklake_column SELECT i, 1, NULL, t.table_id, i, 'c' || i, "
                "CASE WHEN i % 2 = 0 THEN 'int64' ELSE 'varchar' END, NULL, 'NULL', 1, NULL, 'literal', 'duckdb' "
                "FROM n, ducklake_table t");
  store.Execute(numbers(0, kDataFiles - 1) +
                fmt::format("INSERT INTO ducklake_data_file SELECT i, 100 + i % {}, 1 + i / 10, "
                            "CASE WHEN i % 5 = 0 THEN 2 + i / 10 END, NULL, 'ducklake-' || i || '.parquet', 1, "
                            "'parquet', 100, 1000, 300, i * 100, NULL, NULL, NULL, NULL FROM n",
                            kTables));
  store.Execute(
      "INSERT INTO ducklake_file_column_stats SELECT data_file_id, table_id, 1, 400, 100, 0, '0', '99', 0, NULL "
      "FROM ducklake_data_file");
  transaction.Commit();
}

struct Timing {
  double wall = 0;
  double cpu = 0;
};

// User + system seconds of this process and of its finished children.
double CpuSeconds() {
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage usage{};
    getrusage(who, &usage);
    total += usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  }
  return total;
}

Timing Time(const std::function<void()>& run) {
  auto start = std::chrono::steady_clock::now();
  double cpu_start = CpuSeconds();
  run();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), CpuSeconds() - cpu_start};
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

int Run(int rounds) {
  fs::path root = fs::temp_directory_path() / fmt::format("dlctl-bench-backup-{}", ::getpid());
  fs::create_directories(root / "local");
  fs::path catalog = root / "local" / "stage.sqlite";
  std::cout << "generating a catalog with " << kSnapshots << " snapshots... " << std::flush;
  Timing generate = Time([&] { GenerateCatalog(catalog); });
  std::cout << fmt::format("{:.1f} s, {:.1f} MiB\n", generate.wall, fs::file_size(catalog) / 1048576.0);

  Settings settings = BuildSettings({}, {{"LOCAL_DIR", (root / "local").string()}}, root);
  LocalStore store(root / "bucket");
  std::map<std::string, std::vector<double>> wall, cpu;
  std::vector<std::pair<std::string, std::function<void(int)>>> contenders = {
      {"copy", [&](int round) { CopySqliteDatabase(catalog, root / fmt::format("copy-{}.sqlite", round)); }},
      {"create",
       [&](int round) {
         CreateBackup(settings, store, std::chrono::system_clock::now() + std::chrono::milliseconds(round));
       }},
      {"sqlite3", [&](int round) {
         std::string command =
             fmt::format("sqlite3 '{}' \".backup '{}'\"", catalog.string(), (root / fmt::format("shell-{}.sqlite", round)).string());
         if (std::system(command.c_str()) != 0) throw Error("sqlite3 .backup failed");
       }}};
  for (int round = 0; round < rounds; ++round) {
    for (size_t i = 0; i < contenders.size(); ++i) {
      auto& [name, run] = contenders[(i + round) % contenders.size()];
      Timing timing = Time([&] { run(round); });
      wall[name].push_back(timing.wall);
      cpu[name].push_back(timing.cpu);
    }
    std::cout << fmt::format("round {}: copy {:.3f} s, create {:.3f} s, sqlite3 .backup {:.3f} s\n", round + 1,
                             wall["copy"].back(), wall["create"].back(), wall["sqlite3"].back());
  }
  for (auto* times : {&wall, &cpu})
    std::cout << fmt::format("median {} of {} rounds: copy {:.3f} s, create {:.3f} s, sqlite3 .backup {:.3f} s "
                             "(copy/sqlite3 {:.2f}x, create/sqlite3 {:.2f}x)\n",
                             times == &wall ? "wall" : "CPU", rounds, Median((*times)["copy"]),
                             Median((*times)["create"]), Median((*times)["sqlite3"]),
                             Median((*times)["copy"]) / Median((*times)["sqlite3"]),
                             Median((*times)["create"]) / Median((*times)["sqlite3"]));
  fs::remove_all(root);
  return 0;
}

}  // namespace
}  // namespace dlctl

int main(int argc, char** argv) {
  try {
    return dlctl::Run(argc > 1 ? std::atoi(argv[1]) : 5);
  } catch (const std::exception& e) {
    std::cerr << "backup_catalog: " << e.what() << "\n";
    return 1;
  }
}
