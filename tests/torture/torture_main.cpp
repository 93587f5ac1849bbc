// dlctl_torture: kill -9 trials over ingest, transform, export, backup, lake writes, graph load
// and embeddings, on the local default and on S3, checking every invariant after each kill.
//   dlctl_torture [--local-trials N] [--s3-trials N] [--seed S]
// Defaults from TORTURE_LOCAL_TRIALS (200), TORTURE_S3_TRIALS (100) and TORTURE_SEED (random);
// the S3 trials use the test S3 server (DLCTL_TEST_S3_ENDPOINT). Prints a summary per command
// and exits 1 when any invariant failed (2 on bad arguments).
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

#include "torture/torture_run.h"

namespace {

using dlctl::testing::Bucket;
using dlctl::testing::TortureReport;

uint64_t ParseNumber(const std::string& what, const std::string& text) {
  size_t used = 0;
  uint64_t value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
  }
  if (text.empty() || used != text.size() || text[0] == '-')
    throw std::invalid_argument(fmt::format("{} wants a number, got '{}'", what, text));
  return value;
}

uint64_t FromEnv(const char* name, std::optional<uint64_t> fallback) {
  const char* value = std::getenv(name);
  if (value && *value) return ParseNumber(name, value);
  if (fallback) return *fallback;
  return std::random_device{}() % 1000000;
}

void PrintSummary(const std::vector<TortureReport>& reports, uint64_t seed) {
  std::cout << fmt::format("\ntorture summary (seed {}; TORTURE_SEED={} repeats the plan)\n", seed, seed);
  std::cout << fmt::format("{:<7}{:<14}{:>8}{:>17}{:>21}\n", "bucket", "command", "trials", "killed mid-run",
                           "invariant failures");
  for (const auto& report : reports) {
    int trials = 0, killed = 0, failed = 0;
    for (const auto& tally : report.tallies) {
      std::cout << fmt::format("{:<7}{:<14}{:>8}{:>17}{:>21}\n", report.bucket, tally.command, tally.trials,
                               tally.killed_mid_run, tally.failed);
      trials += tally.trials;
      killed += tally.killed_mid_run;
      failed += tally.failed;
    }
    std::cout << fmt::format("{:<7}{:<14}{:>8}{:>17}{:>21}   ({:.0f} s)\n", report.bucket, "all", trials, killed,
                             failed, report.seconds);
  }
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t local_trials = 0, s3_trials = 0, seed = 0;
  try {
    local_trials = FromEnv("TORTURE_LOCAL_TRIALS", 200);
    s3_trials = FromEnv("TORTURE_S3_TRIALS", 100);
    seed = FromEnv("TORTURE_SEED", std::nullopt);
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      if (i + 1 >= argc) throw std::invalid_argument("unknown or incomplete argument '" + arg + "'");
      if (arg == "--local-trials")
        local_trials = ParseNumber(arg, argv[++i]);
      else if (arg == "--s3-trials")
        s3_trials = ParseNumber(arg, argv[++i]);
      else if (arg == "--seed")
        seed = ParseNumber(arg, argv[++i]);
      else
        throw std::invalid_argument("unknown argument '" + arg + "'");
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << "dlctl_torture: " << e.what()
              << " (usage: dlctl_torture [--local-trials N] [--s3-trials N] [--seed S])\n";
    return 2;
  }

  std::cout << fmt::format("torture: seed {}, {} trials on the local default, {} on S3\n", seed, local_trials,
                           s3_trials);
  std::vector<TortureReport> reports;
  try {
    // Each bucket's plan comes from its own stream, so either part alone repeats as in a full run.
    if (local_trials > 0) reports.push_back(dlctl::testing::RunTorture(Bucket::kLocal, local_trials, seed, std::cout));
    if (s3_trials > 0) reports.push_back(dlctl::testing::RunTorture(Bucket::kS3, s3_trials, seed + 1, std::cout));
  } catch (const std::exception& e) {
    PrintSummary(reports, seed);
    std::cerr << "dlctl_torture: " << e.what() << "\n";
    return 1;
  }
  PrintSummary(reports, seed);
  size_t failures = 0;
  for (const auto& report : reports) failures += report.failures.size();
  if (failures > 0) {
    for (const auto& report : reports)
      for (const auto& failure : report.failures) std::cerr << failure << "\n";
    std::cerr << fmt::format("dlctl_torture: {} invariant violation{} (seed {})\n", failures,
                             failures == 1 ? "" : "s", seed);
    return 1;
  }
  return 0;
}
