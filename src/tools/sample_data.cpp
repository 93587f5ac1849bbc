#include "tools/sample_data.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string_view>
#include <type_traits>
#include <unordered_set>

#include "tools/sample_random.h"
#include "util/error.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;

// Appends to a buffer and writes it out in large blocks; Commit renames the temporary file.
class OutputFile {
 public:
  explicit OutputFile(fs::path path) : path_(std::move(path)), temp_(path_.string() + ".tmp") {
    fs::create_directories(path_.parent_path());
    file_ = std::fopen(temp_.c_str(), "wb");
    if (!file_) throw Error(path_.string() + ": cannot write the file");
    buffer_.reserve(kBlock + 4096);
  }
  ~OutputFile() {
    if (file_) {
      std::fclose(file_);
      std::error_code ec;
      fs::remove(temp_, ec);
    }
  }

  OutputFile& operator<<(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kBlock) Flush();
    return *this;
  }
  OutputFile& operator<<(char c) {
    buffer_.push_back(c);
    return *this;
  }
  template <typename T>
    requires(std::is_unsigned_v<T> && !std::is_same_v<T, bool>)
  OutputFile& operator<<(T value) {
    unsigned long long n = value;
    char digits[24];
    int i = sizeof digits;
    do digits[--i] = static_cast<char>('0' + n % 10);
    while ((n /= 10) != 0);
    return *this << std::string_view(digits + i, sizeof digits - i);
  }
  // A decimal with `places` digits after the point from an integer count of its smallest unit:
  // Fixed(4360, 3) is "4.360". Integer formatting, so every machine writes the same bytes.
  OutputFile& Fixed(int64_t units, int places) {
    if (units < 0) {
      *this << '-';
      units = -units;
    }
    uint64_t scale = 1;
    for (int i = 0; i < places; ++i) scale *= 10;
    *this << static_cast<uint64_t>(units) / scale << '.';
    std::string fraction = std::to_string(static_cast<uint64_t>(units) % scale);
    return *this << std::string(places - fraction.size(), '0') << fraction;
  }
  // A CSV field, quoted when it holds a comma, quote or line break ("" inside quotes).
  OutputFile& Csv(std::string_view field) {
    if (field.find_first_of(",\"\n\r") == std::string_view::npos) return *this << field;
    *this << '"';
    for (char c : field) {
      if (c == '"') *this << '"';
      *this << c;
    }
    return *this << '"';
  }

  void Commit() {
    Flush();
    bool ok = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok) throw Error(path_.string() + ": cannot write the file");
    fs::rename(temp_, path_);
  }

 private:
  static constexpr size_t kBlock = 1 << 20;
  void Flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
      throw Error(path_.string() + ": cannot write the file");
    buffer_.clear();
  }
  fs::path path_, temp_;
  FILE* file_ = nullptr;
  std::string buffer_;
};

uint64_t Scaled(double real, double scale, uint64_t at_least) {
  return std::max<uint64_t>(at_least, static_cast<uint64_t>(std::llround(real * scale)));
}

// Deezer's genre names; the first are the most common.
const std::vector<std::string_view> kDeezerGenres = {
    "Pop", "Dance", "Rock", "Electro", "Rap/Hip Hop", "Alternative", "International Pop", "R&B", "Indie Rock",
    "Techno/House", "Films/Games", "Film Scores", "Latin Music", "Jazz", "Reggae", "Soul & Funk", "Indie Pop",
    "Contemporary R&B", "Dancefloor", "Hard Rock", "Classical", "Metal", "Singer & Songwriter", "Chill Out/Trip-Hop/Lounge",
    "Blues", "Folk", "Country", "Kids", "Dubstep", "Trance", "Disco", "Old School", "Electro Hip Hop",
    "Alternative Country", "Asian Music", "Soundtracks", "Spirituality & Religion", "Old school soul", "Rock & Roll/Rockabilly",
    "Dirty South", "East Coast", "West Coast", "Contemporary Soul", "Indie Pop/Folk", "Electro Pop/Electro Rock",
    "Comedy", "Urban Cowboy", "Bollywood", "African Music", "Brazilian Music", "Vocal jazz", "Instrumental jazz",
    "Opera", "Baroque", "Romantic", "Modern", "Kids & Family", "Dub", "Ska", "Ragga", "Bluegrass", "Grime",
    "Musicals", "Tropical", "Country Blues", "Acoustic Blues", "Electric Blues", "Chicago Blues", "Delta Blues",
    "Bolero", "Sports", "Corridos", "Norteño", "Ranchera", "Tango", "Salsa", "Cumbia", "Bachata", "Latin Pop",
    "Nederlandstalige Pop", "Chanson", "Schlager", "Chill out", "Deep House"};

