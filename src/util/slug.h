#pragma once
#include <string>

namespace dlctl {

// Snake-cases a dataset name: ASCII-folded (ICU's Any-Latin; Latin-ASCII), lower case,
// every run of characters other than [a-z0-9] becomes one '_', trimmed at both ends.
// "Your Dataset Name" -> "your_dataset_name", "Café Müller" -> "cafe_muller".
// Throws UsageError when nothing is left.
std::string SnakeCase(const std::string& name);

}  // namespace dlctl
