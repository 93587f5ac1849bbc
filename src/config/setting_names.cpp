#include "config/setting_names.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace dlctl {
namespace {

const std::vector<std::string> kFixedNames = {
    "LOCAL_DIR", "ENGINE_DB", "STAGE_DB",
    "S3_ENDPOINT", "S3_USE_SSL", "S3_URL_STYLE", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY",
    "S3_RETRY_BUDGET", "LOCK_WAIT_SECONDS",
    "S3_BUCKET", "S3_INGEST_PREFIX", "S3_STAGE_PREFIX", "S3_EXPORTS_PREFIX", "S3_BACKUPS_PREFIX",
    "PSQL_CATALOG_HOST", "PSQL_CATALOG_PORT", "PSQL_CATALOG_DB", "PSQL_CATALOG_USER", "PSQL_CATALOG_PASSWORD",
    "PSQL_CATALOG_STAGE_SCHEMA",
    "KAGGLE_API_ENDPOINT", "KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_API_TOKEN", "KAGGLE_CONFIG_DIR",
    "HF_ENDPOINT", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HOME", "INGEST_CACHE_DIR",
    "DBT_PROJECT_DIR", "DBT_PROFILES_DIR",
};

// Prefixes only dlctl's settings use (KAGGLE_ and HF_ belong to those tools, which read more).
const std::vector<std::string> kOwnPrefixes = {"S3_", "PSQL_CATALOG_"};

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The X of a family member, when `name` is one and X is not empty.
std::optional<std::string> MartOf(const std::string& name) {
  auto middle = [&](size_t prefix, size_t suffix) -> std::optional<std::string> {
    if (name.size() <= prefix + suffix) return std::nullopt;
    return name.substr(prefix, name.size() - prefix - suffix);
  };
  if (StartsWith(name, "S3_") && EndsWith(name, "_MART_PREFIX")) return middle(3, 12);
  if (StartsWith(name, "PSQL_CATALOG_") && EndsWith(name, "_MART_SCHEMA")) return middle(13, 12);
  if (EndsWith(name, "_MART_DB")) return middle(0, 8);
  return std::nullopt;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours each cost one.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::set<std::string> Words(const std::string& name) {
  std::set<std::string> words;
  size_t start = 0;
  for (size_t end; (end = name.find('_', start)) != std::string::npos; start = end + 1)
    if (end > start) words.insert(name.substr(start, end - start));
  if (start < name.size()) words.insert(name.substr(start));
  return words;
}

size_t SharedWords(const std::string& a, const std::string& b) {
  std::set<std::string> in_b = Words(b);
  size_t shared = 0;
  for (const std::string& word : Words(a)) shared += in_b.count(word);
  return shared;
}

}  // namespace

bool IsKnownSetting(const std::string& name) {
  if (std::find(kFixedNames.begin(), kFixedNames.end(), name) != kFixedNames.end()) return true;
  if (EndsWith(name, "_GRAPH_DB") && name.size() > 9) return true;
  return MartOf(name).has_value();
}

std::optional<std::string> ClosestSetting(const std::string& name, const std::vector<std::string>& names_in_file) {
  std::set<std::string> candidates(kFixedNames.begin(), kFixedNames.end());
  std::set<std::string> marts = {"GRAPHS"};
  for (const std::string& other : names_in_file)
    if (auto mart = MartOf(other)) marts.insert(*mart);
  for (const std::string& mart : marts)
    for (const std::string& member : {mart + "_MART_DB", "S3_" + mart + "_MART_PREFIX", "PSQL_CATALOG_" + mart + "_MART_SCHEMA"})
      candidates.insert(member);

  std::string upper = Upper(name);
  // Cut short ("PSQL_CATALOG_PASS"): the shortest setting it begins, when it is most of it.
  std::optional<std::string> cut_short;
  for (const std::string& candidate : candidates)
    if (StartsWith(candidate, upper) && upper.size() * 4 >= candidate.size() * 3 &&
        (!cut_short || candidate.size() < cut_short->size()))
      cut_short = candidate;
  if (cut_short) return cut_short;
  std::optional<std::string> best;
  size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    size_t distance = EditDistance(upper, candidate);
    if (!best || distance < best_distance) best = candidate, best_distance = distance;
  }
  // A typo: a few letters off (about one in four), or the same name in another case.
  if (best && best_distance <= std::max<size_t>(2, name.size() / 4)) return best;
  // One of ours by its prefix: the setting sharing most of its words, then the nearest.
  for (const std::string& prefix : kOwnPrefixes) {
    if (!StartsWith(upper, prefix)) continue;
    std::optional<std::string> closest;
    std::pair<size_t, size_t> closest_score;  // (words not shared, distance)
    for (const std::string& candidate : candidates) {
      if (!StartsWith(candidate, prefix)) continue;
      std::pair<size_t, size_t> score{Words(upper).size() - SharedWords(upper, candidate), EditDistance(upper, candidate)};
      if (!closest || score < closest_score) closest = candidate, closest_score = score;
    }
    return closest;
  }
  return std::nullopt;
}

const std::vector<std::string>& SecretSettings() {
  static const std::vector<std::string> names = {"S3_SECRET_ACCESS_KEY", "PSQL_CATALOG_PASSWORD", "KAGGLE_KEY",
                                                 "KAGGLE_API_TOKEN", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"};
  return names;
}

}  // namespace dlctl
