#include "engine/engine.h"

#include "util/error.h"

namespace dlctl {

class Engine::Impl {};

Engine::Engine(std::shared_ptr<ObjectStore>, const Settings&, EngineOptions) { throw Error("engine: not implemented yet"); }
Engine::~Engine() = default;
QueryResult Engine::Query(const std::string&) { throw Error("engine: not implemented yet"); }
uint64_t Engine::StoreBytesRead() const { return 0; }

}  // namespace dlctl
