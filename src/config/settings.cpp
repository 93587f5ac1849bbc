#include "config/settings.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <set>

#include "config/setting_names.h"
#include "util/error.h"
#include "util/secret_mask.h"

extern char** environ;

namespace dlctl {
namespace {

namespace fs = std::filesystem;

// The original's defaults (its .env.example values), minus the MinIO credentials:
// without S3 settings dlctl uses the embedded local bucket.
const EnvEntries kDefaults = {
    {"S3_BUCKET", "lakehouse"},
    {"S3_INGEST_PREFIX", "raw"},
    {"S3_STAGE_PREFIX", "stage"},
    {"S3_GRAPHS_MART_PREFIX", "marts/graphs"},
    {"S3_EXPORTS_PREFIX", "exports"},
    {"S3_BACKUPS_PREFIX", "backups"},
    {"ENGINE_DB", "engine.duckdb"},
    {"STAGE_DB", "stage.sqlite"},
    {"GRAPHS_MART_DB", "marts/graphs.sqlite"},
    {"MUSIC_TASTE_GRAPH_DB", "graphs/music_taste"},
    {"KAGGLE_API_ENDPOINT", "https://www.kaggle.com"},
    {"HF_ENDPOINT", "https://huggingface.co"},
    {"INGEST_CACHE_DIR", "cache/ingest"},
    {"LOCK_WAIT_SECONDS", "120"},
};

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Keeps variables in first-seen order so discovered marts follow .env order.
class Variables {
 public:
  void Set(const std::string& name, const std::string& value) {
    if (!values_.count(name)) order_.push_back(name);
    values_[name] = value;
  }
  std::string Get(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? "" : it->second;
  }
  bool Has(const std::string& name) const { return !Get(name).empty(); }
  const std::vector<std::string>& order() const { return order_; }
  const std::map<std::string, std::string>& map() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> order_;
};

bool ParseBool(const Variables& vars, const std::string& name, bool fallback) {
  if (!vars.Has(name)) return fallback;
  std::string v = Lower(vars.Get(name));
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  throw UsageError(name + " must be true or false (got '" + vars.Get(name) + "')");
}

// A duration in seconds, 0 to `max`, with decimals ("2.5"); returned as double seconds.
double Seconds(const Variables& vars, const std::string& name, double max) {
  std::string text = vars.Get(name);
  double seconds = -1;
  size_t used = 0;
  try {
    seconds = std::stod(text, &used);
  } catch (const std::exception&) {
  }
  if (used != text.size() || !(seconds >= 0 && seconds <= max))
    throw UsageError(fmt::format("{} must be a number of seconds from 0 to {} (got '{}')", name, max, text));
  return seconds;
}

// A bucket prefix: no leading/trailing '/', no empty or '.'/'..' segments.
std::string Prefix(const Variables& vars, const std::string& name) {
  std::string v = vars.Get(name);
  while (!v.empty() && v.front() == '/') v.erase(v.begin());
  while (!v.empty() && v.back() == '/') v.pop_back();
  if (v.empty()) throw UsageError(name + " must not be empty");
  size_t start = 0;
  while (start <= v.size()) {
    size_t end = v.find('/', start);
    if (end == std::string::npos) end = v.size();
    std::string segment = v.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..")
      throw UsageError(name + " must be a plain bucket prefix like 'marts/graphs' (got '" + vars.Get(name) + "')");
    start = end + 1;
  }
  return v;
}

// A file under local_dir given as a relative path without '..'.
fs::path LocalFile(const Variables& vars, const std::string& name, const fs::path& local_dir) {
  std::string v = vars.Get(name);
  fs::path p(v);
  if (v.empty()) throw UsageError(name + " must not be empty");
  if (p.is_absolute()) return p.lexically_normal();
  for (const auto& part : p)
    if (part == "..") throw UsageError(name + " must stay inside LOCAL_DIR (got '" + v + "')");
  return (local_dir / p).lexically_normal();
}

void ValidateBucket(const std::string& bucket) {
  bool ok = bucket.size() >= 3 && bucket.size() <= 63;
  for (char c : bucket)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.');
  ok = ok && std::isalnum(static_cast<unsigned char>(bucket.front())) &&
       std::isalnum(static_cast<unsigned char>(bucket.back()));
  if (!ok)
    throw UsageError("S3_BUCKET must be a valid bucket name: 3-63 lower-case letters, digits, '-' or '.' (got '" +
                     bucket + "')");
}

std::optional<S3Settings> BuildS3(const Variables& vars) {
  bool any = vars.Has("S3_ENDPOINT") || vars.Has("S3_ACCESS_KEY_ID") || vars.Has("S3_SECRET_ACCESS_KEY");
  if (!any) return std::nullopt;
  S3Settings s3;
  if (!vars.Has("S3_ACCESS_KEY_ID")) throw UsageError("S3_ACCESS_KEY_ID is not set (needed to use S3)");
  if (!vars.Has("S3_SECRET_ACCESS_KEY")) throw UsageError("S3_SECRET_ACCESS_KEY is not set (needed to use S3)");
  s3.access_key_id = vars.Get("S3_ACCESS_KEY_ID");
  s3.secret_access_key = vars.Get("S3_SECRET_ACCESS_KEY");
  s3.region = vars.Has("S3_REGION") ? vars.Get("S3_REGION") : "us-east-1";
  for (char c : s3.region)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-'))
      throw UsageError("S3_REGION must look like 'eu-west-1' (got '" + s3.region + "')");
  s3.use_ssl = ParseBool(vars, "S3_USE_SSL", true);
  std::string endpoint = vars.Get("S3_ENDPOINT");
  if (endpoint.rfind("http://", 0) == 0) {
    s3.use_ssl = false, endpoint = endpoint.substr(7);
  } else if (endpoint.rfind("https://", 0) == 0) {
    s3.use_ssl = true, endpoint = endpoint.substr(8);
  }
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  if (endpoint.find('/') != std::string::npos || endpoint.find_first_of(" \t@") != std::string::npos)
    throw UsageError("S3_ENDPOINT must be host[:port], optionally with http:// or https:// (got '" +
                     vars.Get("S3_ENDPOINT") + "')");
  bool aws = endpoint.empty();
  s3.endpoint = aws ? "s3." + s3.region + ".amazonaws.com" : endpoint;
  std::string style = Lower(vars.Get("S3_URL_STYLE"));
  if (style.empty()) style = aws ? "vhost" : "path";
  if (style != "path" && style != "vhost")
    throw UsageError("S3_URL_STYLE must be 'path' or 'vhost' (got '" + vars.Get("S3_URL_STYLE") + "')");
  s3.path_style = style == "path";
  if (vars.Has("S3_RETRY_BUDGET"))
    s3.retry_budget_ms = static_cast<int>(std::lround(Seconds(vars, "S3_RETRY_BUDGET", 3600) * 1000));
  return s3;
}

// Catalog name from its db file: the stem ("marts/graphs.sqlite" -> "graphs").
std::string CatalogName(const std::string& variable, const fs::path& db_path) {
  std::string name = db_path.stem().string();
  bool ok = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ok)
    throw UsageError(variable + " must name a file whose stem is a valid catalog name (got '" +
                     db_path.filename().string() + "')");
  return name;
}

bool PrefixContains(const std::string& outer, const std::string& inner) {
  return inner == outer || inner.rfind(outer + "/", 0) == 0;
}

void DiscoverCatalogs(const Variables& vars, Settings& settings) {
  CatalogSettings stage;
  stage.db_variable = "STAGE_DB";
  stage.prefix_variable = "S3_STAGE_PREFIX";
  stage.db_path = LocalFile(vars, "STAGE_DB", settings.local_dir);
  stage.name = CatalogName("STAGE_DB", stage.db_path);
  stage.data_prefix = settings.stage_prefix;
  settings.catalogs.push_back(stage);

  // X_MART_DB <-> S3_X_MART_PREFIX, in variable order; either side alone is an error
  // naming the missing one, so a typo never silently drops a mart.
  std::set<std::string> marts;
  for (const auto& name : vars.order()) {
    if (EndsWith(name, "_MART_DB") && vars.Has(name)) marts.insert(name.substr(0, name.size() - 3));
    if (name.rfind("S3_", 0) == 0 && EndsWith(name, "_MART_PREFIX") && vars.Has(name))
      marts.insert(name.substr(3, name.size() - 3 - 7));
  }
  for (const auto& name : vars.order()) {
    std::string mart;
    if (EndsWith(name, "_MART_DB")) mart = name.substr(0, name.size() - 3);
    else if (name.rfind("S3_", 0) == 0 && EndsWith(name, "_MART_PREFIX")) mart = name.substr(3, name.size() - 10);
    if (mart.empty() || !marts.count(mart)) continue;
    marts.erase(mart);
    CatalogSettings c;
    c.is_mart = true;
    c.db_variable = mart + "_DB";
    c.prefix_variable = "S3_" + mart + "_PREFIX";
    if (!vars.Has(c.db_variable)) throw UsageError(c.db_variable + " is not set (needed by " + c.prefix_variable + ")");
    if (!vars.Has(c.prefix_variable))
      throw UsageError(c.prefix_variable + " is not set (needed by " + c.db_variable + ")");
    c.db_path = LocalFile(vars, c.db_variable, settings.local_dir);
    c.name = CatalogName(c.db_variable, c.db_path);
    c.data_prefix = Prefix(vars, c.prefix_variable);
    settings.catalogs.push_back(c);
  }

  for (size_t i = 0; i < settings.catalogs.size(); ++i) {
    for (size_t j = 0; j < settings.catalogs.size(); ++j) {
      if (i == j) continue;
      const auto &a = settings.catalogs[i], &b = settings.catalogs[j];
      if (i < j && a.name == b.name)
        throw UsageError(b.db_variable + " gives catalog name '" + b.name + "', already used by " + a.db_variable);
      if (i < j && a.db_path == b.db_path) throw UsageError(b.db_variable + " uses the same file as " + a.db_variable);
      if (PrefixContains(a.data_prefix, b.data_prefix))
        throw UsageError(b.prefix_variable + " ('" + b.data_prefix + "') lies inside " + a.prefix_variable + " ('" +
                         a.data_prefix + "'): catalogs need their own prefixes");
    }
  }
}

// A PostgreSQL schema name: letters, digits and '_', not starting with a digit, so it reads the
// same quoted or not.
std::string SchemaName(const Variables& vars, const std::string& variable) {
  std::string v = vars.Get(variable);
  bool ok = !v.empty() && v.size() <= 63 && !std::isdigit(static_cast<unsigned char>(v[0]));
  for (char c : v) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ok) throw UsageError(variable + " must be a PostgreSQL schema name of letters, digits and '_' (got '" + v + "')");
  return v;
}

