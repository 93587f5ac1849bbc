#include "storage/s3_store.h"

#include "util/error.h"

namespace dlctl {

class S3Store::Impl {};

S3Store::S3Store(S3Settings, std::string, S3Tuning) { throw Error("S3Store: not implemented yet"); }
S3Store::~S3Store() = default;
std::string S3Store::Uri(std::string_view) const { return {}; }
std::optional<std::string> S3Store::KeyOf(std::string_view) const { return {}; }
void S3Store::Put(const std::string&, std::string_view) {}
void S3Store::PutFile(const std::string&, const std::filesystem::path&, const ProgressFn&) {}
std::unique_ptr<ObjectWriter> S3Store::OpenWriter(const std::string&) { return {}; }
std::string S3Store::Get(const std::string&) { return {}; }
void S3Store::GetToFile(const std::string&, const std::filesystem::path&, const ProgressFn&) {}
size_t S3Store::ReadRange(const std::string&, uint64_t, uint64_t, char*) { return 0; }
std::optional<ObjectInfo> S3Store::Head(const std::string&) { return {}; }
std::vector<ObjectInfo> S3Store::List(const std::string&) { return {}; }
Listing S3Store::ListFolder(const std::string&) { return {}; }
void S3Store::Delete(const std::string&) {}
void S3Store::DeleteMany(const std::vector<std::string>&) {}
void S3Store::Copy(const std::string&, const std::string&) {}
std::string S3Store::Describe() const { return {}; }
void S3Store::CreateBucket() {}

}  // namespace dlctl
