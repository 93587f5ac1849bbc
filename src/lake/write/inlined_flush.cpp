#include "lake/write/inlined_flush.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "duckdb/parser/parsed_data/create_table_function_info.hpp"
#include "lake/catalog/engine_transaction.h"
#include "lake/catalog/lake_catalog.h"
#include "lake/catalog/named_parameter.h"
#include "lake/metadata/catalog_paths.h"
#include "lake/metadata/catalog_reader.h"
#include "lake/metadata/inlined_tables.h"
#include "lake/scan/delete_filter.h"
#include "lake/scan/inlined_data_reader.h"
#include "lake/write/direct_parquet_write.h"
#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::lake {

namespace {

bool Changed(const TableDataChanges* changes) {
  return changes && (!changes->data_files.empty() || !changes->delete_files.empty() ||
                     !changes->dropped_files.empty() || !changes->inlined_deletes.empty() ||
                     !changes->inlined_inserts.empty() || !changes->inlined_file_deletes.empty() ||
                     changes->Flushes());
}

class Flusher {
 public:
  Flusher(duckdb::ClientContext& context, LakeCatalog& catalog, LakeTransaction& writer)
      : context_(context), catalog_(catalog), writer_(writer), store_(writer.store()), base_(writer.base_snapshot()) {}

  // The rows of one inlined data table, up to the base snapshot, into one data file. Returns
  // how many.
  int64_t FlushRows(const TableInfo& table, const InlinedTableInfo& inlined) {
    std::vector<ColumnInfo> columns = LayoutColumns(table, inlined);
    std::string list = "row_id, begin_snapshot, end_snapshot";
    for (const ColumnInfo& column : columns)
      list += ", " + InlinedColumnRead(store_.dialect(), column, StoredName(inlined, column));
    std::vector<Row> rows =
        store_.Query(fmt::format("SELECT {} FROM {} WHERE begin_snapshot <= ? ORDER BY row_id, begin_snapshot", list,
                                 SqlIdentifier(inlined.table_name)),
                     {base_});
    if (rows.empty()) return 0;

    DataFileTarget target;
    target.columns = columns;
    target.folder = table.path;
    target.with_row_ids = target.with_snapshot_ids = true;
    duckdb::vector<duckdb::LogicalType> types = TargetTypes(target);
    size_t next = 0;
    WrittenFile file = WriteDataFile(context_, target, [&](duckdb::DataChunk& chunk) {
      duckdb::idx_t count = 0;
      for (; next < rows.size() && count < STANDARD_VECTOR_SIZE; ++next, ++count) {
        const Row& row = rows[next];
        for (size_t c = 0; c < columns.size(); ++c) chunk.SetValue(c, count, InlinedValue(row.values[3 + c], types[c]));
        chunk.SetValue(columns.size(), count, duckdb::Value::BIGINT(row.Int(0)));
        chunk.SetValue(columns.size() + 1, count, duckdb::Value::BIGINT(row.Int(1)));
      }
      chunk.SetCardinality(count);
    });

    std::vector<int64_t> positions, deleted_in;
    SnapshotId first = rows[0].Int(1), last = first;
    int64_t first_row_id = rows[0].Int(0);
    for (size_t i = 0; i < rows.size(); ++i) {
      first = std::min(first, rows[i].Int(1));
      last = std::max(last, rows[i].Int(1));
      first_row_id = std::min(first_row_id, rows[i].Int(0));
      if (!rows[i].IsNull(2)) {
        positions.push_back(static_cast<int64_t>(i));
        deleted_in.push_back(rows[i].Int(2));
      }
    }
    file.begin_snapshot = first;
    file.partial_max = last;
    file.row_id_start = first_row_id;
    if (!positions.empty()) {
      // As the extension writes it: visible from the first deletion on, no partial_max.
      WrittenFile deletes = WriteDeleteFile(context_, table.path, file.uri, positions, &deleted_in);
      deletes.begin_snapshot = *std::min_element(deleted_in.begin(), deleted_in.end());
      file.deletes.push_back(std::move(deletes));
    }
    int64_t count = file.record_count;
    writer_.FlushInlinedTable(table.id, inlined.table_name, std::move(file));
    return count;
  }

