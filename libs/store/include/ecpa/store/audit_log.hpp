#pragma once

// The audit log (DESIGN §5): append-only and tamper-evident. Each record stores the previous record's
// hash and its own, hash = SHA-256(prev_hash || canonical encoding of the record including its sequence
// number); the first record chains to a fixed genesis value. verify() walks the chain and names the first
// record that does not fit. (A chain cannot show that its newest records were cut off: keep the head hash
// from verify() somewhere else to detect that.)

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ecpa/store/database.hpp"

namespace ecpa::store {

struct AuditEvent {
  Clock::time_point at;
  std::string type;  // "login.ok", "login.failed", "bind.ok", …
  std::string method;
  std::optional<std::int64_t> person_id;
  std::string cert_issuer;
  std::string cert_serial;
  std::string reason;  // an error code, empty on success
  std::string client_addr;
  std::string trace_id;
};

struct AuditRecord {
  std::int64_t seq = 0;
  AuditEvent event;
  Bytes prev_hash;
  Bytes hash;
};

enum class AuditProblem { None, SequenceGap, PrevHashMismatch, HashMismatch };
std::string_view to_string(AuditProblem p) noexcept;

struct AuditVerification {
  bool ok = true;
  std::int64_t records_checked = 0;
  std::optional<std::int64_t> first_bad_seq;
  AuditProblem problem = AuditProblem::None;
  Bytes head_hash;  // hash of the last good record (the genesis value when empty)
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // BAD_REQUEST if type is empty or a field is over 4096 bytes.
  virtual AuditRecord append(const AuditEvent& event) = 0;
  // Records with seq > after_seq, oldest first, at most limit.
  virtual std::vector<AuditRecord> read(std::int64_t after_seq, std::size_t limit) = 0;
  virtual AuditVerification verify() = 0;
};

class SqlAuditLog final : public AuditLog {
 public:
  explicit SqlAuditLog(Database& db) : db_(db) {}
  AuditRecord append(const AuditEvent& event) override;
  std::vector<AuditRecord> read(std::int64_t after_seq, std::size_t limit) override;
  AuditVerification verify() override;

 private:
  Database& db_;
};

// The value the first record chains to: SHA-256("openecpa audit genesis v1").
Bytes audit_genesis_hash();
// hash of a record from its predecessor's hash; exposed so that an outside checker can be written.
Bytes audit_record_hash(BytesView prev_hash, std::int64_t seq, const AuditEvent& event);

}  // namespace ecpa::store
