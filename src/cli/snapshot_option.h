#pragma once
// --snapshot ID on the commands that read a catalog at a snapshot: a whole number >= 0, checked
// before conversion so "abc" reads as what it is (CLI11's number range would print 309 digits).
#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace dlctl {

// The id `text` names, or nullopt when it is not a whole number >= 0 that fits an int64.
std::optional<int64_t> ParseSnapshotId(const std::string& text);

// What --snapshot says about a value that is not an id; "" for an id.
std::string SnapshotIdProblem(const std::string& text);

// Adds --snapshot bound to `id` with that check.
CLI::Option* AddSnapshotOption(CLI::App* command, int64_t& id, const std::string& description);
CLI::Option* AddSnapshotOption(CLI::App* command, std::optional<int64_t>& id, const std::string& description);

}  // namespace dlctl
