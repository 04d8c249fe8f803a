#pragma once
// 帳號密碼登入's room (DESIGN §4.4, REFERENCE §4): login with an account and an Argon2id-hashed password,
// the forced change of an initial or expired password, 忘記密碼 by a one-time link sent by e-mail, and the
// lockout. The same answer, after the same work (one Argon2id verification), for an unknown account and a
// wrong password; failures are counted per account name as typed, known or not (5 → locked 15 minutes),
// and per client address, which stops counting against accounts once spent so that one address cannot
// lock many people out (docs/security.md). Every attempt is audited.

#include <memory>
#include <optional>
#include <semaphore>
#include <string>

#include "auth/audit_trail.hpp"
#include "auth/certificate/certificate_login.hpp"
#include "auth/login_door.hpp"
#include "auth/password/password_policy.hpp"
#include "ecpa/http/rate_limit.hpp"
#include "ecpa/store/account_store.hpp"
#include "ecpa/store/password_hasher.hpp"
#include "ecpa/store/people_store.hpp"
#include "mail_outbox.hpp"
#include "session_manager.hpp"

namespace ecpa::portal {

struct PasswordSettings {
  PasswordPolicy policy;
  store::LockoutRule lockout;
  // Failed passwords one client address may spend before its attempts are refused (RATE_LIMITED) without
  // touching any account: `failure_burst` at once, then one per `failure_refill`.
  double failure_burst = 10;
  std::chrono::seconds failure_refill{90};
  std::chrono::minutes reset_ttl{30};
  std::string public_origin;  // for the reset link
};

struct PasswordStores {
  store::AccountStore& accounts;
  store::PeopleStore& people;
  store::AuditLog& audit;
};

class PasswordLogin final : public LoginMethod {
 public:
  // `outbox` may be null: 忘記密碼 then answers MAIL_UNAVAILABLE.
  PasswordLogin(PasswordStores stores, SessionManager& sessions, const store::PasswordHasher& hasher,
                MailOutbox* outbox, const Clock& clock, PasswordSettings settings, log::Logger logger);

  std::string_view name() const override { return "password"; }
  void install(LoginDoor& door) override;

  LoginOutcome login(const ActiveSession& session, std::string_view account, std::string_view password,
                     const ClientInfo& client);
  // Sets a new password (checked against every rule), ends the person's other sessions and logs them in
  // with it. For the forced change at first login or after max_age, and for a change by choice (then
  // min_age applies).
  LoginOutcome change(const ActiveSession& session, std::string_view account, std::string_view current,
                      std::string_view replacement, const ClientInfo& client);
  // 忘記密碼: sends the link when account, ID number and e-mail all match the record; otherwise nothing
  // (and the caller's answer is the same). Malformed input: its code.
  void forgot(std::string_view account, std::string_view national_id, std::string_view email,
              const ClientInfo& client);
  // Spends a link and sets the password; every session of the account ends.
  void reset(std::string_view token, std::string_view replacement, const ClientInfo& client);

  const PasswordSettings& settings() const noexcept { return settings_; }

 private:
  struct Verified {
    store::Account account;
    store::Person person;
  };
  // One Argon2id verification whatever the account; throws the refusal (audited by the caller).
  Verified authenticate(std::string_view account, std::string_view password, const ClientInfo& client,
                        std::optional<std::int64_t>& person_seen);
  void check_new(const store::Account& account, std::string_view replacement) const;
  store::TokenHash name_key(std::string_view folded) const;
  LoginOutcome open_session(const ActiveSession& session, const Verified& v, const ClientInfo& client);

  PasswordStores stores_;
  AuditTrail trail_;
  SessionManager& sessions_;
  const store::PasswordHasher& hasher_;
  MailOutbox* outbox_;
  const Clock& clock_;
  PasswordSettings settings_;
  std::string dummy_hash_;                   // verified when the account is unknown, so it costs the same
  std::counting_semaphore<> hashing_slots_;  // requests hashing at once: one per core
  std::shared_ptr<http::TokenBucketLimiter> failures_by_address_;
  std::shared_ptr<http::TokenBucketLimiter> mails_by_account_;
};

// "2026-12-04 21:15" in Taiwan time (UTC+8): how a person reads an unlock time.
std::string taiwan_minute(Clock::time_point t);

}  // namespace ecpa::portal
