#pragma once
// Card login and first-time binding (DESIGN §4.1, §4.2, §4.4), shared by the 自然人憑證 and 機關憑證 rooms:
// the decisions, without HTTP. What differs between the two is a CardBinding (auth/citizen, auth/agency).
// Every outcome, good or bad, goes to the audit trail with the method, certificate, code, client address
// and trace ID. A successful login is recorded before its session is created, a binding before it is
// committed; either fails (AUDIT_UNAVAILABLE) when its record cannot be written. Refusals are recorded
// best effort (a failed write is logged).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_trail.hpp"
#include "auth/certificate/card_binding.hpp"
#include "certificate_check.hpp"
#include "ecpa/common/clock.hpp"
#include "ecpa/common/log.hpp"
#include "ecpa/store/audit_log.hpp"
#include "ecpa/store/binding_store.hpp"
#include "ecpa/store/nonce_store.hpp"
#include "ecpa/store/people_store.hpp"
#include "session_manager.hpp"

namespace ecpa::portal {

struct Challenge {
  std::string nonce;
  std::string tbs;
  Clock::time_point expires_at;
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

class CertificateLogin {
 public:
  // `certificates` may be null: every login then answers VALIDATOR_UNAVAILABLE instead of pretending.
  // `card_bindings`: one per route this portal accepts (not owned); a route without one is refused.
  CertificateLogin(AuthStores stores, SessionManager& sessions, CertificateCheck* certificates,
                   std::vector<CardBinding*> card_bindings, const Clock& clock, AuthSettings settings,
                   log::Logger logger);

  // A fresh nonce bound to `session` and `purpose`, and the text to sign.
  Challenge challenge(const ActiveSession& session, Purpose purpose, Route route);

  // DESIGN §4.1 step 3. ACCOUNT_NOT_BOUND when no person has this certificate.
  LoginOutcome login(const ActiveSession& session, const SignedPackage& package, Route route,
                     const ClientInfo& client);

  // DESIGN §4.2. `typed`: what the person entered beside the PIN (the 身分證字號 for a citizen card, the
  // 機關代碼 for an agency card). Returns the person now bound.
  store::Person bind(const ActiveSession& session, std::string_view typed, const SignedPackage& package,
                     Route route, const ClientInfo& client);

 private:
  CardBinding& binding_for(Route route) const;
  CertificateFacts check_package(const ActiveSession& session, const SignedPackage& package, Purpose purpose,
                                 Route route);
  void take_nonce(const ActiveSession& session, const std::string& nonce, Purpose purpose);
  // Whether binding this certificate retires another active one of the person (a renewed card).
  bool renews_a_binding(std::int64_t person_id, const store::NewBinding& binding);

  AuthStores stores_;
  AuditTrail trail_;
  SessionManager& sessions_;
  CertificateCheck* certificates_;
  std::vector<CardBinding*> card_bindings_;
  const Clock& clock_;
  AuthSettings settings_;
};

// The person as the API shows them (docs/login-api.md).
struct PersonView {
  std::string name, agency, title, masked_id, method;
};

}  // namespace ecpa::portal
