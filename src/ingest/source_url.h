#pragma once
// The dataset a pasted Kaggle or Hugging Face URL names.
#include <string>

namespace dlctl {

enum class SourceKind { kKaggle, kHuggingFace };

struct SourceRef {
  SourceKind kind;
  std::string owner;
  std::string dataset;   // the slug: "deezer-social-networks"
  std::string revision;  // Kaggle: a version number; Hugging Face: branch, tag or commit. Empty: the latest
  std::string path;      // Hugging Face only: the folder or file of the repo the URL shows; empty: all of it
  bool path_is_file = false;  // a /blob/ or /resolve/ URL
};

// Accepts what users paste from the browser:
//   https://www.kaggle.com/datasets/OWNER/SLUG[/data][/versions/N][?select=FILE]
//   https://huggingface.co/datasets/OWNER/NAME[/tree|blob|resolve/REVISION[/PATH]][?...]
// with or without "www.", trailing slashes, queries and fragments. Kaggle's ?select= only
// picks the file the web viewer previews, so the whole dataset is meant. Anything else is a
// UsageError naming the expected shapes.
SourceRef ParseSourceUrl(const std::string& url);

// "kaggle.com/datasets/owner/slug" or "huggingface.co/datasets/owner/name": for messages.
std::string Describe(const SourceRef& ref);

}  // namespace dlctl
