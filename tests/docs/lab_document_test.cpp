// `dlctl docs generate`: the site's files and the lab's document, checked against what the other
// commands say about the same lab.
#include <gtest/gtest.h>

#include <set>

#include "docs_fixture.h"

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;

bool HasEdge(const nlohmann::json& lab, const std::string& from, const std::string& to) {
  for (const auto& edge : lab["edges"])
    if (edge["from"] == from && edge["to"] == to) return true;
  return false;
}

TEST(LabDocument, DescribesTheLabAsItsCommandsSeeIt) {
  DlctlProject project(Bucket::kLocal);
  MakeSmallLab(project);
  CommandResult generated = MustRun(project, {"docs", "generate", "--project-dir", "p"});
  fs::path site = project.dir() / "p/target/docs";
  EXPECT_EQ(generated.out, (site / "index.html").string() + "\n");
  for (const char* file : {"index.html", "app.js", "style.css", "lab.js", "lib/cytoscape.min.js",
                           "lib/cytoscape-dagre.min.js", "lib/cytoscape.LICENSE", "lib/cytoscape-dagre.LICENSE"})
    EXPECT_TRUE(fs::is_regular_file(site / file)) << file;
  EXPECT_GT(fs::file_size(site / "lib/cytoscape.min.js"), 100000u);
  EXPECT_NE(ReadFile(site / "index.html").find("<script src=\"lab.js\">"), std::string::npos);

  nlohmann::json lab = ReadLab(site);
  EXPECT_EQ(lab["problems"], nlohmann::json::array()) << lab["problems"].dump();
  EXPECT_EQ(lab["project"]["name"], "p");

  // The lineage: dataset -> source -> stage model -> mart models -> export and graph; tests on the model.
  for (const char* id : {"dataset.notes", "source.p.notes.people.csv", "model.p.people", "model.p.nodes_people",
                         "model.p.edges_knows", "export.graphs/toy", "graph.toy"})
    EXPECT_NE(FindNode(lab, id), nullptr) << id << " in " << lab["nodes"].dump();
  EXPECT_TRUE(HasEdge(lab, "dataset.notes", "source.p.notes.people.csv"));
  EXPECT_TRUE(HasEdge(lab, "source.p.notes.people.csv", "model.p.people"));
  EXPECT_TRUE(HasEdge(lab, "model.p.people", "model.p.nodes_people"));
  EXPECT_TRUE(HasEdge(lab, "model.p.nodes_people", "export.graphs/toy"));
  EXPECT_TRUE(HasEdge(lab, "model.p.edges_knows", "graph.toy"));
  EXPECT_FALSE(HasEdge(lab, "model.p.people", "graph.toy"));  // a stage model is no part of the graph

  const nlohmann::json& people = *FindNode(lab, "model.p.people");
  EXPECT_EQ(people["relation"], "stage.main.people");
  EXPECT_EQ(people["description"], "Everyone we know.");
  EXPECT_EQ(people["columns"][0]["description"], "Their id.");
  EXPECT_FALSE(people.contains("last_result")) << "run_results.json holds the last command's nodes: dlctl test's";
  EXPECT_EQ(people["raw_sql"], ReadFile(project.dir() / "p/models/stage/people.sql"));
  EXPECT_EQ(people["compiled_sql"], ReadFile(project.dir() / "p/target/compiled/p/models/stage/people.sql"));
  int tests = 0;
  for (const auto& node : lab["nodes"]) {
    if (node["kind"] != "test") continue;
    ++tests;
    EXPECT_EQ(node["attached_to"], "model.p.people");
    EXPECT_EQ(node["last_result"]["status"], "pass") << node.dump();
  }
  EXPECT_EQ(tests, 2);

  // Catalogs: the snapshots, tables and verify state `dlctl lake` reports.
  nlohmann::json snapshots = nlohmann::json::parse(MustRun(project, {"lake", "snapshots", "stage", "--json"}).out);
  nlohmann::json tables = nlohmann::json::parse(MustRun(project, {"lake", "tables", "graphs", "--json"}).out);
  std::map<std::string, nlohmann::json> catalogs;
  for (const auto& c : lab["catalogs"]) catalogs[c["name"]] = c;
  ASSERT_EQ(catalogs.size(), 2u);
  EXPECT_EQ(catalogs["stage"]["snapshots"], snapshots);
  EXPECT_EQ(catalogs["graphs"]["tables"], tables);
  EXPECT_EQ(catalogs["stage"]["verify"]["ok"], true);
  EXPECT_EQ(catalogs["stage"]["objects"]["main.people"]["columns"][1]["type"], "varchar");
  EXPECT_EQ(catalogs["stage"]["objects"]["main.people"]["begin_snapshot"], snapshots.back()["snapshot_id"]);

  ASSERT_EQ(lab["datasets"].size(), 1u);
  EXPECT_EQ(lab["datasets"][0]["versions"][0]["files"][0]["path"], "people.csv");
  EXPECT_EQ(lab["datasets"][0]["manifest"]["dataset"], "notes");
  ASSERT_EQ(lab["exports"].size(), 1u);
  EXPECT_EQ(lab["exports"][0]["name"], "graphs/toy");
  ASSERT_EQ(lab["backups"].size(), 1u);
  EXPECT_EQ(lab["backups"][0]["complete"], true);
  ASSERT_EQ(lab["graphs"].size(), 1u);
  EXPECT_EQ(lab["graphs"][0]["embeddings"], true);
  EXPECT_EQ(lab["graphs"][0]["node_tables"][0]["label"], "People");
  EXPECT_EQ(lab["graphs"][0]["node_tables"][0]["count"], 3);
  EXPECT_EQ(lab["graphs"][0]["rel_tables"][0]["count"], 3);
}

TEST(LabDocument, AFolderWithoutAProjectStillGetsItsSite) {
  DlctlProject project(Bucket::kLocal);
  CommandResult generated = MustRun(project, {"docs", "generate"});
  nlohmann::json lab = ReadLab(project.dir() / "transform/target/docs");
  EXPECT_EQ(lab["nodes"], nlohmann::json::array());
  ASSERT_EQ(lab["problems"].size(), 1u) << lab.dump();
  EXPECT_NE(lab["problems"][0]["message"].get<std::string>().find("dbt_project.yml"), std::string::npos);
}

}  // namespace
}  // namespace dlctl::testing
