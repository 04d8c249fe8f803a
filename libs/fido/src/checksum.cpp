#include "ecpa/fido/checksum.hpp"

#include "ecpa/crypto/aead.hpp"

namespace ecpa::fido {
namespace {

// The digest's lowercase hex is 64 characters; sealed, with its tag, 80 bytes; as hex after the IV's 24
// characters: 24 + 160.
constexpr std::size_t kChecksumChars = 2 * (crypto::kAesGcmIvSize + 64 + crypto::kAesGcmTagSize);

std::string digest_hex(std::span<const std::string_view> fields) {
  std::string all;
  for (auto f : fields) all.append(f);
  return crypto::to_hex(crypto::sha256(crypto::as_bytes(all)));
}

bool is_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

}  // namespace

std::string make_checksum(crypto::ByteView key, std::span<const std::string_view> fields,
                          crypto::ByteView iv) {
  const std::string plain = digest_hex(fields);
  return crypto::to_hex(iv) + crypto::to_hex(crypto::aes256_gcm_seal(key, iv, crypto::as_bytes(plain)));
}

std::string make_checksum(crypto::ByteView key, std::span<const std::string_view> fields) {
  const crypto::Bytes iv = crypto::random_bytes(crypto::kAesGcmIvSize);
  return make_checksum(key, fields, iv);
}

bool checksum_valid(crypto::ByteView key, std::span<const std::string_view> fields,
                    std::string_view checksum) {
  if (checksum.size() != kChecksumChars || !is_hex(checksum) || key.size() != crypto::kAesGcmKeySize)
    return false;
  const crypto::Bytes iv = crypto::from_hex(checksum.substr(0, 2 * crypto::kAesGcmIvSize));
  const crypto::Bytes sealed = crypto::from_hex(checksum.substr(2 * crypto::kAesGcmIvSize));
  auto plain = crypto::aes256_gcm_open(key, iv, sealed);
  if (!plain) return false;
  const std::string expected = digest_hex(fields);
  // The peer may write the digest's hex in either case; the API says lowercase, be lenient in what we read.
  std::string got(crypto::as_chars(*plain));
  for (char& c : got) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return crypto::equal_constant_time(crypto::as_bytes(got), crypto::as_bytes(expected));
}

}  // namespace ecpa::fido
