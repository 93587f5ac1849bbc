#include "ingest/source_url.h"

#include <cctype>
#include <vector>

#include "util/error.h"

namespace dlctl {
namespace {

const char* kExpected =
    "expected https://www.kaggle.com/datasets/OWNER/DATASET or https://huggingface.co/datasets/OWNER/DATASET";

[[noreturn]] void Unsupported(const std::string& url, const std::string& why) {
  throw UsageError("unsupported dataset URL " + url + ": " + why + "; " + kExpected);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string PercentDecode(const std::string& url, const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    int hi = i + 2 < s.size() ? HexValue(s[i + 1]) : -1, lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) Unsupported(url, "bad %-escape in its path");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// Owner and dataset slugs of both sites: letters, digits, '-', '_', '.', never "." or "..".
bool IsSlug(const std::string& s) {
  if (s.empty() || s == "." || s == ".." || s.size() > 200) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

bool IsNumber(const std::string& s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct SplitUrl {
  std::string host;                   // lower case, without "www." and port
  std::vector<std::string> segments;  // decoded, empty ones dropped
};

SplitUrl Split(const std::string& url) {
  std::string rest;
  if (Lower(url.substr(0, 8)) == "https://") rest = url.substr(8);
  else if (Lower(url.substr(0, 7)) == "http://") rest = url.substr(7);
  else Unsupported(url, "not an http(s) URL");
  size_t end = rest.find_first_of("?#");
  if (end != std::string::npos) rest.resize(end);
  SplitUrl split;
  size_t slash = rest.find('/');
  split.host = Lower(rest.substr(0, slash));
  if (split.host.rfind("www.", 0) == 0) split.host = split.host.substr(4);
  if (split.host.find('@') != std::string::npos) Unsupported(url, "credentials do not belong in the URL");
  std::string path = slash == std::string::npos ? "" : rest.substr(slash + 1);
  size_t start = 0;
  while (start <= path.size()) {
    size_t next = path.find('/', start);
    if (next == std::string::npos) next = path.size();
    if (next > start) split.segments.push_back(PercentDecode(url, path.substr(start, next - start)));
    start = next + 1;
  }
  return split;
}

SourceRef ParseKaggle(const std::string& url, const std::vector<std::string>& s) {
  if (s.size() < 3 || s[0] != "datasets") Unsupported(url, "a Kaggle URL must name a dataset");
  SourceRef ref{SourceKind::kKaggle, s[1], s[2], "", "", false};
  if (!IsSlug(ref.owner) || !IsSlug(ref.dataset)) Unsupported(url, "bad owner or dataset name");
  for (size_t i = 3; i < s.size(); ++i) {
    if (s[i] == "versions" && i + 1 < s.size() && IsNumber(s[i + 1])) {
      ref.revision = s[++i];
    } else if (s[i] != "data" && s[i] != "code" && s[i] != "discussion" && s[i] != "suggestions") {
      Unsupported(url, "unexpected '" + s[i] + "' after the dataset name");
    }
  }
  return ref;
}

SourceRef ParseHuggingFace(const std::string& url, const std::vector<std::string>& s) {
  if (s.size() < 3 || s[0] != "datasets") Unsupported(url, "a Hugging Face URL must name a dataset repo");
  SourceRef ref{SourceKind::kHuggingFace, s[1], s[2], "", "", false};
  if (!IsSlug(ref.owner) || !IsSlug(ref.dataset)) Unsupported(url, "bad owner or dataset name");
  if (s.size() == 3 || s[3] == "viewer" || s[3] == "discussions") return ref;
  const std::string& view = s[3];
  if (view != "tree" && view != "blob" && view != "resolve" && view != "raw")
    Unsupported(url, "unexpected '" + view + "' after the dataset name");
  if (s.size() < 5) Unsupported(url, "'" + view + "' without a revision");
  ref.revision = s[4];
  ref.path_is_file = view != "tree" && s.size() > 5;
  for (size_t i = 5; i < s.size(); ++i) {
    if (s[i] == "." || s[i] == "..") Unsupported(url, "'.' or '..' in its path");
    ref.path += (ref.path.empty() ? "" : "/") + s[i];
  }
  return ref;
}

}  // namespace

SourceRef ParseSourceUrl(const std::string& url) {
  for (char c : url)
    if (static_cast<unsigned char>(c) <= ' ') Unsupported(url, "spaces or control characters in it");
  SplitUrl split = Split(url);
  if (split.host == "kaggle.com") return ParseKaggle(url, split.segments);
  if (split.host == "huggingface.co" || split.host == "hf.co") return ParseHuggingFace(url, split.segments);
  Unsupported(url, "unknown host '" + split.host + "'");
}

std::string Describe(const SourceRef& ref) {
  std::string site = ref.kind == SourceKind::kKaggle ? "kaggle.com" : "huggingface.co";
  return site + "/datasets/" + ref.owner + "/" + ref.dataset;
}

}  // namespace dlctl
