#pragma once
// The audit trail as the login methods write it (DESIGN §5): every outcome, good or bad, with the method,
// the certificate if any, the reason code, the client address and the trace ID. Shared by every login
// method; none writes audit records of its own.

#include <optional>
#include <string>
#include <string_view>

#include "ecpa/common/clock.hpp"
#include "ecpa/common/log.hpp"
#include "ecpa/store/audit_log.hpp"

namespace ecpa::portal {

struct ClientInfo {
  std::string address;
  std::string trace_id;
};

// What a record says about the credential used, when it is a certificate.
struct AuditSubject {
  std::string cert_issuer;
  std::string cert_serial;
};

struct AuditEntry {
  std::string_view type;    // "login.ok", "login.failed", "bind.ok", "password.changed" …
  std::string_view method;  // the login method's name
  std::optional<std::int64_t> person;
  AuditSubject subject{};
  std::string_view reason{};  // the refusal's code
};

class AuditTrail {
 public:
  AuditTrail(store::AuditLog& log, const Clock& clock, log::Logger logger)
      : log_(log), clock_(clock), logger_(std::move(logger)) {}

  // Must be written before what it records happens: throws AUDIT_UNAVAILABLE when the store refuses it
  // (fail closed: a government login must not succeed unrecorded).
  void record(const AuditEntry& entry, const ClientInfo& client);
  // Best effort, for refusals and for what has already happened: a failed write is logged as a hole in the
  // trail and the outcome stands.
  void note(const AuditEntry& entry, const ClientInfo& client);

 private:
  void write(const AuditEntry& entry, const ClientInfo& client, bool required);

  store::AuditLog& log_;
  const Clock& clock_;
  log::Logger logger_;
};

}  // namespace ecpa::portal
