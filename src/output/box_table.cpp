#include "output/box_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "util/display_width.h"

namespace dlctl {
namespace {

// Past this width a column is cut when the table does not fit (DuckDB's max_col_width).
constexpr size_t kCutColumnWidth = 20;
constexpr std::string_view kEllipsis = "…";
constexpr std::string_view kDot = "·";

enum class Align { kLeft, kCenter, kRight };

std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// A cell on one line: control characters would break the box.
std::string CellText(const std::optional<std::string>& value) {
  if (!value) return "NULL";
  std::string cell;
  for (char c : *value) {
    if (c == '\n')
      cell += "\\n";
    else if (c == '\r')
      cell += "\\r";
    else if (c == '\t')
      cell += "\\t";
    else
      cell += c;
  }
  return cell;
}

std::string Pad(const std::string& text, size_t width, Align align) {
  std::string fitted = TruncateToWidth(text, width);
  size_t room = width - DisplayWidth(fitted);
  size_t left = align == Align::kRight ? room : align == Align::kCenter ? room / 2 : 0;
  return std::string(left, ' ') + fitted + std::string(room - left, ' ');
}

// One drawn column: a column of the result, or the "…" standing for the ones left out.
struct DrawnColumn {
  bool ellipsis = false;
  size_t index = 0;  // into the result's columns
  size_t natural = 0;
  size_t width = 0;
};

size_t BoxWidth(const std::vector<DrawnColumn>& drawn) {
  size_t total = 1;
  for (const auto& column : drawn) total += column.width + 3;
  return total;
}

// The columns that fit in `max_width`: all of them at their natural width when they fit; else
// every column cut to kCutColumnWidth, middle columns left out until the rest fit, and the
// room left over given back to cut columns from the left.
std::vector<DrawnColumn> FitColumns(const std::vector<size_t>& natural, size_t max_width) {
  std::vector<DrawnColumn> drawn;
  for (size_t c = 0; c < natural.size(); ++c) drawn.push_back({false, c, natural[c], natural[c]});
  if (max_width == 0 || BoxWidth(drawn) <= max_width) return drawn;
  for (auto& column : drawn) column.width = std::min(column.natural, kCutColumnWidth);
  std::vector<DrawnColumn> kept = drawn;
  bool left_out = false;
  while (BoxWidth(kept) + (left_out ? 0 : 4) > max_width && kept.size() > 1) {
    kept.erase(kept.begin() + static_cast<long>(kept.size() / 2));
    left_out = true;
  }
  if (left_out) {
    // The "…" column sits where the columns were left out: after the first half of the kept ones.
    size_t at = (kept.size() + 1) / 2;
    kept.insert(kept.begin() + static_cast<long>(at), DrawnColumn{true, 0, 1, 1});
  }
  size_t total = BoxWidth(kept);
  if (total > max_width) {
    // One column left and still too wide: it gets what there is (at least one character).
    for (auto& column : kept) {
      if (column.ellipsis) continue;
      size_t cut = std::min(column.width - 1, total - max_width);
      column.width -= cut;
      total -= cut;
    }
  }
  for (auto& column : kept) {
    if (column.ellipsis || total >= max_width) continue;
    size_t more = std::min(column.natural - column.width, max_width - total);
    column.width += more;
    total += more;
  }
  return kept;
}

bool IsExplainResult(const QueryResult& result) {
  return result.columns.size() == 2 && result.columns[0] == "explain_key" && result.columns[1] == "explain_value";
}

// EXPLAIN's plans are drawn trees: printed as they are, each under a title as DuckDB's CLI does.
std::string RenderExplain(const QueryResult& result) {
  std::string out;
  for (const auto& row : result.rows) {
    std::string title = row[0].value_or("");
    for (size_t i = 0; i < title.size(); ++i) {
      if (title[i] == '_') title[i] = ' ';
      if (i == 0 || title[i - 1] == ' ') title[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[i])));
    }
    size_t inner = std::max<size_t>(DisplayWidth(title) + 4, 27);
    out += "┌" + Repeat("─", inner + 2) + "┐\n";
    out += "│┌" + Repeat("─", inner) + "┐│\n";
    out += "││" + Pad(title, inner, Align::kCenter) + "││\n";
    out += "│└" + Repeat("─", inner) + "┘│\n";
    out += "└" + Repeat("─", inner + 2) + "┘\n";
    std::string plan = row[1].value_or("");
    out += plan;
    if (!plan.empty() && plan.back() != '\n') out += "\n";
  }
  return out;
}

}  // namespace

bool IsNumericType(const std::string& type) {
  static constexpr std::string_view kNumeric[] = {"TINYINT",  "SMALLINT", "INTEGER",   "BIGINT",   "HUGEINT",
                                                  "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",  "UHUGEINT",
                                                  "FLOAT",    "DOUBLE",   "DECIMAL",   "BIGNUM",   "VARINT"};
  std::string_view base = std::string_view(type).substr(0, type.find('('));
  return std::find(std::begin(kNumeric), std::end(kNumeric), base) != std::end(kNumeric);
}

