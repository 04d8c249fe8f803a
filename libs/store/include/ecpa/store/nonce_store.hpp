#pragma once

// Login challenges (DESIGN §4.1): each nonce is bound to the pre-login session that asked for it and to a
// purpose (login | bind), and can be taken exactly once, also when several portal processes share the
// database.

#include <cstdint>
#include <string_view>

#include "ecpa/store/database.hpp"
#include "ecpa/store/token_hash.hpp"

namespace ecpa::store {

class NonceStore {
 public:
  virtual ~NonceStore() = default;
  // STORE_CONFLICT if the same nonce is put twice.
  virtual void put(const TokenHash& nonce, const TokenHash& presession, std::string_view purpose,
                   Clock::time_point expires_at) = 0;
  // True for exactly one caller, and only if session and purpose match and now < expires_at. The nonce is
  // consumed by any attempt, matching or not: a presented nonce is spent. Expired nonces are swept.
  [[nodiscard]] virtual bool take(const TokenHash& nonce, const TokenHash& presession,
                                  std::string_view purpose, Clock::time_point now) = 0;
  // Deletes expired nonces; returns how many.
  virtual std::int64_t sweep(Clock::time_point now) = 0;
};

class SqlNonceStore final : public NonceStore {
 public:
  explicit SqlNonceStore(Database& db) : db_(db) {}
  void put(const TokenHash& nonce, const TokenHash& presession, std::string_view purpose,
           Clock::time_point expires_at) override;
  [[nodiscard]] bool take(const TokenHash& nonce, const TokenHash& presession, std::string_view purpose,
                          Clock::time_point now) override;
  std::int64_t sweep(Clock::time_point now) override;

 private:
  Database& db_;
};

}  // namespace ecpa::store
