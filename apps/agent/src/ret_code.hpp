#pragma once
// The HiPKI component's wire codes (REFERENCE §1). Inside the agent every failure is an ecpa::Error with
// a catalogue code; this is the one place where such an error becomes the `ret_code` / `last_error`
// pair a page written for the official component expects.
#include <cstdint>

#include "ecpa/common/error.hpp"

namespace ecpa::agent {

namespace ret {
inline constexpr std::uint32_t kOk = 0;
inline constexpr std::uint32_t kNoCard = 0x76000006;
inline constexpr std::uint32_t kBadJson = 0x7600000B;
inline constexpr std::uint32_t kBadParameter = 0x7600000C;
inline constexpr std::uint32_t kExecutionError = 0x7600000D;
inline constexpr std::uint32_t kUnsupportedFunction = 0x7600000E;
inline constexpr std::uint32_t kForbiddenHost = 0x7600000F;
inline constexpr std::uint32_t kOriginNotAllowed = 0x76000031;
inline constexpr std::uint32_t kNoPin = 0x76000998;
inline constexpr std::uint32_t kCancelled = 0x76000999;
inline constexpr std::uint32_t kModuleLoadFailed = 0x76100001;
inline constexpr std::uint32_t kNoReader = 0x76100003;
inline constexpr std::uint32_t kLoginFailed = 0x76100006;
inline constexpr std::uint32_t kCertNotFound = 0x7610000C;
inline constexpr std::uint32_t kKeyNotFound = 0x7610000D;
inline constexpr std::uint32_t kSignFailed = 0x76300001;
inline constexpr std::uint32_t kCertNotYetValid = 0x76500001;
inline constexpr std::uint32_t kCertExpired = 0x76500002;
}  // namespace ret

struct WireCode {
  std::uint32_t ret_code = ret::kOk;
  // A PKCS#11 CKR (or the HiCOS vendor value for "wrong PIN, n tries left"); 0 when no card call failed.
  std::uint64_t last_error = 0;
  friend bool operator==(const WireCode&, const WireCode&) = default;
};

// The wire pair for an error raised anywhere in the agent. A P11Error keeps its CKR as last_error;
// a wrong PIN with 2 or 1 tries left becomes the HiCOS vendor value 0x80000002 / 0x80000001, because
// pages written for HiCOS cards read the tries left from there.
WireCode to_wire(const Error& error);
// Anything that is not an ecpa::Error: an execution error.
WireCode unexpected_failure_wire();

// The official component reports some codes as negative 32-bit numbers; pages compare with the
// positive form. `raw` as a signed 32-bit value, normalised by adding 2^32 when negative.
std::uint32_t normalise(std::int64_t raw);

}  // namespace ecpa::agent
