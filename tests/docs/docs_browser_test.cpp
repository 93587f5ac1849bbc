// The docs site in a real browser (headless Chromium from Debian, over the DevTools protocol):
// the demo's lineage has a node per model, clicking a model shows its SQL, the served site shows
// the lab's live state, and the console stays clean. The demo's lineage page is kept as a
// screenshot: <build>/test-artifacts/docs/demo-lineage.png.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>

#include "docs_fixture.h"
#include "support/chromium.h"

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;

// The page's point over a lineage node, as the mouse sees it.
std::pair<double, double> NodePoint(Chromium& browser, const std::string& id) {
  nlohmann::json point = browser.Evaluate(
      "(() => { const n = window.dlctlLineage.getElementById(" + nlohmann::json(id).dump() + ");"
      " const p = n.renderedPosition(); const box = window.dlctlLineage.container().getBoundingClientRect();"
      " return {x: box.left + p.x, y: box.top + p.y, shown: n.length === 1}; })()");
  EXPECT_EQ(point.value("shown", false), true) << id;
  return {point.value("x", 0.0), point.value("y", 0.0)};
}

bool WaitForLineage(Chromium& browser) {
  return browser.WaitFor("document.body.dataset.ready === 'true' && window.dlctlLineage && "
                         "window.dlctlLineage.nodes().length > 0");
}

TEST(DocsBrowser, TheDemosLineageHasEveryModelAndAClickShowsItsSql) {
  DlctlProject project(Bucket::kLocal);
  // The demo's main job on a small scale: ingest, transform, test, export, backup, graph, embeddings.
  fs::copy(fs::path(RequiredEnv("DLCTL_SOURCE_DIR")) / "transform", project.dir() / "transform",
           fs::copy_options::recursive);
  fs::remove_all(project.dir() / "transform" / "target");
  MustRun(project, {"tools", "generate-sample-data", "--scale", "0.01", "--seed", "7", "data"});
  MustRun(project, {"ingest", "dataset", "data/deezer-social-networks", "deezer_social_networks"});
  MustRun(project, {"ingest", "dataset", "data/million-song-dataset-spotify-lastfm", "million_song_dataset_spotify_lastfm"});
  MustRun(project, {"transform", "--threads", "2"});
  MustRun(project, {"test", "--threads", "2"});
  MustRun(project, {"export", "dataset", "graphs", "music_taste"});
  MustRun(project, {"backup", "create"});
  MustRun(project, {"graph", "load", "music_taste"});
  MustRun(project, {"graph", "compute", "embeddings", "music_taste", "-d", "16"});
  CommandResult generated = MustRun(project, {"docs", "generate"});
  std::string index = generated.out.substr(0, generated.out.find('\n'));

  int models = 0;
  for (const auto& entry : fs::recursive_directory_iterator(project.dir() / "transform/models"))
    if (entry.path().extension() == ".sql") ++models;
  ASSERT_EQ(models, 16);

  Chromium browser;
  browser.Open("file://" + index + "#/lineage");
  ASSERT_TRUE(WaitForLineage(browser)) << ::testing::PrintToString(browser.errors());
  // A node per model, in the drawn graph and in the page's list of its nodes.
  EXPECT_EQ(browser.Evaluate("document.querySelectorAll('#lineage-nodes li[data-kind=\"model\"]').length"), models);
  EXPECT_EQ(browser.Evaluate("window.dlctlLineage.nodes('[kind = \"model\"]').length"), models);
  EXPECT_EQ(browser.Evaluate("document.querySelectorAll('#lineage-nodes li[data-kind=\"dataset\"]').length"), 2);
  for (const char* id : {"export.graphs/music_taste", "graph.music_taste", "dataset.deezer_social_networks"})
    EXPECT_EQ(browser.Evaluate(std::string("!!document.querySelector('#lineage-nodes li[data-id=\"") + id + "\"]')"),
              true)
        << id;
  std::string png = browser.Screenshot();
  ASSERT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_GT(png.size(), 20000u);
  std::string shot = SaveArtifact("docs/demo-lineage.png", png);
  std::printf("screenshot of the demo's lineage page: %s\n", shot.c_str());

  // Clicking a model (with the mouse, on the drawn graph) opens its page with its compiled SQL.
  const std::string model = "model.transform.msdsl_nodes_tracks";
  ASSERT_EQ(browser.Evaluate("window.dlctlLineage.getElementById('" + model + "').length"), 1)
      << browser.Evaluate("window.dlctlLineage.nodes('[kind = \"model\"]').map(n => n.id())").dump();
  auto [x, y] = NodePoint(browser, model);
  browser.Click(x, y);
  ASSERT_TRUE(browser.WaitFor("location.hash === '#/node/" + model + "' && document.querySelector('pre.compiled')"))
      << browser.Evaluate("location.hash");
  std::string compiled = ReadFile(project.dir() / "transform/target/compiled/transform/models/marts/graphs/"
                                                  "music_taste/msdsl_nodes_tracks.sql");
  ASSERT_FALSE(compiled.empty());
  EXPECT_EQ(browser.Evaluate("document.querySelector('pre.compiled').textContent"), compiled);
  EXPECT_EQ(browser.Evaluate("document.querySelector('h1').textContent"), "msdsl_nodes_tracks");
  EXPECT_EQ(browser.Evaluate("document.querySelectorAll('#columns tbody tr').length"), 5);

  // A selector narrows the lineage: the model, what it reads and what reads it.
  browser.Open("file://" + index + "#/lineage?select=%2Bmsdsl_nodes_tracks%2B");
  ASSERT_TRUE(WaitForLineage(browser));
  nlohmann::json shown = browser.Evaluate(
      "Array.from(document.querySelectorAll('#lineage-nodes li')).map(li => li.dataset.id)");
  EXPECT_NE(std::find(shown.begin(), shown.end(), model), shown.end()) << shown.dump();
  EXPECT_NE(std::find(shown.begin(), shown.end(), "graph.music_taste"), shown.end()) << shown.dump();
  EXPECT_EQ(std::find(shown.begin(), shown.end(), "model.transform.dsn_hr_edges"), shown.end()) << shown.dump();

  // The catalog page lists the snapshots `dlctl lake snapshots` lists.
  nlohmann::json snapshots = nlohmann::json::parse(MustRun(project, {"lake", "snapshots", "stage", "--json"}).out);
  browser.Open("file://" + index + "#/catalog/stage");
  ASSERT_TRUE(browser.WaitFor("document.querySelector('#snapshots')"));
  EXPECT_EQ(browser.Evaluate("document.querySelectorAll('#snapshots tbody tr').length"), snapshots.size());
  browser.Open("file://" + index + "#/graph/music_taste");
  ASSERT_TRUE(browser.WaitFor("document.querySelector('#node-tables')"));
  EXPECT_EQ(browser.Evaluate("document.querySelectorAll('#node-tables tbody tr').length"), 3);

  EXPECT_EQ(browser.errors(), std::vector<std::string>{});
}

