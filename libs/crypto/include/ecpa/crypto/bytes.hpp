#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/common/error.hpp"

namespace ecpa::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_chars(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

// Lowercase hex by default; upper for protocols that want it (ICSC ClientID).
std::string to_hex(ByteView data, bool upper = false);
// Accepts either case; throws Error{CRYPTO_ARGUMENT_INVALID} on odd length or a non-hex character.
Bytes from_hex(std::string_view hex);

// Standard base64 with padding, no line breaks.
std::string to_base64(ByteView data);
// Standard base64; tolerates no whitespace and no missing padding: throws Error{BAD_REQUEST}
// on anything else, because these strings come from clients.
Bytes from_base64(std::string_view text);

enum class DigestAlgorithm { Sha1, Sha256, Sha384, Sha512 };
// "SHA1", "SHA256", … as the HiPKI component names them; throws CRYPTO_ARGUMENT_INVALID otherwise.
DigestAlgorithm digest_from_name(std::string_view name);
std::string_view digest_name(DigestAlgorithm alg);
std::size_t digest_size(DigestAlgorithm alg);

Bytes digest(DigestAlgorithm alg, ByteView data);
inline Bytes sha1(ByteView data) { return digest(DigestAlgorithm::Sha1, data); }
inline Bytes sha256(ByteView data) { return digest(DigestAlgorithm::Sha256, data); }

// Bytes from OpenSSL's CSPRNG; throws CRYPTO_ERROR if it cannot deliver.
Bytes random_bytes(std::size_t n);

// Constant-time comparison of equal-length inputs (false when lengths differ).
bool equal_constant_time(ByteView a, ByteView b);

}  // namespace ecpa::crypto
