#include "ecpa/crypto/name.hpp"

#include <openssl/objects.h>

#include "detail.hpp"
#include "ecpa/crypto/error.hpp"

namespace ecpa::crypto {

std::string DistinguishedName::first(std::string_view type) const {
  for (const auto& c : components_) {
    if (c.type == type) return c.value;
  }
  return {};
}

std::vector<std::string> DistinguishedName::all(std::string_view type) const {
  std::vector<std::string> out;
  for (const auto& c : components_) {
    if (c.type == type) out.push_back(c.value);
  }
  return out;
}

std::string DistinguishedName::to_string() const {
  std::string out;
  for (const auto& c : components_) {
    if (!out.empty()) out += ", ";
    out += c.type;
    out += '=';
    for (std::size_t i = 0; i < c.value.size(); ++i) {
      char ch = c.value[i];
      bool special = ch == ',' || ch == '+' || ch == '"' || ch == '\\' || ch == '<' || ch == '>' ||
                     ch == ';' || ch == '=' || (i == 0 && (ch == '#' || ch == ' ')) ||
                     (i + 1 == c.value.size() && ch == ' ');
      if (special) out += '\\';
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
        // Control characters would let a name rewrite a log line; show them as \XX.
        out += to_hex(ByteView(reinterpret_cast<const std::uint8_t*>(&ch), 1), true).insert(0, "\\");
        continue;
      }
      out += ch;
    }
  }
  return out;
}

namespace {

bool printable_string_ok(std::string_view v) {
  for (char c : v) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              std::string_view(" '()+,-./:=?").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

}  // namespace

X509NamePtr DistinguishedName::to_x509() const {
  X509NamePtr name(X509_NAME_new());
  if (!name) throw openssl_error(codes::CRYPTO_ERROR, "X509_NAME_new");
  for (const auto& c : components_) {
    int nid = OBJ_txt2nid(c.type.c_str());
    Asn1ObjectPtr obj(nid != NID_undef ? OBJ_nid2obj(nid) : nullptr);
    if (nid == NID_undef) obj = detail::oid_from_text(c.type, codes::CRYPTO_ARGUMENT_INVALID);
    if (c.value.empty()) throw Error(codes::CRYPTO_ARGUMENT_INVALID, "empty value for " + c.type);
    // Types are chosen here, not by OpenSSL's global string mask, so the encoding is the same on
    // every machine: PrintableString where RFC 5280 requires it, UTF8String for everything else.
    int type = V_ASN1_UTF8STRING;
    if (nid == NID_countryName || nid == NID_serialNumber || nid == NID_dnQualifier) {
      if (!printable_string_ok(c.value)) {
        throw Error(codes::CRYPTO_ARGUMENT_INVALID, c.type + " must be a PrintableString");
      }
      type = V_ASN1_PRINTABLESTRING;
    }
    if (nid == NID_countryName && c.value.size() != 2) {
      throw Error(codes::CRYPTO_ARGUMENT_INVALID, "country must be two letters");
    }
    if (X509_NAME_add_entry_by_OBJ(name.get(), obj.get(), type,
                                   reinterpret_cast<const unsigned char*>(c.value.data()),
                                   static_cast<int>(c.value.size()), -1, 0) != 1) {
      throw openssl_error(codes::CRYPTO_ARGUMENT_INVALID, "X509_NAME_add_entry " + c.type);
    }
  }
  return name;
}

DistinguishedName DistinguishedName::from_x509(const X509_NAME* name) {
  std::vector<NameComponent> out;
  int n = X509_NAME_entry_count(name);
  for (int i = 0; i < n; ++i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    const ASN1_OBJECT* obj = X509_NAME_ENTRY_get_object(e);
    int nid = OBJ_obj2nid(obj);
    std::string type = nid != NID_undef ? OBJ_nid2sn(nid) : detail::oid_text(obj);
    out.push_back({std::move(type), detail::utf8_of(X509_NAME_ENTRY_get_data(e), codes::CERT_MALFORMED)});
  }
  return DistinguishedName(std::move(out));
}

}  // namespace ecpa::crypto
