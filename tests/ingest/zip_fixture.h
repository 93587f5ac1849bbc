#pragma once
// Zip archives for the tests, written with libarchive's writer.
#include <archive.h>
#include <archive_entry.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace dlctl::testing {

struct ZipEntry {
  std::string name;
  std::string content;      // a file's bytes
  std::string symlink_to;   // non-empty: a symlink
};

inline std::string MakeZip(const std::vector<ZipEntry>& entries) {
  archive* zip = archive_write_new();
  archive_write_set_format_zip(zip);
  size_t capacity = 1 << 20;  // room for incompressible content and the headers
  for (const auto& e : entries) capacity += e.content.size() + e.name.size() * 3 + 1024;
  std::vector<char> buffer(capacity);
  size_t used = 0;
  if (archive_write_open_memory(zip, buffer.data(), buffer.size(), &used) != ARCHIVE_OK)
    throw std::runtime_error(archive_error_string(zip));
  for (const auto& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    if (!e.symlink_to.empty()) {
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_symlink(entry, e.symlink_to.c_str());
      archive_entry_set_perm(entry, 0777);
    } else {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_perm(entry, 0644);
      archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
    }
    if (archive_write_header(zip, entry) != ARCHIVE_OK) throw std::runtime_error(archive_error_string(zip));
    if (!e.content.empty()) archive_write_data(zip, e.content.data(), e.content.size());
    archive_entry_free(entry);
  }
  archive_write_close(zip);
  archive_write_free(zip);
  return std::string(buffer.data(), used);
}

// The layout of andreagarritano/deezer-social-networks: one folder per country.
inline std::vector<ZipEntry> DeezerEntries() {
  return {{"HR/HR_edges.csv", "node_1,node_2\n0,4076\n0,7015\n", ""},
          {"HR/HR_genres.json", "{\"11542\": [\"Pop\"]}", ""},
          {"HU/HU_edges.csv", "node_1,node_2\n0,14270\n", ""},
          {"HU/HU_genres.json", "{\"0\": [\"Dance\"]}", ""},
          {"RO/RO_edges.csv", "node_1,node_2\n0,3\n", ""},
          {"RO/RO_genres.json", "{\"1\": [\"Rock\"]}", ""}};
}

}  // namespace dlctl::testing
