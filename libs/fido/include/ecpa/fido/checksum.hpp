#pragma once
// The SP API's checksums (sp_checksum, idp_checksum; REFERENCE §4): over the request's fields concatenated
// in the API's order (an absent field is ""), hex(12-byte IV) ‖ hex(AES-256-GCM(key, IV, lowercase hex of
// SHA-256(the concatenation)) ‖ 16-byte tag), with the relying party's AES-256 key. Clients differ in the
// IV (one sends zeros, another a random one): every IV is accepted, a random one is sent.

#include <span>
#include <string>
#include <string_view>

#include "ecpa/crypto/bytes.hpp"

namespace ecpa::fido {

// With this IV (12 bytes): for tests and for reproducing a peer's value. CRYPTO_ARGUMENT_INVALID for a key
// that is not 32 bytes or an IV that is not 12.
std::string make_checksum(crypto::ByteView key, std::span<const std::string_view> fields,
                          crypto::ByteView iv);
// With a fresh random IV: what we send.
std::string make_checksum(crypto::ByteView key, std::span<const std::string_view> fields);
// Whether `checksum` is one over these fields under this key, whatever its IV. False for anything
// malformed (wrong length, not hex, any changed character); never throws for the peer's input.
bool checksum_valid(crypto::ByteView key, std::span<const std::string_view> fields,
                    std::string_view checksum);

}  // namespace ecpa::fido
