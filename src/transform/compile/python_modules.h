#pragma once
// The Python modules dbt puts in `modules`: datetime (date, datetime, timedelta, timezone),
// pytz (timezone, utc), re (sub, match, search, fullmatch, findall, split, compile and the
// flags) and itertools (chain, product), enough for what packages do with them: print dates,
// format times, rewrite strings.
#include "transform/jinja/value.h"

namespace dlctl::transform {

jinja::Value PythonModules();

// run_started_at: a UTC datetime fixed for the process.
jinja::Value RunStartedAt();

}  // namespace dlctl::transform
