#include "ecpa/crypto/sda.hpp"

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include <algorithm>
#include <set>

#include "detail.hpp"
#include "ecpa/crypto/error.hpp"
#include "ecpa/crypto/oids.hpp"

namespace ecpa::crypto {

namespace {

using SequenceAnyPtr =
    std::unique_ptr<ASN1_SEQUENCE_ANY,
                    decltype([](ASN1_SEQUENCE_ANY* s) { sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free); })>;

bool all_digits(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool dotted_oid_ok(std::string_view s) {
  try {
    detail::oid_from_text(s, codes::CRYPTO_ARGUMENT_INVALID);
    return true;
  } catch (const Error&) {
    return false;
  }
}

Bytes attribute_der(std::string_view oid, int type, const void* data, int len) {
  auto obj = detail::oid_from_text(oid, codes::CRYPTO_ARGUMENT_INVALID);
  X509AttributePtr attr(X509_ATTRIBUTE_create_by_OBJ(nullptr, obj.get(), type, data, len));
  if (!attr) throw openssl_error(codes::CRYPTO_ARGUMENT_INVALID, "X509_ATTRIBUTE_create " + std::string(oid));
  return detail::to_der(attr.get(), i2d_X509_ATTRIBUTE, codes::CRYPTO_ERROR, "i2d_X509_ATTRIBUTE");
}

Bytes oid_attribute(std::string_view type_oid, const std::string& value_oid) {
  auto value = detail::oid_from_text(value_oid, codes::CRYPTO_ARGUMENT_INVALID);
  return attribute_der(type_oid, V_ASN1_OBJECT, value.get(), -1);
}

Bytes digits_attribute(std::string_view type_oid, const std::string& digits, std::size_t n) {
  if (!all_digits(digits, n)) {
    throw Error(codes::CRYPTO_ARGUMENT_INVALID,
                std::string(type_oid) + " needs " + std::to_string(n) + " digits");
  }
  return attribute_der(type_oid, V_ASN1_PRINTABLESTRING, digits.data(), static_cast<int>(digits.size()));
}

}  // namespace

Bytes encode_sda(const SubjectDirectoryAttributes& sda) {
  if (sda.empty()) throw Error(codes::CRYPTO_ARGUMENT_INVALID, "subject directory attributes: empty");
  std::vector<Bytes> attrs;
  if (sda.subject_type) attrs.push_back(oid_attribute(oids::kGpkiSubjectType, *sda.subject_type));
  if (sda.id_last4) attrs.push_back(digits_attribute(oids::kGpkiIdLast4, *sda.id_last4, 4));
  if (sda.business_id) attrs.push_back(digits_attribute(oids::kGpkiBusinessId, *sda.business_id, 8));
  if (sda.agency_oid) attrs.push_back(oid_attribute(oids::kGpkiAgencyOid, *sda.agency_oid));

  SequenceAnyPtr seq(sk_ASN1_TYPE_new_null());
  if (!seq) throw openssl_error(codes::CRYPTO_ERROR, "sk_ASN1_TYPE_new_null");
  for (const auto& der : attrs) {
    // An ASN1_TYPE of type SEQUENCE carries its complete encoding, so each attribute goes in as is.
    Asn1StringPtr s(ASN1_STRING_type_new(V_ASN1_SEQUENCE));
    Asn1TypePtr t(ASN1_TYPE_new());
    if (!s || !t || ASN1_STRING_set(s.get(), der.data(), static_cast<int>(der.size())) != 1) {
      throw openssl_error(codes::CRYPTO_ERROR, "ASN1_STRING_set");
    }
    ASN1_TYPE_set(t.get(), V_ASN1_SEQUENCE, s.release());
    if (sk_ASN1_TYPE_push(seq.get(), t.get()) <= 0) throw openssl_error(codes::CRYPTO_ERROR, "sk_push");
    static_cast<void>(t.release());  // the stack owns it now
  }
  return detail::to_der(seq.get(), i2d_ASN1_SEQUENCE_ANY, codes::CRYPTO_ERROR, "i2d_ASN1_SEQUENCE_ANY");
}

namespace {

[[noreturn]] void malformed(const std::string& why) {
  drain_openssl_errors();
  throw Error(codes::CERT_MALFORMED, "subject directory attributes: " + why);
}

std::string read_oid_value(const ASN1_TYPE* v, bool allow_string) {
  if (v->type == V_ASN1_OBJECT) return detail::oid_text(v->value.object);
  if (allow_string &&
      (v->type == V_ASN1_PRINTABLESTRING || v->type == V_ASN1_UTF8STRING || v->type == V_ASN1_IA5STRING)) {
    std::string text = detail::utf8_of(v->value.asn1_string, codes::CERT_MALFORMED);
    if (!dotted_oid_ok(text)) malformed("string value is not a dotted OID");
    return text;
  }
  malformed("value is not an OBJECT IDENTIFIER");
}

std::string read_digits(const ASN1_TYPE* v, std::size_t n) {
  bool stringy = v->type == V_ASN1_PRINTABLESTRING || v->type == V_ASN1_UTF8STRING ||
                 v->type == V_ASN1_IA5STRING || v->type == V_ASN1_NUMERICSTRING;
  if (!stringy) malformed("value is not a string");
  std::string text = detail::utf8_of(v->value.asn1_string, codes::CERT_MALFORMED);
  if (!all_digits(text, n)) malformed("value is not " + std::to_string(n) + " digits");
  return text;
}

}  // namespace

SubjectDirectoryAttributes decode_sda(ByteView der) {
  const unsigned char* p = der.data();
  SequenceAnyPtr seq(d2i_ASN1_SEQUENCE_ANY(nullptr, &p, static_cast<long>(der.size())));
  if (!seq) malformed("not a SEQUENCE");
  if (p != der.data() + der.size()) malformed("trailing bytes");
  if (sk_ASN1_TYPE_num(seq.get()) == 0) malformed("empty");

  SubjectDirectoryAttributes out;
  std::set<std::string> seen;
  for (int i = 0; i < sk_ASN1_TYPE_num(seq.get()); ++i) {
    const ASN1_TYPE* item = sk_ASN1_TYPE_value(seq.get(), i);
    if (item->type != V_ASN1_SEQUENCE) malformed("attribute is not a SEQUENCE");
    const unsigned char* q = item->value.sequence->data;
    long len = item->value.sequence->length;
    X509AttributePtr attr(d2i_X509_ATTRIBUTE(nullptr, &q, len));
    if (!attr || q != item->value.sequence->data + len) malformed("attribute does not parse");
    std::string type = detail::oid_text(X509_ATTRIBUTE_get0_object(attr.get()));
    bool known = type == oids::kGpkiSubjectType || type == oids::kGpkiIdLast4 ||
                 type == oids::kGpkiBusinessId || type == oids::kGpkiAgencyOid;
    if (!known) continue;
    // A second copy of a known attribute could carry a different value than the one a check reads;
    // refuse the certificate rather than pick one.
    if (!seen.insert(type).second) malformed("attribute " + type + " repeated");
    if (X509_ATTRIBUTE_count(attr.get()) != 1) malformed("attribute " + type + " must have one value");
    const ASN1_TYPE* v = X509_ATTRIBUTE_get0_type(attr.get(), 0);
    if (type == oids::kGpkiSubjectType) out.subject_type = read_oid_value(v, false);
    if (type == oids::kGpkiIdLast4) out.id_last4 = read_digits(v, 4);
    if (type == oids::kGpkiBusinessId) out.business_id = read_digits(v, 8);
    if (type == oids::kGpkiAgencyOid) out.agency_oid = read_oid_value(v, true);
  }
  return out;
}

}  // namespace ecpa::crypto
