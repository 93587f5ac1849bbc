#pragma once
// A failing model's error as a person needs it: which model and which file, then the engine's
// message with its context pointing into the model's compiled SQL.
#include <string>

namespace dlctl::transform {

// "model NAME (PATH): MESSAGE". A LINE context of DuckDB's that shows the statement the lake
// wrapped the model's SQL in ("DESCRIBE SELECT * FROM (select ...") is cut back to the model's
// own line, its caret moved with it; a context that is not the model's SQL at all is dropped.
std::string ModelErrorMessage(const std::string& name, const std::string& path, const std::string& compiled_sql,
                              const std::string& message);

}  // namespace dlctl::transform
