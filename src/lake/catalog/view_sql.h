#pragma once
// How DuckLake stores a view's SQL (spec: ducklake_view): references to the view's own catalog
// are written as the placeholder {DUCKLAKE_CATALOG}, so the view works under whatever name the
// catalog is attached; references to other catalogs stay as written. Text inside string
// literals and quoted identifiers other than the catalog's own name is never touched.
#include <string>

namespace dlctl::lake {

inline constexpr const char* kCatalogPlaceholder = "{DUCKLAKE_CATALOG}";

// `printed_sql` (DuckDB's re-print of the view's query) with every `catalog.` prefix, quoted
// or not, in any letter case, replaced by `{DUCKLAKE_CATALOG}.`.
std::string StoredViewSql(const std::string& printed_sql, const std::string& catalog);

// Stored view SQL with the placeholder replaced by `catalog` (quoted when it needs to be).
std::string ViewSqlForCatalog(const std::string& stored_sql, const std::string& catalog);

}  // namespace dlctl::lake
