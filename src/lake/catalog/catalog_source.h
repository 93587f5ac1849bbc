#pragma once
// Where one DuckLake catalog lives and how it is attached: what the engine's catalog of that
// name (lake/catalog/lake_catalog.h) opens its metadata from and writes its data to.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "lake/metadata/catalog_model.h"
#include "lake/metadata/metadata_store.h"
#include "lake/write/lake_transaction.h"

namespace dlctl::lake {

struct CatalogSource {
  std::string name;  // stage, graphs, ...
  // Opens the metadata store; `create` makes the SQLite file or PostgreSQL schema when missing.
  // Throws NotFoundError when the catalog does not exist and `create` is false.
  std::function<std::unique_ptr<MetadataStore>(bool create)> open;
  // The data path every path of the catalog resolves against (s3://bucket/stage/ or a local
  // folder), ending with '/'.
  std::string data_path;
  // Read-only at this snapshot instead of read-write at the latest one.
  std::optional<SnapshotSelector> snapshot;
  // Target file size, the store that removes files of failed writes, the test hook.
  WriteOptions write;
};

}  // namespace dlctl::lake
