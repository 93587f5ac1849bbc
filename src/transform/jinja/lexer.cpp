#include "transform/jinja/lexer.h"

#include <fmt/format.h>

#include <cstdlib>

#include "transform/jinja/error.h"

namespace dlctl::jinja {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c); }

std::string_view LeftStrip(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return s;
}

std::string_view RightStrip(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

void AppendUtf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xc0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3f));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xe0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code_point & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code_point & 0x3f));
  }
}

// Two-character operators first, so "//" is not read as two "/".
constexpr std::string_view kTwoCharOperators[] = {"//", "**", "==", "!=", ">=", "<="};
constexpr std::string_view kOneCharOperators = "+-*/%~<>=.,:|()[]{}";

class Lexer {
 public:
  Lexer(std::string_view source, const std::string& file) : source_(source), file_(file) {}

  std::vector<Token> Run() {
    while (position_ < source_.size()) {
      size_t tag = FindTagStart(position_);
      bool strip_before = tag != std::string_view::npos && tag + 2 < source_.size() && source_[tag + 2] == '-';
      size_t data_end = tag == std::string_view::npos ? source_.size() : tag;
      EmitData(source_.substr(position_, data_end - position_), strip_before);
      AdvanceTo(data_end);
      if (tag == std::string_view::npos) break;
      char type = source_[tag + 1];
      int tag_line = line_;
      AdvanceTo(tag + 2);
      if (position_ < source_.size() && (source_[position_] == '-' || source_[position_] == '+')) ++position_;
      if (type == '#') {
        LexComment(tag_line);
      } else if (type == '%') {
        if (!TryLexRaw(tag_line)) LexTag(TokenKind::kBlockBegin, TokenKind::kBlockEnd, "%}", tag_line);
      } else {
        LexTag(TokenKind::kVariableBegin, TokenKind::kVariableEnd, "}}", tag_line);
      }
    }
    tokens_.push_back(Token{TokenKind::kEnd, line_, {}, {}, 0, 0});
    return std::move(tokens_);
  }

 private:
  [[noreturn]] void Fail(int line, const std::string& message) { throw TemplateError(file_, line, message); }

  size_t FindTagStart(size_t from) const {
    for (size_t i = source_.find('{', from); i != std::string_view::npos; i = source_.find('{', i + 1)) {
      if (i + 1 < source_.size() && (source_[i + 1] == '{' || source_[i + 1] == '%' || source_[i + 1] == '#')) {
        return i;
      }
    }
    return std::string_view::npos;
  }

  void AdvanceTo(size_t target) {
    for (; position_ < target; ++position_) {
      if (source_[position_] == '\n') ++line_;
    }
  }

  void EmitData(std::string_view data, bool strip_end) {
    int line = line_;
    if (strip_next_data_) data = LeftStrip(data);
    strip_next_data_ = false;
    if (strip_end) data = RightStrip(data);
    if (!data.empty()) tokens_.push_back(Token{TokenKind::kData, line, data, {}, 0, 0});
  }

  void LexComment(int tag_line) {
    size_t end = source_.find("#}", position_);
    if (end == std::string_view::npos) Fail(tag_line, "unclosed comment: '{#' without '#}'");
    strip_next_data_ = end > position_ && source_[end - 1] == '-';
    AdvanceTo(end + 2);
  }

  // Reads "ws* name ws*" at `at`; returns where it ends, or npos when the word is not there.
  size_t MatchWord(size_t at, std::string_view word) const {
    while (at < source_.size() && IsSpace(source_[at])) ++at;
    if (source_.substr(at, word.size()) != word) return std::string_view::npos;
    at += word.size();
    if (at < source_.size() && IsNameChar(source_[at])) return std::string_view::npos;
    while (at < source_.size() && IsSpace(source_[at])) ++at;
    return at;
  }

  // "-%}" or "%}" at `at`: returns its end, and whether it asks to strip.
  size_t MatchBlockEnd(size_t at, bool* strip) const {
    *strip = source_.substr(at, 3) == "-%}";
    if (*strip) return at + 3;
    return source_.substr(at, 2) == "%}" ? at + 2 : std::string_view::npos;
  }

