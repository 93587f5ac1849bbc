#pragma once
// The lab's metadata as one JSON document: what `dlctl docs` shows. Everything comes from the
// modules that own it (the transform project, the lake's catalog readers, the versioned datasets,
// backups, graphs); nothing here computes anything they do not expose.
//
//   nodes/edges   the lineage: raw datasets -> sources -> seeds and models -> tests, exports, graphs
//   catalogs      per catalog: snapshots, tables (rows, bytes, files), files, verify state
//   datasets, exports, backups, graphs
//   problems      what could not be read (a project that does not parse, a catalog that fails)
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>

#include "config/settings.h"
#include "storage/object_store.h"

namespace dlctl::docs {

struct LabOptions {
  std::filesystem::path project_dir = "transform";
  bool verify_catalogs = true;  // check every catalog's files against the store (lake verify)
};

nlohmann::ordered_json BuildLabDocument(const Settings& settings, std::shared_ptr<ObjectStore> store,
                                        const LabOptions& options);

}  // namespace dlctl::docs
