// dlctl backup create: it copies the engine database with DuckDB; the other backup commands run in
// the executable (cli/backup_commands.cpp).
#include <chrono>
#include <cstdio>

#include "backup/backup.h"
#include "cli/engine/runs.h"

namespace dlctl {

void RunBackupCreate(CliContext& ctx) {
  Backup backup = CreateBackup(ctx.settings(), *ctx.store(), std::chrono::system_clock::now());
  for (const auto& path : backup.skipped) std::fprintf(stderr, "dlctl: note: %s does not exist: not backed up\n", path.c_str());
  std::printf("%s\n", backup.id.c_str());
}

}  // namespace dlctl
