#pragma once

// 帳號密碼登入's storage (DESIGN §4.4): accounts of people provisioned by HR, their password hashes and
// history, failed-login counts and lockouts per account name, and one-time reset links. Every decision
// that must hold across portal nodes (a lockout, a reset link spent once) is made inside one transaction
// from the stored rows.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/store/database.hpp"
#include "ecpa/store/token_hash.hpp"

namespace ecpa::store {

struct Account {
  std::int64_t person_id = 0;
  std::string name;                          // folded (lowercase)
  std::optional<std::string> password_hash;  // Argon2id string; none until an admin sets one
  bool must_change = true;                   // an initial (admin-set) password
  std::optional<Clock::time_point> changed_at;
};

// The account name rule: 3–32 ASCII letters, digits, '.', '_' or '-', starting with a letter; compared
// without case. nullopt for anything else (trimmed first).
std::optional<std::string> fold_account_name(std::string_view typed);

struct LockoutRule {
  int max_failures = 5;
  // How long a lock lasts, and how long a failure is remembered: failures further apart than this do not
  // add up.
  Duration lock_for = std::chrono::minutes(15);
};

struct FailureCount {
  int failures = 0;
  std::optional<Clock::time_point> locked_until;  // set when this failure (or an earlier one) locked it
};

enum class ResetState { Valid, Expired, Invalid };  // Invalid: unknown or already used
struct ResetLookup {
  ResetState state = ResetState::Invalid;
  std::int64_t person_id = 0;  // set for Valid and Expired
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  virtual std::optional<Account> find(std::string_view folded_name) = 0;
  virtual std::optional<Account> for_person(std::int64_t person_id) = 0;
  // Replaces the password in one transaction: the hash becomes current and joins the history (only the
  // newest `keep_history` are kept). ACCOUNT_NOT_FOUND when the person has no account.
  virtual void set_password(std::int64_t person_id, const std::string& hash, bool must_change,
                            Clock::time_point now, std::size_t keep_history) = 0;
  // The newest `n` hashes of the history, newest first (the current one included).
  virtual std::vector<std::string> recent_hashes(std::int64_t person_id, std::size_t n) = 0;

  // The lock on an account name (known or not), if it holds at `now`.
  virtual std::optional<Clock::time_point> locked_until(const TokenHash& name_key, Clock::time_point now) = 0;
  // Counts one failure, atomically; locks when the count reaches the rule's maximum.
  virtual FailureCount add_failure(const TokenHash& name_key, Clock::time_point now,
                                   const LockoutRule& rule) = 0;
  virtual void clear_failures(const TokenHash& name_key) = 0;

  virtual void put_reset(const TokenHash& token, std::int64_t person_id, Clock::time_point now,
                         Clock::time_point expires_at) = 0;
  // What a link is, without spending it.
  virtual ResetLookup find_reset(const TokenHash& token, Clock::time_point now) = 0;
  // One transaction, written only when the link is still Valid: the link is spent, the password replaced
  // (must_change cleared), the account's lockout cleared, every session of the person ended, every other
  // open link of the person spent too.
  virtual ResetLookup complete_reset(const TokenHash& token, Clock::time_point now,
                                     const std::string& new_hash, std::size_t keep_history,
                                     const TokenHash& name_key) = 0;
};

class SqlAccountStore final : public AccountStore {
 public:
  explicit SqlAccountStore(Database& db) : db_(db) {}
  std::optional<Account> find(std::string_view folded_name) override;
  std::optional<Account> for_person(std::int64_t person_id) override;
  void set_password(std::int64_t person_id, const std::string& hash, bool must_change, Clock::time_point now,
                    std::size_t keep_history) override;
  std::vector<std::string> recent_hashes(std::int64_t person_id, std::size_t n) override;
  std::optional<Clock::time_point> locked_until(const TokenHash& name_key, Clock::time_point now) override;
  FailureCount add_failure(const TokenHash& name_key, Clock::time_point now,
                           const LockoutRule& rule) override;
  void clear_failures(const TokenHash& name_key) override;
  void put_reset(const TokenHash& token, std::int64_t person_id, Clock::time_point now,
                 Clock::time_point expires_at) override;
  ResetLookup find_reset(const TokenHash& token, Clock::time_point now) override;
  ResetLookup complete_reset(const TokenHash& token, Clock::time_point now, const std::string& new_hash,
                             std::size_t keep_history, const TokenHash& name_key) override;

 private:
  Database& db_;
};

}  // namespace ecpa::store
