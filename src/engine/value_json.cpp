#include "engine/value_json.h"

#include "duckdb/common/type_visitor.hpp"
#include "duckdb/common/types/blob.hpp"
#include "output/json_text.h"

namespace dlctl {
namespace {

using duckdb::LogicalTypeId;

bool HasTimeZone(const duckdb::LogicalType& type) {
  return duckdb::TypeVisitor::Contains(type, LogicalTypeId::TIMESTAMP_TZ) ||
         duckdb::TypeVisitor::Contains(type, LogicalTypeId::TIME_TZ);
}

std::string JsonArray(const duckdb::vector<duckdb::Value>& children, duckdb::ClientContext& context) {
  std::string out = "[";
  for (size_t i = 0; i < children.size(); ++i) out += (i ? "," : "") + ValueJson(children[i], context);
  return out + "]";
}

std::string JsonMap(const duckdb::Value& value, duckdb::ClientContext& context) {
  const auto& key_type = duckdb::MapType::KeyType(value.type());
  bool object = key_type.id() == LogicalTypeId::VARCHAR || key_type.id() == LogicalTypeId::ENUM;
  std::string out = object ? "{" : "[";
  const auto& entries = duckdb::MapValue::GetChildren(value);
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& pair = duckdb::StructValue::GetChildren(entries[i]);
    out += i ? "," : "";
    if (object)
      out += JsonString(pair[0].ToString()) + ":" + ValueJson(pair[1], context);
    else
      out += "{\"key\":" + ValueJson(pair[0], context) + ",\"value\":" + ValueJson(pair[1], context) + "}";
  }
  return out + (object ? "}" : "]");
}

std::string JsonStruct(const duckdb::Value& value, duckdb::ClientContext& context) {
  const auto& type = value.type();
  const auto& children = duckdb::StructValue::GetChildren(value);
  std::string out = "{";
  for (size_t i = 0; i < children.size(); ++i)
    out += (i ? "," : "") + JsonString(duckdb::StructType::GetChildName(type, i)) + ":" + ValueJson(children[i], context);
  return out + "}";
}

}  // namespace

std::string ValueText(const duckdb::Value& value, duckdb::ClientContext& context) {
  if (HasTimeZone(value.type())) return value.CastAs(context, duckdb::LogicalType::VARCHAR).ToString();
  return value.ToString();
}

std::string ValueJson(const duckdb::Value& value, duckdb::ClientContext& context) {
  if (value.IsNull()) return "null";
  const auto& type = value.type();
  switch (type.id()) {
    case LogicalTypeId::BOOLEAN:
      return value.GetValue<bool>() ? "true" : "false";
    case LogicalTypeId::TINYINT:
    case LogicalTypeId::SMALLINT:
    case LogicalTypeId::INTEGER:
    case LogicalTypeId::BIGINT:
    case LogicalTypeId::HUGEINT:
    case LogicalTypeId::UTINYINT:
    case LogicalTypeId::USMALLINT:
    case LogicalTypeId::UINTEGER:
    case LogicalTypeId::UBIGINT:
    case LogicalTypeId::UHUGEINT:
    case LogicalTypeId::DECIMAL:
    case LogicalTypeId::BIGNUM:
      return value.ToString();
    case LogicalTypeId::FLOAT:
      return JsonNumber(value.GetValue<float>());
    case LogicalTypeId::DOUBLE:
      return JsonNumber(value.GetValue<double>());
    case LogicalTypeId::BLOB: {
      const std::string& bytes = duckdb::StringValue::Get(value);
      return JsonString(duckdb::Blob::ToBase64(duckdb::string_t(bytes.data(), static_cast<uint32_t>(bytes.size()))));
    }
    case LogicalTypeId::LIST:
      return JsonArray(duckdb::ListValue::GetChildren(value), context);
    case LogicalTypeId::ARRAY:
      return JsonArray(duckdb::ArrayValue::GetChildren(value), context);
    case LogicalTypeId::STRUCT:
      return JsonStruct(value, context);
    case LogicalTypeId::MAP:
      return JsonMap(value, context);
    case LogicalTypeId::UNION:
      return ValueJson(duckdb::UnionValue::GetValue(value), context);
    default:
      break;
  }
  std::string text = ValueText(value, context);
  if (type.IsJSONType() && nlohmann::json::accept(text)) return nlohmann::json::parse(text).dump();
  return JsonString(text);
}

}  // namespace dlctl
