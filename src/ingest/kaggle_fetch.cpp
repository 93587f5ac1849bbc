// FetchKaggle: the Kaggle public API (api/v1), as kagglehub calls it.
#include <nlohmann/json.hpp>

#include <fstream>

#include "ingest/archive_unpack.h"
#include "ingest/credentials.h"
#include "ingest/source_fetch.h"
#include "util/error.h"

namespace dlctl {
namespace fs = std::filesystem;

namespace {

bool IsVersionNumber(const std::string& s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// The API's refusals in words a user can act on.
[[noreturn]] void Explain(const HttpStatusError& e, const SourceRef& ref, const std::string& version,
                          const SourceSettings& sources, bool had_credentials) {
  long status = e.response().status;
  std::string subject = Describe(ref) + (version.empty() ? "" : " version " + version);
  if (status == 401 || status == 403) {
    std::string why = had_credentials ? "the credentials were refused, or the account may not download it"
                                      : "no Kaggle credentials are set: " + KaggleCredentialHint(sources);
    throw Error(subject + ": Kaggle answered HTTP " + std::to_string(status) + ": " + why);
  }
  if (status == 404) throw NotFoundError("no Kaggle dataset " + subject + " (or it is private to another account)");
  throw e;
}

std::string CurrentVersion(const HttpClient& http, const std::string& api, const std::string& handle,
                           const std::string& auth) {
  HttpResponse view = http.Get(api + "view/" + handle, auth);
  auto json = nlohmann::json::parse(view.body, nullptr, false);
  if (!json.is_object() || !json.contains("currentVersionNumber") || !json["currentVersionNumber"].is_number_integer())
    throw Error("Kaggle's answer about " + handle + " has no currentVersionNumber");
  return std::to_string(json["currentVersionNumber"].get<int64_t>());
}

}  // namespace

FetchedDataset FetchKaggle(const SourceRef& ref, const SourceSettings& sources, const HttpClient& http,
                           const FetchOptions& options) {
  std::string version = options.revision.empty() ? ref.revision : options.revision;
  if (!version.empty() && !IsVersionNumber(version))
    throw UsageError("a Kaggle revision is a dataset version number (got '" + version + "')");
  std::string auth = KaggleAuthorization(sources);
  std::string api = sources.kaggle_endpoint + "/api/v1/datasets/";
  std::string handle = ref.owner + "/" + ref.dataset;
  fs::path files;
  try {
    if (version.empty()) version = CurrentVersion(http, api, handle, auth);
    fs::path folder = sources.cache_dir / "kaggle" / ref.owner / ref.dataset / version;
    files = folder / "files";
    if (!fs::exists(folder / ".complete")) {  // else this version is cached: nothing to download
      fs::path archive = folder / (ref.dataset + ".zip");  // named as the kaggle CLI names it
      DownloadRequest request;
      request.url = api + "download/" + handle + "?dataset_version_number=" + version;
      request.authorization = auth;
      request.target = archive;
      request.label = handle;
      if (!fs::exists(archive)) http.Download(request);
      fs::path unpacking = folder / "files.unpacking";
      std::error_code ec;
      fs::remove_all(unpacking, ec);
      fs::remove_all(files, ec);
      try {
        UnpackArchive(archive, unpacking);
      } catch (...) {
        fs::remove_all(unpacking, ec);
        throw;
      }
      fs::rename(unpacking, files, ec);
      if (ec) throw Error("cannot move " + unpacking.string() + " into place: " + ec.message());
      std::ofstream(folder / ".complete") << handle << " version " << version << "\n";
      fs::remove(archive, ec);  // the unpacked files are the cache
    }
  } catch (const HttpStatusError& e) {
    Explain(e, ref, version, sources, !auth.empty());
  }
  FetchedDataset fetched;
  fetched.revision = version;
  for (auto& f : CollectFiles(files))
    if (options.filter.Selects(f.relative_key)) fetched.files.push_back(std::move(f));
  return fetched;
}

}  // namespace dlctl
