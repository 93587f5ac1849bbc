#include "ingest/archive_unpack.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string>
#include <vector>

#include "util/error.h"

namespace dlctl {
namespace fs = std::filesystem;

namespace {

struct ReaderDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct WriterDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};

// An entry name's parts; '\' counts as a separator too (archives made on Windows).
std::vector<std::string> Parts(const std::string& name) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : name) {
    if (c == '/' || c == '\\') {
      if (!part.empty()) parts.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  if (!part.empty()) parts.push_back(part);
  return parts;
}

bool IsAbsolute(const std::string& name) {
  return !name.empty() && (name[0] == '/' || name[0] == '\\' || (name.size() >= 2 && name[1] == ':'));
}

// The entry's path inside the target, '/'-separated, or an Error when it would leave it.
std::string SafeName(const fs::path& archive, const std::string& name, const char* what) {
  auto refuse = [&](const std::string& why) {
    throw Error("refusing to unpack " + archive.filename().string() + ": " + what + " '" + name + "' " + why);
  };
  if (IsAbsolute(name)) refuse("is an absolute path");
  std::string safe;
  for (const auto& part : Parts(name)) {
    if (part == "..") refuse("climbs out with '..'");
    if (part == ".") continue;
    safe += (safe.empty() ? "" : "/") + part;
  }
  if (safe.empty()) refuse("names no file");
  return safe;
}

// A symlink's target, resolved against the link's folder, must stay inside.
void CheckSymlink(const fs::path& archive, const std::string& link, const std::string& points_to) {
  auto refuse = [&] {
    throw Error("refusing to unpack " + archive.filename().string() + ": symlink '" + link + "' points outside (to '" +
                points_to + "')");
  };
  if (IsAbsolute(points_to)) refuse();
  std::vector<std::string> resolved = Parts(link);
  resolved.pop_back();  // the link's own name
  for (const auto& part : Parts(points_to)) {
    if (part == ".") continue;
    if (part != "..") {
      resolved.push_back(part);
    } else if (resolved.empty()) {
      refuse();
    } else {
      resolved.pop_back();
    }
  }
}

[[noreturn]] void Fail(const fs::path& archive_path, struct archive* a, const std::string& doing) {
  const char* why = archive_error_string(a);
  throw Error("cannot unpack " + archive_path.filename().string() + ": " + doing + ": " + (why ? why : "unknown error"));
}

}  // namespace

uint64_t UnpackArchive(const fs::path& archive_path, const fs::path& target) {
  std::unique_ptr<archive, ReaderDeleter> in(archive_read_new());
  archive_read_support_format_all(in.get());
  archive_read_support_filter_all(in.get());
  if (archive_read_open_filename(in.get(), archive_path.c_str(), 1 << 20) != ARCHIVE_OK)
    Fail(archive_path, in.get(), "not an archive libarchive reads");

  std::unique_ptr<archive, WriterDeleter> out(archive_write_disk_new());
  // Our own checks come first and explain themselves; these are libarchive's as a second line.
  archive_write_disk_set_options(out.get(), ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT);
  std::error_code ec;
  fs::create_directories(target, ec);
  if (ec) throw Error("cannot create " + target.string() + ": " + ec.message());

  uint64_t files = 0;
  archive_entry* entry = nullptr;
  for (;;) {
    int r = archive_read_next_header(in.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) Fail(archive_path, in.get(), "reading its next entry");
    const char* raw = archive_entry_pathname_utf8(entry);
    if (!raw) raw = archive_entry_pathname(entry);
    std::string name = raw ? raw : "";
    std::string safe = SafeName(archive_path, name, "entry");
    mode_t type = archive_entry_filetype(entry);
    if (type == AE_IFLNK) {
      const char* to = archive_entry_symlink(entry);
      CheckSymlink(archive_path, safe, to ? to : "");
    } else if (type != AE_IFREG && type != AE_IFDIR) {
      throw Error("refusing to unpack " + archive_path.filename().string() + ": entry '" + name +
                  "' is a special file");
    }
    if (const char* hardlink = archive_entry_hardlink(entry))
      archive_entry_set_hardlink(entry, (target / SafeName(archive_path, hardlink, "hard link target")).c_str());
    archive_entry_set_pathname(entry, (target / safe).c_str());
    if (archive_write_header(out.get(), entry) < ARCHIVE_WARN) Fail(archive_path, out.get(), "writing " + safe);
    if (archive_entry_size(entry) > 0 || type == AE_IFREG) {
      const void* block;
      size_t size;
      la_int64_t offset;
      for (;;) {
        r = archive_read_data_block(in.get(), &block, &size, &offset);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN) Fail(archive_path, in.get(), "reading " + safe);
        if (archive_write_data_block(out.get(), block, size, offset) < ARCHIVE_WARN)
          Fail(archive_path, out.get(), "writing " + safe);
      }
    }
    if (archive_write_finish_entry(out.get()) < ARCHIVE_WARN) Fail(archive_path, out.get(), "writing " + safe);
    if (type == AE_IFREG) ++files;
  }
  if (archive_write_close(out.get()) != ARCHIVE_OK) Fail(archive_path, out.get(), "finishing");
  return files;
}

}  // namespace dlctl
