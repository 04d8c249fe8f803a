#pragma once

// What the store keeps instead of a secret token (session cookie, CSRF token, login nonce): its
// BLAKE2b-256 hash. Tokens are 32 random bytes, so an unkeyed hash is enough to make a stolen database
// useless for hijacking sessions. Store APIs take a TokenHash, never a token, so a raw token cannot be
// written by mistake.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace ecpa::store {

class TokenHash {
 public:
  static constexpr std::size_t kSize = 32;

  static TokenHash of(std::string_view token);
  // From stored bytes; false if the size is wrong.
  static bool from_bytes(std::span<const std::uint8_t> bytes, TokenHash& out);

  std::span<const std::uint8_t, kSize> bytes() const noexcept { return bytes_; }

  // Constant time: how many leading bytes matched must not show in the timing.
  friend bool operator==(const TokenHash& a, const TokenHash& b) noexcept;

 private:
  std::array<std::uint8_t, kSize> bytes_{};
};

}  // namespace ecpa::store
