#pragma once
// Copies one DuckLake catalog's metadata from one store into another (SQLite or PostgreSQL, either
// way), so a lab moves its catalog without rewriting a data file: every row of the 28 tables and of
// the inlined data/delete tables, values converted between the stores' types (SQLite keeps
// BOOLEAN, UUID and TIMESTAMPTZ values as integers and text; PostgreSQL has the types).
// `dlctl tools migrate-catalog` and the backup of PostgreSQL catalogs both use it.
#include <cstdint>

#include "lake/metadata/metadata_store.h"

namespace dlctl::lake {

struct CatalogCopyReport {
  int64_t tables = 0;
  int64_t rows = 0;
};

// Reads `source` in one read transaction (a consistent snapshot of it) and writes `target` in one
// write transaction: a failure leaves the target as it was. The target must hold no catalog rows
// unless `replace`, which drops its catalog tables first (inside the same transaction).
CatalogCopyReport CopyCatalog(MetadataStore& source, MetadataStore& target, bool replace);

// True when the store has a DuckLake table holding a row (what CopyCatalog refuses to overwrite).
bool HasCatalogRows(MetadataStore& store);

}  // namespace dlctl::lake
