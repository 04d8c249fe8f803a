#include "auth/audit_trail.hpp"

#include "ecpa/common/error.hpp"

namespace ecpa::portal {

void AuditTrail::record(const AuditEntry& entry, const ClientInfo& client) { write(entry, client, true); }

void AuditTrail::note(const AuditEntry& entry, const ClientInfo& client) { write(entry, client, false); }

void AuditTrail::write(const AuditEntry& entry, const ClientInfo& client, bool required) {
  store::AuditEvent ev;
  ev.at = clock_.now();
  ev.type = std::string(entry.type);
  ev.method = std::string(entry.method);
  ev.person_id = entry.person;
  ev.cert_issuer = entry.subject.cert_issuer;
  ev.cert_serial = entry.subject.cert_serial;
  ev.reason = std::string(entry.reason);
  ev.client_addr = client.address;
  ev.trace_id = client.trace_id;
  try {
    log_.append(ev);
  } catch (const std::exception& e) {
    // Either way the operator must see that the trail has a hole.
    logger_.with_trace(ev.trace_id)
        .error("audit.append_failed", {{"type", ev.type}, {"cause", e.what()}, {"refused", required}});
    if (required) {
      throw Error(codes::AUDIT_UNAVAILABLE, std::string("audit record not written: ") + e.what())
          .with("type", ev.type);
    }
  }
  logger_.with_trace(ev.trace_id)
      .info(ev.type, {{"method", ev.method},
                      {"reason", ev.reason},
                      {"serial", ev.cert_serial},
                      {"remote", ev.client_addr}});
}

}  // namespace ecpa::portal
