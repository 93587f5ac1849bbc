// The Hugging Face Hub stand-in of the ingest tests (tests/ingest/fake_sources), serving one
// dataset repo "bench/data" whose only file, data.bin, is FILE as an LFS file (302 to the
// storage port, sha256 listed). Driven by bench/ingest_transfer.sh: prints the hub's base URL,
// then serves until its standard input closes.
//
//   ingest_source_server FILE
#include <cstdio>
#include <iostream>
#include <string>

#include "fake_sources.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: ingest_source_server FILE\n");
    return 2;
  }
  dlctl::testing::FakeSources sources;
  sources.AddHubRepo("bench", "data", "main", std::string(40, 'b'), {{"data.bin", "", argv[1], true}});
  std::cout << sources.api_url() << std::endl;
  std::string ignored;
  while (std::getline(std::cin, ignored)) {
  }
  return 0;
}
