#pragma once
// Helpers shared by this library's sources; not part of the public API.
#include <openssl/evp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/handles.hpp"

namespace ecpa::crypto {

const EVP_MD* evp_md(DigestAlgorithm alg);

namespace detail {

// Dotted text of an OID (never a short name, so callers compare one spelling).
std::string oid_text(const ASN1_OBJECT* obj);
// OID from dotted text only (rejects names), or throws `code`.
Asn1ObjectPtr oid_from_text(std::string_view dotted, ErrorCode code);
// DER of an OpenSSL object via its i2d function, or throws `code`.
template <typename T, typename I2d>
Bytes to_der(const T* obj, I2d i2d, ErrorCode code, std::string_view what);
// UTF-8 text of any ASN.1 string type, or throws `code`.
std::string utf8_of(const ASN1_STRING* s, ErrorCode code);
// PEM text from a BIO holding it.
std::string bio_text(BIO* bio);
// The digest an algorithm NID names (CMS digestAlgorithm, OCSP CertID hashAlgorithm), or nullopt for one
// we do not speak.
std::optional<DigestAlgorithm> digest_of_nid(int nid);

// One DER element header at `pos`: its single-byte tag, header size and content length. Returns
// false when the header is truncated, uses a multi-byte tag or an indefinite length, or the content
// runs past the buffer.
struct Tlv {
  std::uint8_t tag = 0;
  std::size_t header = 0;
  std::size_t length = 0;
  std::size_t end(std::size_t pos) const { return pos + header + length; }
};
bool read_tlv(ByteView der, std::size_t pos, Tlv& out);
// A DER element with the given tag around `content`.
Bytes make_tlv(std::uint8_t tag, ByteView content);

}  // namespace detail
}  // namespace ecpa::crypto

#include "ecpa/crypto/error.hpp"

namespace ecpa::crypto::detail {
template <typename T, typename I2d>
Bytes to_der(const T* obj, I2d i2d, ErrorCode code, std::string_view what) {
  int n = i2d(obj, nullptr);
  if (n <= 0) throw openssl_error(code, what);
  Bytes out(static_cast<std::size_t>(n));
  unsigned char* p = out.data();
  if (i2d(obj, &p) != n) throw openssl_error(code, what);
  return out;
}
}  // namespace ecpa::crypto::detail