  // The table's Parquet rows deleted through the catalog, per live data file, into one delete
  // file with the file's whole deletion history.
  void FlushDeletes(const TableInfo& table) {
    if (!table.has_inlined_deletes) return;
    std::map<int64_t, std::map<int64_t, SnapshotId>> history;  // data file -> position -> first deletion
    for (const Row& row : store_.Query(fmt::format("SELECT file_id, row_id, begin_snapshot FROM {} WHERE "
                                                   "begin_snapshot <= ?",
                                                   SqlIdentifier(InlinedDeleteTableName(table.id))),
                                       {base_}))
      Note(history[row.Int(0)], row.Int(1), row.Int(2));
    if (history.empty()) return;
    auto files = catalog_.TableFiles(table, base_);
    for (auto& [file_id, deleted] : history) {
      auto file = std::find_if(files->begin(), files->end(), [&](const DataFileInfo& f) { return f.id == file_id; });
      if (file == files->end()) continue;  // ended: its listed deletes stay for the snapshots that see it
      FlushedDeletes flushed;
      flushed.data_file_id = file_id;
      for (const Row& row : store_.Query("SELECT delete_file_id, begin_snapshot, path, path_is_relative FROM "
                                         "ducklake_delete_file WHERE data_file_id = ?",
                                         {file_id})) {
        std::string path = ResolvePath(table.path, row.Text(2), row.Bool(3));
        for (const auto& [position, snapshot] : ReadDeletes(context_, path))
          Note(deleted, position, snapshot.value_or(row.Int(1)));
        const std::string& data_path = catalog_.source().data_path;
        bool inside = path.compare(0, data_path.size(), data_path) == 0;
        flushed.replaced[row.Int(0)] = {inside ? path.substr(data_path.size()) : path, inside};
      }
      std::vector<int64_t> positions, snapshots;
      for (const auto& [position, snapshot] : deleted) {
        positions.push_back(position);
        snapshots.push_back(snapshot);
      }
      flushed.file = WriteDeleteFile(context_, table.path, file->path, positions, &snapshots);
      flushed.file.begin_snapshot = *std::min_element(snapshots.begin(), snapshots.end());
      flushed.file.partial_max = *std::max_element(snapshots.begin(), snapshots.end());
      writer_.FlushInlinedDeletes(table.id, std::move(flushed));
    }
  }

 private:
  static void Note(std::map<int64_t, SnapshotId>& deleted, int64_t position, SnapshotId snapshot) {
    auto [it, inserted] = deleted.emplace(position, snapshot);
    if (!inserted) it->second = std::min(it->second, snapshot);
  }

  static const std::string& StoredName(const InlinedTableInfo& inlined, const ColumnInfo& column) {
    for (const InlinedColumn& stored : inlined.columns)
      if (stored.column_id == column.column_id) return stored.name;
    return column.name;
  }

  // The columns (types, children) the inlined table was made for: the table's at its layout
  // snapshot, so that a column dropped since keeps its values for the snapshots that see it.
  std::vector<ColumnInfo> LayoutColumns(const TableInfo& table, const InlinedTableInfo& inlined) {
    std::vector<ColumnInfo> columns;
    if (auto at = InlinedTableLayoutSnapshot(store_, table.id, inlined.schema_version)) {
      SnapshotSelector selector;
      selector.id = *at;
      try {
        CatalogState state = CatalogReader(store_, catalog_.source().data_path).Load(selector, false);
        for (const SchemaInfo& schema : state.schemas)
          for (const TableInfo& candidate : schema.tables)
            if (candidate.id == table.id) columns = candidate.columns;
      } catch (const NotFoundError&) {
        // The snapshot was expired: the table's current columns of the same ids follow.
      }
    }
    if (columns.empty()) columns = table.columns;
    std::erase_if(columns, [&](const ColumnInfo& column) {
      return std::none_of(inlined.columns.begin(), inlined.columns.end(),
                          [&](const InlinedColumn& stored) { return stored.column_id == column.column_id; });
    });
    return columns;
  }

