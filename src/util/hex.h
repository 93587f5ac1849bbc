#pragma once
// Lower-case hexadecimal text of bytes (digests, blobs).
#include <string>
#include <string_view>

namespace dlctl {

// Two digits a byte: "00ff" for {0x00, 0xff}.
std::string Hex(std::string_view bytes);

}  // namespace dlctl
