#pragma once
// The optional mapping file committed with the transform project, graphs/<schema>.yml:
//
//   nodes:
//     users:                          # the <label> of every `[prefix_]nodes_users` table
//       label: Person                 # Kùzu node table (default: KuzuNameFromStem, "User")
//       properties: [user_id, country]  # the columns kept (default: all; node_id always)
//     dsn_nodes_users:                # one table by its full name: wins over its stem's entry
//       label: DeezerUser
//   rels:
//     user_tracks:                    # the <rel> of every `[prefix_]edges_user_tracks` table
//       name: Listened                # Kùzu rel table (default: "UserTrack")
//       properties: [play_count]      # (default: all but source_id and target_id)
//
// A key is a full mart table name when the mart has a table of that name, else a stem. Tables
// that end up with the same label (or rel name) merge into one Kùzu table.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dlctl::graph {

struct MappedTable {
  std::optional<std::string> name;                     // label or rel name
  std::optional<std::vector<std::string>> properties;  // nullopt: every column
};

struct GraphMapping {
  std::filesystem::path file;  // empty when there is none
  std::map<std::string, MappedTable> nodes;  // by full table name or stem
  std::map<std::string, MappedTable> rels;   // by full table name or stem
};

// `<project_dir>/graphs/<schema>.yml`, or an empty mapping when the file does not exist. Throws
// UsageError naming the file and the line for anything it does not understand.
GraphMapping ReadGraphMapping(const std::filesystem::path& project_dir, const std::string& schema);

}  // namespace dlctl::graph