  bool TryLexRaw(int tag_line) {
    size_t after_word = MatchWord(position_, "raw");
    if (after_word == std::string_view::npos) return false;
    bool strip_content_start = false;
    size_t content_start = MatchBlockEnd(after_word, &strip_content_start);
    if (content_start == std::string_view::npos) return false;
    for (size_t i = source_.find("{%", content_start); i != std::string_view::npos; i = source_.find("{%", i + 2)) {
      size_t at = i + 2;
      bool strip_content_end = at < source_.size() && source_[at] == '-';
      if (strip_content_end) ++at;
      size_t after_endraw = MatchWord(at, "endraw");
      if (after_endraw == std::string_view::npos) continue;
      bool strip_after = false;
      size_t end = MatchBlockEnd(after_endraw, &strip_after);
      if (end == std::string_view::npos) continue;
      std::string_view content = source_.substr(content_start, i - content_start);
      if (strip_content_start) content = LeftStrip(content);
      if (strip_content_end) content = RightStrip(content);
      if (!content.empty()) tokens_.push_back(Token{TokenKind::kData, tag_line, content, {}, 0, 0});
      AdvanceTo(end);
      strip_next_data_ = strip_after;
      return true;
    }
    Fail(tag_line, "unclosed '{% raw %}' block: expected '{% endraw %}' before the end of the template");
  }

  void LexTag(TokenKind begin, TokenKind end_kind, std::string_view end, int tag_line) {
    tokens_.push_back(Token{begin, tag_line, {}, {}, 0, 0});
    std::string open_brackets;  // the closers expected: "}}" inside {'a': {'b': 1}} does not end the tag
    for (;;) {
      while (position_ < source_.size() && IsSpace(source_[position_])) AdvanceTo(position_ + 1);
      if (position_ >= source_.size()) {
        Fail(tag_line, fmt::format("unclosed tag: '{}' without '{}'", end == "}}" ? "{{" : "{%", end));
      }
      if (open_brackets.empty()) {
        if (source_[position_] == '-' && source_.substr(position_ + 1, 2) == end) {
          tokens_.push_back(Token{end_kind, line_, {}, {}, 0, 0});
          position_ += 3;
          strip_next_data_ = true;
          return;
        }
        if (source_.substr(position_, 2) == end) {
          tokens_.push_back(Token{end_kind, line_, {}, {}, 0, 0});
          position_ += 2;
          return;
        }
      }
      char c = source_[position_];
      if (IsNameStart(c)) {
        size_t start = position_;
        while (position_ < source_.size() && IsNameChar(source_[position_])) ++position_;
        tokens_.push_back(Token{TokenKind::kName, line_, source_.substr(start, position_ - start), {}, 0, 0});
      } else if (IsDigit(c)) {
        LexNumber();
      } else if (c == '\'' || c == '"') {
        LexString(c);
      } else {
        LexOperator(c, open_brackets);
      }
    }
  }

  void LexNumber() {
    size_t start = position_;
    std::string digits;
    auto read_digits = [&] {
      while (position_ < source_.size() && (IsDigit(source_[position_]) || source_[position_] == '_')) {
        if (source_[position_] != '_') digits += source_[position_];
        ++position_;
      }
    };
    read_digits();
    bool is_float = false;
    if (position_ + 1 < source_.size() && source_[position_] == '.' && IsDigit(source_[position_ + 1])) {
      is_float = true;
      digits += '.';
      ++position_;
      read_digits();
    }
    if (position_ < source_.size() && (source_[position_] == 'e' || source_[position_] == 'E')) {
      size_t at = position_ + 1;
      if (at < source_.size() && (source_[at] == '+' || source_[at] == '-')) ++at;
      if (at < source_.size() && IsDigit(source_[at])) {
        is_float = true;
        digits += 'e';
        digits.append(source_.substr(position_ + 1, at - position_ - 1));
        position_ = at;
        read_digits();
      }
    }
    Token token{is_float ? TokenKind::kFloat : TokenKind::kInteger, line_, source_.substr(start, position_ - start),
                {}, 0, 0};
    if (is_float) {
      token.float_value = std::strtod(digits.c_str(), nullptr);
    } else {
      token.int_value = std::strtoll(digits.c_str(), nullptr, 10);
    }
    tokens_.push_back(std::move(token));
  }

