#include "torture/lake_write_trial.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace dlctl::testing {
namespace {

// The numbers in the one row of `dlctl query -f csv SQL`; throws when the query fails.
std::vector<int64_t> QueryNumbers(const TortureLab& lab, const std::string& sql) {
  CommandResult result = lab.Run({"query", "-f", "csv", sql});
  if (result.exit_code != 0) throw std::runtime_error(fmt::format("{} failed: {}", sql, result.err));
  std::string row = result.out.substr(result.out.find('\n') + 1);
  std::vector<int64_t> numbers;
  std::stringstream cells(row);
  for (std::string cell; std::getline(cells, cell, ',');) numbers.push_back(std::stoll(cell));
  return numbers;
}

// A statement and a count of the rows it marks: after a kill one of `after_kill`, after the
// re-run `after_rerun` of what the kill left.
class LakeWrite : public TrialCommand {
 public:
  LakeWrite(std::string statement, std::string marked_rows_sql, std::vector<int64_t> after_kill,
            std::function<int64_t(int64_t)> after_rerun)
      : statement_(std::move(statement)),
        marked_rows_sql_(std::move(marked_rows_sql)),
        after_kill_(std::move(after_kill)),
        after_rerun_(std::move(after_rerun)) {}

  std::vector<std::string> Args() const override { return {"query", statement_}; }

  std::vector<std::string> CheckAfterKill(const TortureLab& lab) override {
    std::vector<std::string> problems;
    if (!Count(lab, problems)) return problems;
    bool allowed = false;
    for (int64_t expected : after_kill_) allowed = allowed || *marked_ == expected;
    if (!allowed)
      problems.push_back(fmt::format("killed `{}` left {} rows of it ({}), neither none nor all of them ({})",
                                     statement_, *marked_, marked_rows_sql_, fmt::join(after_kill_, " or ")));
    return problems;
  }

  std::vector<std::string> CheckAfterRerun(const TortureLab& lab) override {
    std::vector<std::string> problems;
    if (!marked_) return problems;  // the count after the kill failed, and was reported
    int64_t expected = after_rerun_(*marked_);
    if (!Count(lab, problems)) return problems;
    if (*marked_ != expected)
      problems.push_back(fmt::format("`{}` run again left {} rows of it ({}), not {}", statement_, *marked_,
                                     marked_rows_sql_, expected));
    return problems;
  }

 private:
  bool Count(const TortureLab& lab, std::vector<std::string>& problems) {
    try {
      marked_ = QueryNumbers(lab, marked_rows_sql_).at(0);
      return true;
    } catch (const std::exception& e) {
      marked_.reset();
      problems.push_back(fmt::format("cannot count the rows of `{}`: {}", statement_, e.what()));
      return false;
    }
  }

  std::string statement_, marked_rows_sql_;
  std::vector<int64_t> after_kill_;
  std::function<int64_t(int64_t)> after_rerun_;
  std::optional<int64_t> marked_;
};

std::unique_ptr<TrialCommand> Insert(int trial) {
  constexpr int64_t kRows = 20;
  return std::make_unique<LakeWrite>(
      fmt::format("INSERT INTO {} SELECT {} + range, {}, 0 FROM range({})", kTortureTable, trial * 1000LL, trial,
                  kRows),
      fmt::format("SELECT count(*) FROM {} WHERE tag = {}", kTortureTable, trial), std::vector<int64_t>{0, kRows},
      [](int64_t after_kill) { return after_kill + kRows; });
}

std::unique_ptr<TrialCommand> Update(const TortureLab& lab, int trial) {
  std::string where = fmt::format("id % 7 = {}", trial % 7);
  int64_t matching = QueryNumbers(lab, fmt::format("SELECT count(*) FROM {} WHERE {}", kTortureTable, where)).at(0);
  return std::make_unique<LakeWrite>(
      fmt::format("UPDATE {} SET upd = {} WHERE {}", kTortureTable, trial, where),
      fmt::format("SELECT count(*) FROM {} WHERE upd = {}", kTortureTable, trial), std::vector<int64_t>{0, matching},
      [matching](int64_t) { return matching; });
}

std::unique_ptr<TrialCommand> Delete(const TortureLab& lab, int trial) {
  std::string where = fmt::format("id % 13 = {}", trial % 13);
  std::string count = fmt::format("SELECT count(*) FROM {} WHERE {}", kTortureTable, where);
  int64_t matching = QueryNumbers(lab, count).at(0);
  return std::make_unique<LakeWrite>(fmt::format("DELETE FROM {} WHERE {}", kTortureTable, where), count,
                                     std::vector<int64_t>{matching, 0}, [](int64_t) { return 0; });
}

// Ten ids that may exist (0-9, as the lab made them) and ten new ones: matched rows are updated,
// the others inserted, all of them marked with upd = trial.
std::unique_ptr<TrialCommand> Merge(const TortureLab& lab, int trial) {
  std::vector<int64_t> old_ids = QueryNumbers(
      lab, fmt::format("SELECT count(*), count(DISTINCT id) FROM {} WHERE id BETWEEN 0 AND 9", kTortureTable));
  int64_t marked = old_ids.at(0) + (10 - old_ids.at(1)) + 10;
  return std::make_unique<LakeWrite>(
      fmt::format("MERGE INTO {0} AS t USING (SELECT range AS id FROM range(10) UNION ALL SELECT {1} + range FROM "
                  "range(10)) AS s ON t.id = s.id WHEN MATCHED THEN UPDATE SET upd = {2} "
                  "WHEN NOT MATCHED THEN INSERT VALUES (s.id, {2}, {2})",
                  kTortureTable, trial * 1000LL + 500, trial),
      fmt::format("SELECT count(*) FROM {} WHERE upd = {}", kTortureTable, trial), std::vector<int64_t>{0, marked},
      [marked](int64_t) { return marked; });
}

}  // namespace

std::unique_ptr<TrialCommand> MakeLakeWriteTrial(const TortureLab& lab, std::mt19937_64& random, int trial) {
  switch (std::uniform_int_distribution<int>(0, 3)(random)) {
    case 0:
      return Insert(trial);
    case 1:
      return Update(lab, trial);
    case 2:
      return Delete(lab, trial);
    default:
      return Merge(lab, trial);
  }
}

}  // namespace dlctl::testing
