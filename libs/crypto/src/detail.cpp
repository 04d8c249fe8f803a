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

}  // namespace ecpa::crypto::detail
