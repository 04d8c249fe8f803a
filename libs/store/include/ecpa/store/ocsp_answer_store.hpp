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
  Clock::time_point checked_at;
  Clock::time_point next_update;
};

class OcspAnswerStore {
 public:
  virtual ~OcspAnswerStore() = default;
  // The answer for `cert_key` if now < its next_update.
  virtual std::optional<StoredOcspAnswer> find(std::string_view cert_key, Clock::time_point now) = 0;
  // Replaces any earlier answer for the key. BAD_REQUEST for a malformed key.
  virtual void put(std::string_view cert_key, const StoredOcspAnswer& answer) = 0;
  virtual void forget(std::string_view cert_key) = 0;
  // Deletes answers whose next_update passed before now; returns how many.
  virtual std::int64_t sweep(Clock::time_point now) = 0;
};

class SqlOcspAnswerStore final : public OcspAnswerStore {
 public:
  explicit SqlOcspAnswerStore(Database& db) : db_(db) {}
  std::optional<StoredOcspAnswer> find(std::string_view cert_key, Clock::time_point now) override;
  void put(std::string_view cert_key, const StoredOcspAnswer& answer) override;
  void forget(std::string_view cert_key) override;
  std::int64_t sweep(Clock::time_point now) override;

 private:
  Database& db_;
};

}  // namespace ecpa::store
