#pragma once
// The names every dbt template sees whatever it renders: exceptions, modules (datetime, re,
// pytz, itertools), zip, set, tojson/fromjson, toyaml/fromyaml, local_md5, env_var, var (of
// --vars; nodes get their own), invocation_id, run_started_at and dbt_version.
#include <nlohmann/json.hpp>

#include "config/settings.h"
#include "transform/jinja/environment.h"

namespace dlctl::transform {

// dbt's invocation_id: one per process, the same in templates and artifacts.
const std::string& InvocationId();

void AddDbtGlobals(jinja::Environment& environment, const Settings& settings, const nlohmann::json& cli_vars);
void AddDbtGlobals(jinja::Context& context, const Settings& settings, const nlohmann::json& cli_vars);

}  // namespace dlctl::transform
