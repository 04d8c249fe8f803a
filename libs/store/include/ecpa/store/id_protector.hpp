#pragma once

// National ID numbers (個人資料) at rest. The store never holds one in clear:
//  - lookup_hash(): BLAKE2b keyed with a secret, so the 10-character ID space (small enough to enumerate)
//    cannot be brute-forced from a stolen database without the key file;
//  - seal()/open(): XSalsa20-Poly1305 (crypto_secretbox) with a random nonce, for authorised display.
// Both keys are derived from one 32-byte master key file with crypto_kdf, under different sub-key ids,
// so the hash key and the encryption key are independent.

#include <array>
#include <cstdint>
#include <filesystem>

#include "ecpa/common/secret.hpp"
#include "ecpa/store/database.hpp"
#include "ecpa/tw/national_id.hpp"

namespace ecpa::store {

class IdProtector {
 public:
  static constexpr std::size_t kKeySize = 32;

  // Reads the master key file, or creates it (32 random bytes, mode 0600) when it does not exist.
  // Refuses (KEY_FILE_ERROR) a file of the wrong size, not a regular file, or readable by group/others.
  // Creation is atomic: two processes starting together end up with the same key.
  static SecretBuffer load_or_create_key(const std::filesystem::path& path);

  // KEY_INVALID unless the key has exactly kKeySize bytes.
  explicit IdProtector(const SecretBuffer& master_key);
  ~IdProtector();
  IdProtector(const IdProtector&) = delete;
  IdProtector& operator=(const IdProtector&) = delete;

  // Same ID, same key → same 32 bytes.
  Bytes lookup_hash(const tw::NationalId& id) const;
  // nonce (24 bytes) || secretbox ciphertext; different every call.
  Bytes seal(const tw::NationalId& id) const;
  // STORE_DATA_CORRUPT when the box does not open with this key or does not hold a valid ID.
  tw::NationalId open(BytesView sealed) const;

 private:
  std::array<std::uint8_t, kKeySize> hash_key_{};
  std::array<std::uint8_t, kKeySize> box_key_{};
};

}  // namespace ecpa::store
