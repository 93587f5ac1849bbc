#pragma once
// Every row of every DuckLake table of a SQLite catalog, each value as its SQLite type and text,
// rows sorted: two catalogs with equal dumps hold exactly the same metadata. Needs dlctl_lake.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "lake/metadata/sqlite_metadata_store.h"
#include "util/sql_quote.h"

namespace dlctl::testing {

using CatalogDump = std::map<std::string, std::vector<std::string>>;  // table -> its rows

inline CatalogDump DumpSqliteCatalog(lake::SqliteMetadataStore& store) {
  CatalogDump dump;
  for (const lake::Row& table : store.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ducklake%'")) {
    std::string name = table.Text(0);
    std::string columns;
    for (const lake::Row& column : store.Query("SELECT name FROM pragma_table_info(?) ORDER BY cid", {name}))
      columns += (columns.empty() ? "" : " || '|' || ") +
                 ("typeof(" + SqlIdentifier(column.Text(0)) + ") || ':' || COALESCE(CAST(" +
                  SqlIdentifier(column.Text(0)) + " AS TEXT), 'NULL')");
    std::vector<std::string>& rows = dump[name];
    for (const lake::Row& row : store.Query("SELECT " + columns + " FROM " + SqlIdentifier(name)))
      rows.push_back(row.Text(0));
    std::sort(rows.begin(), rows.end());
  }
  return dump;
}

// table name -> its columns' names and declared types: "row_id BIGINT, bl BLOB, ...".
inline std::map<std::string, std::string> SqliteTableDefinitions(lake::SqliteMetadataStore& store) {
  std::map<std::string, std::string> tables;
  for (const lake::Row& table : store.Query("SELECT name FROM sqlite_master WHERE type = 'table'")) {
    std::string& columns = tables[table.Text(0)];
    for (const lake::Row& column : store.Query("SELECT name, type FROM pragma_table_info(?) ORDER BY cid", {table.Text(0)}))
      columns += (columns.empty() ? "" : ", ") + column.Text(0) + " " + column.Text(1);
  }
  return tables;
}

}  // namespace dlctl::testing
