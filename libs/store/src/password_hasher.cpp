#include "ecpa/store/password_hasher.hpp"

#include <sodium.h>

#include <vector>

#include "sodium_init.hpp"

namespace ecpa::store {
namespace {

std::size_t memory_bytes(const Argon2Cost& c) { return c.memory_kib * std::size_t{1024}; }

}  // namespace

PasswordHasher::PasswordHasher(Argon2Cost cost) : cost_(cost) {
  detail::ensure_sodium();
  if (cost.ops < crypto_pwhash_argon2id_OPSLIMIT_MIN || cost.ops > 20)
    throw Error(codes::CONFIG_INVALID, "argon2 ops must be 1–20").with("field", "argon2_ops");
  if (memory_bytes(cost) < crypto_pwhash_argon2id_MEMLIMIT_MIN || cost.memory_kib > std::size_t{1024} * 1024)
    throw Error(codes::CONFIG_INVALID, "argon2 memory must be 8 KiB–1 GiB")
        .with("field", "argon2_memory_kib");
}

std::string PasswordHasher::hash(std::string_view password) const {
  std::vector<char> out(crypto_pwhash_STRBYTES);
  if (crypto_pwhash_argon2id_str(out.data(), password.data(), password.size(), cost_.ops,
                                 memory_bytes(cost_)) != 0)
    throw Error(codes::STORE_ERROR, "argon2id: out of memory");
  return std::string(out.data());
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) const {
  // libsodium wants a NUL-terminated string no longer than STRBYTES.
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES || !encoded.starts_with("$argon2id$"))
    return false;
  const std::string z(encoded);
  return crypto_pwhash_argon2id_str_verify(z.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view encoded) const {
  if (encoded.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string z(encoded);
  return crypto_pwhash_argon2id_str_needs_rehash(z.c_str(), cost_.ops, memory_bytes(cost_)) != 0;
}

}  // namespace ecpa::store
