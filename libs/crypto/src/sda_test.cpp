#include "ecpa/crypto/sda.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/oids.hpp"

namespace ecpa::crypto {
namespace {

TEST(Sda, CitizenAttributesRoundTrip) {
  SubjectDirectoryAttributes sda{.subject_type = std::string(oids::kSubjectTypeNaturalPerson),
                                 .id_last4 = "6789"};
  EXPECT_EQ(decode_sda(encode_sda(sda)), sda);
}

TEST(Sda, AgencyAndBusinessAttributesRoundTrip) {
  SubjectDirectoryAttributes sda{.subject_type = std::string(oids::kSubjectTypeGovernmentAgency),
                                 .business_id = "04595257",
                                 .agency_oid = "2.16.886.101.20003.20065"};
  EXPECT_EQ(decode_sda(encode_sda(sda)), sda);
}

// Minimal DER writer for hand-made inputs (short lengths only).
Bytes tlv(std::uint8_t tag, const Bytes& content) {
  Bytes out = {tag, static_cast<std::uint8_t>(content.size())};
  out.insert(out.end(), content.begin(), content.end());
  return out;
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
// 2.16.886.1.100.2.<last>
Bytes gpki_oid(std::uint8_t last) { return tlv(0x06, {0x60, 0x86, 0x76, 0x01, 0x64, 0x02, last}); }
Bytes printable(std::string_view s) { return tlv(0x13, to_bytes(s)); }
Bytes attribute(const Bytes& type, std::initializer_list<Bytes> values) {
  return tlv(0x30, cat({type, tlv(0x31, cat(values))}));
}

TEST(Sda, EncodingIsTheDocumentedDer) {
  // SEQUENCE { SEQUENCE { OID 2.16.886.1.100.2.51, SET { PrintableString "6789" } } }
  auto der = encode_sda({.id_last4 = "6789"});
  EXPECT_EQ(der, tlv(0x30, attribute(gpki_oid(51), {printable("6789")})));
  // The subject type value is an OBJECT IDENTIFIER.
  auto type_der = encode_sda({.subject_type = std::string(oids::kSubjectTypeNaturalPerson)});
  Bytes natural_person = tlv(0x06, {0x60, 0x86, 0x76, 0x01, 0x64, 0x03, 0x01, 0x01});
  EXPECT_EQ(type_der, tlv(0x30, attribute(gpki_oid(1), {natural_person})));
}

TEST(Sda, BuilderRejectsBadValues) {
  EXPECT_THROW(encode_sda({}), Error);
  EXPECT_THROW(encode_sda({.id_last4 = "678"}), Error);
  EXPECT_THROW(encode_sda({.id_last4 = "67a9"}), Error);
  EXPECT_THROW(encode_sda({.business_id = "1234567"}), Error);
  EXPECT_THROW(encode_sda({.agency_oid = "not.an.oid"}), Error);
}

void expect_malformed(const Bytes& der) {
  try {
    decode_sda(der);
    ADD_FAILURE() << to_hex(der);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::CERT_MALFORMED);
  }
}

TEST(Sda, RepeatedAttributeIsRefused) {
  expect_malformed(tlv(0x30, cat({attribute(gpki_oid(51), {printable("6789")}),
                                  attribute(gpki_oid(51), {printable("1111")})})));
}

TEST(Sda, TwoValuesInOneAttributeAreRefused) {
  expect_malformed(tlv(0x30, attribute(gpki_oid(51), {printable("6789"), printable("1111")})));
}

TEST(Sda, WrongValueTypeIsRefused) {
  expect_malformed(tlv(0x30, attribute(gpki_oid(1), {printable("1.2.3")})));        // type as text
  expect_malformed(tlv(0x30, attribute(gpki_oid(51), {tlv(0x02, {0x1a, 0x85})})));  // INTEGER
  expect_malformed(tlv(0x30, attribute(gpki_oid(51), {printable("67890")})));       // 5 digits
  expect_malformed(tlv(0x30, attribute(gpki_oid(102), {printable("abc")})));        // not an OID
}

TEST(Sda, AgencyOidMayBeADottedString) {
  auto sda = decode_sda(tlv(0x30, attribute(gpki_oid(102), {printable("2.16.886.101.20003")})));
  EXPECT_EQ(sda.agency_oid, "2.16.886.101.20003");
}

TEST(Sda, GarbageAndTrailingBytesAreRefused) {
  expect_malformed(from_hex("3000"));
  expect_malformed(from_hex("deadbeef"));
  auto der = tlv(0x30, attribute(gpki_oid(51), {printable("6789")}));
  der.push_back(0);
  expect_malformed(der);
}

TEST(Sda, UnknownAttributesAreSkipped) {
  auto der = tlv(0x30, cat({attribute(tlv(0x06, {0x2a, 0x03}), {tlv(0x0c, {'x'})}),
                            attribute(gpki_oid(51), {printable("6789")})}));
  EXPECT_EQ(decode_sda(der).id_last4, "6789");
}

}  // namespace
}  // namespace ecpa::crypto
