#include "util/secret_mask.h"

#include <gtest/gtest.h>

namespace dlctl {
namespace {

TEST(SecretMask, MasksTheWholeValueWhereItIsAToken) {
  std::string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY";
  EXPECT_EQ(MaskSecrets("secret=" + secret + ", then more", {secret}), "secret=***, then more");
  EXPECT_EQ(MaskSecrets("'" + secret + "' and \"" + secret + "\"", {secret}), "'***' and \"***\"");
  EXPECT_EQ(MaskSecrets(secret, {secret}), "***");
  EXPECT_EQ(MaskSecrets("user:" + secret + "@host", {secret}), "user:***@host");
}

TEST(SecretMask, LeavesWordsThatMerelyContainTheValue) {
  EXPECT_EQ(MaskSecrets("ListObjectsV2 failed: objects", {"Objects"}), "ListObjectsV2 failed: objects")
      << "shorter than 8: never masked";
  EXPECT_EQ(MaskSecrets("ListObjectsV2", {"ListObjects"}), "ListObjectsV2") << "inside a longer word";
  EXPECT_EQ(MaskSecrets("xpassword1234", {"password1234"}), "xpassword1234");
  EXPECT_EQ(MaskSecrets("password1234_suffix", {"password1234"}), "password1234_suffix");
  EXPECT_EQ(MaskSecrets("password1234 password1234x", {"password1234"}), "*** password1234x");
}

TEST(SecretMask, ShortSecretsAreNeverMasked) {
  EXPECT_EQ(MaskSecrets("S3 ListObjectsV2 s3://b at http://h failed", {"e"}),
            "S3 ListObjectsV2 s3://b at http://h failed");
  EXPECT_EQ(MaskSecrets("the key is 1234567 here", {"1234567"}), "the key is 1234567 here");
  EXPECT_EQ(MaskSecrets("the key is 12345678 here", {"12345678"}), "the key is *** here");
}

TEST(SecretMask, SecretsStartingOrEndingWithASeparatorAreTokensAnywhere) {
  EXPECT_EQ(MaskSecrets("key=abc/defgh+", {"/defgh+"}), "key=abc/defgh+") << "7 characters";
  EXPECT_EQ(MaskSecrets("path a/bcdefgh+ end", {"/bcdefgh+"}), "path a*** end");
}

TEST(SecretMask, TheLongestSecretGoesFirst) {
  EXPECT_EQ(MaskSecrets("token abcdefgh-ijklmnop here", {"abcdefgh", "abcdefgh-ijklmnop"}), "token *** here");
}

TEST(SecretMask, MultiByteLettersContinueAWord) {
  EXPECT_EQ(MaskSecrets("clé12345678é", {"12345678"}), "clé12345678é");
}

}  // namespace
}  // namespace dlctl
