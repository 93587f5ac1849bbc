#pragma once
// The names of dlctl's settings, to tell a typo in a .env file ("S3_BUKET") from a variable
// meant for something else (another tool, a model's env_var()).
#include <optional>
#include <string>
#include <vector>

namespace dlctl {

// A name dlctl reads: a fixed one, or one of the families X_MART_DB, S3_X_MART_PREFIX,
// PSQL_CATALOG_X_MART_SCHEMA and X_GRAPH_DB.
bool IsKnownSetting(const std::string& name);

// For a name dlctl does not read: the setting it was probably meant to be (a few letters off,
// or the same in another case), or, for a name with a prefix only dlctl uses (S3_,
// PSQL_CATALOG_), the closest setting with that prefix. nullopt for other names. `names_in_file`
// adds the family members of the marts the file defines as candidates.
std::optional<std::string> ClosestSetting(const std::string& name, const std::vector<std::string>& names_in_file);

// The settings whose values are secrets dlctl uses (S3_SECRET_ACCESS_KEY, PSQL_CATALOG_PASSWORD, ...).
const std::vector<std::string>& SecretSettings();

}  // namespace dlctl
