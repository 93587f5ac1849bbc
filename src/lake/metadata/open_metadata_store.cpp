#include "lake/metadata/open_metadata_store.h"

#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/postgres_metadata_store.h"
#include "lake/metadata/sqlite_metadata_store.h"
#include "util/error.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;

// A catalog file that is no catalog: without this check the first write would make a new,
// empty catalog in it, and every file the old one knew would become an orphan.
void CheckIsCatalogFile(MetadataStore& store, const CatalogSettings& catalog) {
  std::string why;
  try {
    if (IsCatalog(store)) return;
    why = fs::file_size(catalog.db_path) == 0 ? "the file is empty" : "it holds no DuckLake tables";
  } catch (const Error& e) {
    std::string message = e.what();
    why = message.find("file is not a database") != std::string::npos ? "file is not a database" : message;
  }
  throw Error(fmt::format("catalog {}: {} is not a DuckLake catalog ({}); restore it with `dlctl backup restore`, "
                          "or move the file away to start a new catalog",
                          catalog.name, catalog.db_path.string(), why));
}

std::unique_ptr<MetadataStore> OpenExistingSqlite(const Settings& settings, const CatalogSettings& catalog) {
  auto store = std::make_unique<SqliteMetadataStore>(catalog.db_path, false, settings.lock_wait);
  CheckIsCatalogFile(*store, catalog);
  return store;
}

void CreateSqliteCatalog(const Settings& settings, const CatalogSettings& catalog, const std::string& data_path) {
  std::error_code ec;
  if (catalog.db_path.has_parent_path()) fs::create_directories(catalog.db_path.parent_path(), ec);
  fs::path scratch = catalog.db_path;
  scratch += fmt::format(".creating-{}-{:08x}", ::getpid(), std::random_device{}());
  try {
    {
      SqliteMetadataStore fresh(scratch, true, settings.lock_wait);
      CreateCatalog(fresh, data_path);
    }
    // link() never replaces a file: when another process made the catalog first, its one stays.
    if (::link(scratch.c_str(), catalog.db_path.c_str()) != 0 && errno != EEXIST)
      throw Error(fmt::format("cannot create catalog {}: {}", catalog.db_path.string(), std::strerror(errno)));
  } catch (...) {
    fs::remove(scratch, ec);
    throw;
  }
  fs::remove(scratch, ec);
}

}  // namespace

std::unique_ptr<MetadataStore> OpenMetadataStore(const Settings& settings, const CatalogSettings& catalog, bool create) {
  if (!catalog.postgres_schema) {
    if (!create) return OpenExistingSqlite(settings, catalog);
    return std::make_unique<SqliteMetadataStore>(catalog.db_path, create, settings.lock_wait);
  }
  std::string connection = settings.postgres ? settings.postgres->ConnectionString() : std::string();
  return std::make_unique<PostgresMetadataStore>(connection, *catalog.postgres_schema, create);
}

std::unique_ptr<MetadataStore> OpenOrCreateCatalog(const Settings& settings, const CatalogSettings& catalog,
                                                   const std::string& data_path) {
  if (!catalog.postgres_schema) {
    if (!fs::exists(catalog.db_path)) CreateSqliteCatalog(settings, catalog, data_path);
    return OpenExistingSqlite(settings, catalog);
  }
  // PostgreSQL: the schema's tables are made in one transaction by whichever process comes first.
  std::unique_ptr<MetadataStore> store = OpenMetadataStore(settings, catalog, true);
  CreateCatalogIfMissing(*store, data_path);
  return store;
}

}  // namespace dlctl::lake
