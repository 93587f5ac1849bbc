#include "lake/metadata/snapshot_changes.h"

#include <fmt/format.h>

#include "util/error.h"

namespace dlctl::lake {
namespace {

class ItemWriter {
 public:
  void Add(std::string_view kind, std::string_view value) {
    if (!text_.empty()) text_ += ',';
    text_ += kind;
    text_ += ':';
    text_ += value;
  }
  void AddIds(std::string_view kind, const std::set<int64_t>& ids) {
    for (int64_t id : ids) Add(kind, std::to_string(id));
  }
  std::string Take() { return std::move(text_); }

 private:
  std::string text_;
};

// Reads the items of a changes_made string: kind, then a value that is a bare id or one or
// more quoted names joined by '.'.
class ItemReader {
 public:
  explicit ItemReader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }

  std::string Kind() {
    size_t colon = text_.find(':', pos_);
    if (colon == std::string_view::npos) Fail("an item without ':'");
    std::string kind(text_.substr(pos_, colon - pos_));
    pos_ = colon + 1;
    return kind;
  }

  // Names when the value is quoted ("s"."t"), else an empty vector and the bare text in `bare`.
  std::vector<std::string> Value(std::string& bare) {
    std::vector<std::string> names;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      while (true) {
        names.push_back(QuotedName());
        if (pos_ < text_.size() && text_[pos_] == '.') {
          ++pos_;
          continue;
        }
        break;
      }
    } else {
      size_t end = text_.find(',', pos_);
      if (end == std::string_view::npos) end = text_.size();
      bare = std::string(text_.substr(pos_, end - pos_));
      pos_ = end;
    }
    if (pos_ < text_.size()) {
      if (text_[pos_] != ',') Fail("text after a value");
      ++pos_;
    }
    return names;
  }

  [[noreturn]] void Fail(const std::string& what) const {
    throw Error(fmt::format("cannot read snapshot changes '{}': {}", text_, what));
  }

 private:
  std::string QuotedName() {
    std::string name;
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= text_.size()) Fail("an unterminated name");
      char c = text_[pos_++];
      if (c != '"') {
        name += c;
      } else if (pos_ < text_.size() && text_[pos_] == '"') {
        name += '"';
        ++pos_;
      } else {
        return name;
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

int64_t ParseId(const ItemReader& reader, const std::string& bare) {
  try {
    size_t used = 0;
    int64_t id = std::stoll(bare, &used);
    if (used == bare.size()) return id;
  } catch (const std::exception&) {
  }
  reader.Fail("'" + bare + "' is not an id");
}

}  // namespace

std::string QuoteName(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string SnapshotChanges::Format() const {
  // The extension's order: drops, creations, then data and alterations per kind, ids ascending.
  // Only the kinds dlctl writes: it never compacts or creates macros.
  ItemWriter out;
  out.AddIds("dropped_schema", dropped_schemas);
  out.AddIds("dropped_table", dropped_tables);
  out.AddIds("dropped_view", dropped_views);
  for (const auto& schema : created_schemas) out.Add("created_schema", QuoteName(schema));
  for (const auto& entry : created_entries)
    out.Add(entry.is_view ? "created_view" : "created_table", QuoteName(entry.schema) + "." + QuoteName(entry.name));
  out.AddIds("inserted_into_table", inserted_into);
  out.AddIds("deleted_from_table", deleted_from);
  out.AddIds("altered_table", altered_tables);
  out.AddIds("altered_view", altered_views);
  out.AddIds("inlined_insert", inlined_insert);
  out.AddIds("inlined_delete", inlined_delete);
  out.AddIds("inline_flush", inline_flush);
  return out.Take();
}

SnapshotChanges SnapshotChanges::Parse(std::string_view changes_made) {
  SnapshotChanges changes;
  ItemReader reader(changes_made);
  while (!reader.AtEnd()) {
    std::string kind = reader.Kind();
    std::string bare;
    std::vector<std::string> names = reader.Value(bare);
    auto id = [&] { return ParseId(reader, bare); };
    auto qualified = [&](bool is_view) {
      if (names.size() != 2) reader.Fail(kind + " needs \"schema\".\"name\"");
      return CreatedEntry{names[0], names[1], is_view};
    };
    if (kind == "created_schema") {
      if (names.size() != 1) reader.Fail("created_schema needs one quoted name");
      changes.created_schemas.push_back(names[0]);
    } else if (kind == "created_table") {
      changes.created_entries.push_back(qualified(false));
    } else if (kind == "created_view") {
      changes.created_entries.push_back(qualified(true));
    } else if (kind == "created_scalar_macro") {
      changes.created_macros.push_back(qualified(false));
    } else if (kind == "created_table_macro") {
      changes.created_macros.push_back(qualified(true));
    } else if (kind == "dropped_schema") {
      changes.dropped_schemas.insert(id());
    } else if (kind == "dropped_table") {
      changes.dropped_tables.insert(id());
    } else if (kind == "dropped_view") {
      changes.dropped_views.insert(id());
    } else if (kind == "dropped_scalar_macro" || kind == "dropped_table_macro") {
      changes.dropped_macros.insert(id());
    } else if (kind == "inserted_into_table") {
      changes.inserted_into.insert(id());
    } else if (kind == "deleted_from_table") {
      changes.deleted_from.insert(id());
    } else if (kind == "altered_table") {
      changes.altered_tables.insert(id());
    } else if (kind == "altered_view") {
      changes.altered_views.insert(id());
    } else if (kind == "inlined_insert") {
      changes.inlined_insert.insert(id());
    } else if (kind == "inlined_delete") {
      changes.inlined_delete.insert(id());
    } else if (kind == "inline_flush" || kind == "flushed_inlined") {
      changes.inline_flush.insert(id());
    } else if (kind == "merge_adjacent" || kind == "rewrite_delete" || kind == "compacted_table") {
      changes.compacted.insert(id());
    } else {
      reader.Fail("unknown kind '" + kind + "'");
    }
  }
  return changes;
}

void SnapshotChanges::Merge(const SnapshotChanges& other) {
  auto add = [](std::set<int64_t>& to, const std::set<int64_t>& from) { to.insert(from.begin(), from.end()); };
  add(dropped_schemas, other.dropped_schemas);
  add(dropped_tables, other.dropped_tables);
  add(dropped_views, other.dropped_views);
  created_schemas.insert(created_schemas.end(), other.created_schemas.begin(), other.created_schemas.end());
  created_entries.insert(created_entries.end(), other.created_entries.begin(), other.created_entries.end());
  created_macros.insert(created_macros.end(), other.created_macros.begin(), other.created_macros.end());
  add(dropped_macros, other.dropped_macros);
  add(inserted_into, other.inserted_into);
  add(deleted_from, other.deleted_from);
  add(altered_tables, other.altered_tables);
  add(altered_views, other.altered_views);
  add(inlined_insert, other.inlined_insert);
  add(inlined_delete, other.inlined_delete);
  add(inline_flush, other.inline_flush);
  add(compacted, other.compacted);
}

}  // namespace dlctl::lake
