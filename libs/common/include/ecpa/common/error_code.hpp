#pragma once
#include <string_view>

namespace ecpa {

// A stable machine code such as CERT_REVOKED. The constants live in ecpa/common/codes.hpp, generated
// from messages/catalogue.json, so every code in use is known to have messages.
struct ErrorCode {
  std::string_view value;
  friend constexpr bool operator==(ErrorCode a, ErrorCode b) { return a.value == b.value; }
};

}  // namespace ecpa
