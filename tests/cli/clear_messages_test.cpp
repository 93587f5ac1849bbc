// What a person sees when something is off: secrets masked as whole values without garbling the
// message, and a clear error (or warning) for input that used to pass silently or read oddly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "support/dlctl_project.h"
#include "support/test_env.h"

namespace dlctl::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int CountLines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST(ClearMessages, AOneLetterSecretLeavesMessagesReadableAndIsWarnedAboutOnce) {
  S3Settings s3 = TestS3Settings();
  DlctlProject project(Bucket::kS3);
  CommandResult r = project.Run({"ingest", "ls"}, {{"S3_SECRET_ACCESS_KEY", "e"}});
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(CountLines(r.err), 2) << r.err;
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "dlctl: warning: S3_SECRET_ACCESS_KEY is unusually short for a secret (1 character): messages do not "
            "mask it");
  EXPECT_THAT(r.err, HasSubstr("S3 ListObjectsV2 s3://" + project.settings().bucket + "/raw/ at http://" + s3.endpoint +
                               " failed: HTTP 403 SignatureDoesNotMatch"));
  EXPECT_THAT(r.err, Not(HasSubstr("***")));
}

TEST(ClearMessages, SecretsAreMaskedWhereTheyStandAsAWordAndOnlyThere) {
  DlctlProject project(Bucket::kLocal);
  std::map<std::string, std::string> env = {{"HF_TOKEN", "hf_0123456789abcdef"}};
  CommandResult alone = project.Run({"query", "select * from 'hf_0123456789abcdef.csv'"}, env);
  EXPECT_EQ(alone.exit_code, 1);
  EXPECT_THAT(alone.err, HasSubstr("***.csv"));
  EXPECT_THAT(alone.err, Not(HasSubstr("0123456789abcdef")));

  // Inside a longer word it is not the secret: masking it would garble the message and tell
  // where the secret is.
  CommandResult inside = project.Run({"query", "select * from 'xhf_0123456789abcdefx.csv'"}, env);
  EXPECT_EQ(inside.exit_code, 1);
  EXPECT_THAT(inside.err, HasSubstr("xhf_0123456789abcdefx.csv"));
  EXPECT_EQ(CountLines(inside.err), 1) << inside.err << "a secret of 8 or more characters: no warning";
}

TEST(ClearMessages, ASnapshotThatIsNoNumberIsNamedAsSuch) {
  DlctlProject project(Bucket::kLocal);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"export", "dataset", "graphs", "music", "--snapshot", "abc"},
        {"lake", "tables", "stage", "--snapshot", "-1"}, {"graph", "load", "music", "--snapshot", "1.5"},
        {"query", "--snapshot", "stage=x", "select 1"}}) {
    CommandResult r = project.Run(args);
    EXPECT_EQ(r.exit_code, 2) << ::testing::PrintToString(args);
    EXPECT_EQ(CountLines(r.err), 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr("--snapshot"));
    EXPECT_THAT(r.err, HasSubstr("snapshot id, a whole number >= 0"));
    EXPECT_FALSE(std::regex_search(r.err, std::regex("[0-9]{12}"))) << r.err;
  }
}

TEST(ClearMessages, AQueryWithoutAStatementIsAUsageError) {
  DlctlProject project(Bucket::kLocal);
  for (const char* sql : {"", "  ;\n ; ", "-- just a comment", "/* nothing */ ;"}) {
    CommandResult r = project.Run({"query", sql});
    EXPECT_EQ(r.exit_code, 2) << sql;
    EXPECT_THAT(r.err, HasSubstr("dlctl: error: query needs a SQL statement to run")) << sql;
    EXPECT_EQ(CountLines(r.err), 1) << r.err;
    EXPECT_EQ(r.out, "");
  }
  EXPECT_EQ(project.Query("select '--' || 'x' as y /* a comment after */"), "y\n--x\n");
}

TEST(ClearMessages, AnUnknownEnvFileKeyIsNamedWithTheClosestSetting) {
  DlctlProject project(Bucket::kLocal);
  WriteFile(project.dir() / ".env", "S3_BUKET=my-lab\nMY_OWN_VARIABLE=1\nS3_INGEST_PREFIX=raw\n");
  CommandResult r = project.Run({"ingest", "ls"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "dlctl: warning: .env sets S3_BUKET, which is not a dlctl setting: did you mean S3_BUCKET?\n");
  CommandResult named = project.Run({"--env-file", ".env", "ingest", "ls"});
  EXPECT_EQ(named.err, r.err);
}

TEST(ClearMessages, TheMainSchemaOfALakeCatalogCannotBeDropped) {
  DlctlProject project(Bucket::kLocal);
  project.Query("CREATE TABLE stage.main.before AS SELECT 1 AS x");
  for (const char* drop : {"DROP SCHEMA stage.main", "DROP SCHEMA IF EXISTS stage.main CASCADE"}) {
    CommandResult r = project.Run({"query", drop});
    EXPECT_EQ(r.exit_code, 1) << drop;
    EXPECT_THAT(r.err, HasSubstr("Catalog Error: Cannot drop schema \"main\" of catalog stage: every catalog keeps it")) << r.err;
    EXPECT_EQ(CountLines(r.err), 1) << r.err;
  }
  project.Query("CREATE TABLE stage.main.t AS SELECT 2 AS x");
  EXPECT_EQ(project.Query("SELECT * FROM stage.main.before UNION ALL SELECT * FROM stage.main.t ORDER BY x"),
            "x\n1\n2\n");
}

}  // namespace
}  // namespace dlctl::testing
