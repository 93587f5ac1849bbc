#include "transform/run/freshness.h"

#include <fmt/format.h>

#include <chrono>
#include <fstream>

#include "transform/compile/dbt_globals.h"
#include "transform/run/artifacts.h"
#include "transform/run/session.h"
#include "util/clock.h"
#include "util/error.h"

namespace dlctl::transform {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

// Seconds of {count, period}; nullopt when the rule is absent or null.
std::optional<double> Limit(const nlohmann::json& rule, const std::string& where) {
  if (!rule.is_object() || !rule.contains("count") || rule["count"].is_null()) return std::nullopt;
  std::string period = rule.value("period", "");
  double unit = period == "minute" ? 60 : period == "hour" ? 3600 : period == "day" ? 86400 : 0;
  if (unit == 0) throw Error(where + ": freshness period must be minute, hour or day (got '" + period + "')");
  if (!rule["count"].is_number()) throw Error(where + ": freshness count must be a number");
  return rule["count"].get<double>() * unit;
}

std::string Iso(TimePoint time) { return IsoTimestamp(time); }

void Check(Session& session, const SourceTable& source, FreshnessResult& result) {
  const nlohmann::json& criteria = source.config.values["freshness"];
  std::string where = source.path + ": source " + result.name;
  std::optional<double> warn_after = Limit(criteria.value("warn_after", nlohmann::json()), where);
  std::optional<double> error_after = Limit(criteria.value("error_after", nlohmann::json()), where);
  TimePoint now = std::chrono::system_clock::now();
  result.snapshotted_at = Iso(now);
  if (source.IsRawDataset()) {
    std::optional<TimePoint> loaded = session.raw().LatestVersionTime(source.schema);
    if (!loaded) throw Error("raw dataset '" + source.schema + "' has no manifest (never ingested)");
    result.max_loaded_at = Iso(*loaded);
    result.age_seconds = std::chrono::duration<double>(now - *loaded).count();
  } else {
    auto field = source.config.values.find("loaded_at_field");
    if (field == source.config.values.end() || !field->is_string())
      throw Error(where + ": freshness needs loaded_at_field (the column that says when a row was loaded)");
    Relation relation{source.database.value_or(session.compiler().target_database()), source.schema, source.identifier};
    std::string sql = "select strftime(max(" + field->get<std::string>() + ")::timestamp, '%Y-%m-%dT%H:%M:%S.%gZ'), " +
                      "epoch(current_timestamp::timestamp) - epoch(max(" + field->get<std::string>() + ")::timestamp) from " +
                      relation.Render();
    if (criteria.contains("filter") && criteria["filter"].is_string()) sql += " where " + criteria["filter"].get<std::string>();
    Worker& worker = session.ThisWorker();
    QueryResult rows = worker.engine->Query(sql);
    if (rows.rows.empty() || !rows.rows[0][0]) throw Error(where + ": the table has no rows with " + field->get<std::string>());
    result.max_loaded_at = *rows.rows[0][0];
    result.age_seconds = std::stod(rows.rows[0][1].value_or("0"));
  }
  if (error_after && result.age_seconds > *error_after) result.status = "error";
  else if (warn_after && result.age_seconds > *warn_after) result.status = "warn";
  else result.status = "pass";
  if (result.status != "pass")
    result.message = fmt::format("newest data is {:.0f}s old ({} after {:.0f}s)", result.age_seconds, result.status,
                                 result.status == "error" ? *error_after : *warn_after);
}

void WriteSources(const FreshnessReport& report, const fs::path& target_dir) {
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const FreshnessResult& r : report.results) {
    nlohmann::ordered_json entry;
    entry["unique_id"] = r.unique_id;
    if (r.status == "runtime error") {
      entry["error"] = r.message;
      entry["status"] = "runtime error";
    } else {
      entry["max_loaded_at"] = r.max_loaded_at.value_or("");
      entry["snapshotted_at"] = r.snapshotted_at.value_or("");
      entry["max_loaded_at_time_ago_in_s"] = r.age_seconds;
      entry["status"] = r.status;
      entry["criteria"] = nlohmann::ordered_json::parse(r.criteria.dump());
      entry["adapter_response"] = nlohmann::ordered_json::object();
      entry["timing"] = nlohmann::ordered_json::array();
      entry["thread_id"] = "Thread-1";
      entry["execution_time"] = r.seconds;
    }
    results.push_back(entry);
  }
  nlohmann::ordered_json root;
  root["metadata"] = {{"dbt_schema_version", "https://schemas.getdbt.com/dbt/sources/v3.json"},
                      {"dbt_version", kDbtVersion},
                      {"generated_at", IsoTimestamp(std::chrono::system_clock::now())},
                      {"invocation_id", InvocationId()},
                      {"env", nlohmann::ordered_json::object()}};
  root["results"] = results;
  root["elapsed_time"] = report.seconds;
  std::error_code ec;
  fs::create_directories(target_dir, ec);
  std::ofstream out(target_dir / "sources.json", std::ios::binary | std::ios::trunc);
  out << root.dump(2) << "\n";
  if (!out) throw Error("cannot write " + (target_dir / "sources.json").string());
}

}  // namespace

bool FreshnessReport::failed() const {
  for (const auto& result : results)
    if (result.status == "error" || result.status == "runtime error") return true;
  return false;
}

FreshnessReport CheckFreshness(const Settings& settings, std::shared_ptr<ObjectStore> store, const RunOptions& options,
                               const std::function<void(const FreshnessResult&)>& on_result) {
  Clock::time_point start = Clock::now();
  Session session(settings, std::move(store), options);
  session.Open("freshness");
  FreshnessReport report;
  report.warnings = session.warnings();
  std::set<std::string> selected = session.Select();
  std::vector<const SourceTable*> sources;
  for (const SourceTable& source : session.compiler().project().sources)
    if (selected.count(source.unique_id) && source.config.values.contains("freshness") &&
        !source.config.values["freshness"].is_null())
      sources.push_back(&source);
  for (const SourceTable* source : sources) {
    FreshnessResult result;
    result.unique_id = source->unique_id;
    result.name = source->source_name + "." + source->name;
    result.criteria = source->config.values["freshness"];
    Clock::time_point began = Clock::now();
    try {
      Check(session, *source, result);
    } catch (const std::exception& e) {
      result.status = "runtime error";
      result.message = e.what();
    }
    result.seconds = SecondsSince(began);
    result.index = report.results.size() + 1;
    result.total = sources.size();
    if (on_result) on_result(result);
    report.results.push_back(std::move(result));
  }
  report.seconds = SecondsSince(start);
  WriteSources(report, session.target_dir());
  return report;
}

std::string FormatFreshnessLine(const FreshnessResult& result) {
  std::string status = result.status == "pass" ? "PASS" : result.status == "warn" ? "WARN" : result.status == "error" ? "ERROR STALE" : "ERROR";
  std::string head = fmt::format("{:>3} of {} {} freshness of {} ", result.index, result.total, status, result.name);
  if (head.size() < 72) head += std::string(72 - head.size(), '.');
  return head + fmt::format(" [{} in {:.2f}s]", status, result.seconds);
}

}  // namespace dlctl::transform
