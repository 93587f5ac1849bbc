#include "util/slug.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>

#include "util/error.h"

namespace dlctl {
namespace {

std::string FoldToAscii(const std::string& utf8) {
  static std::once_flag once;
  static std::unique_ptr<icu::Transliterator> folder;
  static std::mutex mutex;
  std::call_once(once, [] {
    UErrorCode status = U_ZERO_ERROR;
    folder.reset(icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) folder.reset();
  });
  if (!folder) throw Error("cannot load ICU's Latin-ASCII transliterator");
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
  {
    std::lock_guard<std::mutex> lock(mutex);  // Transliterator::transliterate is not thread-safe
    folder->transliterate(text);
  }
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace

std::string SnakeCase(const std::string& name) {
  std::string folded = FoldToAscii(name);
  std::string out;
  bool pending_separator = false;
  for (unsigned char c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (pending_separator && !out.empty()) out += '_';
      pending_separator = false;
      out += static_cast<char>(c);
    } else {
      pending_separator = true;
    }
  }
  if (out.empty()) throw UsageError("name '" + name + "' has no letters or digits to build a dataset name from");
  return out;
}

}  // namespace dlctl
