#pragma once
// AES-256-GCM (NIST SP 800-38D) with a 12-byte IV and a 16-byte tag: what the MOI TAIWAN FidO SP API uses
// for its checksums (REFERENCE §4). The tag is appended to the ciphertext, as the API writes it.
#include <optional>

#include "ecpa/crypto/bytes.hpp"

namespace ecpa::crypto {

inline constexpr std::size_t kAesGcmKeySize = 32;
inline constexpr std::size_t kAesGcmIvSize = 12;
inline constexpr std::size_t kAesGcmTagSize = 16;

// ciphertext ‖ tag. CRYPTO_ARGUMENT_INVALID for a key that is not 32 bytes or an IV that is not 12.
Bytes aes256_gcm_seal(ByteView key, ByteView iv, ByteView plaintext, ByteView aad = {});
// The plaintext, or nullopt when the tag does not verify (a wrong key, IV, AAD, or any changed byte) or
// the input is shorter than a tag. CRYPTO_ARGUMENT_INVALID for a key or IV of the wrong size.
std::optional<Bytes> aes256_gcm_open(ByteView key, ByteView iv, ByteView sealed, ByteView aad = {});

}  // namespace ecpa::crypto
