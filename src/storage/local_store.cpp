#include "storage/local_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

#include "util/error.h"

namespace dlctl {
namespace fs = std::filesystem;

namespace {

std::string SystemError(const std::string& what, const fs::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

void CopyStream(std::istream& in, std::ostream& out, uint64_t total, const ProgressFn& progress) {
  std::vector<char> buffer(1 << 20);
  uint64_t done = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    std::streamsize n = in.gcount();
    if (n <= 0) break;
    out.write(buffer.data(), n);
    done += static_cast<uint64_t>(n);
    if (progress) progress(done, total);
  }
}

bool HasAnyFile(const fs::path& dir) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file()) return true;
  return false;
}

class LocalWriter : public ObjectWriter {
 public:
  LocalWriter(LocalStore* store, fs::path staged, std::string key, std::function<void()> publish)
      : store_(store), staged_(std::move(staged)), key_(std::move(key)), publish_(std::move(publish)),
        out_(staged_, std::ios::binary | std::ios::trunc) {
    if (!out_) throw Error(SystemError("cannot create", staged_));
  }
  ~LocalWriter() override {
    if (!committed_) {
      out_.close();
      std::error_code ec;
      fs::remove(staged_, ec);
    }
  }
  void Write(const void* data, size_t size) override {
    out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out_) throw Error("cannot write " + staged_.string() + " for key " + key_);
  }
  void Commit() override {
    out_.close();
    if (!out_) throw Error("cannot write " + staged_.string() + " for key " + key_);
    publish_();
    committed_ = true;
  }

 private:
  LocalStore* store_;
  fs::path staged_;
  std::string key_;
  std::function<void()> publish_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace

LocalStore::LocalStore(fs::path root) : root_(fs::absolute(root).lexically_normal()) {
  if (root_.filename().empty()) root_ = root_.parent_path();
  staging_ = root_.parent_path() / (".staging-" + root_.filename().string());
  std::error_code ec;
  fs::create_directories(root_, ec);
  if (ec) throw Error("cannot create local bucket folder " + root_.string() + ": " + ec.message());
}

std::string LocalStore::Bucket() const { return root_.filename().string(); }

std::string LocalStore::Uri(std::string_view key) const { return (root_ / std::string(key)).string(); }

std::optional<std::string> LocalStore::KeyOf(std::string_view uri) const {
  std::string root = root_.string() + "/";
  if (uri.substr(0, root.size()) != root) return std::nullopt;
  return std::string(uri.substr(root.size()));
}

fs::path LocalStore::PathOf(const std::string& key) const {
  if (key.empty()) throw UsageError("empty object key");
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string::npos) end = key.size();
    std::string segment = key.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..")
      throw UsageError("object key '" + key + "' cannot be stored in a local folder (empty, '.' or '..' segment)");
    start = end + 1;
  }
  return root_ / key;
}

fs::path LocalStore::StagingFile() {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::call_once(staging_swept_, [this] {
    try {
      for (const PendingUpload& upload : PendingUploads())
        if (IsAbandoned(upload, std::chrono::system_clock::now())) DiscardPendingUpload(upload);
    } catch (const std::exception&) {
      // Best effort: leftovers are also what `dlctl tools gc` removes.
    }
  });
  std::error_code ec;
  fs::create_directories(staging_, ec);
  if (ec) throw Error("cannot create staging folder " + staging_.string() + ": " + ec.message());
  return staging_ / (std::to_string(counter++) + "-" + std::to_string(rng()) + "." + OwnerTag(CurrentProcess()));
}

// "<counter>-<random>.<owner tag>"; files of dlctl versions before the tag, "<pid>-<counter>-<random>",
// have no owner anyone can check.
std::vector<PendingUpload> LocalStore::PendingUploads() {
  std::vector<PendingUpload> uploads;
  std::error_code ec;
  for (fs::directory_iterator it(staging_, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec)) continue;
    PendingUpload upload;
    upload.id = it->path().string();
    upload.description = it->path().string();
    upload.bytes = it->file_size(file_ec);
    upload.last_activity = std::chrono::file_clock::to_sys(it->last_write_time(file_ec));
    if (file_ec) continue;  // gone since the listing: finished
    std::string name = it->path().filename().string();
    size_t dot = name.find('.');
    std::optional<ProcessOwner> owner = dot == std::string::npos ? std::nullopt : ParseOwnerTag(name.substr(dot + 1));
    upload.owner = owner ? CheckLiveness(*owner) : Liveness::kUnknown;
    uploads.push_back(std::move(upload));
  }
  std::sort(uploads.begin(), uploads.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return uploads;
}

void LocalStore::DiscardPendingUpload(const PendingUpload& upload) {
  fs::path path(upload.id);
  if (path.parent_path() != staging_) throw Error("not a staging file of " + Describe() + ": " + upload.id);
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) throw Error("cannot delete " + path.string() + ": " + ec.message());
}

void LocalStore::Publish(const fs::path& staged, const std::string& key) {
  fs::path target = PathOf(key);
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) throw Error("cannot create folder for key " + key + ": " + ec.message());
  if (fs::is_directory(target)) {
    fs::remove(staged, ec);
    throw Error("cannot store key " + key + ": a local folder of that name holds other keys");
  }
  fs::rename(staged, target, ec);
  if (ec) {
    fs::remove(staged, ec);
    throw Error("cannot store key " + key + " in " + root_.string() + ": " + ec.message());
  }
}

