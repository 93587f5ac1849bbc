#include "lake/catalog/view_sql.h"

#include <cctype>
#include <cstring>

#include "util/sql_quote.h"

namespace dlctl::lake {

namespace {

bool IdentifierChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }

bool SameLetters(const std::string& sql, size_t pos, const std::string& word) {
  if (pos + word.size() > sql.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(sql[pos + i])) != std::tolower(static_cast<unsigned char>(word[i])))
      return false;
  return true;
}

// The end of the quoted text starting at `pos` (a ' or "), doubled quotes included.
size_t QuotedEnd(const std::string& sql, size_t pos) {
  char quote = sql[pos];
  for (size_t i = pos + 1; i < sql.size(); ++i) {
    if (sql[i] != quote) continue;
    if (i + 1 < sql.size() && sql[i + 1] == quote) {
      ++i;
      continue;
    }
    return i + 1;
  }
  return sql.size();
}

bool NeedsQuotes(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return true;
  for (char c : name)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return true;
  return false;
}

}  // namespace

std::string StoredViewSql(const std::string& sql, const std::string& catalog) {
  const std::string quoted = SqlIdentifier(catalog);
  const std::string placeholder = std::string(kCatalogPlaceholder) + ".";
  std::string out;
  size_t pos = 0;
  while (pos < sql.size()) {
    char c = sql[pos];
    bool at_boundary = pos == 0 || (!IdentifierChar(sql[pos - 1]) && sql[pos - 1] != '.');
    if (c == '"') {
      size_t end = QuotedEnd(sql, pos);
      if (at_boundary && sql.compare(pos, end - pos, quoted) == 0 && end < sql.size() && sql[end] == '.') {
        out += placeholder;
        pos = end + 1;
      } else {
        out.append(sql, pos, end - pos);
        pos = end;
      }
      continue;
    }
    if (c == '\'') {
      size_t end = QuotedEnd(sql, pos);
      out.append(sql, pos, end - pos);
      pos = end;
      continue;
    }
    if (at_boundary && SameLetters(sql, pos, catalog) && pos + catalog.size() < sql.size() &&
        sql[pos + catalog.size()] == '.') {
      out += placeholder;
      pos += catalog.size() + 1;
      continue;
    }
    // Copy a whole word at once, so a name that merely ends with the catalog's is left alone.
    size_t end = pos + 1;
    if (IdentifierChar(c))
      while (end < sql.size() && IdentifierChar(sql[end])) ++end;
    out.append(sql, pos, end - pos);
    pos = end;
  }
  return out;
}

std::string ViewSqlForCatalog(const std::string& sql, const std::string& catalog) {
  const std::string name = NeedsQuotes(catalog) ? SqlIdentifier(catalog) : catalog;
  const size_t length = std::strlen(kCatalogPlaceholder);
  std::string out;
  size_t pos = 0;
  while (pos < sql.size()) {
    char c = sql[pos];
    if (c == '\'' || c == '"') {
      size_t end = QuotedEnd(sql, pos);
      out.append(sql, pos, end - pos);
      pos = end;
    } else if (sql.compare(pos, length, kCatalogPlaceholder) == 0) {
      out += name;
      pos += length;
    } else {
      out += c;
      ++pos;
    }
  }
  return out;
}

}  // namespace dlctl::lake
