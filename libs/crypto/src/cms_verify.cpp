#include "ecpa/crypto/cms_verify.hpp"

#include <openssl/objects.h>

#include "detail.hpp"
#include "ecpa/crypto/der_check.hpp"
#include "ecpa/crypto/error.hpp"
#include "ecpa/crypto/oids.hpp"

namespace ecpa::crypto {

namespace {

struct X509StackFree {
  void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_pop_free(s, X509_free); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackFree>;

[[noreturn]] void malformed(std::string cause) { throw Error(codes::CMS_MALFORMED, std::move(cause)); }

// The single value of the signed attribute `oid`, or nullptr when absent. Two occurrences or a
// value count other than one are refused: "first one wins" would let a signer smuggle a second
// value past a reader that takes the last.
const ASN1_TYPE* single_signed_attribute(CMS_SignerInfo* si, std::string_view oid) {
  auto obj = detail::oid_from_text(oid, codes::CRYPTO_ERROR);
  int idx = CMS_signed_get_attr_by_OBJ(si, obj.get(), -1);
  if (idx < 0) return nullptr;
  if (CMS_signed_get_attr_by_OBJ(si, obj.get(), idx) >= 0)
    malformed("signed attribute repeated: " + std::string(oid));
  X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, idx);
  if (attr == nullptr || X509_ATTRIBUTE_count(attr) != 1) {
    malformed("signed attribute without exactly one value: " + std::string(oid));
  }
  return X509_ATTRIBUTE_get0_type(attr, 0);
}

bool is_text_type(int type) {
  return type == V_ASN1_PRINTABLESTRING || type == V_ASN1_UTF8STRING || type == V_ASN1_IA5STRING ||
         type == V_ASN1_NUMERICSTRING;
}

Bytes string_bytes(const ASN1_STRING* s) {
  const unsigned char* p = ASN1_STRING_get0_data(s);
  return Bytes(p, p + ASN1_STRING_length(s));
}

}  // namespace

CmsSignedData CmsSignedData::from_der(ByteView der) {
  if (!is_strict_der(der)) malformed("not strict DER");
  const unsigned char* p = der.data();
  CmsPtr parsed(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  if (!parsed) throw openssl_error(codes::CMS_MALFORMED, "d2i_CMS_ContentInfo");
  if (p != der.data() + der.size()) malformed("trailing bytes after CMS");
  CMS_ContentInfo* cms = parsed.get();
  // Re-encoding must give back the input: this catches what the walk in is_strict_der cannot see
  // (SET OF order, non-canonical BOOLEAN/INTEGER), so the bytes we verify are the bytes we read.
  Bytes again = detail::to_der(cms, i2d_CMS_ContentInfo, codes::CMS_MALFORMED, "i2d_CMS_ContentInfo");
  if (again.size() != der.size() || !std::equal(again.begin(), again.end(), der.begin())) {
    malformed("CMS does not re-encode to the same DER");
  }
  if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) malformed("not signedData");
  if (OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data) malformed("eContentType is not id-data");
  ASN1_OCTET_STRING** content = CMS_get0_content(cms);
  if (content == nullptr || *content == nullptr) malformed("detached content");

  auto* signer_infos = CMS_get0_SignerInfos(cms);
  if (signer_infos == nullptr || sk_CMS_SignerInfo_num(signer_infos) != 1)
    malformed("not exactly one SignerInfo");
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signer_infos, 0);
  ASN1_OCTET_STRING* key_id = nullptr;
  X509_NAME* sid_issuer = nullptr;
  ASN1_INTEGER* sid_serial = nullptr;
  if (CMS_SignerInfo_get0_signer_id(si, &key_id, &sid_issuer, &sid_serial) != 1 || sid_issuer == nullptr ||
      sid_serial == nullptr) {
    malformed("signer not named by issuerAndSerialNumber");
  }

  X509StackPtr natives(CMS_get1_certs(cms));
  std::vector<Certificate> certs;
  std::optional<Certificate> signer;
  for (int i = 0; natives && i < sk_X509_num(natives.get()); ++i) {
    X509* x = sk_X509_value(natives.get(), i);
    Certificate cert = [&] {
      try {
        return Certificate::from_native(x);
      } catch (const Error& e) {
        malformed("enclosed certificate: " + e.cause());
      }
    }();
    if (CMS_SignerInfo_cert_cmp(si, x) == 0) {
      if (signer) malformed("two enclosed certificates match the signer");
      signer = cert;
    }
    certs.push_back(std::move(cert));
  }
  if (!signer) malformed("signer certificate not enclosed");
  // Set now, so verify() uses exactly this certificate and never looks for another.
  CMS_SignerInfo_set1_signer_cert(si, signer->native());

  X509_ALGOR* dig = nullptr;
  X509_ALGOR* sig = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &dig, &sig);
  if (dig == nullptr || sig == nullptr) malformed("SignerInfo without algorithms");

  Fields f{.der = Bytes(der.begin(), der.end()),
           .content = string_bytes(*content),
           .signer = *signer,
           .certs = std::move(certs),
           .digest_oid = detail::oid_text(dig->algorithm),
           .signature_oid = detail::oid_text(sig->algorithm),
           .digest = detail::digest_of_nid(OBJ_obj2nid(dig->algorithm)),
           .has_signed_attrs = CMS_signed_get_attr_count(si) > 0};

  if (const ASN1_TYPE* v = single_signed_attribute(si, oids::kPkcs9Nonce)) {
    if (v->type != V_ASN1_OCTET_STRING && !is_text_type(v->type))
      malformed("nonce attribute of a wrong type");
    f.nonce = string_bytes(v->value.asn1_string);
  }
  if (const ASN1_TYPE* v = single_signed_attribute(si, oids::kCardSerialNumber)) {
    if (!is_text_type(v->type)) malformed("card number attribute of a wrong type");
    f.card_sn = detail::utf8_of(v->value.asn1_string, codes::CMS_MALFORMED);
  }
  if (const ASN1_TYPE* v = single_signed_attribute(si, "1.2.840.113549.1.9.5")) {
    if (v->type != V_ASN1_UTCTIME && v->type != V_ASN1_GENERALIZEDTIME)
      malformed("signingTime of a wrong type");
    try {
      f.signing_time = from_asn1_time(v->value.asn1_string);
    } catch (const Error& e) {
      malformed("signingTime: " + e.cause());
    }
  }
  return CmsSignedData(std::shared_ptr<CMS_ContentInfo>(parsed.release(), CMS_ContentInfo_free),
                       std::make_shared<const Fields>(std::move(f)));
}

bool CmsSignedData::verify() const {
  X509StackPtr signer(sk_X509_new_null());
  if (!signer || sk_X509_push(signer.get(), fields_->signer.native()) <= 0) {
    throw openssl_error(codes::CRYPTO_ERROR, "sk_X509_push");
  }
  X509_up_ref(fields_->signer.native());
  // NO_SIGNER_CERT_VERIFY: the path to a trust anchor is the caller's separate, configured check
  // (never OpenSSL's default store). NOINTERN: only the certificate we hand in may be the signer.
  int ok = CMS_verify(cms_.get(), signer.get(), nullptr, nullptr, nullptr,
                      CMS_NO_SIGNER_CERT_VERIFY | CMS_NOINTERN | CMS_BINARY);
  drain_openssl_errors();
  return ok == 1;
}

}  // namespace ecpa::crypto
