// One timed transfer with S3Store, driven by bench/s3_transfer.sh (which compares it with
// `aws s3 cp` on the same server). Prints the seconds taken.
//
//   s3_transfer bucket ENDPOINT BUCKET
//   s3_transfer put|get ENDPOINT BUCKET KEY FILE
//
// Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, as for the aws CLI.
// S3_BENCH_PART_MIB and S3_BENCH_PARALLEL override S3Tuning's part size and parallelism.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "storage/s3_store.h"
#include "util/error.h"

namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) throw dlctl::UsageError(std::string(name) + " is not set");
  return value;
}

dlctl::S3Tuning TuningFromEnv() {
  dlctl::S3Tuning tuning;
  if (const char* part = std::getenv("S3_BENCH_PART_MIB")) tuning.part_size = std::stoull(part) << 20;
  if (const char* parallel = std::getenv("S3_BENCH_PARALLEL")) tuning.parallel_parts = std::stoi(parallel);
  return tuning;
}

int Run(int argc, char** argv) {
  std::string command = argc > 1 ? argv[1] : "";
  bool transfer = command == "put" || command == "get";
  if (!(command == "bucket" && argc == 4) && !(transfer && argc == 6))
    throw dlctl::UsageError("usage: s3_transfer bucket ENDPOINT BUCKET | put|get ENDPOINT BUCKET KEY FILE");
  dlctl::S3Settings settings;
  settings.endpoint = argv[2];
  settings.use_ssl = false;
  settings.region = "us-east-1";
  settings.access_key_id = Env("AWS_ACCESS_KEY_ID");
  settings.secret_access_key = Env("AWS_SECRET_ACCESS_KEY");
  dlctl::S3Store store(settings, argv[3], TuningFromEnv());
  if (command == "bucket") {
    store.CreateBucket();
    return 0;
  }
  auto start = std::chrono::steady_clock::now();
  if (command == "put") {
    store.PutFile(argv[4], argv[5]);
  } else {
    store.GetToFile(argv[4], argv[5]);
  }
  std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  std::cout << fmt::format("{:.2f}\n", seconds.count());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const dlctl::Error& error) {
    std::cerr << "s3_transfer: " << error.what() << "\n";
    return error.exit_code();
  }
}
