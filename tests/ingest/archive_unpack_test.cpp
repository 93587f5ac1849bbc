#include "ingest/archive_unpack.h"

#include <gtest/gtest.h>

#include "support/error_of.h"
#include "support/test_env.h"
#include "zip_fixture.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::ZipEntry;

class ArchiveUnpack : public ::testing::Test {
 protected:
  fs::path Zip(const std::vector<ZipEntry>& entries) {
    fs::path zip = dir_.path() / "in.zip";
    testing::WriteFile(zip, testing::MakeZip(entries));
    return zip;
  }
  // Everything below dir_, relative to it, to see that nothing landed outside the target.
  std::vector<std::string> Tree() {
    std::vector<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(dir_.path()))
      if (!e.is_directory()) found.push_back(fs::relative(e.path(), dir_.path()).generic_string());
    std::sort(found.begin(), found.end());
    return found;
  }
  testing::TempDir dir_;
  fs::path out_ = dir_.path() / "deep" / "out";
};

TEST_F(ArchiveUnpack, KeepsTheFolderStructure) {
  EXPECT_EQ(UnpackArchive(Zip(testing::DeezerEntries()), out_), 6u);
  EXPECT_EQ(testing::ReadFile(out_ / "HR" / "HR_edges.csv"), "node_1,node_2\n0,4076\n0,7015\n");
  EXPECT_EQ(testing::ReadFile(out_ / "RO" / "RO_genres.json"), "{\"1\": [\"Rock\"]}");
  EXPECT_EQ(Tree().size(), 7u);  // the six files and the zip
}

TEST_F(ArchiveUnpack, RefusesEntriesClimbingOut) {
  std::string error = testing::ErrorOf([&] { UnpackArchive(Zip({{"ok.csv", "a", ""}, {"../evil", "x", ""}}), out_); });
  EXPECT_EQ(error, "refusing to unpack in.zip: entry '../evil' climbs out with '..'");
  error = testing::ErrorOf([&] { UnpackArchive(Zip({{"HR/../../../evil", "x", ""}}), out_); });
  EXPECT_NE(error.find("climbs out"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_.path() / "evil"));
  EXPECT_FALSE(fs::exists(dir_.path() / "deep" / "evil"));
}

TEST_F(ArchiveUnpack, RefusesAbsolutePaths) {
  fs::path target = dir_.path() / "abs-evil";
  std::string error = testing::ErrorOf([&] { UnpackArchive(Zip({{target.string(), "x", ""}}), out_); });
  EXPECT_EQ(error, "refusing to unpack in.zip: entry '" + target.string() + "' is an absolute path");
  EXPECT_FALSE(fs::exists(target));
}

TEST_F(ArchiveUnpack, RefusesSymlinksPointingOut) {
  std::string error =
      testing::ErrorOf([&] { UnpackArchive(Zip({{"HR/link", "", "../../../../etc/passwd"}}), out_); });
  EXPECT_EQ(error, "refusing to unpack in.zip: symlink 'HR/link' points outside (to '../../../../etc/passwd')");
  error = testing::ErrorOf([&] { UnpackArchive(Zip({{"link", "", "/etc"}, {"link/passwd", "x", ""}}), out_); });
  EXPECT_NE(error.find("symlink 'link' points outside"), std::string::npos);
  EXPECT_FALSE(fs::exists(out_ / "link"));
}

TEST_F(ArchiveUnpack, SymlinksStayingInsideAreKept) {
  UnpackArchive(Zip({{"HR/HR_edges.csv", "edges", ""}, {"latest/edges.csv", "", "../HR/HR_edges.csv"}}), out_);
  EXPECT_TRUE(fs::is_symlink(out_ / "latest" / "edges.csv"));
  EXPECT_EQ(testing::ReadFile(out_ / "latest" / "edges.csv"), "edges");
}

TEST_F(ArchiveUnpack, SomethingElseThanAnArchiveIsAClearError) {
  fs::path bogus = dir_.path() / "page.zip";
  testing::WriteFile(bogus, "<html>not a zip</html>");
  EXPECT_NE(testing::ErrorOf([&] { UnpackArchive(bogus, out_); }).find("cannot unpack page.zip"), std::string::npos);
}

}  // namespace
}  // namespace dlctl