std::string TableTypeName(const std::string& type) {
  static const std::map<std::string, std::string, std::less<>> kShort = {
      {"TINYINT", "int8"},     {"SMALLINT", "int16"},   {"INTEGER", "int32"},   {"BIGINT", "int64"},
      {"HUGEINT", "int128"},   {"UTINYINT", "uint8"},   {"USMALLINT", "uint16"}, {"UINTEGER", "uint32"},
      {"UBIGINT", "uint64"},   {"UHUGEINT", "uint128"}};
  size_t simple = type.find_first_of("([");
  std::string base = type.substr(0, simple);
  std::string rest = simple == std::string::npos ? "" : type.substr(simple);
  auto found = kShort.find(base);
  std::string out = (found != kShort.end() ? found->second : base) + rest;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string RenderBoxTable(const QueryResult& result, const TableLimits& limits) {
  if (IsExplainResult(result)) return RenderExplain(result);
  const size_t columns = result.columns.size(), row_count = result.rows.size();
  bool rows_left_out = limits.max_rows > 0 && row_count > limits.max_rows;
  size_t head = rows_left_out ? (limits.max_rows + 1) / 2 : row_count;
  size_t tail = rows_left_out ? limits.max_rows / 2 : 0;

  std::vector<std::string> types;
  std::vector<std::vector<std::string>> cells;  // the drawn rows; an empty vector is the dots
  std::vector<size_t> natural(columns);
  for (size_t c = 0; c < columns; ++c) {
    types.push_back(TableTypeName(result.types[c]));
    natural[c] = std::max({DisplayWidth(result.columns[c]), DisplayWidth(types[c]), size_t{1}});
  }
  auto add_row = [&](size_t r) {
    auto& line = cells.emplace_back();
    for (size_t c = 0; c < columns; ++c) {
      line.push_back(CellText(result.rows[r][c]));
      natural[c] = std::max(natural[c], DisplayWidth(line.back()));
    }
  };
  for (size_t r = 0; r < head; ++r) add_row(r);
  if (rows_left_out) {
    for (int i = 0; i < 3; ++i) cells.emplace_back();
    for (size_t r = row_count - tail; r < row_count; ++r) add_row(r);
  }

  std::vector<DrawnColumn> drawn = FitColumns(natural, limits.max_width);
  size_t shown_columns = std::count_if(drawn.begin(), drawn.end(), [](const auto& d) { return !d.ellipsis; });
  bool columns_left_out = shown_columns < columns;

  // The footer says what was left out; the last column widens when it needs the room.
  std::vector<std::string> footer;
  if (rows_left_out || columns_left_out) {
    std::string rows_text = std::to_string(row_count) + (row_count == 1 ? " row" : " rows");
    std::string shown_text = rows_left_out ? "(" + std::to_string(limits.max_rows) + " shown)" : "";
    std::string columns_text =
        columns_left_out ? fmt::format("{} columns ({} shown)", columns, shown_columns) : std::string();
    std::string left = shown_text.empty() ? rows_text : rows_text + " " + shown_text;
    size_t inner = BoxWidth(drawn) - 4;
    if (DisplayWidth(left) + 2 + DisplayWidth(columns_text) <= inner || columns_text.empty()) {
      footer.push_back(left);
      if (!columns_text.empty()) footer.back() += std::string(inner - DisplayWidth(left) - DisplayWidth(columns_text), ' ') + columns_text;
    } else {
      footer = {left, columns_text};
    }
    if (footer.size() == 1 && columns_text.empty() && DisplayWidth(left) > inner) footer = {rows_text, shown_text};
    size_t need = 0;
    for (const auto& line : footer) need = std::max(need, DisplayWidth(line));
    if (need > inner) drawn.back().width += need - inner;
  }

  auto rule = [&](std::string_view left, std::string_view middle, std::string_view right) {
    std::string out(left);
    for (size_t d = 0; d < drawn.size(); ++d)
      out += Repeat("─", drawn[d].width + 2) + std::string(d + 1 < drawn.size() ? middle : right);
    return out + "\n";
  };
  auto line = [&](auto text_of, auto align_of) {
    std::string out = "│";
    for (const auto& column : drawn) out += " " + Pad(text_of(column), column.width, align_of(column)) + " │";
    return out + "\n";
  };
  auto or_ellipsis = [](const DrawnColumn& column, std::string text) {
    return column.ellipsis ? std::string(kEllipsis) : text;
  };
  auto centered = [](const DrawnColumn&) { return Align::kCenter; };
  auto by_type = [&](const DrawnColumn& column) {
    return column.ellipsis ? Align::kCenter : IsNumericType(result.types[column.index]) ? Align::kRight : Align::kLeft;
  };

  std::string out = rule("┌", "┬", "┐");
  out += line([&](const DrawnColumn& d) { return or_ellipsis(d, result.columns[d.index]); }, centered);
  out += line([&](const DrawnColumn& d) { return d.ellipsis ? std::string() : types[d.index]; }, centered);
  out += rule("├", "┼", "┤");
  for (const auto& row : cells) {
    if (row.empty())
      out += line([](const DrawnColumn&) { return std::string(kDot); }, by_type);
    else
      out += line([&](const DrawnColumn& d) { return or_ellipsis(d, d.ellipsis ? "" : row[d.index]); }, by_type);
  }
  if (footer.empty()) return out + rule("└", "┴", "┘");
  out += rule("├", "┴", "┤");
  size_t inner = BoxWidth(drawn) - 4;
  for (const auto& text : footer) out += "│ " + Pad(text, inner, Align::kCenter) + " │\n";
  return out + "└" + Repeat("─", inner + 2) + "┘\n";
}

}  // namespace dlctl
