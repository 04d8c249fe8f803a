#pragma once
// HMAC (RFC 2104) for values a server derives from its own key: the key stays inside the MAC, so unlike
// a plain hash over key‖data nobody can extend a known tag to new data or recover the key from tags.
#include "ecpa/crypto/bytes.hpp"

namespace ecpa::crypto {

// The full-length tag (digest_size(alg) bytes). Any key length works, an empty key and empty data too.
// Throws CRYPTO_ARGUMENT_INVALID for a key longer than OpenSSL takes (2 GiB), CRYPTO_ERROR if OpenSSL fails.
Bytes hmac(DigestAlgorithm alg, ByteView key, ByteView data);
inline Bytes hmac_sha256(ByteView key, ByteView data) { return hmac(DigestAlgorithm::Sha256, key, data); }

// Compare tags with equal_constant_time (bytes.hpp), never with ==.

}  // namespace ecpa::crypto
