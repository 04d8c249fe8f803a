#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/handles.hpp"

namespace ecpa::crypto {

// One attribute of a distinguished name: a short name OpenSSL knows ("C", "O", "OU", "CN",
// "serialNumber") or a dotted OID, and its value as UTF-8.
struct NameComponent {
  std::string type;
  std::string value;
  friend bool operator==(const NameComponent&, const NameComponent&) = default;
};

// A distinguished name as an ordered list of components, in the order they appear in the
// certificate (GPKI writes C first: `C=TW, O=行政院, OU=內政部憑證管理中心`). One component per RDN:
// multi-valued RDNs are read as consecutive components.
class DistinguishedName {
 public:
  DistinguishedName() = default;
  explicit DistinguishedName(std::vector<NameComponent> components) : components_(std::move(components)) {}

  const std::vector<NameComponent>& components() const { return components_; }
  // The first value of a type ("CN", "serialNumber", …), or "" when absent.
  std::string first(std::string_view type) const;
  // All values of a type, in order (a name can hold several OUs).
  std::vector<std::string> all(std::string_view type) const;
  bool empty() const { return components_.empty(); }

  // "C=TW, O=行政院, OU=內政部憑證管理中心": certificate order, ", " between components, and the
  // RFC 4514 special characters (, + " \ < > ; =) in values escaped with a backslash so the text
  // cannot be made to look like a different name. For display and logs; compare names by DER.
  std::string to_string() const;

  // Encodes C, serialNumber (and dnQualifier) as PrintableString, as RFC 5280 and GPKI do; every other
  // value as UTF8String so Chinese text round-trips exactly. Throws CRYPTO_ARGUMENT_INVALID for an
  // unknown type, an empty value, or a value PrintableString cannot hold.
  X509NamePtr to_x509() const;
  static DistinguishedName from_x509(const X509_NAME* name);

  friend bool operator==(const DistinguishedName&, const DistinguishedName&) = default;

 private:
  std::vector<NameComponent> components_;
};

}  // namespace ecpa::crypto