// PSQL_CATALOG_STAGE_SCHEMA and PSQL_CATALOG_<X>_MART_SCHEMA move a catalog's metadata to
// PostgreSQL; the server comes from PSQL_CATALOG_HOST/PORT/DB/USER/PASSWORD (each optional).
void DiscoverPostgres(const Variables& vars, Settings& settings) {
  const std::string prefix = "PSQL_CATALOG_";
  for (auto& c : settings.catalogs) {
    c.schema_variable = prefix + (c.is_mart ? c.db_variable.substr(0, c.db_variable.size() - 3) : "STAGE") + "_SCHEMA";
    if (vars.Has(c.schema_variable)) c.postgres_schema = SchemaName(vars, c.schema_variable);
  }
  for (const auto& name : vars.order()) {
    if (name.rfind(prefix, 0) != 0 || !EndsWith(name, "_MART_SCHEMA") || !vars.Has(name)) continue;
    bool known = false;
    for (const auto& c : settings.catalogs) known = known || c.schema_variable == name;
    if (!known)
      throw UsageError(name + " names no mart (S3_" + name.substr(prefix.size(), name.size() - prefix.size() - 7) +
                       "_PREFIX is not set)");
  }
  for (size_t i = 0; i < settings.catalogs.size(); ++i)
    for (size_t j = i + 1; j < settings.catalogs.size(); ++j) {
      const auto &a = settings.catalogs[i], &b = settings.catalogs[j];
      if (a.postgres_schema && a.postgres_schema == b.postgres_schema)
        throw UsageError(b.schema_variable + " uses the same schema as " + a.schema_variable);
    }

  bool any = false;
  for (const auto& c : settings.catalogs) any = any || c.postgres_schema.has_value();
  for (const char* v : {"HOST", "PORT", "DB", "USER", "PASSWORD"}) any = any || vars.Has(prefix + v);
  if (!any) return;
  PostgresSettings pg;
  pg.host = vars.Get(prefix + "HOST");
  pg.port = vars.Get(prefix + "PORT");
  pg.database = vars.Get(prefix + "DB");
  pg.user = vars.Get(prefix + "USER");
  pg.password = vars.Get(prefix + "PASSWORD");
  bool port_ok = pg.port.size() <= 5;
  for (char c : pg.port) port_ok = port_ok && std::isdigit(static_cast<unsigned char>(c));
  if (!port_ok) throw UsageError("PSQL_CATALOG_PORT must be a port number (got '" + pg.port + "')");
  settings.postgres = pg;
}

