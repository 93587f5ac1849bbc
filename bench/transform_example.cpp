// Issue 4 goal (a): `dlctl transform` of the example project (transform/) on sample data at
// scale 0.1, against executing the same compiled SQL directly in DuckDB, in one process and the
// same run (goal: <= 1.15x). Usage: transform_example PROJECT_DIR [ROUNDS=3] [SCALE=0.1]
//
// Setup: a scratch folder as the local default bucket; sample data generated and ingested as
// the two datasets. Each round, alternating who goes first:
//   - transform: RunProject as `dlctl transform --threads 1` does (parse, compile, one lake
//     commit per model: Parquet files + SQLite catalog, catalogs bound again after each);
//   - duckdb: a fresh engine with two DuckDB database files attached as stage and graphs (the
//     persistent target dbt-duckdb would write), then every compiled model of the transform run,
//     in its order, as CREATE OR REPLACE TABLE <relation> AS <compiled SQL>.
// Prints each round's wall times, then the medians and their ratio, and each model's medians
// (dlctl's node time vs its CREATE OR REPLACE in DuckDB), slowest first.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config/settings.h"
#include "engine/engine.h"
#include "ingest/ingest.h"
#include "storage/object_store.h"
#include "tools/sample_data.h"
#include "transform/run/runner.h"
#include "util/clock.h"
#include "util/error.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: transform_example PROJECT_DIR [ROUNDS=3] [SCALE=0.1]\n");
    return 2;
  }
  fs::path project_dir = fs::absolute(argv[1]);
  int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  double scale = argc > 3 ? std::atof(argv[3]) : 0.1;
  try {
    fs::path work = fs::temp_directory_path() / fmt::format("dlctl-transform-example-{}", getpid());
    fs::remove_all(work);
    fs::create_directories(work);
    // The project is copied so target/ lands in the scratch folder.
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

    dlctl::transform::RunOptions options;
    options.project_dir = work / "transform";
    options.threads = 1;
    std::vector<dlctl::transform::NodeResult> models;
    std::map<std::string, std::vector<double>> model_transform_times, model_duckdb_times;
    auto transform = [&] {
      Clock::time_point start = Clock::now();
      dlctl::transform::RunReport report = dlctl::transform::RunProject(settings, store, options);
      double seconds = dlctl::SecondsSince(start);
      if (report.failed()) throw dlctl::Error("transform failed: " + dlctl::transform::FormatSummary(report));
      models = report.results;
      for (const auto& model : models) model_transform_times[model.name].push_back(model.seconds);
      return seconds;
    };
    auto duckdb = [&](int round) {
      if (models.empty()) transform();
      fs::path folder = work / fmt::format("duckdb-{}", round);
      fs::create_directories(folder);
      Clock::time_point start = Clock::now();
      dlctl::Engine engine(store, settings);
      std::set<std::string> schemas;
      engine.Query(fmt::format("ATTACH '{}' AS stage; ATTACH '{}' AS graphs", (folder / "stage.duckdb").string(),
                               (folder / "graphs.duckdb").string()));
      for (const auto& model : models) {
        std::string schema = model.relation.substr(0, model.relation.rfind('.'));
        if (schemas.insert(schema).second) engine.Query("CREATE SCHEMA IF NOT EXISTS " + schema);
        std::string sql = ReadAll(work / "transform" / model.compiled_path);
        Clock::time_point model_start = Clock::now();
        engine.Query("CREATE OR REPLACE TABLE " + model.relation + " AS " + sql);
        model_duckdb_times[model.name].push_back(dlctl::SecondsSince(model_start));
      }
      engine.Query("CHECKPOINT stage; CHECKPOINT graphs");
      return dlctl::SecondsSince(start);
    };

    std::vector<double> transform_times, duckdb_times;
    for (int round = 0; round < rounds; ++round) {
      double t = 0, d = 0;
      if (round % 2 == 0) {
        t = transform();
        d = duckdb(round);
      } else {
        d = duckdb(round);
        t = transform();
      }
      transform_times.push_back(t);
      duckdb_times.push_back(d);
      std::printf("round %d: dlctl transform %.3f s, duckdb %.3f s\n", round + 1, t, d);
    }
    double tm = Median(transform_times), dm = Median(duckdb_times);
    std::printf("medians over %d rounds (scale %.2f, %zu models): dlctl transform %.3f s, duckdb %.3f s, ratio %.2fx\n",
                rounds, scale, models.size(), tm, dm, tm / dm);
    std::vector<std::pair<double, std::string>> by_time;
    for (const auto& [name, times] : model_duckdb_times) by_time.emplace_back(Median(model_transform_times[name]), name);
    std::sort(by_time.rbegin(), by_time.rend());
    for (const auto& [seconds, name] : by_time) {
      double d_model = Median(model_duckdb_times[name]);
      std::printf("  %-32s dlctl %.3f s, duckdb %.3f s, ratio %.2fx\n", name.c_str(), seconds, d_model,
                  seconds / d_model);
    }
    fs::remove_all(work);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "transform_example: %s\n", e.what());
    return 1;
  }
  return 0;
}
