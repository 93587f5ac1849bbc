#include "lake/metadata/catalog_model.h"

namespace dlctl::lake {

const SchemaInfo* CatalogState::FindSchema(const std::string& name) const {
  for (const SchemaInfo& schema : schemas)
    if (schema.name == name) return &schema;
  return nullptr;
}

const TableInfo* CatalogState::FindTable(const std::string& schema, const std::string& table) const {
  const SchemaInfo* found = FindSchema(schema);
  if (!found) return nullptr;
  for (const TableInfo& info : found->tables)
    if (info.name == table) return &info;
  return nullptr;
}

const ViewInfo* CatalogState::FindView(const std::string& schema, const std::string& view) const {
  const SchemaInfo* found = FindSchema(schema);
  if (!found) return nullptr;
  for (const ViewInfo& info : found->views)
    if (info.name == view) return &info;
  return nullptr;
}

}  // namespace dlctl::lake
