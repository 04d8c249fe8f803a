#pragma once
// Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF) for text from outside:
// the agent's reader names and labels and bytes a page asks to sign go into JSON, which must be valid
// UTF-8 (nlohmann::json refuses to write anything else); the portal refuses a people file that is not.
#include <string>
#include <string_view>

namespace ecpa {

bool valid_utf8(std::string_view text);
// The text with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view text);

}  // namespace ecpa