  duckdb::ClientContext& context_;
  LakeCatalog& catalog_;
  LakeTransaction& writer_;
  MetadataStore& store_;
  SnapshotId base_;
};

struct FlushBindData : duckdb::TableFunctionData {
  std::string catalog;
  std::optional<std::string> schema, table;
};

struct FlushState : duckdb::GlobalTableFunctionState {
  bool flushed = false;
  std::vector<FlushedTable> results;
  size_t next = 0;
};

duckdb::unique_ptr<duckdb::FunctionData> Bind(duckdb::ClientContext&, duckdb::TableFunctionBindInput& input,
                                              duckdb::vector<duckdb::LogicalType>& types,
                                              duckdb::vector<std::string>& names) {
  auto data = duckdb::make_uniq<FlushBindData>();
  data->catalog = input.inputs[0].ToString();
  data->schema = NamedParameter(input, "schema_name");
  data->table = NamedParameter(input, "table_name");
  names = {"schema_name", "table_name", "rows_flushed"};
  types = {duckdb::LogicalType::VARCHAR, duckdb::LogicalType::VARCHAR, duckdb::LogicalType::BIGINT};
  return data;
}

duckdb::unique_ptr<duckdb::GlobalTableFunctionState> Init(duckdb::ClientContext&, duckdb::TableFunctionInitInput&) {
  return duckdb::make_uniq<FlushState>();
}

void Execute(duckdb::ClientContext& context, duckdb::TableFunctionInput& input, duckdb::DataChunk& output) {
  auto& state = input.global_state->Cast<FlushState>();
  auto& data = input.bind_data->Cast<FlushBindData>();
  if (!state.flushed) {
    auto* catalog = dynamic_cast<LakeCatalog*>(&duckdb::Catalog::GetCatalog(context, data.catalog));
    if (!catalog) throw duckdb::BinderException("\"%s\" is not a DuckLake catalog", data.catalog);
    state.results = FlushInlinedData(context, *catalog, data.schema, data.table);
    state.flushed = true;
  }
  duckdb::idx_t count = 0;
  for (; state.next < state.results.size() && count < STANDARD_VECTOR_SIZE; ++state.next, ++count) {
    const FlushedTable& flushed = state.results[state.next];
    output.SetValue(0, count, duckdb::Value(flushed.schema));
    output.SetValue(1, count, duckdb::Value(flushed.table));
    output.SetValue(2, count, duckdb::Value::BIGINT(flushed.rows));
  }
  output.SetCardinality(count);
}

}  // namespace

std::vector<FlushedTable> FlushInlinedData(duckdb::ClientContext& context, LakeCatalog& catalog,
                                           const std::optional<std::string>& schema,
                                           const std::optional<std::string>& table) {
  LakeTransaction& writer = EngineTransaction::Get(context, catalog).Writer();
  const CatalogState& state = writer.state();
  if (schema && !state.FindSchema(*schema))
    throw NotFoundError(
        fmt::format("schema {} does not exist in catalog {}", SqlIdentifier(*schema), catalog.GetName()));
  if (table && !state.FindTable(schema.value_or("main"), *table))
    throw NotFoundError(fmt::format("table {}.{} does not exist in catalog {}", SqlIdentifier(schema.value_or("main")),
                                    SqlIdentifier(*table), catalog.GetName()));
  Flusher flusher(context, catalog, writer);
  std::vector<FlushedTable> flushed;
  for (const SchemaInfo& s : state.schemas) {
    if ((schema || table) && !duckdb::StringUtil::CIEquals(s.name, schema.value_or("main"))) continue;
    for (const TableInfo& t : s.tables) {
      if (table && !duckdb::StringUtil::CIEquals(t.name, *table)) continue;
      if (IsProvisionalId(t.id)) continue;  // created here: nothing committed to flush
      if (Changed(writer.DataChangesOf(t.id)))
        throw Error(fmt::format("table {}.{} was changed in this transaction: flush its inlined data in a "
                                "transaction of its own",
                                SqlIdentifier(s.name), SqlIdentifier(t.name)));
      int64_t rows = 0;
      for (const InlinedTableInfo& inlined : t.inlined_tables) rows += flusher.FlushRows(t, inlined);
      flusher.FlushDeletes(t);
      if (rows > 0) flushed.push_back({s.name, t.name, rows});
    }
  }
  return flushed;
}

void RegisterFlushFunction(duckdb::DatabaseInstance& db) {
  duckdb::TableFunction function("ducklake_flush_inlined_data", {duckdb::LogicalType::VARCHAR}, Execute, Bind, Init);
  function.named_parameters["schema_name"] = duckdb::LogicalType::VARCHAR;
  function.named_parameters["table_name"] = duckdb::LogicalType::VARCHAR;
  duckdb::CreateTableFunctionInfo info(function);
  info.on_conflict = duckdb::OnCreateConflict::IGNORE_ON_CONFLICT;
  duckdb::Connection connection(db);
  auto& context = *connection.context;
  context.RunFunctionInTransaction(
      [&] { duckdb::Catalog::GetSystemCatalog(context).CreateTableFunction(context, info); });
}

}  // namespace dlctl::lake
