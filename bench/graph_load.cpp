// `dlctl graph load` of the example project's music_taste mart against Kùzu's own COPY of the same
// rows from Parquet files, in one process and the same run (issue 14 goal: <= 1.3x).
//   graph_load PROJECT_DIR [ROUNDS=3] [SCALE=0.1]
// Setup (untimed): sample data at SCALE ingested into a scratch local-default bucket, the example
// project transformed. Each round, alternating who goes first:
//   - load: LoadGraph as `dlctl graph load music_taste --overwrite` runs it (read the mart from
//     the lake, find the rel pairs, write Parquet, create the tables, COPY, check every count);
//   - kuzu: a fresh Kùzu database with the same tables, and COPY of Parquet files holding what
//     the loaded graph holds (written from it before the rounds, untimed).
// Prints each round, the medians and their ratio.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "config/settings.h"
#include "graph/graph_load.h"
#include "graph/graph_store.h"
#include "ingest/ingest.h"
#include "storage/object_store.h"
#include "tools/sample_data.h"
#include "transform/run/runner.h"
#include "util/clock.h"
#include "util/error.h"

namespace fs = std::filesystem;
using dlctl::graph::GraphStore;

namespace {

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string Quoted(const std::string& name) { return "`" + name + "`"; }

// The DDL of `graph`'s tables, and the COPY statements of Parquet files (written into `folder`
// from `graph`) that fill another database with the same rows.
struct KuzuCopies {
  std::string ddl;
  std::vector<std::string> copies;
};

KuzuCopies ExportGraph(GraphStore& graph, const fs::path& folder) {
  KuzuCopies out;
  int file_number = 0;
  auto file = [&] { return (folder / fmt::format("{}.parquet", file_number++)).string(); };
  for (const std::string& table : graph.NodeTables()) {
    std::string columns, returns;
    for (const auto& property : graph.Properties(table)) {
      columns += fmt::format("{}{} {}{}", columns.empty() ? "" : ", ", Quoted(property.name), property.type,
                             property.primary_key ? " PRIMARY KEY" : "");
      returns += fmt::format("{}n.{}", returns.empty() ? "" : ", ", Quoted(property.name));
    }
    out.ddl += fmt::format("CREATE NODE TABLE {}({});", Quoted(table), columns);
    std::string path = file();
    graph.Query(fmt::format("COPY (MATCH (n:{}) RETURN {}) TO '{}'", Quoted(table), returns, path));
    out.copies.push_back(fmt::format("COPY {} FROM '{}'", Quoted(table), path));
  }
  for (const std::string& table : graph.RelTables()) {
    std::string columns, returns;
    std::vector<dlctl::graph::RelPair> pairs = graph.RelPairs(table);
    for (const auto& pair : pairs)
      columns += fmt::format("{}FROM {} TO {}", columns.empty() ? "" : ", ", Quoted(pair.from), Quoted(pair.to));
    for (const auto& property : graph.Properties(table)) {
      columns += fmt::format(", {} {}", Quoted(property.name), property.type);
      returns += fmt::format(", r.{}", Quoted(property.name));
    }
    out.ddl += fmt::format("CREATE REL TABLE {}({});", Quoted(table), columns);
    for (const auto& pair : pairs) {
      std::string path = file();
      graph.Query(fmt::format("COPY (MATCH (a:{})-[r:{}]->(b:{}) RETURN a.node_id, b.node_id{}) TO '{}'",
                              Quoted(pair.from), Quoted(table), Quoted(pair.to), returns, path));
      std::string options = pairs.size() > 1 ? fmt::format(" (from='{}', to='{}')", pair.from, pair.to) : "";
      out.copies.push_back(fmt::format("COPY {} FROM '{}'{}", Quoted(table), path, options));
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: graph_load PROJECT_DIR [ROUNDS=3] [SCALE=0.1]\n");
    return 2;
  }
  fs::path project_dir = fs::absolute(argv[1]);
  int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  double scale = argc > 3 ? std::atof(argv[3]) : 0.1;
  fs::path work = fs::temp_directory_path() / fmt::format("dlctl-graph-load-{}", getpid());
  try {
    fs::remove_all(work);
    fs::create_directories(work / "parquet");
    fs::copy(project_dir, work / "transform", fs::copy_options::recursive);
    fs::remove_all(work / "transform" / "target");
    dlctl::Settings settings = dlctl::BuildSettings({}, {}, work);
    std::shared_ptr<dlctl::ObjectStore> store = dlctl::OpenObjectStore(settings);
    dlctl::SampleDataOptions sample;
    sample.scale = scale;
    for (const auto& dataset : dlctl::GenerateSampleData(work / "data", sample)) {
      std::string name = dataset.folder.filename() == dlctl::kDeezerFolder ? "deezer_social_networks"
                                                                           : "million_song_dataset_spotify_lastfm";
      dlctl::IngestLocalPath(*store, settings.ingest_prefix, dataset.folder, name, std::chrono::system_clock::now());
    }
    dlctl::transform::RunOptions transform;
    transform.project_dir = work / "transform";
    if (dlctl::transform::RunProject(settings, store, transform).failed()) throw dlctl::Error("transform failed");

    dlctl::graph::GraphLoadOptions options;
    options.schema = "music_taste";
    options.overwrite = true;
    options.project_dir = work / "transform";
    auto load = [&] {
      auto start = std::chrono::steady_clock::now();
      dlctl::graph::LoadGraph(settings, store, options);
      return dlctl::SecondsSince(start);
    };
    load();
    KuzuCopies copies;
    int64_t rows = 0;
    {
      auto graph = dlctl::graph::OpenGraph(settings, options.schema, true);
      copies = ExportGraph(*graph, work / "parquet");
      for (const std::string& table : graph->NodeTables())
        rows += std::stoll(graph->Query(fmt::format("MATCH (n:{}) RETURN count(n)", Quoted(table))).rows.at(0).at(0));
      for (const std::string& table : graph->RelTables())
        rows += std::stoll(
            graph->Query(fmt::format("MATCH ()-[r:{}]->() RETURN count(r)", Quoted(table))).rows.at(0).at(0));
    }
    auto kuzu = [&](int round) {
      fs::path path = work / fmt::format("kuzu-{}", round);
      auto start = std::chrono::steady_clock::now();
      {
        auto graph = dlctl::graph::OpenKuzuGraphStore(path, {});
        graph->Query(copies.ddl);
        for (const std::string& copy : copies.copies) graph->Query(copy);
      }  // closed: checkpointed, as the load's database is
      double seconds = dlctl::SecondsSince(start);
      fs::remove_all(path);
      return seconds;
    };

    std::vector<double> load_times, kuzu_times;
    for (int round = 0; round < rounds; ++round) {
      double l = 0, k = 0;
      if (round % 2 == 0) {
        l = load();
        k = kuzu(round);
      } else {
        k = kuzu(round);
        l = load();
      }
      load_times.push_back(l);
      kuzu_times.push_back(k);
      std::printf("round %d: dlctl graph load %.3f s, kuzu COPY %.3f s\n", round + 1, l, k);
    }
    double lm = Median(load_times), km = Median(kuzu_times);
    std::printf("medians over %d rounds (scale %.2f, %lld nodes + rels): graph load %.3f s, kuzu COPY %.3f s, "
                "ratio %.2fx\n",
                rounds, scale, static_cast<long long>(rows), lm, km, lm / km);
    fs::remove_all(work);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "graph_load: %s\n", e.what());
    fs::remove_all(work);
    return 1;
  }
  return 0;
}
