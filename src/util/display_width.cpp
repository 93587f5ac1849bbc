#include "util/display_width.h"

#include <locale.h>
#include <wchar.h>

namespace dlctl {
namespace {

constexpr std::string_view kEllipsis = "…";

// The next code point of `text` at `at` and its byte length; invalid bytes count as one
// replacement character each.
char32_t NextCodePoint(std::string_view text, size_t at, size_t& length) {
  unsigned char lead = static_cast<unsigned char>(text[at]);
  size_t need = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (need == 0 || at + need > text.size()) {
    length = 1;
    return 0xFFFD;
  }
  char32_t point = need == 1 ? lead : lead & (0x7F >> need);
  for (size_t i = 1; i < need; ++i) {
    unsigned char next = static_cast<unsigned char>(text[at + i]);
    if ((next & 0xC0) != 0x80) {
      length = 1;
      return 0xFFFD;
    }
    point = (point << 6) | (next & 0x3F);
  }
  length = need;
  return point;
}

// wcwidth answers for the calling thread's locale: C.UTF-8 knows every character's width.
int CodePointWidth(char32_t point) {
  if (point < 0x7F) return point >= 0x20 ? 1 : 0;
  static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  if (!utf8) return 1;
  locale_t previous = uselocale(utf8);
  int width = wcwidth(static_cast<wchar_t>(point));
  uselocale(previous);
  return width < 0 ? 1 : width;
}

}  // namespace

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (size_t at = 0, length = 0; at < text.size(); at += length) width += CodePointWidth(NextCodePoint(text, at, length));
  return width;
}

std::string TruncateToWidth(std::string_view text, size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width == 0) return "";
  size_t used = 0, at = 0;
  for (size_t length = 0; at < text.size(); at += length) {
    int next = CodePointWidth(NextCodePoint(text, at, length));
    if (used + next > width - 1) break;
    used += next;
  }
  return std::string(text.substr(0, at)) + std::string(kEllipsis);
}

}  // namespace dlctl
