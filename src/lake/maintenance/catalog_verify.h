#pragma once
// `dlctl lake verify`: does the catalog's metadata match the files in the bucket? Every data
// and delete file it references must exist with the recorded size; files under its data path
// that nothing references (a crashed writer's leftovers) are orphans: reported, not problems.
#include <cstdint>
#include <string>
#include <vector>

#include "lake/metadata/metadata_store.h"
#include "storage/object_store.h"

namespace dlctl::lake {

struct VerifyProblem {
  std::string path;
  std::string message;  // "missing (data file 12 of main.t)", "size 10 bytes, the catalog says 12"
};

struct OrphanFile {
  std::string path;
  uint64_t size = 0;
};

struct VerifyReport {
  size_t files_checked = 0;
  std::vector<VerifyProblem> problems;
  std::vector<OrphanFile> orphans;
  bool ok() const { return problems.empty(); }
};

// `data_path` is the catalog's data path in force (an s3:// URI or absolute folder, ending '/');
// files inside `store` are checked through it, others on the local file system.
VerifyReport VerifyCatalog(MetadataStore& catalog, ObjectStore& store, const std::string& data_path);

}  // namespace dlctl::lake
