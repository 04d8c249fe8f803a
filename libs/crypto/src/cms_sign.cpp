#include "ecpa/crypto/cms_sign.hpp"

#include <openssl/cms.h>
#include <openssl/objects.h>

#include <algorithm>
#include <climits>

#include "detail.hpp"
#include "ecpa/crypto/error.hpp"
#include "ecpa/crypto/oids.hpp"

namespace ecpa::crypto {

SignFunction software_signer(const PrivateKey& key) {
  return [&key](DigestAlgorithm alg, ByteView data) { return key.sign(alg, data); };
}

namespace {

void check_printable(const std::string& s) {
  bool ok = !s.empty() && s.size() <= 64;
  for (char c : s)
    ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok) throw Error(codes::CRYPTO_ARGUMENT_INVALID, "card serial must be 1–64 letters, digits or '-'");
}

void add_attr(CMS_SignerInfo* si, int nid, int type, const void* data, int len, const char* what) {
  if (CMS_signed_add1_attr_by_NID(si, nid, type, data, len) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, std::string("signed attribute ") + what);
  }
}

void add_attr(CMS_SignerInfo* si, std::string_view oid, int type, const void* data, int len,
              const char* what) {
  auto obj = detail::oid_from_text(oid, codes::CRYPTO_ERROR);
  if (CMS_signed_add1_attr_by_OBJ(si, obj.get(), type, data, len) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, std::string("signed attribute ") + what);
  }
}

// DER of the signed attributes as the signature covers them: SET OF Attribute with the universal
// SET tag (RFC 5652 §5.4) and its elements in DER order (sorted by encoding), the order OpenSSL
// writes them in the SignerInfo.
Bytes signed_attributes_der(CMS_SignerInfo* si) {
  std::vector<Bytes> attrs;
  attrs.reserve(static_cast<std::size_t>(std::max(0, CMS_signed_get_attr_count(si))));
  for (int i = 0; i < CMS_signed_get_attr_count(si); ++i) {
    attrs.push_back(
        detail::to_der(CMS_signed_get_attr(si, i), i2d_X509_ATTRIBUTE, codes::CRYPTO_ERROR, "attribute"));
  }
  std::sort(attrs.begin(), attrs.end());
  Bytes content;
  for (const auto& a : attrs) content.insert(content.end(), a.begin(), a.end());
  return detail::make_tlv(0x31, content);
}

}  // namespace

Bytes cms_sign_attached(ByteView content, const Certificate& signer, const SignFunction& sign,
                        const CmsSignOptions& options) {
  if (options.card_serial) check_printable(*options.card_serial);
  if (content.size() > static_cast<std::size_t>(INT_MAX))
    throw Error(codes::CRYPTO_ARGUMENT_INVALID, "content too large");

  // An empty SignedData to fill in by hand: OpenSSL's own signing path wants the private key, which
  // on a card we never have.
  CmsPtr cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, CMS_PARTIAL | CMS_BINARY));
  if (!cms) throw openssl_error(codes::CRYPTO_ERROR, "CMS_sign");
  // The public key is enough for OpenSSL to set up the SignerInfo (algorithms, issuerAndSerialNumber,
  // certificate); CMS_PARTIAL keeps it from trying to sign.
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), signer.native(), X509_get0_pubkey(signer.native()),
                                       evp_md(options.digest), CMS_PARTIAL | CMS_NOSMIMECAP | CMS_BINARY);
  if (si == nullptr) throw openssl_error(codes::CRYPTO_ERROR, "CMS_add1_signer");
  for (const auto& c : options.extra_certs) {
    if (CMS_add1_cert(cms.get(), c.native()) != 1) throw openssl_error(codes::CRYPTO_ERROR, "CMS_add1_cert");
  }

  Bytes message_digest = digest(options.digest, content);
  auto when = to_asn1_time(options.signing_time);
  add_attr(si, NID_pkcs9_contentType, V_ASN1_OBJECT, OBJ_nid2obj(NID_pkcs7_data), -1, "contentType");
  add_attr(si, NID_pkcs9_signingTime, ASN1_STRING_type(when.get()), when.get(), -1, "signingTime");
  add_attr(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, message_digest.data(),
           static_cast<int>(message_digest.size()), "messageDigest");
  if (options.nonce) {
    add_attr(si, oids::kPkcs9Nonce, V_ASN1_OCTET_STRING, options.nonce->data(),
             static_cast<int>(options.nonce->size()), "nonce");
  }
  if (options.card_serial) {
    add_attr(si, oids::kCardSerialNumber, V_ASN1_PRINTABLESTRING, options.card_serial->data(),
             static_cast<int>(options.card_serial->size()), "card serial");
  }

  Bytes to_sign = signed_attributes_der(si);
  Bytes signature = sign(options.digest, to_sign);
  if (!verify_signature(signer.public_key(), options.digest, to_sign, signature)) {
    throw Error(codes::CRYPTO_ERROR, "the signature does not verify with the signer certificate's key");
  }
  if (ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), signature.data(),
                      static_cast<int>(signature.size())) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "setting the signature");
  }

  ASN1_OCTET_STRING** econtent = CMS_get0_content(cms.get());
  if (econtent == nullptr) throw openssl_error(codes::CRYPTO_ERROR, "CMS_get0_content");
  if (*econtent == nullptr) *econtent = ASN1_OCTET_STRING_new();
  if (*econtent == nullptr ||
      ASN1_OCTET_STRING_set(*econtent,
                            content.empty() ? reinterpret_cast<const unsigned char*>("") : content.data(),
                            static_cast<int>(content.size())) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "setting eContent");
  }
  // CMS_sign marked the content "to be streamed later"; it is here now, so encode it as is.
  (*econtent)->flags &= ~(ASN1_STRING_FLAG_CONT | ASN1_STRING_FLAG_NDEF);

  return detail::to_der(cms.get(), i2d_CMS_ContentInfo, codes::CRYPTO_ERROR, "i2d_CMS_ContentInfo");
}

}  // namespace ecpa::crypto
