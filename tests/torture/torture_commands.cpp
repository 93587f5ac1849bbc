#include "torture/torture_commands.h"

#include "torture/lake_write_trial.h"

namespace dlctl::testing {
namespace {

// A command whose own effect the lab-wide invariants cover.
class PlainCommand : public TrialCommand {
 public:
  PlainCommand(std::vector<std::string> args, bool writes_graph) : args_(std::move(args)), writes_graph_(writes_graph) {}
  std::vector<std::string> Args() const override { return args_; }
  bool WritesGraph() const override { return writes_graph_; }

 private:
  std::vector<std::string> args_;
  bool writes_graph_;
};

TorturedCommand Plain(std::string name, std::vector<std::string> args, bool writes_graph = false) {
  return {std::move(name), [args, writes_graph](const TortureLab&, std::mt19937_64&, int) {
            return std::make_unique<PlainCommand>(args, writes_graph);
          }};
}

}  // namespace

const std::vector<TorturedCommand>& TorturedCommands() {
  static const std::vector<TorturedCommand> commands = {
      Plain("ingest", {"ingest", "dataset", kTortureDataset, kTortureDataset}),
      Plain("transform", {"transform", "--threads", "2"}),
      Plain("export", {"export", "dataset", "graphs", kMartSchema}),
      Plain("backup", {"backup", "create"}),
      {"lake write", MakeLakeWriteTrial},
      Plain("graph load", {"graph", "load", kMartSchema}, true),
      Plain("embeddings", kEmbeddingsArgs, true),
  };
  return commands;
}

}  // namespace dlctl::testing
