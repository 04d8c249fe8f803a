#include "ecpa/crypto/certificate.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>

#include "detail.hpp"
#include "ecpa/crypto/error.hpp"
#include "ecpa/crypto/oids.hpp"

namespace ecpa::crypto {

std::string KeyUsage::to_string() const {
  std::string out;
  auto add = [&](bool on, const char* name) {
    if (!on) return;
    if (!out.empty()) out += '|';
    out += name;
  };
  add(digital_signature, "digitalSignature");
  add(non_repudiation, "nonRepudiation");
  add(key_encipherment, "keyEncipherment");
  add(data_encipherment, "dataEncipherment");
  add(key_agreement, "keyAgreement");
  add(key_cert_sign, "keyCertSign");
  add(crl_sign, "cRLSign");
  return out;
}

std::string serial_to_hex(const ASN1_INTEGER* serial) {
  BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) throw openssl_error(codes::CERT_MALFORMED, "serial number");
  if (BN_is_zero(bn.get())) return "0";
  Bytes mag(static_cast<std::size_t>(BN_num_bytes(bn.get())));
  BN_bn2bin(bn.get(), mag.data());
  std::string hex = to_hex(mag);
  if (hex.size() > 1 && hex[0] == '0') hex.erase(0, 1);
  return BN_is_negative(bn.get()) ? "-" + hex : hex;
}

