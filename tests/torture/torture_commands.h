#pragma once
// The commands the torture suite kills: ingest, transform, export, backup, lake writes, graph
// load and embeddings, each with what must hold of its own effect after a kill and a re-run.
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "torture/torture_lab.h"

namespace dlctl::testing {

// One trial's run of a command.
class TrialCommand {
 public:
  virtual ~TrialCommand() = default;
  virtual std::vector<std::string> Args() const = 0;
  // What must hold of the command's own effect once it was killed (all or nothing), and once it
  // was run again to the end; one line per violation.
  virtual std::vector<std::string> CheckAfterKill(const TortureLab&) { return {}; }
  virtual std::vector<std::string> CheckAfterRerun(const TortureLab&) { return {}; }
  // True for commands that change the Kùzu graph, which is then checked too.
  virtual bool WritesGraph() const { return false; }
};

struct TorturedCommand {
  std::string name;  // as the summary lists it: "ingest", "lake write", ...
  // This trial's run; `trial` is unique within a lab (lake writes mark their rows with it).
  std::function<std::unique_ptr<TrialCommand>(const TortureLab&, std::mt19937_64&, int trial)> make;
};

// Every command the suite kills, in the summary's order.
const std::vector<TorturedCommand>& TorturedCommands();

}  // namespace dlctl::testing