  void LexString(char quote) {
    int start_line = line_;
    size_t start = position_++;
    std::string value;
    for (;;) {
      if (position_ >= source_.size()) Fail(start_line, "unterminated string literal");
      char c = source_[position_];
      if (c == quote) {
        ++position_;
        break;
      }
      if (c == '\n') ++line_;
      if (c != '\\' || position_ + 1 >= source_.size()) {
        value += c;
        ++position_;
        continue;
      }
      char escaped = source_[position_ + 1];
      position_ += 2;
      switch (escaped) {
        case 'n': value += '\n'; break;
        case 't': value += '\t'; break;
        case 'r': value += '\r'; break;
        case '0': value += '\0'; break;
        case '\\': value += '\\'; break;
        case '\'': value += '\''; break;
        case '"': value += '"'; break;
        case '\n': ++line_; break;  // a backslash-newline continues the line
        case 'x':
        case 'u':
        case 'U': {
          size_t width = escaped == 'x' ? 2 : escaped == 'u' ? 4 : 8;
          std::string hex(source_.substr(position_, width));
          char* parsed_end = nullptr;
          unsigned long code_point = std::strtoul(hex.c_str(), &parsed_end, 16);
          if (hex.size() != width || parsed_end != hex.c_str() + width) {
            Fail(line_, fmt::format("invalid \\{} escape in a string literal", escaped));
          }
          AppendUtf8(value, static_cast<uint32_t>(code_point));
          position_ += width;
          break;
        }
        default:  // Python keeps unknown escapes as written
          value += '\\';
          value += escaped;
      }
    }
    Token token{TokenKind::kString, start_line, source_.substr(start, position_ - start), std::move(value), 0, 0};
    tokens_.push_back(std::move(token));
  }

  void LexOperator(char c, std::string& open_brackets) {
    for (std::string_view op : kTwoCharOperators) {
      if (source_.substr(position_, 2) == op) {
        tokens_.push_back(Token{TokenKind::kOperator, line_, source_.substr(position_, 2), {}, 0, 0});
        position_ += 2;
        return;
      }
    }
    if (kOneCharOperators.find(c) == std::string_view::npos) Fail(line_, fmt::format("unexpected character '{}'", c));
    if (c == '(' || c == '[' || c == '{') open_brackets += c == '(' ? ')' : c == '[' ? ']' : '}';
    if (c == ')' || c == ']' || c == '}') {
      if (open_brackets.empty()) Fail(line_, fmt::format("unexpected '{}'", c));
      if (open_brackets.back() != c) Fail(line_, fmt::format("unexpected '{}', expected '{}'", c, open_brackets.back()));
      open_brackets.pop_back();
    }
    tokens_.push_back(Token{TokenKind::kOperator, line_, source_.substr(position_, 1), {}, 0, 0});
    ++position_;
  }

  std::string_view source_;
  const std::string& file_;
  size_t position_ = 0;
  int line_ = 1;
  bool strip_next_data_ = false;
  std::vector<Token> tokens_;
};

}  // namespace

std::string NormalizeSource(std::string_view source) {
  std::string out;
  out.reserve(source.size());
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\r') {
      out += '\n';
      if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
    } else {
      out += source[i];
    }
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::vector<Token> Tokenize(std::string_view source, const std::string& file) { return Lexer(source, file).Run(); }

std::string Describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::kData:
      return "text";
    case TokenKind::kVariableBegin:
      return "'{{'";
    case TokenKind::kVariableEnd:
      return "'}}'";
    case TokenKind::kBlockBegin:
      return "'{%'";
    case TokenKind::kBlockEnd:
      return "'%}'";
    case TokenKind::kName:
      return fmt::format("name '{}'", token.text);
    case TokenKind::kString:
      return fmt::format("string {}", token.text);
    case TokenKind::kEnd:
      return "end of template";
    default:
      return fmt::format("'{}'", token.text);
  }
}

}  // namespace dlctl::jinja