Asn1IntegerPtr serial_from_hex(std::string_view hex) {
  bool ok = !hex.empty() && hex.size() <= 64;
  for (char c : hex) {
    ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
  }
  if (!ok) throw Error(codes::CRYPTO_ARGUMENT_INVALID, "serial is not 1–64 hex digits");
  BIGNUM* raw = nullptr;
  if (BN_hex2bn(&raw, std::string(hex).c_str()) == 0)
    throw openssl_error(codes::CRYPTO_ARGUMENT_INVALID, "BN_hex2bn");
  BignumPtr bn(raw);
  Asn1IntegerPtr out(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (!out) throw openssl_error(codes::CRYPTO_ERROR, "BN_to_ASN1_INTEGER");
  return out;
}

namespace {

[[noreturn]] void malformed(const std::string& why) { throw openssl_error(codes::CERT_MALFORMED, why); }

// Fetches an extension by NID, telling "absent" (nullptr) from "present but unreadable" (throws),
// and refusing duplicates: RFC 5280 forbids them and a second copy could say something else.
template <typename T>
T* get_ext(X509* x, int nid, bool& present) {
  int crit = 0;
  void* v = X509_get_ext_d2i(x, nid, &crit, nullptr);
  if (v == nullptr) {
    if (crit == -1) {  // absent
      present = false;
      return nullptr;
    }
    if (crit == -2) malformed(std::string("repeated extension ") + OBJ_nid2sn(nid));
    malformed(std::string("unreadable extension ") + OBJ_nid2sn(nid));
  }
  present = true;
  return static_cast<T*>(v);
}

// The URI of a general name, or "" for other name forms.
std::string uri_of(const GENERAL_NAME* gn) {
  if (gn->type != GEN_URI) return {};
  const ASN1_IA5STRING* s = gn->d.uniformResourceIdentifier;
  std::string uri(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                  static_cast<std::size_t>(ASN1_STRING_length(s)));
  // An embedded NUL could make "http://good\0.evil" compare as one URL and be fetched as another.
  if (uri.find('\0') != std::string::npos) malformed("URI with an embedded NUL");
  return uri;
}

Bytes octets(const ASN1_OCTET_STRING* s) {
  const unsigned char* p = ASN1_STRING_get0_data(s);
  return Bytes(p, p + ASN1_STRING_length(s));
}

}  // namespace

Certificate::Certificate(X509Ptr x509) : x509_(x509.release(), X509_free) {
  X509* x = x509_.get();
  auto f = std::make_shared<Fields>();
  f->der = detail::to_der(x, i2d_X509, codes::CERT_MALFORMED, "i2d_X509");
  f->subject_der = detail::to_der(X509_get_subject_name(x), i2d_X509_NAME, codes::CERT_MALFORMED, "subject");
  f->issuer_der = detail::to_der(X509_get_issuer_name(x), i2d_X509_NAME, codes::CERT_MALFORMED, "issuer");
  f->subject = DistinguishedName::from_x509(X509_get_subject_name(x));
  f->issuer = DistinguishedName::from_x509(X509_get_issuer_name(x));
  f->serial_hex = serial_to_hex(X509_get0_serialNumber(x));
  f->sig_alg = detail::oid_text(X509_get0_tbs_sigalg(x)->algorithm);
  try {
    f->not_before = from_asn1_time(X509_get0_notBefore(x));
    f->not_after = from_asn1_time(X509_get0_notAfter(x));
  } catch (const Error& e) {
    throw Error(codes::CERT_MALFORMED, "validity: " + e.cause());
  }

  // Makes OpenSSL decode all standard extensions once; EXFLAG_INVALID marks any it could not read.
  X509_check_purpose(x, -1, 0);
  if ((X509_get_extension_flags(x) & EXFLAG_INVALID) != 0) malformed("invalid extension");

  bool present = false;
  if (auto* bc = get_ext<BASIC_CONSTRAINTS>(x, NID_basic_constraints, present)) {
    f->is_ca = bc->ca != 0;
    if (bc->pathlen != nullptr) {
      long v = ASN1_INTEGER_get(bc->pathlen);
      if (v < 0 || v > 64) {
        BASIC_CONSTRAINTS_free(bc);
        malformed("pathLenConstraint out of range");
      }
      f->path_len = static_cast<int>(v);
    }
    BASIC_CONSTRAINTS_free(bc);
  }
  if (auto* ku = get_ext<ASN1_BIT_STRING>(x, NID_key_usage, present)) {
    KeyUsage k;
    k.digital_signature = ASN1_BIT_STRING_get_bit(ku, 0) == 1;
    k.non_repudiation = ASN1_BIT_STRING_get_bit(ku, 1) == 1;
    k.key_encipherment = ASN1_BIT_STRING_get_bit(ku, 2) == 1;
    k.data_encipherment = ASN1_BIT_STRING_get_bit(ku, 3) == 1;
    k.key_agreement = ASN1_BIT_STRING_get_bit(ku, 4) == 1;
    k.key_cert_sign = ASN1_BIT_STRING_get_bit(ku, 5) == 1;
    k.crl_sign = ASN1_BIT_STRING_get_bit(ku, 6) == 1;
    f->key_usage = k;
    ASN1_BIT_STRING_free(ku);
  }
  if (auto* eku = get_ext<EXTENDED_KEY_USAGE>(x, NID_ext_key_usage, present)) {
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku); ++i)
      f->ext_key_usage.push_back(detail::oid_text(sk_ASN1_OBJECT_value(eku, i)));
    EXTENDED_KEY_USAGE_free(eku);
  }
  if (auto* pols = get_ext<CERTIFICATEPOLICIES>(x, NID_certificate_policies, present)) {
    for (int i = 0; i < sk_POLICYINFO_num(pols); ++i)
      f->policies.push_back(detail::oid_text(sk_POLICYINFO_value(pols, i)->policyid));
    CERTIFICATEPOLICIES_free(pols);
  }
  if (auto* aia = get_ext<AUTHORITY_INFO_ACCESS>(x, NID_info_access, present)) {
    try {
      for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia); ++i) {
        const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia, i);
        std::string uri = uri_of(ad->location);
        if (uri.empty()) continue;
        int method = OBJ_obj2nid(ad->method);
        if (method == NID_ad_OCSP) f->ocsp_urls.push_back(uri);
        if (method == NID_ad_ca_issuers) f->ca_issuer_urls.push_back(uri);
      }
    } catch (...) {
      AUTHORITY_INFO_ACCESS_free(aia);
      throw;
    }
    AUTHORITY_INFO_ACCESS_free(aia);
  }
  if (auto* dps = get_ext<CRL_DIST_POINTS>(x, NID_crl_distribution_points, present)) {
    try {
      for (int i = 0; i < sk_DIST_POINT_num(dps); ++i) {
        const DIST_POINT* dp = sk_DIST_POINT_value(dps, i);
        if (dp->distpoint == nullptr || dp->distpoint->type != 0) continue;  // fullName only
        const GENERAL_NAMES* names = dp->distpoint->name.fullname;
        for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
          std::string uri = uri_of(sk_GENERAL_NAME_value(names, j));
          if (!uri.empty()) f->crl_urls.push_back(std::move(uri));
        }
      }
    } catch (...) {
      CRL_DIST_POINTS_free(dps);
      throw;
    }
    CRL_DIST_POINTS_free(dps);
  }
  if (auto* ski = get_ext<ASN1_OCTET_STRING>(x, NID_subject_key_identifier, present)) {
    f->ski = octets(ski);
    ASN1_OCTET_STRING_free(ski);
  }
  if (auto* aki = get_ext<AUTHORITY_KEYID>(x, NID_authority_key_identifier, present)) {
    if (aki->keyid != nullptr) f->aki = octets(aki->keyid);
    AUTHORITY_KEYID_free(aki);
  }

  // Subject Directory Attributes: OpenSSL 3.0 has no decoder, so find it by OID and read it ourselves.
  auto sda_obj = detail::oid_from_text(oids::kSubjectDirectoryAttributes, codes::CRYPTO_ERROR);
  int idx = X509_get_ext_by_OBJ(x, sda_obj.get(), -1);
  if (idx >= 0) {
    if (X509_get_ext_by_OBJ(x, sda_obj.get(), idx) >= 0) malformed("repeated subject directory attributes");
    const ASN1_OCTET_STRING* v = X509_EXTENSION_get_data(X509_get_ext(x, idx));
    f->sda = decode_sda(octets(v));
  }
  fields_ = std::move(f);
}