struct Country {
  const char* code;
  double nodes, edges;  // the real dataset's sizes
};
const Country kCountries[] = {{"HR", 54573, 498202}, {"HU", 47538, 222887}, {"RO", 41773, 125826}};

SampleFile WriteDeezerEdges(const fs::path& path, uint64_t nodes, uint64_t edges, SampleRandom& random) {
  std::unordered_set<uint64_t> seen;
  seen.reserve(edges * 2);
  std::vector<uint64_t> pairs;
  pairs.reserve(edges);
  while (pairs.size() < edges) {
    uint64_t a = random.Below(nodes), b = random.Skewed(nodes);  // some users have many friends
    if (a == b) continue;
    uint64_t key = (std::min(a, b) << 32) | std::max(a, b);
    if (seen.insert(key).second) pairs.push_back(key);
  }
  std::sort(pairs.begin(), pairs.end());
  OutputFile out(path);
  out << "node_1,node_2\n";
  for (uint64_t key : pairs) out << (key >> 32) << ',' << (key & 0xffffffffULL) << '\n';
  out.Commit();
  return {path, edges};
}

SampleFile WriteDeezerGenres(const fs::path& path, uint64_t nodes, SampleRandom& random) {
  OutputFile out(path);
  out << '{';
  std::vector<size_t> picked;
  for (uint64_t user = 0; user < nodes; ++user) {
    size_t count = std::min<size_t>(1 + random.Below(3) + random.Geometric(), 12);
    picked.clear();
    while (picked.size() < count) {
      size_t genre = random.Skewed(kDeezerGenres.size());
      if (std::find(picked.begin(), picked.end(), genre) == picked.end()) picked.push_back(genre);
    }
    out << (user ? ", \"" : "\"") << user << "\": [";
    for (size_t i = 0; i < picked.size(); ++i) out << (i ? ", \"" : "\"") << kDeezerGenres[picked[i]] << '"';
    out << ']';
  }
  out << '}';
  out.Commit();
  return {path, nodes};
}

SampleDataset WriteDeezer(const fs::path& folder, const SampleDataOptions& options) {
  SampleDataset dataset{folder, {}};
  uint64_t stream = 1;
  for (const Country& country : kCountries) {
    uint64_t nodes = Scaled(country.nodes, options.scale, 2);
    uint64_t edges = std::min(Scaled(country.edges, options.scale, 1), nodes * (nodes - 1) / 4 + 1);
    fs::path dir = folder / country.code;
    SampleRandom edge_random(options.seed, stream++), genre_random(options.seed, stream++);
    dataset.files.push_back(WriteDeezerEdges(dir / (std::string(country.code) + "_edges.csv"), nodes, edges, edge_random));
    dataset.files.push_back(WriteDeezerGenres(dir / (std::string(country.code) + "_genres.json"), nodes, genre_random));
  }
  return dataset;
}

// --- Million Song Dataset + Spotify + Last.fm ---

const std::vector<std::string_view> kTags = {
    "rock", "alternative", "indie", "pop", "electronic", "alternative_rock", "indie_rock", "female_vocalists",
    "00s", "90s", "80s", "singer_songwriter", "classic_rock", "hard_rock", "dance", "hip_hop", "chillout",
    "acoustic", "metal", "punk", "soul", "jazz", "experimental", "folk", "ambient", "electronica", "british",
    "american", "love", "psychedelic", "blues", "indie_pop", "post_rock", "emo", "rnb", "country", "instrumental",
    "pop_rock", "new_wave", "progressive_rock", "electro", "trip_hop", "heavy_metal", "funk", "reggae", "soundtrack",
    "synthpop", "punk_rock", "grunge", "house", "techno", "rap", "mellow", "beautiful", "60s", "70s", "lounge",
    "downtempo", "shoegaze", "garage_rock"};
