#include "storage/s3_xml.h"

#include <pugixml.hpp>

#include <sstream>

#include "storage/s3_encoding.h"

namespace dlctl {
namespace {

bool Load(pugi::xml_document& doc, std::string_view body) {
  return !body.empty() && doc.load_buffer(body.data(), body.size());
}

std::string Save(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

S3ErrorBody ErrorOf(const pugi::xml_node& node) {
  return {node.child_value("Code"), node.child_value("Message")};
}

}  // namespace

std::optional<S3ErrorBody> ParseErrorBody(std::string_view body) {
  pugi::xml_document doc;
  if (!Load(doc, body)) return std::nullopt;
  pugi::xml_node error = doc.child("Error");
  if (!error || !*error.child_value("Code")) return std::nullopt;
  return ErrorOf(error);
}

std::optional<ListPage> ParseListPage(std::string_view body) {
  pugi::xml_document doc;
  if (!Load(doc, body)) return std::nullopt;
  pugi::xml_node result = doc.child("ListBucketResult");
  if (!result) return std::nullopt;
  bool url_encoded = std::string_view(result.child_value("EncodingType")) == "url";
  auto decode = [url_encoded](const char* text) { return url_encoded ? DecodeListingValue(text) : std::string(text); };

  ListPage page;
  for (pugi::xml_node item : result.children("Contents"))
    page.objects.push_back({decode(item.child_value("Key")), item.child("Size").text().as_ullong()});
  for (pugi::xml_node item : result.children("CommonPrefixes"))
    page.common_prefixes.push_back(decode(item.child_value("Prefix")));
  page.truncated = result.child("IsTruncated").text().as_bool();
  page.next_token = result.child_value("NextContinuationToken");
  return page;
}

std::optional<std::string> ParseUploadId(std::string_view body) {
  pugi::xml_document doc;
  if (!Load(doc, body)) return std::nullopt;
  std::string id = doc.child("InitiateMultipartUploadResult").child_value("UploadId");
  if (id.empty()) return std::nullopt;
  return id;
}

std::optional<MultipartUploadsPage> ParseMultipartUploadsPage(std::string_view body) {
  pugi::xml_document doc;
  if (!Load(doc, body)) return std::nullopt;
  pugi::xml_node result = doc.child("ListMultipartUploadsResult");
  if (!result) return std::nullopt;
  bool url_encoded = std::string_view(result.child_value("EncodingType")) == "url";
  auto decode = [url_encoded](const char* text) { return url_encoded ? DecodeListingValue(text) : std::string(text); };
  MultipartUploadsPage page;
  for (pugi::xml_node item : result.children("Upload"))
    page.uploads.push_back({decode(item.child_value("Key")), item.child_value("UploadId"), item.child_value("Initiated")});
  page.truncated = result.child("IsTruncated").text().as_bool();
  page.next_key_marker = decode(result.child_value("NextKeyMarker"));
  page.next_upload_id_marker = result.child_value("NextUploadIdMarker");
  return page;
}

std::optional<PartsPage> ParsePartsPage(std::string_view body) {
  pugi::xml_document doc;
  if (!Load(doc, body)) return std::nullopt;
  pugi::xml_node result = doc.child("ListPartsResult");
  if (!result) return std::nullopt;
  PartsPage page;
  for (pugi::xml_node item : result.children("Part"))
    page.parts.push_back({item.child("Size").text().as_ullong(), item.child_value("LastModified")});
  page.truncated = result.child("IsTruncated").text().as_bool();
  page.next_part_number_marker = result.child_value("NextPartNumberMarker");
  return page;
}

std::string CompleteMultipartBody(const std::vector<std::string>& etags) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("CompleteMultipartUpload");
  for (size_t i = 0; i < etags.size(); ++i) {
    pugi::xml_node part = root.append_child("Part");
    part.append_child("PartNumber").text().set(static_cast<unsigned>(i + 1));
    part.append_child("ETag").text().set(etags[i].c_str());
  }
  return Save(doc);
}

std::string DeleteObjectsBody(const std::vector<std::string>& keys) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("Delete");
  root.append_child("Quiet").text().set(true);
  for (const auto& key : keys) root.append_child("Object").append_child("Key").text().set(key.c_str());
  return Save(doc);
}

std::optional<std::vector<DeleteFailure>> ParseDeleteFailures(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::vector<DeleteFailure>{};
  pugi::xml_document doc;
  if (!Load(doc, body)) return std::nullopt;
  pugi::xml_node result = doc.child("DeleteResult");
  if (!result) return std::nullopt;
  std::vector<DeleteFailure> failures;
  for (pugi::xml_node error : result.children("Error")) failures.push_back({error.child_value("Key"), ErrorOf(error)});
  return failures;
}

}  // namespace dlctl
