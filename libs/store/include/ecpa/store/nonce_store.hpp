#pragma once

// Login challenges (DESIGN §4.1): each nonce is bound to the pre-login session that asked for it and to a
// purpose (login | bind), and can be taken exactly once, also when several portal processes share the
// database.

#include <chrono>
#include <cstdint>
#include <string_view>

#include "ecpa/store/database.hpp"
#include "ecpa/store/token_hash.hpp"

namespace ecpa::store {

// What one take() found. Decided from the stored row alone, in the same statement that spends it, so every
// portal process on the database gives the same answer for the same nonce.
enum class NonceTake {
  Taken,    // this caller took it: right session and purpose, before its expiry
  Expired,  // it was issued to this session for this purpose but presented at or after its expiry (now spent)
  Invalid,  // unknown, already spent, swept long ago, or issued to another session or purpose (left unspent)
};
std::string_view to_string(NonceTake t) noexcept;

class NonceStore {
 public:
  virtual ~NonceStore() = default;
  // STORE_CONFLICT if the same nonce is put twice.
  virtual void put(const TokenHash& nonce, const TokenHash& presession, std::string_view purpose,
                   Clock::time_point expires_at) = 0;
  // Taken for exactly one caller, and only if session and purpose match and now < expires_at. Only an
  // attempt by the session and purpose it was issued to spends it (Taken, or Expired when late); a second
  // such attempt is Invalid. Anyone else's attempt is Invalid whatever its age and leaves the nonce as it
  // was, so that another session cannot spend a nonce it has seen and make its owner's login fail.
  [[nodiscard]] virtual NonceTake take(const TokenHash& nonce, const TokenHash& presession,
                                       std::string_view purpose, Clock::time_point now) = 0;
  // Deletes nonces that expired before now - the store's retention; returns how many.
  virtual std::int64_t sweep(Clock::time_point now) = 0;
};

class SqlNonceStore final : public NonceStore {
 public:
  // Expired rows are kept this long after their expiry so that a late answer is told "expired" rather than
  // "unknown" (a person who waited too long should hear that, not that something is wrong). They can never
  // be taken; they only cost a row each.
  static constexpr std::chrono::seconds kDefaultRetention{3600};

  explicit SqlNonceStore(Database& db, std::chrono::seconds retention = kDefaultRetention)
      : db_(db), retention_(retention) {}
  void put(const TokenHash& nonce, const TokenHash& presession, std::string_view purpose,
           Clock::time_point expires_at) override;
  [[nodiscard]] NonceTake take(const TokenHash& nonce, const TokenHash& presession, std::string_view purpose,
                               Clock::time_point now) override;
  std::int64_t sweep(Clock::time_point now) override;

 private:
  Database& db_;
  std::chrono::seconds retention_;
};

}  // namespace ecpa::store
