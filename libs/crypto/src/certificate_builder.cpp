#include "ecpa/crypto/certificate_builder.hpp"

#include "detail.hpp"
#include "ecpa/crypto/error.hpp"
#include "ecpa/crypto/oids.hpp"

namespace ecpa::crypto {

CertificateBuilder& CertificateBuilder::subject(DistinguishedName name) {
  subject_ = std::move(name);
  return *this;
}
CertificateBuilder& CertificateBuilder::public_key(PublicKey key) {
  key_ = std::move(key);
  return *this;
}
CertificateBuilder& CertificateBuilder::serial(Bytes serial) {
  serial_ = std::move(serial);
  return *this;
}
CertificateBuilder& CertificateBuilder::validity(TimePoint not_before, TimePoint not_after) {
  not_before_ = not_before;
  not_after_ = not_after;
  return *this;
}
CertificateBuilder& CertificateBuilder::ca(std::optional<int> path_length) {
  ca_ = true;
  path_len_ = path_length;
  return *this;
}
CertificateBuilder& CertificateBuilder::key_usage(KeyUsage usage) {
  key_usage_ = usage;
  return *this;
}
CertificateBuilder& CertificateBuilder::ext_key_usage(std::vector<std::string> oids) {
  eku_ = std::move(oids);
  return *this;
}
CertificateBuilder& CertificateBuilder::policies(std::vector<std::string> oids) {
  policies_ = std::move(oids);
  return *this;
}
CertificateBuilder& CertificateBuilder::ocsp_urls(std::vector<std::string> urls) {
  ocsp_urls_ = std::move(urls);
  return *this;
}
CertificateBuilder& CertificateBuilder::ca_issuer_urls(std::vector<std::string> urls) {
  ca_issuer_urls_ = std::move(urls);
  return *this;
}
CertificateBuilder& CertificateBuilder::crl_urls(std::vector<std::string> urls) {
  crl_urls_ = std::move(urls);
  return *this;
}
CertificateBuilder& CertificateBuilder::subject_directory_attributes(SubjectDirectoryAttributes sda) {
  sda_ = std::move(sda);
  return *this;
}
CertificateBuilder& CertificateBuilder::ocsp_no_check() {
  ocsp_no_check_ = true;
  return *this;
}

namespace {

[[noreturn]] void invalid(const std::string& why) {
  drain_openssl_errors();
  throw Error(codes::CRYPTO_ARGUMENT_INVALID, "certificate builder: " + why);
}

void add_ext(X509* x, int nid, void* value, bool critical, const char* what) {
  if (X509_add1_ext_i2d(x, nid, value, critical ? 1 : 0, X509V3_ADD_APPEND) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, std::string("adding ") + what);
  }
}

// URLs go into certificates that other programs will fetch: only plain http(s) with no spaces or
// control characters, so a typo in the configuration cannot produce a surprising fetch target.
GENERAL_NAME* uri_name(const std::string& url) {
  bool scheme = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  bool clean = true;
  for (char c : url) clean = clean && static_cast<unsigned char>(c) > 0x20 && c != 0x7f;
  if (!scheme || !clean) invalid("URL must be http(s) without spaces: " + url);
  GENERAL_NAME* gn = GENERAL_NAME_new();
  ASN1_IA5STRING* s = ASN1_IA5STRING_new();
  if (gn == nullptr || s == nullptr || ASN1_STRING_set(s, url.data(), static_cast<int>(url.size())) != 1) {
    GENERAL_NAME_free(gn);
    ASN1_IA5STRING_free(s);
    throw openssl_error(codes::CRYPTO_ERROR, "GENERAL_NAME");
  }
  GENERAL_NAME_set0_value(gn, GEN_URI, s);
  return gn;
}

Bytes key_id(const PublicKey& key) {
  // RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents.
  X509_PUBKEY* pub = nullptr;
  if (X509_PUBKEY_set(&pub, key.native()) != 1) throw openssl_error(codes::CRYPTO_ERROR, "X509_PUBKEY_set");
  const unsigned char* bits = nullptr;
  int len = 0;
  X509_PUBKEY_get0_param(nullptr, &bits, &len, nullptr, pub);
  Bytes id = sha1(ByteView(bits, static_cast<std::size_t>(len)));
  X509_PUBKEY_free(pub);
  return id;
}

Asn1OctetStringPtr octet_string(const Bytes& b) {
  Asn1OctetStringPtr s(ASN1_OCTET_STRING_new());
  if (!s || ASN1_OCTET_STRING_set(s.get(), b.data(), static_cast<int>(b.size())) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "ASN1_OCTET_STRING_set");
  }
  return s;
}

}  // namespace

