#include "lake/catalog/types.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::lake {

namespace {

struct TypePair {
  std::string_view lake;
  std::string_view duckdb;  // as DuckDB's LogicalType::ToString prints it
};

// Spec notes §1.9, in the order of the official extension's table.
constexpr TypePair kBaseTypes[] = {
    {"boolean", "BOOLEAN"},
    {"int8", "TINYINT"},
    {"int16", "SMALLINT"},
    {"int32", "INTEGER"},
    {"int64", "BIGINT"},
    {"int128", "HUGEINT"},
    {"uint8", "UTINYINT"},
    {"uint16", "USMALLINT"},
    {"uint32", "UINTEGER"},
    {"uint64", "UBIGINT"},
    {"uint128", "UHUGEINT"},
    {"float32", "FLOAT"},
    {"float64", "DOUBLE"},
    {"time", "TIME"},
    {"timetz", "TIME WITH TIME ZONE"},
    {"date", "DATE"},
    {"timestamp", "TIMESTAMP"},
    {"timestamptz", "TIMESTAMP WITH TIME ZONE"},
    {"timestamp_s", "TIMESTAMP_S"},
    {"timestamp_ms", "TIMESTAMP_MS"},
    {"timestamp_ns", "TIMESTAMP_NS"},
    {"interval", "INTERVAL"},
    {"varchar", "VARCHAR"},
    {"blob", "BLOB"},
    {"json", "JSON"},
    {"uuid", "UUID"},
};

// Other spellings DuckDB accepts for the same types (reading only).
constexpr TypePair kLakeAliases[] = {{"timestamp_us", "TIMESTAMP"}};
constexpr TypePair kDuckDBAliases[] = {
    {"boolean", "BOOL"},
    {"boolean", "LOGICAL"},
    {"int8", "INT1"},
    {"int16", "INT2"},
    {"int16", "SHORT"},
    {"int32", "INT"},
    {"int32", "INT4"},
    {"int32", "SIGNED"},
    {"int64", "INT8"},
    {"int64", "LONG"},
    {"float32", "FLOAT4"},
    {"float32", "REAL"},
    {"float64", "FLOAT8"},
    {"timetz", "TIMETZ"},
    {"timestamp", "DATETIME"},
    {"timestamp", "TIMESTAMP_US"},
    {"timestamptz", "TIMESTAMPTZ"},
    {"varchar", "STRING"},
    {"varchar", "TEXT"},
    {"varchar", "CHAR"},
    {"varchar", "BPCHAR"},
    {"varchar", "NVARCHAR"},
    {"blob", "BYTEA"},
    {"blob", "BINARY"},
    {"blob", "VARBINARY"},
};

const ColumnInfo& OnlyChild(const ColumnInfo& column, size_t count) {
  if (column.children.size() != count)
    throw Error(fmt::format("column {} of type {} has {} child columns, expected {}", column.name, column.type,
                            column.children.size(), count));
  return column.children[0];
}

// --- DuckDB type text -> DuckLake column -------------------------------------------------

// A recursive-descent reader of DuckDB type text: STRUCT(...), MAP(k, v), X[], DECIMAL(p, s)
// and multi-word names such as TIMESTAMP WITH TIME ZONE.
class TypeParser {
 public:
  explicit TypeParser(const std::string& text) : text_(text) {}

  ColumnInfo Parse(const std::string& name) {
    ColumnInfo column = ParseType(name);
    SkipSpace();
    if (pos_ != text_.size()) Fail("unexpected text after the type");
    return column;
  }

 private:
  ColumnInfo ParseType(const std::string& name) {
    ColumnInfo column = ParseBase(name);
    while (Peek() == '[') {
      ++pos_;
      SkipSpace();
      if (Peek() != ']') Fail("fixed-size arrays are not supported by DuckLake");
      ++pos_;
      ColumnInfo list;
      list.name = name;
      list.type = "list";
      column.name = "element";
      list.children.push_back(std::move(column));
      column = std::move(list);
    }
    return column;
  }

