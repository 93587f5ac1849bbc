// Issue 8's commit benchmark: single-row inserts, one lake commit each, on a catalog whose
// metadata is in SQLite vs in PostgreSQL (same process, same local data folder, alternating
// rounds). Per commit it times the whole insert (Parquet file + catalog commit) and the catalog
// commit alone. Usage: commit_latency PG_CONNECTION_STRING ROUNDS COMMITS
// (bench/commit_latency.sh starts a local PostgreSQL and runs it).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <vector>

#include "config/settings.h"
#include "engine/engine.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/catalog/attach.h"
#include "lake/metadata/postgres_metadata_store.h"
#include "lake/metadata/sqlite_metadata_store.h"
#include "storage/local_store.h"

namespace fs = std::filesystem;
using namespace dlctl;
using Clock = std::chrono::steady_clock;

double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())))];
}

struct Round {
  std::vector<double> insert_ms, commit_ms;
  double seconds = 0;
};

// `commits` single-row inserts into a fresh catalog reached through `open`, one transaction each.
Round Run(std::function<std::unique_ptr<lake::MetadataStore>(bool)> open, Engine& engine,
          const std::string& data_path, int commits) {
  lake::CreateCatalog(*open(true), data_path);
  lake::CatalogSource source;
  source.name = "bench";
  source.data_path = data_path;
  source.open = std::move(open);
  lake::AttachCatalog(engine, std::move(source));
  engine.Query("CREATE TABLE bench.main.events (id INTEGER, label VARCHAR)");
  Round round;
  auto start = Clock::now();
  for (int i = 0; i < commits; ++i) {
    auto begin = Clock::now();
    engine.Query(fmt::format("BEGIN; INSERT INTO bench.main.events VALUES ({0}, 'row {0}')", i));
    auto commit = Clock::now();
    engine.Query("COMMIT");
    auto end = Clock::now();
    round.insert_ms.push_back(Millis(end - begin));
    round.commit_ms.push_back(Millis(end - commit));
  }
  round.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return round;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: commit_latency PG_CONNECTION_STRING ROUNDS COMMITS\n");
    return 2;
  }
  const std::string connection = argv[1];
  const int rounds = std::stoi(argv[2]), commits = std::stoi(argv[3]);
  fs::path work = fs::temp_directory_path() / ("dlctl-bench-commit-" + std::to_string(::getpid()));
  Settings settings;
  settings.bucket = "bench";
  auto store = std::make_shared<LocalStore>(work / "bucket");
  Engine engine(store, settings);

  std::map<std::string, std::vector<Round>> results;
  for (int r = 0; r < rounds; ++r) {
    // Alternate who goes first, so neither always meets a warmer cache.
    std::vector<std::string> order = r % 2 == 0 ? std::vector<std::string>{"sqlite", "postgresql"}
                                                : std::vector<std::string>{"postgresql", "sqlite"};
    for (const std::string& kind : order) {
      std::string name = fmt::format("{}_{}_{}", kind, ::getpid(), r);
      std::string data_path = (work / "bucket" / name).string() + "/";
      Round round;
      if (kind == "sqlite") {
        fs::path file = work / (name + ".sqlite");
        round = Run([file](bool create) { return std::make_unique<lake::SqliteMetadataStore>(file, create); }, engine,
                    data_path, commits);
      } else {
        round = Run(
            [connection, name](bool create) {
              return std::make_unique<lake::PostgresMetadataStore>(connection, name, create);
            },
            engine, data_path, commits);
        lake::PostgresMetadataStore(connection, name, false).ExecuteScript("DROP SCHEMA " + name + " CASCADE");
      }
      std::printf("round %d %-10s %6.1f commits/s, commit median %.2f ms\n", r + 1, kind.c_str(),
                  commits / round.seconds, Percentile(round.commit_ms, 0.5));
      std::fflush(stdout);
      results[kind].push_back(std::move(round));
    }
  }
  std::printf("\n%-10s %10s %14s %14s %14s %14s\n", "catalog", "commits/s", "insert p50 ms", "insert p95 ms",
              "commit p50 ms", "commit p95 ms");
  for (const auto& [kind, list] : results) {
    std::vector<double> insert, commit, rates;
    for (const Round& round : list) {
      insert.insert(insert.end(), round.insert_ms.begin(), round.insert_ms.end());
      commit.insert(commit.end(), round.commit_ms.begin(), round.commit_ms.end());
      rates.push_back(commits / round.seconds);
    }
    std::printf("%-10s %10.1f %14.2f %14.2f %14.2f %14.2f\n", kind.c_str(), Percentile(rates, 0.5),
                Percentile(insert, 0.5), Percentile(insert, 0.95), Percentile(commit, 0.5), Percentile(commit, 0.95));
  }
  std::error_code ec;
  fs::remove_all(work, ec);
  return 0;
}
