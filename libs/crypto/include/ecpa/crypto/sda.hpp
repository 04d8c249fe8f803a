#pragma once
#include <optional>
#include <string>

#include "ecpa/crypto/bytes.hpp"

namespace ecpa::crypto {

// The GPKI Subject Directory Attributes extension (2.5.29.9) of a certificate:
//   SubjectDirectoryAttributes ::= SEQUENCE SIZE (1..MAX) OF Attribute
//   Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY }
// Value types we write (and what we accept when reading):
//   subject type  2.16.886.1.100.2.1    OBJECT IDENTIFIER            (read: OBJECT IDENTIFIER only)
//   ID last 4     2.16.886.1.100.2.51   PrintableString, 4 digits    (read: Printable/UTF8/IA5/Numeric)
//   統一編號       2.16.886.1.100.2.101  PrintableString, 8 digits    (read: as above)
//   agency OID    2.16.886.1.100.2.102  OBJECT IDENTIFIER            (read: OBJECT IDENTIFIER, or a
//                                                                      string holding a dotted OID)
// Reading is strict because a login decision rests on these values: a known attribute with a
// repeated occurrence, more than one value, a wrong type, or a malformed value is CERT_MALFORMED
// (never "first one wins"). Unknown attributes are skipped.
struct SubjectDirectoryAttributes {
  std::optional<std::string> subject_type{};  // dotted OID, e.g. 2.16.886.1.100.3.1.1
  std::optional<std::string> id_last4{};      // "6789"
  std::optional<std::string> business_id{};   // "12345675"
  std::optional<std::string> agency_oid{};    // dotted OID under 2.16.886.101.20003…

  bool empty() const { return !subject_type && !id_last4 && !business_id && !agency_oid; }
  friend bool operator==(const SubjectDirectoryAttributes&, const SubjectDirectoryAttributes&) = default;
};

// DER of the extension value. Throws CRYPTO_ARGUMENT_INVALID for an empty set or a bad value.
Bytes encode_sda(const SubjectDirectoryAttributes& sda);
// Throws CERT_MALFORMED as described above.
SubjectDirectoryAttributes decode_sda(ByteView der);

}  // namespace ecpa::crypto