const std::vector<std::string_view> kGenres = {"Rock", "Pop", "Electronic", "Metal", "Rap", "RnB", "Jazz",
                                              "Country", "Reggae", "Blues", "Folk", "Punk", "Latin", "New Age", "World"};
const std::vector<std::string_view> kWords = {
    "Love", "Night", "Heart", "Light", "Dream", "Fire", "Rain", "Summer", "Blue", "Gold", "River", "Ghost", "Paper",
    "Electric", "Silent", "Wild", "Broken", "Golden", "Midnight", "City", "Ocean", "Star", "Shadow", "Home", "Road",
    "Sky", "Stone", "Glass", "Neon", "Winter", "Echo", "Velvet", "Satellite", "Radio", "Diamond", "Sugar", "Thunder",
    "Honey", "Machine", "Garden", "Mirror", "Kingdom", "Crystal", "Orange", "Silver", "Black", "Red", "Young", "Lost",
    "Heaven"};
const std::vector<std::string_view> kArtistEndings = {"", "", "", " Band", " Collective", " & The Crows",
                                                     " Trio", " Orchestra", " Project", "s"};

const char kBase36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const char kHex[] = "0123456789abcdef";

std::string RandomChars(SampleRandom& random, const char* alphabet, size_t alphabet_size, size_t n) {
  std::string out(n, ' ');
  for (auto& c : out) c = alphabet[random.Below(alphabet_size)];
  return out;
}

// "TR" + 16 characters like the dataset's ids; the last 13 encode a bijection of the index, so
// ids never repeat.
std::string TrackId(uint64_t index, uint64_t seed, SampleRandom& random) {
  std::string id = RandomChars(random, kBase36, 36, 3).insert(0, "TR");
  uint64_t code = SplitMix64(index ^ SplitMix64(seed));
  std::string tail(13, '0');
  for (int i = 12; i >= 0; --i, code /= 36) tail[i] = kBase36[code % 36];
  return id + tail;
}

// 40 hex characters like a SHA-1; the first 16 encode a bijection of the index.
std::string UserId(uint64_t index, uint64_t seed, SampleRandom& random) {
  uint64_t code = SplitMix64(index ^ SplitMix64(seed + 1));
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, code >>= 4) id[i] = kHex[code & 15];
  return id + RandomChars(random, kHex, 16, 24);
}

std::string Title(SampleRandom& random) {
  std::string title(kWords[random.Below(kWords.size())]);
  for (uint64_t i = random.Below(3); i > 0; --i) title.append(" ").append(kWords[random.Below(kWords.size())]);
  switch (random.Below(40)) {  // a few titles that need CSV quoting
    case 0: return title + ", Pt. 2";
    case 1: return title.insert(0, "The \"").append("\" Song");
    default: return title;
  }
}

SampleFile WriteMusicInfo(const fs::path& path, const std::vector<std::string>& track_ids, SampleRandom& random) {
  std::vector<std::string> artists(std::max<size_t>(1, track_ids.size() / 6));
  for (auto& artist : artists) artist = Title(random) + std::string(kArtistEndings[random.Below(kArtistEndings.size())]);
  OutputFile out(path);
  out << "track_id,name,artist,spotify_preview_url,spotify_id,tags,genre,year,duration_ms,danceability,energy,key,"
         "loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature\n";
  std::vector<size_t> tags;
  for (const auto& track_id : track_ids) {
    out << track_id << ',';
    out.Csv(Title(random)) << ',';
    out.Csv(artists[random.Skewed(artists.size())]) << ',';
    out << "https://p.scdn.co/mp3-preview/" << RandomChars(random, kHex, 16, 40)
        << "?cid=774b29d4f13844c495f206cafdad9c86," << RandomChars(random, kBase62, 62, 22) << ',';
    tags.clear();
    size_t tag_count = random.Below(30) == 0 ? 0 : std::min<size_t>(1 + random.Below(5) + random.Geometric(), 10);
    while (tags.size() < tag_count) {
      size_t tag = random.Skewed(kTags.size());
      if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
    }
    std::string tag_text;
    for (size_t i = 0; i < tags.size(); ++i) tag_text.append(i ? ", " : "").append(kTags[tags[i]]);
    out.Csv(tag_text) << ',';
    if (random.Below(100) < 44) out << kGenres[random.Skewed(kGenres.size())];
    out << ',' << (2019 - random.Skewed(70)) << ',' << (90000 + random.Below(330000)) << ',';
    out.Fixed(static_cast<int64_t>(random.Below(1000)), 3) << ',';           // danceability
    out.Fixed(static_cast<int64_t>(random.Below(1000)), 3) << ',';           // energy
    out << random.Below(12) << ',';                                          // key
    out.Fixed(-static_cast<int64_t>(500 + random.Below(25000)), 3) << ',';   // loudness (dB)
    out << random.Below(2) << ',';                                           // mode
    out.Fixed(static_cast<int64_t>(random.Skewed(5000)), 4) << ',';          // speechiness
    out.Fixed(static_cast<int64_t>(random.Skewed(100000)), 5) << ',';        // acousticness
    out.Fixed(static_cast<int64_t>(random.Skewed(100000)), 5) << ',';        // instrumentalness
    out.Fixed(static_cast<int64_t>(random.Below(1000)), 4) << ',';           // liveness
    out.Fixed(static_cast<int64_t>(random.Below(1000)), 3) << ',';           // valence
    out.Fixed(static_cast<int64_t>(60000 + random.Below(140000)), 3) << ','; // tempo
    out << (random.Below(10) == 0 ? 3 + 2 * random.Below(2) : 4) << '\n';    // time_signature
  }
  out.Commit();
  return {path, track_ids.size()};
}

