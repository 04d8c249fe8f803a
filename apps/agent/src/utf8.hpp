#pragma once
// Text from outside (a module's reader names and labels, bytes a page asks to sign) goes into JSON,
// which must be valid UTF-8: nlohmann::json refuses to write anything else, and a refused answer would
// turn a harmless odd byte into a failed request.
#include <string>
#include <string_view>

namespace ecpa::agent {

bool valid_utf8(std::string_view text);
// The text with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view text);

}  // namespace ecpa::agent
