#include "ecpa/store/token_hash.hpp"

#include <sodium.h>

#include "ecpa/common/error.hpp"
#include "sodium_init.hpp"

namespace ecpa::store {

TokenHash TokenHash::of(std::string_view token) {
  detail::ensure_sodium();
  TokenHash h;
  crypto_generichash(h.bytes_.data(), h.bytes_.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return h;
}

bool TokenHash::from_bytes(std::span<const std::uint8_t> bytes, TokenHash& out) {
  if (bytes.size() != kSize) return false;
  std::copy(bytes.begin(), bytes.end(), out.bytes_.begin());
  return true;
}

bool operator==(const TokenHash& a, const TokenHash& b) noexcept {
  return sodium_memcmp(a.bytes_.data(), b.bytes_.data(), TokenHash::kSize) == 0;
}

}  // namespace ecpa::store
