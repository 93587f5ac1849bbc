#pragma once
// A lake write killed at a random moment: one `dlctl query` INSERT, UPDATE, DELETE or MERGE on
// the torture table, whose rows the statement marks so that its effect can be counted. After the
// kill the statement has committed entirely or not at all; after the re-run, exactly once more.
#include <memory>
#include <random>

#include "torture/torture_commands.h"

namespace dlctl::testing {

std::unique_ptr<TrialCommand> MakeLakeWriteTrial(const TortureLab& lab, std::mt19937_64& random, int trial);

}  // namespace dlctl::testing
