#pragma once

// Sessions, keyed by TokenHash::of(cookie token); the token itself never reaches the database. A session
// is valid while now is before both its idle expiry (moved forward by touch) and its absolute expiry
// (fixed at creation). Pre-login sessions have no person.

#include <cstdint>
#include <optional>
#include <string>

#include "ecpa/store/database.hpp"
#include "ecpa/store/token_hash.hpp"

namespace ecpa::store {

struct NewSession {
  TokenHash id;
  std::optional<std::int64_t> person_id;
  std::string method;  // login method ("citizen", "agency", …); empty before login
  std::string amr;
  std::string acr;
  TokenHash csrf;
  Duration idle_timeout{};
  Duration absolute_timeout{};
};

struct Session {
  TokenHash id;
  std::optional<std::int64_t> person_id;
  std::string method;
  std::string amr;
  std::string acr;
  TokenHash csrf;
  Clock::time_point created_at;
  Clock::time_point last_seen_at;
  Clock::time_point idle_expires_at;
  Clock::time_point absolute_expires_at;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  // STORE_CONFLICT if the id exists; BAD_REQUEST for non-positive timeouts.
  virtual Session create(const NewSession& session, Clock::time_point now) = 0;
  // Deletes `old_id` and creates `session` in one transaction: session ID rotation at login.
  virtual Session rotate(const TokenHash& old_id, const NewSession& session, Clock::time_point now) = 0;
  virtual std::optional<Session> get_valid(const TokenHash& id, Clock::time_point now) = 0;
  // Extends the idle window from now (never past the absolute expiry); false if not valid.
  virtual bool touch(const TokenHash& id, Clock::time_point now) = 0;
  virtual bool remove(const TokenHash& id) = 0;
  virtual std::int64_t remove_for_person(std::int64_t person_id) = 0;
  virtual std::int64_t sweep(Clock::time_point now) = 0;
};

class SqlSessionStore final : public SessionStore {
 public:
  explicit SqlSessionStore(Database& db) : db_(db) {}
  Session create(const NewSession& session, Clock::time_point now) override;
  Session rotate(const TokenHash& old_id, const NewSession& session, Clock::time_point now) override;
  std::optional<Session> get_valid(const TokenHash& id, Clock::time_point now) override;
  bool touch(const TokenHash& id, Clock::time_point now) override;
  bool remove(const TokenHash& id) override;
  std::int64_t remove_for_person(std::int64_t person_id) override;
  std::int64_t sweep(Clock::time_point now) override;

 private:
  Database& db_;
};

}  // namespace ecpa::store
