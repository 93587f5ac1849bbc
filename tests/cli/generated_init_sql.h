#pragma once
// Runs `dlctl tools generate-init-sql` in `options.cwd` and checks what it must always do: exit 0,
// print the file's path and nothing else on stdout, and write local/init.sql readable by its owner
// only (it may hold secrets).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "support/run_command.h"
#include "support/test_env.h"

namespace dlctl::testing {

struct GeneratedInitSql {
  CommandResult command;
  std::string sql;  // the file's text; empty when a check above failed
};

inline GeneratedInitSql GenerateInitSql(const CommandOptions& options) {
  GeneratedInitSql generated{RunDlctl({"tools", "generate-init-sql"}, options), ""};
  const CommandResult& r = generated.command;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return generated;
  std::filesystem::path path = options.cwd / "local" / "init.sql";
  EXPECT_EQ(r.out, path.string() + "\n");
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  if (::stat(path.c_str(), &st) != 0) return generated;
  EXPECT_EQ(st.st_mode & 0777, 0600);
  generated.sql = ReadFile(path);
  return generated;
}

}  // namespace dlctl::testing