TEST(DocsBrowser, TheServedSiteShowsTheLiveState) {
  DlctlProject project(Bucket::kLocal);
  MakeSmallLab(project);
  CommandOptions options;
  options.cwd = project.dir();
  options.env = project.env();
  BackgroundCommand server({RequiredEnv("DLCTL_BINARY"), "docs", "serve", "--project-dir", "p", "--port", "0"}, options);
  std::optional<std::string> line = server.ReadLine(60);
  ASSERT_TRUE(line) << "the server said nothing";
  size_t at = line->find("http://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << *line;
  std::string url = line->substr(at, line->find(' ', at) - at);
  int port = std::stoi(url.substr(std::string("http://127.0.0.1:").size()));

  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(60, 0);
  auto api = client.Get("/api/lab");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 200);
  nlohmann::json lab = nlohmann::json::parse(api->body);
  EXPECT_NE(FindNode(lab, "model.p.people"), nullptr);

  Chromium browser;
  browser.Open(url + "#/catalog/stage");
  ASSERT_TRUE(browser.WaitFor("document.querySelector('#snapshots')")) << ::testing::PrintToString(browser.errors());
  nlohmann::json before = browser.Evaluate("document.querySelectorAll('#snapshots tbody tr').length");
  // The lab changes while the page is open; Refresh asks the API for the live state.
  MustRun(project, {"query", "CREATE TABLE stage.main.later AS SELECT 42 AS answer"});
  browser.Evaluate("document.getElementById('refresh').click()");
  ASSERT_TRUE(browser.WaitFor("document.querySelectorAll('#snapshots tbody tr').length === " +
                              std::to_string(before.get<int>() + 1)))
      << before;
  EXPECT_EQ(browser.Evaluate("Array.from(document.querySelectorAll('#tables td')).some(td => td.textContent === 'later')"),
            true);

  browser.Open(url + "#/lineage");
  ASSERT_TRUE(WaitForLineage(browser));
  EXPECT_EQ(browser.Evaluate("document.querySelectorAll('#lineage-nodes li[data-kind=\"model\"]').length"), 3);
  auto [x, y] = NodePoint(browser, "model.p.people");
  browser.Click(x, y);
  ASSERT_TRUE(browser.WaitFor("document.querySelector('pre.compiled')"));
  EXPECT_NE(browser.Evaluate("document.querySelector('pre.compiled').textContent").get<std::string>().find("people.csv"),
            std::string::npos);
  EXPECT_EQ(browser.errors(), std::vector<std::string>{});
}

}  // namespace
}  // namespace dlctl::testing