Certificate Certificate::from_der(ByteView der) {
  const unsigned char* p = der.data();
  X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x) malformed("d2i_X509");
  if (p != der.data() + der.size()) throw Error(codes::CERT_MALFORMED, "trailing bytes after certificate");
  return Certificate(std::move(x));
}

Certificate Certificate::from_pem(std::string_view pem) {
  auto bio = read_only_bio(pem.data(), pem.size());
  X509Ptr x(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!x) malformed("PEM_read_bio_X509");
  return Certificate(std::move(x));
}

std::vector<Certificate> Certificate::all_from_pem(std::string_view pem) {
  auto bio = read_only_bio(pem.data(), pem.size());
  std::vector<Certificate> out;
  while (X509* raw = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    out.push_back(Certificate(X509Ptr(raw)));
  }
  // The loop ends with a "no start line" entry once the text is used up; anything else is an error.
  unsigned long last = ERR_peek_last_error();
  bool clean_end = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
  if (out.empty() || (last != 0 && !clean_end)) malformed("PEM bundle");
  drain_openssl_errors();
  return out;
}

Certificate Certificate::from_native(X509* cert) {
  if (cert == nullptr || X509_up_ref(cert) != 1) throw Error(codes::CERT_MALFORMED, "no certificate");
  return Certificate(X509Ptr(cert));
}

std::string Certificate::pem() const {
  auto bio = memory_bio();
  if (PEM_write_bio_X509(bio.get(), x509_.get()) != 1)
    throw openssl_error(codes::CRYPTO_ERROR, "PEM_write_bio_X509");
  return detail::bio_text(bio.get());
}

PublicKey Certificate::public_key() const {
  EVP_PKEY* k = X509_get0_pubkey(x509_.get());
  if (k == nullptr) throw openssl_error(codes::CERT_MALFORMED, "public key");
  return PublicKey::from_native(k);
}

std::string Certificate::fingerprint_sha256() const { return to_hex(sha256(der())); }

}  // namespace ecpa::crypto