void LocalStore::Put(const std::string& key, std::string_view data) {
  auto writer = OpenWriter(key);
  writer->Write(data.data(), data.size());
  writer->Commit();
}

void LocalStore::PutFile(const std::string& key, const fs::path& file, const ProgressFn& progress) {
  PathOf(key);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(SystemError("cannot read", file));
  uint64_t total = fs::file_size(file);
  fs::path staged = StagingFile();
  {
    std::ofstream out(staged, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(SystemError("cannot create", staged));
    CopyStream(in, out, total, progress);
    if (!out || in.bad()) {
      std::error_code ec;
      fs::remove(staged, ec);
      throw Error("cannot copy " + file.string() + " to key " + key);
    }
  }
  Publish(staged, key);
}

std::unique_ptr<ObjectWriter> LocalStore::OpenWriter(const std::string& key) {
  PathOf(key);
  fs::path staged = StagingFile();
  return std::make_unique<LocalWriter>(this, staged, key, [this, staged, key] { Publish(staged, key); });
}

std::string LocalStore::Get(const std::string& key) {
  fs::path path = PathOf(key);
  std::ifstream in(path, std::ios::binary);
  if (!in || !fs::is_regular_file(path)) throw NotFoundError("no such object: " + Uri(key));
  std::string data;
  data.resize(fs::file_size(path));
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  if (in.gcount() != static_cast<std::streamsize>(data.size())) throw Error("short read of " + path.string());
  return data;
}

void LocalStore::GetToFile(const std::string& key, const fs::path& file, const ProgressFn& progress) {
  fs::path path = PathOf(key);
  std::ifstream in(path, std::ios::binary);
  if (!in || !fs::is_regular_file(path)) throw NotFoundError("no such object: " + Uri(key));
  fs::path tmp = file;
  tmp += ".dlctl-part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(SystemError("cannot create", tmp));
    CopyStream(in, out, fs::file_size(path), progress);
    if (!out) throw Error(SystemError("cannot write", tmp));
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  if (ec) throw Error("cannot write " + file.string() + ": " + ec.message());
}

size_t LocalStore::ReadRange(const std::string& key, uint64_t offset, uint64_t length, char* out) {
  fs::path path = PathOf(key);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) throw NotFoundError("no such object: " + Uri(key));
    throw Error(SystemError("cannot open", path));
  }
  size_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd, out + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      throw Error(SystemError("cannot read", path));
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return done;
}

std::optional<ObjectInfo> LocalStore::Head(const std::string& key) {
  fs::path path = PathOf(key);
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::is_regular_file(status)) return std::nullopt;
  return ObjectInfo{key, fs::file_size(path)};
}

void LocalStore::Walk(const fs::path& dir, const std::string& dir_key, const std::string& prefix, bool recursive,
                      Listing& out) const {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::string key = dir_key + name;
    bool is_dir = it->is_directory();
    // Keep entries that extend the prefix, or folders the prefix continues into.
    std::string as_folder = key + "/";
    if (key.rfind(prefix, 0) != 0 && !(is_dir && prefix.rfind(as_folder, 0) == 0)) continue;
    if (is_dir) {
      if (recursive || prefix.size() >= as_folder.size()) {
        Walk(it->path(), as_folder, prefix, recursive, out);
      } else if (HasAnyFile(it->path())) {
        out.common_prefixes.push_back(as_folder);
      }
    } else if (it->is_regular_file() && key.rfind(prefix, 0) == 0) {
      out.objects.push_back(ObjectInfo{key, it->file_size()});
    }
  }
}

std::vector<ObjectInfo> LocalStore::List(const std::string& prefix) {
  Listing listing;
  Walk(root_, "", prefix, true, listing);
  std::sort(listing.objects.begin(), listing.objects.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return listing.objects;
}

Listing LocalStore::ListFolder(const std::string& prefix) {
  Listing listing;
  Walk(root_, "", prefix, false, listing);
  std::sort(listing.objects.begin(), listing.objects.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  std::sort(listing.common_prefixes.begin(), listing.common_prefixes.end());
  return listing;
}

void LocalStore::Delete(const std::string& key) {
  fs::path path = PathOf(key);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return;
  if (!fs::remove(path, ec) && ec) throw Error("cannot delete " + path.string() + ": " + ec.message());
  // S3 has no folders: drop the ones this delete left empty.
  for (fs::path dir = path.parent_path(); dir != root_ && dir.string().size() > root_.string().size();
       dir = dir.parent_path()) {
    if (!fs::is_empty(dir, ec) || ec || !fs::remove(dir, ec)) break;
  }
}

void LocalStore::DeleteMany(const std::vector<std::string>& keys) {
  for (const auto& key : keys) Delete(key);
}

void LocalStore::Copy(const std::string& from_key, const std::string& to_key) {
  fs::path from = PathOf(from_key);
  if (!fs::is_regular_file(from)) throw NotFoundError("no such object: " + Uri(from_key));
  PutFile(to_key, from, {});
}

std::string LocalStore::Describe() const { return "local folder " + root_.string(); }

}  // namespace dlctl
