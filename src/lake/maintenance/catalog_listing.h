#pragma once
// What `dlctl lake snapshots|tables|files` print: a catalog's history and contents as result
// tables, so the CLI formats them like any query (table or JSON).
#include "lake/metadata/catalog_reader.h"
#include "output/query_result.h"

namespace dlctl::lake {

// snapshot_id, snapshot_time, schema_version, changes_made, author, commit_message.
QueryResult ListSnapshots(CatalogReader& reader);

// One row per table at the snapshot: schema, table, columns, data_files, delete_files,
// rows_in_files (live rows held in Parquet; rows inlined in the catalog are not counted), bytes.
QueryResult ListTables(CatalogReader& reader, const SnapshotSelector& snapshot);

// One row per data file at the snapshot: schema, table, data_file_id, path, record_count,
// file_size_bytes, delete_file, deleted_rows.
QueryResult ListFiles(CatalogReader& reader, const SnapshotSelector& snapshot);

}  // namespace dlctl::lake
