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
  bool was_locked = false;  // the lock held before this call, which then counted nothing
};

enum class ResetState { Valid, Expired, Invalid };  // Invalid: unknown or already used
struct ResetLookup {
  ResetState state = ResetState::Invalid;
  std::int64_t person_id = 0;  // set for Valid, Expired and a spent link (Invalid); 0 for an unknown one
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  virtual std::optional<Account> find(std::string_view folded_name) = 0;
  virtual std::optional<Account> for_person(std::int64_t person_id) = 0;
  // Replaces the password in one transaction: the hash becomes current and joins the history (only the
  // newest `keep_history` are kept), every open reset link of the person is spent and every session of the
  // person ended (whoever held the old password is out). With `expected_hash`, only if the current hash is
  // still that one (false otherwise, nothing written): a change decided on a hash that a concurrent reset
  // has since replaced must not undo the reset. ACCOUNT_NOT_FOUND when the person has no account.
  virtual bool set_password(std::int64_t person_id, const std::string& hash, bool must_change,
                            Clock::time_point now, std::size_t keep_history,
                            const std::optional<std::string>& expected_hash = std::nullopt) = 0;
  // The same password hashed at another cost (needs_rehash): the current hash only; dates, history and
  // must_change stay.
  virtual void replace_hash(std::int64_t person_id, const std::string& hash) = 0;
  // The newest `n` hashes of the history, newest first (the current one included).
  virtual std::vector<std::string> recent_hashes(std::int64_t person_id, std::size_t n) = 0;

  // The lock on an account name (known or not), if it holds at `now`.
  virtual std::optional<Clock::time_point> locked_until(const TokenHash& name_key, Clock::time_point now) = 0;
  // Counts one failure, atomically; locks when the count reaches the rule's maximum. Called before the
  // password is checked (and cleared when it was right), so that requests in flight at once cannot try
  // more than the rule's number between two counts.
  virtual FailureCount add_failure(const TokenHash& name_key, Clock::time_point now,
                                   const LockoutRule& rule) = 0;
  virtual void clear_failures(const TokenHash& name_key) = 0;
  // Deletes the counts whose window and lock have both passed; returns how many.
  virtual std::int64_t sweep_failures(Clock::time_point now, const LockoutRule& rule) = 0;

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
  bool set_password(std::int64_t person_id, const std::string& hash, bool must_change, Clock::time_point now,
                    std::size_t keep_history,
                    const std::optional<std::string>& expected_hash = std::nullopt) override;
  void replace_hash(std::int64_t person_id, const std::string& hash) override;
  std::vector<std::string> recent_hashes(std::int64_t person_id, std::size_t n) override;
  std::optional<Clock::time_point> locked_until(const TokenHash& name_key, Clock::time_point now) override;
  FailureCount add_failure(const TokenHash& name_key, Clock::time_point now,
                           const LockoutRule& rule) override;
  void clear_failures(const TokenHash& name_key) override;
  std::int64_t sweep_failures(Clock::time_point now, const LockoutRule& rule) override;
  void put_reset(const TokenHash& token, std::int64_t person_id, Clock::time_point now,
                 Clock::time_point expires_at) override;
  ResetLookup find_reset(const TokenHash& token, Clock::time_point now) override;
  ResetLookup complete_reset(const TokenHash& token, Clock::time_point now, const std::string& new_hash,
                             std::size_t keep_history, const TokenHash& name_key) override;

 private:
  Database& db_;
};

}  // namespace ecpa::store
