#pragma once

// Good OCSP answers shared by every portal process on the database (see
// migrations/sqlite/002_ocsp_good_answers.sql). The certificate validator decides how long one may be
// reused; this only keeps them, hands back the ones whose nextUpdate has not passed, and forgets one the
// moment any process learns that its certificate is revoked.

#include <cstdint>
#include <optional>
#include <string_view>

#include "ecpa/store/database.hpp"

namespace ecpa::store {

struct StoredOcspAnswer {
  Clock::time_point checked_at;   // when the portal asked
  Clock::time_point this_update;  // the responder's thisUpdate
  Clock::time_point next_update;
};

class OcspAnswerStore {
 public:
  virtual ~OcspAnswerStore() = default;
  // The answer for `cert_key` if now < its next_update and no revocation is recorded for it.
  virtual std::optional<StoredOcspAnswer> find(std::string_view cert_key, Clock::time_point now) = 0;
  // Replaces any earlier answer for the key, in one statement, unless a revocation is recorded at or after
  // the answer's this_update (a node that asked before the revocation writes too late). BAD_REQUEST for a
  // malformed key.
  virtual void put(std::string_view cert_key, const StoredOcspAnswer& answer) = 0;
  // Records that the certificate was found revoked at `seen_at`: the good answer is gone for every process
  // at once, and the record stays a day past that (or past the answer's next_update, if later).
  virtual void forget(std::string_view cert_key, Clock::time_point seen_at) = 0;
  // Deletes answers and records whose time has passed; returns how many.
  virtual std::int64_t sweep(Clock::time_point now) = 0;
};

class SqlOcspAnswerStore final : public OcspAnswerStore {
 public:
  explicit SqlOcspAnswerStore(Database& db) : db_(db) {}
  std::optional<StoredOcspAnswer> find(std::string_view cert_key, Clock::time_point now) override;
  void put(std::string_view cert_key, const StoredOcspAnswer& answer) override;
  void forget(std::string_view cert_key, Clock::time_point seen_at) override;
  std::int64_t sweep(Clock::time_point now) override;

 private:
  Database& db_;
};

}  // namespace ecpa::store
