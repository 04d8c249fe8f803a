#pragma once
// Certificate login and first-time binding (DESIGN §4.1, §4.2): the decisions, without HTTP. Every outcome,
// good or bad, is written to the audit log with the method, certificate, code, client address and trace ID.
// A successful login is recorded before its session is created, a binding before it is committed; either
// fails (AUDIT_UNAVAILABLE) when its record cannot be written. Refusals are recorded best effort (a failed
// write is logged).

#include <chrono>
#include <optional>
#include <string>

#include "certificate_check.hpp"
#include "ecpa/common/clock.hpp"
#include "ecpa/common/log.hpp"
#include "ecpa/store/audit_log.hpp"
#include "ecpa/store/binding_store.hpp"
#include "ecpa/store/nonce_store.hpp"
#include "ecpa/store/people_store.hpp"
#include "identity_check.hpp"
#include "session_manager.hpp"

namespace ecpa::portal {

struct Challenge {
  std::string nonce;
  std::string tbs;
  Clock::time_point expires_at;
};

struct ClientInfo {
  std::string address;
  std::string trace_id;
};

struct LoginOutcome {
  ActiveSession session;  // the new, rotated session
  store::Person person;
};

struct AuthSettings {
  std::string public_origin;
  store::Duration nonce_ttl = std::chrono::minutes(5);
};

struct AuthStores {
  store::NonceStore& nonces;
  store::BindingStore& bindings;
  store::PeopleStore& people;
  store::AuditLog& audit;
};

class AuthService {
 public:
  // `certificates` and `identity` may be null: the endpoints that need them then answer
  // VALIDATOR_UNAVAILABLE / IDENTITY_CHECK_UNAVAILABLE instead of pretending.
  AuthService(AuthStores stores, SessionManager& sessions, CertificateCheck* certificates,
              const IdentityCheck* identity, const Clock& clock, AuthSettings settings, log::Logger logger);

  // A fresh nonce bound to `session` and `purpose`, and the text to sign.
  Challenge challenge(const ActiveSession& session, Purpose purpose, Route route);

  // DESIGN §4.1 step 3. ACCOUNT_NOT_BOUND when no person has this certificate.
  LoginOutcome login(const ActiveSession& session, const SignedPackage& package, Route route,
                     const ClientInfo& client);

  // DESIGN §4.2. Returns the person now bound.
  store::Person bind(const ActiveSession& session, std::string_view national_id, const SignedPackage& package,
                     Route route, const ClientInfo& client);

 private:
  CertificateFacts check_package(const ActiveSession& session, const SignedPackage& package, Purpose purpose,
                                 Route route);
  void take_nonce(const ActiveSession& session, const std::string& nonce, Purpose purpose);
  store::AuditEvent event(std::string_view type, std::string_view method, std::optional<std::int64_t> person,
                          const CertificateFacts* facts, std::string_view reason,
                          const ClientInfo& client) const;
  void log_outcome(const store::AuditEvent& ev);
  // Must be written: throws AUDIT_UNAVAILABLE when the store refuses the record (fail closed).
  void record(std::string_view type, std::string_view method, std::optional<std::int64_t> person,
              const CertificateFacts* facts, std::string_view reason, const ClientInfo& client);
  // Best effort: a failed write is logged as a hole in the trail, the outcome stands.
  void audit(std::string_view type, std::string_view method, std::optional<std::int64_t> person,
             const CertificateFacts* facts, std::string_view reason, const ClientInfo& client);
  void write_audit(const store::AuditEvent& ev, bool required);
  // Whether binding this certificate retires another active one of the person (a renewed card).
  bool renews_a_binding(std::int64_t person_id, const store::NewBinding& binding);

  AuthStores stores_;
  SessionManager& sessions_;
  CertificateCheck* certificates_;
  const IdentityCheck* identity_;
  const Clock& clock_;
  AuthSettings settings_;
  log::Logger logger_;
};

// The person as the API shows them (docs/login-api.md).
struct PersonView {
  std::string name, agency, title, masked_id, method;
};

}  // namespace ecpa::portal
