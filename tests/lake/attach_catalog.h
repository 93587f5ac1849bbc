#pragma once
// Attaching a catalog kept in a SQLite file (a fixture's, a generated one) to a test's engine.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/engine.h"
#include "lake/catalog/attach.h"
#include "lake/metadata/sqlite_metadata_store.h"

namespace dlctl::lake {

// Attaches the catalog in `file` as `name`, its data under `data_path`: read-write at its latest
// snapshot, or read-only at `snapshot`.
inline void AttachSqliteCatalog(Engine& engine, const std::filesystem::path& file, const std::string& data_path,
                                const std::string& name, std::optional<SnapshotId> snapshot = std::nullopt,
                                WriteOptions write = {}) {
  CatalogSource source;
  source.name = name;
  source.data_path = data_path;
  source.open = [file](bool create) { return std::make_unique<SqliteMetadataStore>(file, create); };
  if (snapshot) source.snapshot = SnapshotSelector{*snapshot, std::nullopt};
  source.write = std::move(write);
  AttachCatalog(engine, std::move(source));
}

// The same for a catalog reached through `open`.
inline void AttachTestCatalog(Engine& engine, std::function<std::unique_ptr<MetadataStore>(bool)> open,
                              const std::string& data_path, const std::string& name,
                              std::optional<SnapshotId> snapshot = std::nullopt, WriteOptions write = {}) {
  CatalogSource source;
  source.name = name;
  source.data_path = data_path;
  source.open = std::move(open);
  if (snapshot) source.snapshot = SnapshotSelector{*snapshot, std::nullopt};
  source.write = std::move(write);
  AttachCatalog(engine, std::move(source));
}

}  // namespace dlctl::lake
