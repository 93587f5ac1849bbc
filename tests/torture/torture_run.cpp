#include "torture/torture_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>
#include <stdexcept>

#include "torture/torture_commands.h"
#include "torture/torture_invariants.h"
#include "torture/torture_lab.h"

namespace dlctl::testing {
namespace {

// Kills fall uniformly over this many typical run times: most land mid-run, some after the end
// (a run takes longer or shorter than is typical).
constexpr double kKillWindow = 1.0;
// Weight of the latest uninterrupted run in a command's typical run time (runs slow down as the
// lab's history grows, and with the machine's load).
constexpr double kRecentWeight = 0.3;

std::string Shown(const std::vector<std::string>& args) {
  std::string text = "dlctl";
  for (const auto& arg : args) text += " " + arg;
  return text.size() > 90 ? text.substr(0, 87) + "..." : text;
}

std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.empty() ? "(no message)" : line;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class TortureRun {
 public:
  TortureRun(Bucket bucket, uint64_t seed, std::ostream& log)
      : lab_(bucket), checker_(lab_), random_(seed), log_(log), commands_(TorturedCommands()) {
    report_.bucket = bucket == Bucket::kLocal ? "local" : "s3";
    for (const auto& command : commands_) report_.tallies.push_back({command.name});
    auto before = checker_.CheckAll(true);
    if (!before.empty())
      throw std::runtime_error(fmt::format("{} breaks an invariant before any kill: {}", lab_.Describe(), before[0]));
    Calibrate();
  }

  TortureReport Run(int trials) {
    std::vector<size_t> round;
    for (int trial = 1; trial <= trials; ++trial) {
      // Rounds of every command once, in a random order: each command gets its share.
      if (round.empty()) {
        round.resize(commands_.size());
        std::iota(round.begin(), round.end(), 0);
        std::shuffle(round.begin(), round.end(), random_);
      }
      size_t index = round.back();
      round.pop_back();
      double fraction = std::uniform_real_distribution<double>(0, kKillWindow)(random_);
      RunTrial(trial, index, fraction);
    }
    return report_;
  }

 private:
  // Each command once to the end: it works in this lab, and how long it takes.
  void Calibrate() {
    for (size_t i = 0; i < commands_.size(); ++i) {
      auto command = commands_[i].make(lab_, random_, NextMark());
      auto start = std::chrono::steady_clock::now();
      CommandResult result = lab_.Run(command->Args());
      if (result.exit_code != 0)
        throw std::runtime_error(fmt::format("{} in {} exited {} before any kill: {}", Shown(command->Args()),
                                             lab_.Describe(), result.exit_code, FirstLine(result.err)));
      typical_seconds_.push_back(SecondsSince(start));
      log_ << fmt::format("{} {}: {:.2f}s uninterrupted\n", report_.bucket, commands_[i].name, typical_seconds_.back());
    }
  }

  void RunTrial(int trial, size_t index, double fraction) {
    CommandTally& tally = report_.tallies[index];
    ++tally.trials;
    std::string name = fmt::format("{} trial {} ({})", report_.bucket, trial, commands_[index].name);
    std::vector<std::string> problems;
    std::string outcome;
    try {
      auto command = commands_[index].make(lab_, random_, NextMark());
      double delay = fraction * typical_seconds_[index];
      KilledCommandResult killed = lab_.RunKilledAfter(command->Args(), delay);
      if (killed.killed) {
        ++tally.killed_mid_run;
        outcome = fmt::format("killed at {:.2f}s", delay);
      } else {
        outcome = fmt::format("ended before the kill at {:.2f}s", delay);
        if (killed.result.exit_code != 0)
          problems.push_back(fmt::format("{} exited {} though nothing killed it: {}", Shown(command->Args()),
                                         killed.result.exit_code, FirstLine(killed.result.err)));
      }
      Append(problems, command->CheckAfterKill(lab_));
      Append(problems, checker_.CheckAll(command->WritesGraph()));

      auto start = std::chrono::steady_clock::now();
      CommandResult rerun = lab_.Run(command->Args());
      double seconds = SecondsSince(start);
      if (rerun.exit_code != 0) {
        problems.push_back(fmt::format("{} run again exited {}: {}", Shown(command->Args()), rerun.exit_code,
                                       FirstLine(rerun.err)));
      } else {
        typical_seconds_[index] = (1 - kRecentWeight) * typical_seconds_[index] + kRecentWeight * seconds;
        Append(problems, command->CheckAfterRerun(lab_));
      }
      outcome = fmt::format("{}: {}", Shown(command->Args()), outcome);
    } catch (const std::exception& e) {
      problems.push_back(fmt::format("the trial itself failed: {}", e.what()));
    }
    log_ << fmt::format("{}: {} -> {}\n", name, outcome, problems.empty() ? "ok" : "INVARIANT FAILED");
    if (!problems.empty()) ++tally.failed;
    for (const auto& problem : problems) {
      log_ << "  " << problem << "\n";
      report_.failures.push_back(fmt::format("{}: {}", name, problem));
    }
    log_.flush();
  }

  static void Append(std::vector<std::string>& to, std::vector<std::string> more) {
    for (auto& line : more) to.push_back(std::move(line));
  }

  // A number no other run in this lab used: lake writes mark their rows with it.
  int NextMark() { return ++mark_; }

  TortureLab lab_;
  InvariantChecker checker_;
  std::mt19937_64 random_;
  std::ostream& log_;
  const std::vector<TorturedCommand>& commands_;
  std::vector<double> typical_seconds_;
  TortureReport report_;
  int mark_ = 0;
};

}  // namespace

TortureReport RunTorture(Bucket bucket, int trials, uint64_t seed, std::ostream& log) {
  auto start = std::chrono::steady_clock::now();
  TortureRun run(bucket, seed, log);
  TortureReport report = run.Run(trials);
  report.seconds = SecondsSince(start);
  return report;
}

}  // namespace dlctl::testing
