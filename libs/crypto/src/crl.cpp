#include "ecpa/crypto/crl.hpp"

#include <openssl/pem.h>

#include <array>
#include <set>

#include "detail.hpp"
#include "ecpa/crypto/error.hpp"

namespace ecpa::crypto {

namespace {

constexpr std::array<std::pair<RevocationReason, std::string_view>, 10> kReasons{{
    {RevocationReason::Unspecified, "unspecified"},
    {RevocationReason::KeyCompromise, "keyCompromise"},
    {RevocationReason::CaCompromise, "cACompromise"},
    {RevocationReason::AffiliationChanged, "affiliationChanged"},
    {RevocationReason::Superseded, "superseded"},
    {RevocationReason::CessationOfOperation, "cessationOfOperation"},
    {RevocationReason::CertificateHold, "certificateHold"},
    {RevocationReason::RemoveFromCrl, "removeFromCRL"},
    {RevocationReason::PrivilegeWithdrawn, "privilegeWithdrawn"},
    {RevocationReason::AaCompromise, "aACompromise"},
}};

[[noreturn]] void malformed(const std::string& why) { throw openssl_error(codes::CRL_MALFORMED, why); }

Bytes octets(const ASN1_OCTET_STRING* s) {
  const unsigned char* p = ASN1_STRING_get0_data(s);
  return Bytes(p, p + ASN1_STRING_length(s));
}

RevokedEntry read_entry(const X509_REVOKED* r) {
  RevokedEntry e;
  e.serial_hex = serial_to_hex(X509_REVOKED_get0_serialNumber(r));
  e.revoked_at = from_asn1_time(X509_REVOKED_get0_revocationDate(r));
  int crit = 0;
  auto* reason = static_cast<ASN1_ENUMERATED*>(X509_REVOKED_get_ext_d2i(r, NID_crl_reason, &crit, nullptr));
  if (reason != nullptr) {
    e.reason = reason_from_code(static_cast<int>(ASN1_ENUMERATED_get(reason)));
    ASN1_ENUMERATED_free(reason);
    if (!e.reason) malformed("unknown revocation reason");
  } else if (crit != -1) {
    malformed("unreadable or repeated reason code");
  }
  return e;
}

}  // namespace

std::string_view reason_name(RevocationReason r) {
  for (const auto& [value, name] : kReasons) {
    if (value == r) return name;
  }
  return "unspecified";
}

std::optional<RevocationReason> reason_from_name(std::string_view name) {
  for (const auto& [value, n] : kReasons) {
    if (n == name) return value;
  }
  return std::nullopt;
}

std::optional<RevocationReason> reason_from_code(int code) {
  for (const auto& [value, n] : kReasons) {
    if (static_cast<int>(value) == code) return value;
  }
  return std::nullopt;
}

Crl::Crl(X509CrlPtr crl) : crl_(crl.release(), X509_CRL_free) {
  X509_CRL* c = crl_.get();
  auto f = std::make_shared<Fields>();
  f->der = detail::to_der(c, i2d_X509_CRL, codes::CRL_MALFORMED, "i2d_X509_CRL");
  f->issuer_der = detail::to_der(X509_CRL_get_issuer(c), i2d_X509_NAME, codes::CRL_MALFORMED, "issuer");
  f->issuer = DistinguishedName::from_x509(X509_CRL_get_issuer(c));
  try {
    f->this_update = from_asn1_time(X509_CRL_get0_lastUpdate(c));
    if (const ASN1_TIME* nu = X509_CRL_get0_nextUpdate(c)) f->next_update = from_asn1_time(nu);
  } catch (const Error& e) {
    throw Error(codes::CRL_MALFORMED, "times: " + e.cause());
  }
  int crit = 0;
  if (auto* n = static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(c, NID_crl_number, &crit, nullptr))) {
    f->crl_number_hex = serial_to_hex(n);
    ASN1_INTEGER_free(n);
  } else if (crit != -1) {
    malformed("unreadable or repeated cRLNumber");
  }
  if (auto* aki = static_cast<AUTHORITY_KEYID*>(
          X509_CRL_get_ext_d2i(c, NID_authority_key_identifier, &crit, nullptr))) {
    if (aki->keyid != nullptr) f->aki = octets(aki->keyid);
    AUTHORITY_KEYID_free(aki);
  } else if (crit != -1) {
    malformed("unreadable or repeated authorityKeyIdentifier");
  }
  // Read every entry once so a malformed one is refused now, not when a lookup happens to hit it.
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(c);
  try {
    for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) read_entry(sk_X509_REVOKED_value(revoked, i));
  } catch (const Error& e) {
    if (e.code() == codes::CRL_MALFORMED) throw;
    throw Error(codes::CRL_MALFORMED, "revoked entry: " + e.cause());
  }
  fields_ = std::move(f);
}