void DiscoverGraphs(const Variables& vars, Settings& settings) {
  for (const auto& name : vars.order()) {
    if (!EndsWith(name, "_GRAPH_DB") || !vars.Has(name) || name.size() == 9) continue;
    GraphSettings g;
    g.schema = Lower(name.substr(0, name.size() - 9));
    g.db_path = LocalFile(vars, name, settings.local_dir);
    settings.graphs.push_back(g);
  }
}

// An http(s) base URL without a trailing '/'.
std::string BaseUrl(const Variables& vars, const std::string& name) {
  std::string v = vars.Get(name);
  while (!v.empty() && v.back() == '/') v.pop_back();
  bool ok = (v.rfind("http://", 0) == 0 && v.size() > 7) || (v.rfind("https://", 0) == 0 && v.size() > 8);
  if (!ok || v.find_first_of(" \t?#") != std::string::npos)
    throw UsageError(name + " must be an http:// or https:// base URL (got '" + vars.Get(name) + "')");
  return v;
}

SourceSettings BuildSources(const Variables& vars, const fs::path& local_dir) {
  SourceSettings s;
  s.kaggle_endpoint = BaseUrl(vars, "KAGGLE_API_ENDPOINT");
  s.kaggle_username = vars.Get("KAGGLE_USERNAME");
  s.kaggle_key = vars.Get("KAGGLE_KEY");
  s.kaggle_api_token = vars.Get("KAGGLE_API_TOKEN");
  fs::path home = vars.Get("HOME");
  if (vars.Has("KAGGLE_CONFIG_DIR")) s.kaggle_config_dir = vars.Get("KAGGLE_CONFIG_DIR");
  else if (!home.empty()) s.kaggle_config_dir = home / ".kaggle";
  s.hf_endpoint = BaseUrl(vars, "HF_ENDPOINT");
  s.hf_token = vars.Has("HF_TOKEN") ? vars.Get("HF_TOKEN") : vars.Get("HUGGING_FACE_HUB_TOKEN");
  if (vars.Has("HF_TOKEN_PATH")) s.hf_token_file = vars.Get("HF_TOKEN_PATH");
  else if (vars.Has("HF_HOME")) s.hf_token_file = fs::path(vars.Get("HF_HOME")) / "token";
  else if (!home.empty()) s.hf_token_file = home / ".cache" / "huggingface" / "token";
  s.cache_dir = LocalFile(vars, "INGEST_CACHE_DIR", local_dir);
  return s;
}

}  // namespace

