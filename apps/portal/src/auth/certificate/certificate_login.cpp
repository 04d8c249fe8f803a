#include "auth/certificate/certificate_login.hpp"

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/bytes.hpp"

namespace ecpa::portal {
namespace {

// Generous for any real CMS from a card (a 2048-bit signature and one certificate are ~3 KB in base64), small
// enough that nobody can make us parse megabytes.
constexpr std::size_t kMaxSignatureChars = std::size_t{16} * 1024;
constexpr std::size_t kMaxCertChars = std::size_t{12} * 1024;
constexpr std::size_t kMaxCardSnChars = 32;

std::string_view method_of(Route route) { return to_string(route); }

// A login whose revocation status nobody could confirm just now is let in only where the issuer is so
// configured, and is recorded under its own name so that an auditor can find every one of them.
std::string_view login_ok_event(std::string_view revocation) {
  if (revocation == "fail_open") return "login.ok.revocation_unchecked";
  if (revocation == "ocsp_cached_on_outage" || revocation == "crl_on_outage")
    return "login.ok.revocation_stale";
  return "login.ok";
}

store::BindingMethod binding_method(Route route) {
  return route == Route::Citizen ? store::BindingMethod::Citizen : store::BindingMethod::Agency;
}

void check_sizes(const SignedPackage& p) {
  if (p.signature.empty()) throw Error(codes::PACKAGE_MALFORMED, "empty signature");
  if (p.signature.size() > kMaxSignatureChars || p.certb64.size() > kMaxCertChars ||
      p.card_sn.size() > kMaxCardSnChars)
    throw Error(codes::PACKAGE_TOO_LARGE, "package field over its limit");
}

AuditSubject subject_of(const std::optional<CertificateFacts>& facts) {
  if (!facts) return {};
  return AuditSubject{facts->issuer_dn, facts->serial_hex};
}

}  // namespace

CertificateLogin::CertificateLogin(AuthStores stores, SessionManager& sessions,
                                   CertificateCheck* certificates, std::vector<CardBinding*> card_bindings,
                                   const Clock& clock, AuthSettings settings, log::Logger logger)
    : stores_(stores),
      trail_(stores.audit, clock, std::move(logger)),
      sessions_(sessions),
      certificates_(certificates),
      card_bindings_(std::move(card_bindings)),
      clock_(clock),
      settings_(std::move(settings)) {}

CardBinding& CertificateLogin::binding_for(Route route) const {
  for (CardBinding* b : card_bindings_) {
    if (b->route() == route) return *b;
  }
  throw Error(codes::CHALLENGE_PURPOSE_INVALID, "this portal has no card binding for the route")
      .with("route", std::string(to_string(route)));
}

Challenge CertificateLogin::challenge(const ActiveSession& session, Purpose purpose, Route route) {
  (void)binding_for(route);  // a route this portal does not serve gets no nonce
  const auto now = clock_.now();
  Challenge c;
  c.nonce = random_token();
  c.expires_at = now + settings_.nonce_ttl;
  c.tbs = pki::LoginText{settings_.public_origin, purpose, pki::from_base64url(c.nonce)}.to_string();
  stores_.nonces.put(store::TokenHash::of(c.nonce), session.record.id, to_string(purpose), c.expires_at);
  return c;
}

void CertificateLogin::take_nonce(const ActiveSession& session, const std::string& nonce, Purpose purpose) {
  // The store decides from its own row, atomically, so every portal node gives the same answer.
  switch (
      stores_.nonces.take(store::TokenHash::of(nonce), session.record.id, to_string(purpose), clock_.now())) {
    case store::NonceTake::Taken:
      return;
    case store::NonceTake::Expired:
      throw Error(codes::NONCE_EXPIRED, "nonce presented after its expiry");
    case store::NonceTake::Invalid:
      break;
  }
  throw Error(codes::NONCE_INVALID, "nonce unknown, spent, or bound to another session or purpose");
}

CertificateFacts CertificateLogin::check_package(const ActiveSession& session, const SignedPackage& package,
                                                 Purpose purpose, Route route) {
  check_sizes(package);
  if (!certificates_)
    throw Error(codes::VALIDATOR_UNAVAILABLE, "portal built without a certificate validator");
  // The nonce is read from the (not yet trusted) signed text only to know which one to take; the validator
  // then compares the whole content with the text we rebuild from our own origin, purpose and that nonce.
  const std::string signed_text = certificates_->signed_text(package);
  std::optional<pki::LoginText> text;
  try {
    text = pki::LoginText::parse(signed_text);
  } catch (const Error& e) {
    throw Error(codes::TBS_MISMATCH, "signed content is not a login text: " + e.cause());
  }
  const std::string nonce = pki::to_base64url(text->nonce);
  take_nonce(session, nonce, purpose);
  const std::string expected = pki::LoginText{settings_.public_origin, purpose, text->nonce}.to_string();
  return certificates_->validate(package, expected, route);
}

LoginOutcome CertificateLogin::login(const ActiveSession& session, const SignedPackage& package, Route route,
                                     const ClientInfo& client) {
  std::optional<CertificateFacts> facts;
  std::optional<std::int64_t> person_id;
  try {
    CardBinding& card = binding_for(route);
    facts = check_package(session, package, Purpose::Login, route);
    auto binding = stores_.bindings.find_active(facts->issuer_dn, facts->serial_hex);
    if (!binding || binding->method != binding_method(route))
      throw Error(codes::ACCOUNT_NOT_BOUND, "no active binding for this certificate");
    person_id = binding->person_id;
    auto person = stores_.people.get(binding->person_id);
    if (!person || !person->active) throw Error(codes::PERSON_NOT_FOUND, "bound person missing or inactive");
    card.check_login(*facts, *person);
    // Recorded before the session exists: a government login must not succeed unrecorded, so when the
    // record cannot be written nobody is logged in (AUDIT_UNAVAILABLE, the pre-login session unchanged).
    // Should the rotation then fail, the catch below adds a login.failed record after this one.
    trail_.record({login_ok_event(facts->revocation), method_of(route), person->id, subject_of(facts)},
                  client);
    LoginIdentity identity{person->id, std::string(method_of(route)), "sc", "gpki-class3"};
    ActiveSession rotated = sessions_.rotate_to_login(session, identity);
    return LoginOutcome{std::move(rotated), *person};
  } catch (const Error& e) {
    trail_.note({"login.failed", method_of(route), person_id, subject_of(facts), e.code().value}, client);
    throw;
  }
}

store::Person CertificateLogin::bind(const ActiveSession& session, std::string_view typed,
                                     const SignedPackage& package, Route route, const ClientInfo& client) {
  std::optional<CertificateFacts> facts;
  std::optional<std::int64_t> person_id;
  try {
    CardBinding& card = binding_for(route);
    // Cheap input checks first: a mistyped ID number or code must not spend the person's challenge.
    card.check_typed(typed);
    facts = check_package(session, package, Purpose::Bind, route);
    store::Person person = card.owner(*facts, typed);
    person_id = person.id;
    store::NewBinding nb;
    nb.method = binding_method(route);
    nb.issuer_dn = facts->issuer_dn;
    nb.serial_hex = facts->serial_hex;
    if (!facts->card_sn.empty()) nb.card_sn = facts->card_sn;
    if (!facts->subject_serial.empty()) nb.subject_serial = facts->subject_serial;
    // Recorded first, and required, as a login is: a certificate must not become a way into someone's
    // account unrecorded. Should the binding then fail, a bind.failed record follows this one.
    const bool renewed = renews_a_binding(person.id, nb);
    trail_.record({renewed ? "bind.renewed" : "bind.ok", method_of(route), person.id, subject_of(facts)},
                  client);
    // One transaction inside the store: the new binding and the old one's retirement land together or not
    // at all.
    stores_.bindings.bind(person.id, nb, clock_.now());
    card.bound(*facts, person, renewed);
    return person;
  } catch (const Error& e) {
    trail_.note({"bind.failed", method_of(route), person_id, subject_of(facts), e.code().value}, client);
    throw;
  }
}

bool CertificateLogin::renews_a_binding(std::int64_t person_id, const store::NewBinding& binding) {
  // The store keeps serials in its normal form; compare in it.
  const auto serial = store::normalize_serial_hex(binding.serial_hex);
  for (const auto& b : stores_.bindings.history(person_id)) {
    if (b.replaced_at || b.method != binding.method) continue;
    if (b.issuer_dn != binding.issuer_dn || b.serial_hex != serial) return true;
  }
  return false;
}

}  // namespace ecpa::portal
