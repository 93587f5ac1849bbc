#pragma once
// What must hold in a lab whatever command was killed when. Each check returns one line per
// violation (empty when all holds).
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config/settings.h"
#include "storage/object_store.h"
#include "torture/torture_lab.h"

namespace dlctl::testing {

class InvariantChecker {
 public:
  explicit InvariantChecker(const TortureLab& lab);

  // Every manifest names only complete data: a version with its completion mark, each file it
  // lists in it with the listed size (and SHA-256 where it gives one), and the latest version of a
  // dataset ingested from local files holds exactly those files, byte for byte.
  std::vector<std::string> CheckManifests();
  // Every catalog passes `dlctl lake verify`, and every table of every catalog reads (each
  // column of each row, through `dlctl query`).
  std::vector<std::string> CheckCatalogs();
  // The latest backup restores into a fresh folder and its catalogs pass `dlctl lake verify`
  // there. A backup once restored is not restored again (its files are checked by
  // CheckManifests every time).
  std::vector<std::string> CheckLatestBackup();
  // The Kùzu graph opens and has as many nodes as at the first check (the trials never change
  // the marts it is built from).
  std::vector<std::string> CheckGraph();

  // All of the above; the graph only when `graph` (only its commands change it).
  std::vector<std::string> CheckAll(bool graph);

 private:
  std::vector<std::string> CheckRawManifests();
  std::vector<std::string> CheckExportManifests();
  std::vector<std::string> CheckBackupManifest();
  // `dlctl lake verify` of every catalog, with `env` (a restored backup's catalogs); `where` is
  // added to the messages.
  std::vector<std::string> VerifyCatalogs(const std::map<std::string, std::string>& env, const std::string& where);

  const TortureLab& lab_;
  Settings settings_;
  std::shared_ptr<ObjectStore> store_;
  std::string restored_backup_;  // the version key last restored and verified
  std::set<std::string> verified_;  // keys whose bytes matched already (published files never change)
  std::string graph_nodes_;         // the graph's node count at the first check
};

}  // namespace dlctl::testing
