#pragma once

// Argon2id password hashes (libsodium's crypto_pwhash_str): the encoded string carries its own salt and
// cost, so a cost raised in the config applies to new hashes while old ones still verify (needs_rehash
// tells when to replace one at the next login).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ecpa::store {

struct Argon2Cost {
  // Passes over memory (libsodium's opslimit) and memory in KiB. The defaults are OWASP's recommended
  // minimum for Argon2id (m = 19 MiB, t = 2): see docs/security.md for the login rate they give.
  std::uint64_t ops = 2;
  std::size_t memory_kib = std::size_t{19} * 1024;
};

class PasswordHasher {
 public:
  // CONFIG_INVALID when the cost is outside libsodium's bounds.
  explicit PasswordHasher(Argon2Cost cost);

  // STORE_ERROR only when the machine cannot spare the memory.
  std::string hash(std::string_view password) const;
  // False for a wrong password and for anything that is not an Argon2id string (never throws for those).
  bool verify(std::string_view encoded, std::string_view password) const;
  // Whether `encoded` was made with another cost than the current one.
  bool needs_rehash(std::string_view encoded) const;

  const Argon2Cost& cost() const noexcept { return cost_; }

 private:
  Argon2Cost cost_;
};

}  // namespace ecpa::store