namespace {

// A libpq connection value in single quotes, with '\' and '\'' escaped by a backslash.
std::string ConnectionValue(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

}  // namespace

std::string PostgresSettings::ConnectionString() const {
  std::string text;
  for (const auto& [key, value] :
       {std::pair{"host", &host}, {"port", &port}, {"dbname", &database}, {"user", &user}, {"password", &password}})
    if (!value->empty()) text += (text.empty() ? "" : " ") + std::string(key) + "=" + ConnectionValue(*value);
  return text;
}

std::string PostgresSettings::Describe() const {
  return (host.empty() ? "(default host)" : host) + (port.empty() ? "" : ":" + port) + "/" +
         (database.empty() ? "(default database)" : database);
}

const CatalogSettings* Settings::FindCatalog(const std::string& name) const {
  for (const auto& c : catalogs)
    if (c.name == name) return &c;
  return nullptr;
}

const GraphSettings* Settings::FindGraph(const std::string& schema) const {
  for (const auto& g : graphs)
    if (g.schema == schema) return &g;
  return nullptr;
}

bool IsSecretVariable(const std::string& name) {
  std::string n = Upper(name);
  if (EndsWith(n, "ACCESS_KEY_ID")) return false;
  for (const char* word : {"SECRET", "PASSWORD", "TOKEN", "ACCESS_KEY", "_KEY"})
    if (n.find(word) != std::string::npos) return true;
  return false;
}

std::vector<std::string> SecretValues(const Settings& settings) {
  std::vector<std::string> values;
  for (const auto& [name, value] : settings.variables)
    if (IsSecretVariable(name) && !value.empty()) values.push_back(value);
  return values;
}

namespace {

// Names in the env file that dlctl does not read but probably was meant to.
std::vector<std::string> TypoWarnings(const EnvEntries& file_entries, const std::string& file_origin) {
  std::vector<std::string> names;
  for (const auto& [name, value] : file_entries) names.push_back(name);
  std::vector<std::string> warnings;
  std::set<std::string> seen;
  for (const std::string& name : names) {
    if (IsKnownSetting(name) || !seen.insert(name).second) continue;
    if (auto closest = ClosestSetting(name, names))
      warnings.push_back(fmt::format("{} sets {}, which is not a dlctl setting: did you mean {}?", file_origin, name,
                                     *closest));
  }
  return warnings;
}

// dlctl's own secrets, and secret-named variables of the env file, too short to be masked.
std::vector<std::string> ShortSecretWarnings(const EnvEntries& file_entries, const Variables& vars) {
  std::set<std::string> names(SecretSettings().begin(), SecretSettings().end());
  for (const auto& [name, value] : file_entries)
    if (IsSecretVariable(name)) names.insert(name);
  std::vector<std::string> warnings;
  for (const std::string& name : names) {
    size_t size = vars.Get(name).size();
    if (size > 0 && size < kMinMaskedSecretLength)
      warnings.push_back(fmt::format("{} is unusually short for a secret ({} character{}): messages do not mask it",
                                     name, size, size == 1 ? "" : "s"));
  }
  return warnings;
}

// The settings the merged variables give, validated.
Settings Validated(const Variables& vars, const fs::path& cwd) {
  Settings s;
  s.variables = vars.map();
  fs::path local = vars.Has("LOCAL_DIR") ? fs::path(vars.Get("LOCAL_DIR")) : fs::path("local");
  s.local_dir = (local.is_absolute() ? local : cwd / local).lexically_normal();
  s.bucket = vars.Get("S3_BUCKET");
  ValidateBucket(s.bucket);
  s.s3 = BuildS3(vars);
  s.ingest_prefix = Prefix(vars, "S3_INGEST_PREFIX");
  s.stage_prefix = Prefix(vars, "S3_STAGE_PREFIX");
  s.exports_prefix = Prefix(vars, "S3_EXPORTS_PREFIX");
  s.backups_prefix = Prefix(vars, "S3_BACKUPS_PREFIX");
  s.engine_db = LocalFile(vars, "ENGINE_DB", s.local_dir);
  s.lock_wait = std::chrono::seconds(std::llround(Seconds(vars, "LOCK_WAIT_SECONDS", 86400)));
  DiscoverCatalogs(vars, s);
  DiscoverPostgres(vars, s);
  DiscoverGraphs(vars, s);
  s.sources = BuildSources(vars, s.local_dir);

  // raw/, exports/ and backups/ must not overlap each other or a catalog's data.
  std::vector<std::pair<std::string, std::string>> prefixes = {{"S3_INGEST_PREFIX", s.ingest_prefix},
                                                               {"S3_EXPORTS_PREFIX", s.exports_prefix},
                                                               {"S3_BACKUPS_PREFIX", s.backups_prefix}};
  for (const auto& c : s.catalogs) prefixes.emplace_back(c.prefix_variable, c.data_prefix);
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = 0; j < prefixes.size(); ++j)
      if (i != j && (PrefixContains(prefixes[i].second, prefixes[j].second) ||
                     PrefixContains(prefixes[j].second, prefixes[i].second)))
        throw UsageError(prefixes[j].first + " ('" + prefixes[j].second + "') overlaps " + prefixes[i].first + " ('" +
                         prefixes[i].second + "')");
  return s;
}

}  // namespace

