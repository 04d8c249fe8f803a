#include "detail.hpp"

#include <openssl/objects.h>

namespace ecpa::crypto::detail {

std::string oid_text(const ASN1_OBJECT* obj) {
  char buf[128];
  int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  if (n <= 0) return {};
  if (static_cast<std::size_t>(n) < sizeof buf) return std::string(buf, static_cast<std::size_t>(n));
  // Longer than our buffer (only a hostile input has such OIDs): ask again with the full size.
  std::string big(static_cast<std::size_t>(n) + 1, '\0');
  OBJ_obj2txt(big.data(), n + 1, obj, 1);
  big.resize(static_cast<std::size_t>(n));
  return big;
}

Asn1ObjectPtr oid_from_text(std::string_view dotted, ErrorCode code) {
  // Only digits and dots, so a short name like "CN" cannot slip in where an OID is configured.
  bool ok = !dotted.empty() && dotted.front() != '.' && dotted.back() != '.';
  for (char c : dotted) ok = ok && ((c >= '0' && c <= '9') || c == '.');
  if (!ok || dotted.find("..") != std::string_view::npos) {
    throw Error(code, "not a dotted OID: " + std::string(dotted));
  }
  Asn1ObjectPtr obj(OBJ_txt2obj(std::string(dotted).c_str(), 1));
  if (!obj) throw openssl_error(code, "OBJ_txt2obj " + std::string(dotted));
  return obj;
}

std::string utf8_of(const ASN1_STRING* s, ErrorCode code) {
  unsigned char* out = nullptr;
  int n = ASN1_STRING_to_UTF8(&out, s);
  if (n < 0) throw openssl_error(code, "ASN1_STRING_to_UTF8");
  std::string text(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  return text;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

std::optional<DigestAlgorithm> digest_of_nid(int nid) {
  switch (nid) {
    case NID_sha1:
      return DigestAlgorithm::Sha1;
    case NID_sha256:
      return DigestAlgorithm::Sha256;
    case NID_sha384:
      return DigestAlgorithm::Sha384;
    case NID_sha512:
      return DigestAlgorithm::Sha512;
    default:
      return std::nullopt;
  }
}

bool read_tlv(ByteView der, std::size_t pos, Tlv& out) {
  if (pos + 2 > der.size()) return false;
  out.tag = der[pos];
  if ((out.tag & 0x1f) == 0x1f) return false;
  std::size_t len = der[pos + 1];
  std::size_t header = 2;
  if (len & 0x80) {
    std::size_t n = len & 0x7f;
    if (n == 0 || n > 4 || pos + 2 + n > der.size()) return false;
    len = 0;
    for (std::size_t i = 0; i < n; ++i) len = len << 8 | der[pos + 2 + i];
    header += n;
  }
  if (len > der.size() - pos - header) return false;
  out.header = header;
  out.length = len;
  return true;
}

Bytes make_tlv(std::uint8_t tag, ByteView content) {
  Bytes out{tag};
  std::size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    Bytes len;
    for (std::size_t v = n; v > 0; v >>= 8) len.insert(len.begin(), static_cast<std::uint8_t>(v & 0xff));
    out.push_back(static_cast<std::uint8_t>(0x80 | len.size()));
    out.insert(out.end(), len.begin(), len.end());
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

}  // namespace ecpa::crypto::detail