Crl Crl::from_der(ByteView der) {
  const unsigned char* p = der.data();
  X509CrlPtr c(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  if (!c) malformed("d2i_X509_CRL");
  if (p != der.data() + der.size()) throw Error(codes::CRL_MALFORMED, "trailing bytes after CRL");
  return Crl(std::move(c));
}

Crl Crl::from_pem(std::string_view pem) {
  auto bio = read_only_bio(pem.data(), pem.size());
  X509CrlPtr c(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  if (!c) malformed("PEM_read_bio_X509_CRL");
  return Crl(std::move(c));
}

std::string Crl::pem() const {
  auto bio = memory_bio();
  if (PEM_write_bio_X509_CRL(bio.get(), crl_.get()) != 1)
    throw openssl_error(codes::CRYPTO_ERROR, "PEM_write_bio_X509_CRL");
  return detail::bio_text(bio.get());
}

std::size_t Crl::size() const {
  // An empty CRL has no revokedCertificates at all: the stack is null and sk_num says -1.
  int n = sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl_.get()));
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

std::vector<RevokedEntry> Crl::entries() const {
  std::vector<RevokedEntry> out;
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl_.get());
  out.reserve(size());
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i)
    out.push_back(read_entry(sk_X509_REVOKED_value(revoked, i)));
  return out;
}

std::optional<RevokedEntry> Crl::find(std::string_view serial_hex) const {
  Asn1IntegerPtr serial;
  try {
    serial = serial_from_hex(serial_hex);
  } catch (const Error&) {
    return std::nullopt;  // not a serial we could have issued
  }
  X509_REVOKED* r = nullptr;
  // X509_CRL_get0_by_serial sorts lazily under a lock; safe to call from several threads.
  if (X509_CRL_get0_by_serial(crl_.get(), &r, serial.get()) <= 0 || r == nullptr) return std::nullopt;
  return read_entry(r);
}

bool Crl::signed_by(const PublicKey& issuer_key) const {
  int rc = X509_CRL_verify(crl_.get(), issuer_key.native());
  drain_openssl_errors();
  return rc == 1;
}

CrlBuilder& CrlBuilder::this_update(TimePoint t) {
  this_update_ = t;
  return *this;
}
CrlBuilder& CrlBuilder::next_update(TimePoint t) {
  next_update_ = t;
  return *this;
}
CrlBuilder& CrlBuilder::crl_number(std::uint64_t n) {
  number_ = n;
  return *this;
}
CrlBuilder& CrlBuilder::add(RevokedEntry entry) {
  entries_.push_back(std::move(entry));
  return *this;
}

Crl CrlBuilder::sign(const Certificate& issuer, const PrivateKey& issuer_key) const {
  auto invalid = [](const std::string& why) {
    drain_openssl_errors();
    return Error(codes::CRYPTO_ARGUMENT_INVALID, "CRL builder: " + why);
  };
  if (!this_update_ || !next_update_ || *next_update_ < *this_update_)
    throw invalid("missing or inverted times");
  if (!(issuer.public_key() == issuer_key.public_key())) throw invalid("key does not match the issuer");

  X509CrlPtr crl(X509_CRL_new());
  auto tu = to_asn1_time(*this_update_);
  auto nu = to_asn1_time(*next_update_);
  if (!crl || X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer.native())) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), tu.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), nu.get()) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "CRL fields");
  }
  std::set<std::string> seen;
  for (const auto& e : entries_) {
    Asn1IntegerPtr serial;
    try {
      serial = serial_from_hex(e.serial_hex);
    } catch (const Error&) {
      throw invalid("serial is not hex: " + e.serial_hex);
    }
    if (!seen.insert(serial_to_hex(serial.get())).second)
      throw invalid("serial listed twice: " + e.serial_hex);
    X509RevokedPtr r(X509_REVOKED_new());
    auto when = to_asn1_time(e.revoked_at);
    if (!r || X509_REVOKED_set_serialNumber(r.get(), serial.get()) != 1 ||
        X509_REVOKED_set_revocationDate(r.get(), when.get()) != 1) {
      throw openssl_error(codes::CRYPTO_ERROR, "revoked entry");
    }
    if (e.reason) {
      std::unique_ptr<ASN1_ENUMERATED, OpenSslDeleter<ASN1_ENUMERATED_free>> code(ASN1_ENUMERATED_new());
      if (!code || ASN1_ENUMERATED_set(code.get(), static_cast<long>(*e.reason)) != 1 ||
          X509_REVOKED_add1_ext_i2d(r.get(), NID_crl_reason, code.get(), 0, 0) != 1) {
        throw openssl_error(codes::CRYPTO_ERROR, "reason code");
      }
    }
    if (X509_CRL_add0_revoked(crl.get(), r.get()) != 1)
      throw openssl_error(codes::CRYPTO_ERROR, "add revoked");
    static_cast<void>(r.release());  // the CRL owns it now
  }
  Asn1IntegerPtr number(ASN1_INTEGER_new());
  if (!number || ASN1_INTEGER_set_uint64(number.get(), number_) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "cRLNumber");
  }
  if (!issuer.subject_key_id().empty()) {
    AUTHORITY_KEYID* aki = AUTHORITY_KEYID_new();
    aki->keyid = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(aki->keyid, issuer.subject_key_id().data(),
                          static_cast<int>(issuer.subject_key_id().size()));
    int rc = X509_CRL_add1_ext_i2d(crl.get(), NID_authority_key_identifier, aki, 0, 0);
    AUTHORITY_KEYID_free(aki);
    if (rc != 1) throw openssl_error(codes::CRYPTO_ERROR, "authorityKeyIdentifier");
  }
  X509_CRL_sort(crl.get());
  if (X509_CRL_sign(crl.get(), issuer_key.native(), EVP_sha256()) <= 0)
    throw openssl_error(codes::CRYPTO_ERROR, "X509_CRL_sign");
  return Crl::from_der(detail::to_der(crl.get(), i2d_X509_CRL, codes::CRYPTO_ERROR, "i2d_X509_CRL"));
}

}  // namespace ecpa::crypto
