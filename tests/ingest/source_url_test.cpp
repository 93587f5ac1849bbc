#include "ingest/source_url.h"

#include <gtest/gtest.h>

#include "support/error_of.h"
#include "util/error.h"

namespace dlctl {
namespace {

std::string Shape(const std::string& url) {
  SourceRef r = ParseSourceUrl(url);
  return std::string(r.kind == SourceKind::kKaggle ? "kaggle" : "hf") + " " + r.owner + "/" + r.dataset + " rev=" +
         r.revision + " path=" + r.path + (r.path_is_file ? " (file)" : "");
}

TEST(SourceUrl, KaggleUrlsAsUsersPasteThem) {
  const char* plain = "kaggle andreagarritano/deezer-social-networks rev= path=";
  EXPECT_EQ(Shape("https://www.kaggle.com/datasets/andreagarritano/deezer-social-networks"), plain);
  EXPECT_EQ(Shape("https://www.kaggle.com/datasets/andreagarritano/deezer-social-networks/"), plain);
  EXPECT_EQ(Shape("https://kaggle.com/datasets/andreagarritano/deezer-social-networks/data"), plain);
  EXPECT_EQ(Shape("https://www.kaggle.com/datasets/andreagarritano/deezer-social-networks/data?select=HR%2FHR_edges.csv"),
            plain);
  EXPECT_EQ(Shape("HTTPS://WWW.Kaggle.com/datasets/andreagarritano/deezer-social-networks#top"), plain);
  EXPECT_EQ(Shape("https://www.kaggle.com/datasets/andreagarritano/deezer-social-networks/versions/3"),
            "kaggle andreagarritano/deezer-social-networks rev=3 path=");
}

TEST(SourceUrl, HuggingFaceUrlsWithRevisionsAndPaths) {
  EXPECT_EQ(Shape("https://huggingface.co/datasets/stanfordnlp/imdb"), "hf stanfordnlp/imdb rev= path=");
  EXPECT_EQ(Shape("https://huggingface.co/datasets/stanfordnlp/imdb/"), "hf stanfordnlp/imdb rev= path=");
  EXPECT_EQ(Shape("https://hf.co/datasets/stanfordnlp/imdb/viewer/plain_text/train?p=2"),
            "hf stanfordnlp/imdb rev= path=");
  EXPECT_EQ(Shape("https://huggingface.co/datasets/stanfordnlp/imdb/tree/main"), "hf stanfordnlp/imdb rev=main path=");
  EXPECT_EQ(Shape("https://huggingface.co/datasets/stanfordnlp/imdb/tree/main/plain_text/"),
            "hf stanfordnlp/imdb rev=main path=plain_text");
  EXPECT_EQ(Shape("https://huggingface.co/datasets/stanfordnlp/imdb/blob/v1.0/plain_text/train-00000.parquet"),
            "hf stanfordnlp/imdb rev=v1.0 path=plain_text/train-00000.parquet (file)");
  EXPECT_EQ(Shape("https://huggingface.co/datasets/stanfordnlp/imdb/resolve/main/README.md?download=true"),
            "hf stanfordnlp/imdb rev=main path=README.md (file)");
  EXPECT_EQ(Shape("https://huggingface.co/datasets/stanfordnlp/imdb/tree/refs%2Fconvert%2Fparquet/plain%20text"),
            "hf stanfordnlp/imdb rev=refs/convert/parquet path=plain text");
}

TEST(SourceUrl, UnknownHostsAndShapesAreUsageErrors) {
  for (const char* url : {"https://example.com/datasets/a/b", "ftp://www.kaggle.com/datasets/a/b",
                          "https://www.kaggle.com/competitions/titanic", "https://www.kaggle.com/datasets/onlyowner",
                          "https://www.kaggle.com/datasets/a/b/oops", "https://huggingface.co/bert-base-uncased",
                          "https://huggingface.co/datasets/a", "https://huggingface.co/datasets/a/b/tree",
                          "https://huggingface.co/datasets/a/../b", "https://huggingface.co/datasets/a/b/tree/main/../x",
                          "https://user:pw@huggingface.co/datasets/a/b", "https://huggingface.co/datasets/a/b c",
                          "https://huggingface.co/datasets/a%2/b"}) {
    try {
      ParseSourceUrl(url);
      ADD_FAILURE() << url << " was accepted";
    } catch (const UsageError& e) {
      std::string message = e.what();
      EXPECT_NE(message.find("unsupported dataset URL"), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos);
    }
  }
  EXPECT_NE(testing::ErrorOf([] { ParseSourceUrl("https://example.com/datasets/a/b"); }).find("unknown host 'example.com'"),
            std::string::npos);
}

}  // namespace
}  // namespace dlctl
