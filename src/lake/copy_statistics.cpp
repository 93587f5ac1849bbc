#include "lake/copy_statistics.h"

#include "util/error.h"

namespace dlctl::lake {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  CopyStatistics Statistics() {
    CopyStatistics result;
    Expect('{');
    while (!Consume('}')) {
      if (!result.empty()) Separator();
      std::string column = Scalar("=");
      Expect('=');
      auto& stats = result[column];
      Expect('{');
      while (!Consume('}')) {
        if (!stats.empty()) Separator();
        std::string name = Scalar("=");
        Expect('=');
        stats[name] = Scalar(",}");
      }
    }
    if (pos_ != text_.size()) Fail("text after the map");
    return result;
  }

 private:
  // A quoted text, or a bare one running up to one of `stops`.
  std::string Scalar(std::string_view stops) {
    std::string value;
    if (pos_ < text_.size() && text_[pos_] == '\'') {
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) Fail("an unterminated quote");
        char c = text_[pos_++];
        if (c == '\'') break;
        if (c == '\\') {
          if (pos_ >= text_.size()) Fail("a dangling escape");
          c = text_[pos_++];
        }
        value += c;
      }
      return value;
    }
    while (pos_ < text_.size() && stops.find(text_[pos_]) == std::string_view::npos) value += text_[pos_++];
    return value;
  }

  void Separator() {
    Expect(',');
    Expect(' ');
  }
  void Expect(char c) {
    if (!Consume(c)) Fail(std::string("'") + c + "' expected");
  }
  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  [[noreturn]] void Fail(const std::string& what) const {
    throw Error("cannot read the statistics DuckDB returned for a written file (" + what + " at offset " +
                std::to_string(pos_) + ")");
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

CopyStatistics ParseCopyStatistics(std::string_view rendered) { return Parser(rendered).Statistics(); }

}  // namespace dlctl::lake
