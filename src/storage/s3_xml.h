#pragma once
// The XML bodies S3 sends and expects (pugixml). Parsers return nullopt for a body that is not
// the expected document, so the caller can name the request in its error.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/object_store.h"

namespace dlctl {

struct S3ErrorBody {
  std::string code;     // "NoSuchKey"
  std::string message;  // may be empty
};

// The <Error> document of a failed request (also sent with status 200 by CompleteMultipartUpload
// and CopyObject); nullopt when the body is something else.
std::optional<S3ErrorBody> ParseErrorBody(std::string_view body);

// One page of ListObjectsV2, requested with encoding-type=url (keys come back decoded).
struct ListPage {
  std::vector<ObjectInfo> objects;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_token;
};
std::optional<ListPage> ParseListPage(std::string_view body);

std::optional<std::string> ParseUploadId(std::string_view body);

// One page of ListMultipartUploads: uploads begun and neither completed nor aborted.
struct MultipartUploadInfo {
  std::string key;
  std::string upload_id;
  std::string initiated;  // ISO 8601, as the server wrote it
};
struct MultipartUploadsPage {
  std::vector<MultipartUploadInfo> uploads;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};
std::optional<MultipartUploadsPage> ParseMultipartUploadsPage(std::string_view body);

// One page of ListParts.
struct PartInfo {
  uint64_t size = 0;
  std::string last_modified;  // ISO 8601
};
struct PartsPage {
  std::vector<PartInfo> parts;
  bool truncated = false;
  std::string next_part_number_marker;
};
std::optional<PartsPage> ParsePartsPage(std::string_view body);

// etags[i] is the ETag of part i + 1.
std::string CompleteMultipartBody(const std::vector<std::string>& etags);

std::string DeleteObjectsBody(const std::vector<std::string>& keys);
struct DeleteFailure {
  std::string key;
  S3ErrorBody error;
};
// The per-key <Error> entries of a (quiet) DeleteObjects response.
std::optional<std::vector<DeleteFailure>> ParseDeleteFailures(std::string_view body);

}  // namespace dlctl