Certificate CertificateBuilder::sign(const Certificate& issuer, const PrivateKey& issuer_key) const {
  if (!(issuer.public_key() == issuer_key.public_key()))
    invalid("issuer key does not match issuer certificate");
  if (!issuer.is_ca()) invalid("issuer is not a CA");
  if (issuer.subject_key_id().empty()) invalid("issuer certificate has no subjectKeyIdentifier");
  return build(X509_get_subject_name(issuer.native()), issuer.subject_key_id(), issuer_key);
}

Certificate CertificateBuilder::self_sign(const PrivateKey& key) const {
  if (!key_) invalid("no public key");
  if (!(*key_ == key.public_key())) invalid("self-signed certificate: key mismatch");
  if (!subject_) invalid("no subject");
  auto name = subject_->to_x509();
  return build(name.get(), key_id(*key_), key);
}

Certificate CertificateBuilder::build(const X509_NAME* issuer_name, const Bytes& issuer_ski,
                                      const PrivateKey& key) const {
  if (!subject_ || subject_->empty()) invalid("no subject");
  if (!key_) invalid("no public key");
  if (!not_before_ || !not_after_ || *not_after_ < *not_before_) invalid("missing or inverted validity");

  X509Ptr x(X509_new());
  if (!x || X509_set_version(x.get(), X509_VERSION_3) != 1)
    throw openssl_error(codes::CRYPTO_ERROR, "X509_new");

  Bytes serial = serial_ ? *serial_ : random_bytes(16);
  if (!serial_) serial[0] &= 0x7f;
  if (serial.empty() || serial.size() > 20) invalid("serial must be 1–20 bytes");
  BignumPtr bn(BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
  if (!bn || BN_is_zero(bn.get())) invalid("serial must be positive");
  Asn1IntegerPtr serial_int(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (!serial_int || X509_set_serialNumber(x.get(), serial_int.get()) != 1)
    throw openssl_error(codes::CRYPTO_ERROR, "serial");

  auto subject_name = subject_->to_x509();
  auto nb = to_asn1_time(*not_before_);
  auto na = to_asn1_time(*not_after_);
  if (X509_set_subject_name(x.get(), subject_name.get()) != 1 ||
      X509_set_issuer_name(x.get(), issuer_name) != 1 || X509_set1_notBefore(x.get(), nb.get()) != 1 ||
      X509_set1_notAfter(x.get(), na.get()) != 1 || X509_set_pubkey(x.get(), key_->native()) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "setting certificate fields");
  }

  if (ca_ || path_len_) {
    BASIC_CONSTRAINTS* bc = BASIC_CONSTRAINTS_new();
    bc->ca = ca_ ? 0xFF : 0;
    if (path_len_) {
      bc->pathlen = ASN1_INTEGER_new();
      ASN1_INTEGER_set(bc->pathlen, *path_len_);
    }
    add_ext(x.get(), NID_basic_constraints, bc, true, "basicConstraints");
    BASIC_CONSTRAINTS_free(bc);
  }
  if (key_usage_) {
    std::unique_ptr<ASN1_BIT_STRING, OpenSslDeleter<ASN1_BIT_STRING_free>> ku(ASN1_BIT_STRING_new());
    const bool bits[] = {key_usage_->digital_signature, key_usage_->non_repudiation,
                         key_usage_->key_encipherment,  key_usage_->data_encipherment,
                         key_usage_->key_agreement,     key_usage_->key_cert_sign,
                         key_usage_->crl_sign};
    for (int i = 0; i < 7; ++i) {
      if (bits[i]) ASN1_BIT_STRING_set_bit(ku.get(), i, 1);
    }
    if (ASN1_STRING_length(ku.get()) == 0) invalid("keyUsage with no bit set");
    add_ext(x.get(), NID_key_usage, ku.get(), true, "keyUsage");
  }
  if (!eku_.empty()) {
    EXTENDED_KEY_USAGE* eku = sk_ASN1_OBJECT_new_null();
    for (const auto& oid : eku_) {
      try {
        sk_ASN1_OBJECT_push(eku, detail::oid_from_text(oid, codes::CRYPTO_ARGUMENT_INVALID).release());
      } catch (...) {
        sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
        throw;
      }
    }
    add_ext(x.get(), NID_ext_key_usage, eku, false, "extKeyUsage");
    sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
  }
  // Key identifiers: SKI always; AKI whenever the issuer has one (also self-signed, like GRCA).
  {
    auto ski = octet_string(key_id(*key_));
    add_ext(x.get(), NID_subject_key_identifier, ski.get(), false, "subjectKeyIdentifier");
    AUTHORITY_KEYID* aki = AUTHORITY_KEYID_new();
    aki->keyid = octet_string(issuer_ski).release();
    add_ext(x.get(), NID_authority_key_identifier, aki, false, "authorityKeyIdentifier");
    AUTHORITY_KEYID_free(aki);
  }
  if (!policies_.empty()) {
    CERTIFICATEPOLICIES* pols = sk_POLICYINFO_new_null();
    for (const auto& oid : policies_) {
      POLICYINFO* pi = POLICYINFO_new();
      sk_POLICYINFO_push(pols, pi);
      try {
        ASN1_OBJECT_free(pi->policyid);
        pi->policyid = detail::oid_from_text(oid, codes::CRYPTO_ARGUMENT_INVALID).release();
      } catch (...) {
        sk_POLICYINFO_pop_free(pols, POLICYINFO_free);
        throw;
      }
    }
    add_ext(x.get(), NID_certificate_policies, pols, false, "certificatePolicies");
    sk_POLICYINFO_pop_free(pols, POLICYINFO_free);
  }
  if (!ocsp_urls_.empty() || !ca_issuer_urls_.empty()) {
    AUTHORITY_INFO_ACCESS* aia = sk_ACCESS_DESCRIPTION_new_null();
    auto add = [&](const std::vector<std::string>& urls, int method) {
      for (const auto& url : urls) {
        ACCESS_DESCRIPTION* ad = ACCESS_DESCRIPTION_new();
        sk_ACCESS_DESCRIPTION_push(aia, ad);
        ASN1_OBJECT_free(ad->method);
        ad->method = OBJ_nid2obj(method);
        GENERAL_NAME_free(ad->location);
        ad->location = nullptr;
        ad->location = uri_name(url);
      }
    };
    try {
      add(ocsp_urls_, NID_ad_OCSP);
      add(ca_issuer_urls_, NID_ad_ca_issuers);
    } catch (...) {
      AUTHORITY_INFO_ACCESS_free(aia);
      throw;
    }
    add_ext(x.get(), NID_info_access, aia, false, "authorityInfoAccess");
    AUTHORITY_INFO_ACCESS_free(aia);
  }
  if (!crl_urls_.empty()) {
    CRL_DIST_POINTS* dps = sk_DIST_POINT_new_null();
    try {
      for (const auto& url : crl_urls_) {
        DIST_POINT* dp = DIST_POINT_new();
        sk_DIST_POINT_push(dps, dp);
        dp->distpoint = DIST_POINT_NAME_new();
        dp->distpoint->type = 0;
        dp->distpoint->name.fullname = sk_GENERAL_NAME_new_null();
        sk_GENERAL_NAME_push(dp->distpoint->name.fullname, uri_name(url));
      }
    } catch (...) {
      CRL_DIST_POINTS_free(dps);
      throw;
    }
    add_ext(x.get(), NID_crl_distribution_points, dps, false, "cRLDistributionPoints");
    CRL_DIST_POINTS_free(dps);
  }
  if (ocsp_no_check_) {
    ASN1_NULL* null = ASN1_NULL_new();
    add_ext(x.get(), NID_id_pkix_OCSP_noCheck, null, false, "ocspNoCheck");
    ASN1_NULL_free(null);
  }
  if (sda_) {
    Bytes der = encode_sda(*sda_);
    auto obj = detail::oid_from_text(oids::kSubjectDirectoryAttributes, codes::CRYPTO_ERROR);
    auto data = octet_string(der);
    X509ExtensionPtr ext(X509_EXTENSION_create_by_OBJ(nullptr, obj.get(), 0, data.get()));
    if (!ext || X509_add_ext(x.get(), ext.get(), -1) != 1)
      throw openssl_error(codes::CRYPTO_ERROR, "adding SDA");
  }

  if (X509_sign(x.get(), key.native(), EVP_sha256()) <= 0)
    throw openssl_error(codes::CRYPTO_ERROR, "X509_sign");
  // Re-read from DER so the returned value is exactly what others will parse (and cached fields match).
  return Certificate::from_der(detail::to_der(x.get(), i2d_X509, codes::CRYPTO_ERROR, "i2d_X509"));
}

}  // namespace ecpa::crypto