SampleFile WriteListeningHistory(const fs::path& path, const std::vector<std::string>& track_ids, uint64_t users,
                                 uint64_t rows, uint64_t seed, SampleRandom& random) {
  OutputFile out(path);
  out << "track_id,user_id,playcount\n";
  uint64_t written = 0;
  uint64_t per_user = std::max<uint64_t>(1, rows / users);
  std::vector<size_t> tracks;
  // The last planned user takes the rest; when a user cannot hold that many distinct tracks,
  // more users follow, so the row count is exact.
  for (uint64_t user = 0; written < rows; ++user) {
    uint64_t count = user + 1 >= users ? rows - written : 1 + random.Below(2 * per_user - 1);
    count = std::min({count, rows - written, static_cast<uint64_t>(track_ids.size()), uint64_t{500}});
    std::string user_id = UserId(user, seed, random);
    tracks.clear();
    while (tracks.size() < count) {
      size_t track = random.Skewed(track_ids.size());
      if (std::find(tracks.begin(), tracks.end(), track) == tracks.end()) tracks.push_back(track);
    }
    for (size_t track : tracks) {
      uint64_t plays = 1 + random.Geometric() * (1 + random.Below(4));
      out << track_ids[track] << ',' << user_id << ',' << plays << '\n';
    }
    written += count;
  }
  out.Commit();
  return {path, written};
}

SampleDataset WriteMillionSong(const fs::path& folder, const SampleDataOptions& options) {
  uint64_t tracks = Scaled(50683, options.scale, 1);
  uint64_t rows = Scaled(9711301, options.scale, 1);
  uint64_t users = std::min(rows, Scaled(962037, options.scale, 1));
  SampleRandom id_random(options.seed, 101), info_random(options.seed, 102), history_random(options.seed, 103);
  std::vector<std::string> track_ids(tracks);
  for (uint64_t i = 0; i < tracks; ++i) track_ids[i] = TrackId(i, options.seed, id_random);
  SampleDataset dataset{folder, {}};
  dataset.files.push_back(WriteMusicInfo(folder / "Music Info.csv", track_ids, info_random));
  dataset.files.push_back(
      WriteListeningHistory(folder / "User Listening History.csv", track_ids, users, rows, options.seed, history_random));
  return dataset;
}

}  // namespace

std::vector<SampleDataset> GenerateSampleData(const fs::path& out_dir, const SampleDataOptions& options) {
  if (!(options.scale > 0) || options.scale > 10)
    throw UsageError("--scale must be greater than 0 and at most 10 (got " + (std::ostringstream() << options.scale).str() +
                     ")");
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw Error(out_dir.string() + ": cannot create the folder: " + ec.message());
  return {WriteDeezer(out_dir / kDeezerFolder, options), WriteMillionSong(out_dir / kMillionSongFolder, options)};
}

}  // namespace dlctl