  ColumnInfo ParseBase(const std::string& name) {
    std::string word = ReadWords();
    ColumnInfo column;
    column.name = name;
    if (word == "STRUCT" || word == "ROW") {
      column.type = "struct";
      Expect('(');
      do column.children.push_back(ParseType(ReadIdentifier()));
      while (Accept(','));
      Expect(')');
    } else if (word == "MAP") {
      column.type = "map";
      Expect('(');
      column.children.push_back(ParseType("key"));
      Expect(',');
      column.children.push_back(ParseType("value"));
      Expect(')');
    } else if (word == "LIST") {
      column.type = "list";
      Expect('(');
      column.children.push_back(ParseType("element"));
      Expect(')');
    } else if (word == "DECIMAL" || word == "NUMERIC") {
      int64_t width = 18, scale = 3;  // DuckDB's DECIMAL without arguments
      if (Accept('(')) {
        width = ReadNumber();
        scale = Accept(',') ? ReadNumber() : 0;
        Expect(')');
      }
      column.type = fmt::format("decimal({},{})", width, scale);
    } else {
      column.type = LakeBaseType(word);
      if (Accept('(')) SkipArguments();  // VARCHAR(10): the length is not part of the type
    }
    return column;
  }

  std::string LakeBaseType(const std::string& word) {
    for (const auto& pair : kBaseTypes)
      if (word == pair.duckdb) return std::string(pair.lake);
    for (const auto& pair : kDuckDBAliases)
      if (word == pair.duckdb) return std::string(pair.lake);
    Fail("type " + word + " cannot be stored in DuckLake");
  }

  // Upper-cased words separated by single spaces, up to a delimiter.
  std::string ReadWords() {
    SkipSpace();
    std::string words;
    while (pos_ < text_.size() && std::string_view("()[],").find(text_[pos_]) == std::string_view::npos) {
      char c = text_[pos_++];
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (!words.empty() && words.back() != ' ') words += ' ';
      } else {
        words += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
    }
    while (!words.empty() && words.back() == ' ') words.pop_back();
    if (words.empty()) Fail("a type name is missing");
    return words;
  }

  std::string ReadIdentifier() {
    SkipSpace();
    std::string identifier;
    if (Peek() == '"') {
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) Fail("unterminated quoted field name");
        char c = text_[pos_++];
        if (c == '"') {
          if (Peek() != '"') break;
          ++pos_;
        }
        identifier += c;
      }
    } else {
      while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])) &&
             std::string_view("()[],").find(text_[pos_]) == std::string_view::npos)
        identifier += text_[pos_++];
    }
    if (identifier.empty()) Fail("a struct field name is missing");
    return identifier;
  }

  int64_t ReadNumber() {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    if (start == pos_) Fail("a number is missing");
    return std::stoll(text_.substr(start, pos_ - start));
  }

  void SkipArguments() {
    for (int depth = 1; depth > 0; ++pos_) {
      if (pos_ >= text_.size()) Fail("unbalanced parentheses");
      if (text_[pos_] == '(') ++depth;
      if (text_[pos_] == ')') --depth;
    }
  }

  char Peek() {
    SkipSpace();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  bool Accept(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  void Expect(char c) {
    if (!Accept(c)) Fail(std::string("expected '") + c + "'");
  }
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  [[noreturn]] void Fail(const std::string& why) {
    throw Error(fmt::format("cannot read DuckDB type '{}': {}", text_, why));
  }

  const std::string& text_;
  size_t pos_ = 0;
};

}  // namespace

std::string DuckDBType(const ColumnInfo& column) {
  const std::string& type = column.type;
  if (type == "list") return DuckDBType(OnlyChild(column, 1)) + "[]";
  if (type == "map") {
    OnlyChild(column, 2);
    return fmt::format("MAP({}, {})", DuckDBType(column.children[0]), DuckDBType(column.children[1]));
  }
  if (type == "struct") {
    if (column.children.empty()) throw Error("struct column " + column.name + " has no fields");
    std::string fields;
    for (const ColumnInfo& child : column.children) {
      if (!fields.empty()) fields += ", ";
      fields += SqlIdentifier(child.name) + " " + DuckDBType(child);
    }
    return "STRUCT(" + fields + ")";
  }
  if (type.rfind("decimal(", 0) == 0 && type.back() == ')') {
    std::string arguments = type.substr(8, type.size() - 9);
    arguments.erase(std::remove(arguments.begin(), arguments.end(), ' '), arguments.end());
    return "DECIMAL(" + arguments + ")";
  }
  for (const auto& pair : kBaseTypes)
    if (type == pair.lake) return std::string(pair.duckdb);
  for (const auto& pair : kLakeAliases)
    if (type == pair.lake) return std::string(pair.duckdb);
  if (type == "variant" || type == "geometry")
    throw Error(
        fmt::format("column {} has DuckLake type {}, which the engine (DuckDB 1.4) cannot read", column.name, type));
  throw Error(fmt::format("column {} has unknown DuckLake type '{}'", column.name, type));
}

ColumnInfo ColumnFromDuckDBType(const std::string& name, const std::string& duckdb_type) {
  return TypeParser(duckdb_type).Parse(name);
}

}  // namespace dlctl::lake
