#pragma once
// dlctl's settings: the original's variable names and defaults, read from a .env file and
// then the process environment (the environment wins). The only place that reads variables.
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/env_file.h"

namespace dlctl {

struct S3Settings {
  std::string endpoint;  // host[:port]; for AWS derived from the region
  bool use_ssl = true;
  bool path_style = true;  // S3_URL_STYLE=path, else virtual-host style
  std::string region;
  std::string access_key_id;
  std::string secret_access_key;
  // S3_RETRY_BUDGET (seconds): how long requests keep retrying while the store fails; nullopt:
  // the store's default.
  std::optional<int> retry_budget_ms;
  std::string Scheme() const { return use_ssl ? "https" : "http"; }
};

// The PostgreSQL server holding catalogs' metadata (PSQL_CATALOG_*). Empty fields are left to
// libpq, which fills them from its own PG* variables or a service file (PGSERVICE).
struct PostgresSettings {
  std::string host, port, database, user;
  std::string password;  // PSQL_CATALOG_PASSWORD: never printed
  // libpq's key=value form, values quoted and escaped; only the fields that are set.
  std::string ConnectionString() const;
  // For messages: host:port/database (or libpq's defaults), without user or password.
  std::string Describe() const;
};

// A DuckLake catalog: metadata in a local SQLite file, or in a PostgreSQL schema when
// postgres_schema is set (PSQL_CATALOG_STAGE_SCHEMA, PSQL_CATALOG_<X>_MART_SCHEMA); data under a
// bucket prefix.
struct CatalogSettings {
  std::string name;                 // stem of the db file: "stage", "graphs"
  std::string db_variable;          // "STAGE_DB", "GRAPHS_MART_DB"
  std::string prefix_variable;      // "S3_STAGE_PREFIX", "S3_GRAPHS_MART_PREFIX"
  std::filesystem::path db_path;    // absolute, under local_dir
  std::string data_prefix;          // bucket prefix without slashes at either end
  bool is_mart = false;
  std::optional<std::string> postgres_schema;
  std::string schema_variable;      // "PSQL_CATALOG_STAGE_SCHEMA", "PSQL_CATALOG_GRAPHS_MART_SCHEMA"
};

struct GraphSettings {
  std::string schema;               // "music_taste" from MUSIC_TASTE_GRAPH_DB
  std::filesystem::path db_path;    // absolute, under local_dir
};

// Where `ingest dataset URL` downloads from and with which credentials (never printed). The
// variable names are the ones Kaggle's and Hugging Face's own tools read.
struct SourceSettings {
  std::string kaggle_endpoint;                // KAGGLE_API_ENDPOINT, default https://www.kaggle.com
  std::string kaggle_username, kaggle_key;    // KAGGLE_USERNAME, KAGGLE_KEY
  std::string kaggle_api_token;               // KAGGLE_API_TOKEN (a bearer token)
  std::filesystem::path kaggle_config_dir;    // KAGGLE_CONFIG_DIR, else ~/.kaggle: kaggle.json, access_token
  std::string hf_endpoint;                    // HF_ENDPOINT, default https://huggingface.co
  std::string hf_token;                       // HF_TOKEN, else HUGGING_FACE_HUB_TOKEN
  std::filesystem::path hf_token_file;        // HF_TOKEN_PATH, else $HF_HOME/token, else ~/.cache/huggingface/token
  std::filesystem::path cache_dir;            // INGEST_CACHE_DIR, default <LOCAL_DIR>/cache/ingest
};

struct Settings {
  std::filesystem::path local_dir;  // absolute
  std::optional<S3Settings> s3;     // nullopt: the embedded default (a local folder)
  std::string bucket;
  std::string ingest_prefix, stage_prefix, exports_prefix, backups_prefix;
  std::filesystem::path engine_db;  // absolute, under local_dir
  // How long a process waits for a file another dlctl process holds (the engine database while
  // it is written, a SQLite catalog while another commit runs) before it fails: LOCK_WAIT_SECONDS.
  std::chrono::seconds lock_wait{120};
  std::vector<CatalogSettings> catalogs;  // stage first, then marts in discovery order
  std::optional<PostgresSettings> postgres;  // set when a PSQL_CATALOG_* variable is
  std::vector<GraphSettings> graphs;
  SourceSettings sources;
  std::map<std::string, std::string> variables;  // every merged variable, for env_var()
  // For the person running dlctl, once: names in the env file dlctl does not read but was
  // probably meant to (typos), and secrets too short to be masked in messages.
  std::vector<std::string> warnings;

  // Where the embedded default keeps the bucket: <local_dir>/bucket/<bucket>.
  std::filesystem::path LocalBucketRoot() const { return local_dir / "bucket" / bucket; }
  const CatalogSettings* FindCatalog(const std::string& name) const;
  const GraphSettings* FindGraph(const std::string& schema) const;
};

// Merges file entries and then process entries (later wins) and validates the result.
// Relative paths resolve against `cwd`; `file_origin` names the env file in warnings. Throws
// UsageError naming the offending variable (and a likely typo in the file behind it).
Settings BuildSettings(const EnvEntries& file_entries, const EnvEntries& process_entries,
                       const std::filesystem::path& cwd, const std::string& file_origin = ".env");

// The env file to read: `explicit_path` (from --env-file), else $DLCTL_ENV_FILE, else ./.env
// when it exists. An explicitly named file that does not exist is a UsageError.
std::optional<std::filesystem::path> ResolveEnvFile(const std::optional<std::filesystem::path>& explicit_path);

// Reads the env file (if any) and this process's environment.
Settings LoadSettings(const std::optional<std::filesystem::path>& explicit_env_file);

// True for variable names whose values must never be printed (an access key *id* is not one:
// it names the key, as a user name does, and S3 servers log it).
bool IsSecretVariable(const std::string& name);

// The values of every secret variable of `settings`, for MaskSecrets.
std::vector<std::string> SecretValues(const Settings& settings);

}  // namespace dlctl
