#pragma once
#include <string>

namespace dlctl {

// RFC 9562 version 7: 48-bit Unix milliseconds, then random bits; sorts by creation time.
// DuckLake names data files ducklake-<uuidv7>.parquet.
std::string UuidV7();

// RFC 9562 version 4: all random.
std::string UuidV4();

}  // namespace dlctl
