#pragma once
// A run of the torture suite on one bucket: a fresh lab, then trials that each start one of the
// tortured commands, kill -9 it at a random moment, check every invariant, run the command again
// to the end and check its own effect. The seed fixes the plan (which command each trial kills, at
// which fraction of its typical run time); where the kill lands within the command's work varies
// with the machine's speed.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "support/dlctl_project.h"

namespace dlctl::testing {

struct CommandTally {
  std::string command;
  int trials = 0;
  int killed_mid_run = 0;  // the kill came while it ran (else it had ended on its own)
  int failed = 0;          // trials with at least one invariant violated
};

struct TortureReport {
  std::string bucket;                 // "local" or "s3"
  std::vector<CommandTally> tallies;  // one per tortured command
  std::vector<std::string> failures;  // one line per violation, naming its trial
  double seconds = 0;
};

// Runs `trials` trials on a new lab on `bucket`, logging a line per trial to `log`. Throws
// std::runtime_error when the lab cannot be set up or is broken before any kill.
TortureReport RunTorture(Bucket bucket, int trials, uint64_t seed, std::ostream& log);

}  // namespace dlctl::testing