Settings BuildSettings(const EnvEntries& file_entries, const EnvEntries& process_entries, const fs::path& cwd,
                       const std::string& file_origin) {
  Variables vars;
  for (const auto& [k, v] : kDefaults) vars.Set(k, v);
  for (const auto& [k, v] : file_entries) vars.Set(k, v);
  for (const auto& [k, v] : process_entries) vars.Set(k, v);
  std::vector<std::string> typos = TypoWarnings(file_entries, file_origin);
  Settings settings;
  try {
    settings = Validated(vars, cwd);
  } catch (const UsageError& e) {
    if (typos.empty()) throw;
    std::string hint;
    for (const std::string& typo : typos) hint += "; " + typo;
    throw UsageError(e.what() + hint);  // the error may well come from the typo
  }
  settings.warnings = typos;
  for (std::string& warning : ShortSecretWarnings(file_entries, vars)) settings.warnings.push_back(std::move(warning));
  return settings;
}

std::optional<fs::path> ResolveEnvFile(const std::optional<fs::path>& explicit_path) {
  if (explicit_path) {
    if (!fs::is_regular_file(*explicit_path))
      throw UsageError("env file " + explicit_path->string() + " (from --env-file) does not exist");
    return explicit_path;
  }
  if (const char* from_env = std::getenv("DLCTL_ENV_FILE"); from_env && *from_env) {
    if (!fs::is_regular_file(from_env))
      throw UsageError(std::string("env file ") + from_env + " (from DLCTL_ENV_FILE) does not exist");
    return fs::path(from_env);
  }
  if (fs::is_regular_file(".env")) return fs::path(".env");
  return std::nullopt;
}

Settings LoadSettings(const std::optional<fs::path>& explicit_env_file) {
  EnvEntries file_entries;
  std::optional<fs::path> env_file = ResolveEnvFile(explicit_env_file);
  if (env_file) file_entries = ReadEnvFile(*env_file);
  EnvEntries process_entries;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string::npos) process_entries.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return BuildSettings(file_entries, process_entries, fs::current_path(), env_file ? env_file->string() : ".env");
}

}  // namespace dlctl
