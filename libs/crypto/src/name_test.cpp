#include "ecpa/crypto/name.hpp"

#include <gtest/gtest.h>

namespace ecpa::crypto {
namespace {

TEST(DistinguishedName, ChineseComponentsRoundTripInOrder) {
  DistinguishedName dn({{"C", "TW"}, {"O", "行政院"}, {"OU", "內政部憑證管理中心"}});
  auto x = dn.to_x509();
  EXPECT_EQ(DistinguishedName::from_x509(x.get()), dn);
  EXPECT_EQ(dn.to_string(), "C=TW, O=行政院, OU=內政部憑證管理中心");
}

TEST(DistinguishedName, ValueTypesAreFixed) {
  DistinguishedName dn({{"C", "TW"}, {"CN", "王小明"}, {"serialNumber", "0000000112345678"}});
  auto x = dn.to_x509();
  EXPECT_EQ(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(x.get(), 0))),
            V_ASN1_PRINTABLESTRING);
  EXPECT_EQ(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(x.get(), 1))), V_ASN1_UTF8STRING);
  EXPECT_EQ(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(x.get(), 2))),
            V_ASN1_PRINTABLESTRING);
}

TEST(DistinguishedName, LookupByType) {
  DistinguishedName dn({{"C", "TW"}, {"OU", "a"}, {"OU", "b"}});
  EXPECT_EQ(dn.first("OU"), "a");
  EXPECT_EQ(dn.all("OU"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(dn.first("CN"), "");
}

TEST(DistinguishedName, EscapesSpecialCharactersInText) {
  DistinguishedName dn({{"CN", "a, O=evil"}, {"OU", "x\ny"}});
  EXPECT_EQ(dn.to_string(), "CN=a\\, O\\=evil, OU=x\\0Ay");
}

TEST(DistinguishedName, RejectsBadComponents) {
  EXPECT_THROW(DistinguishedName(std::vector<NameComponent>{{"C", "台灣"}}).to_x509(), Error);
  EXPECT_THROW(DistinguishedName(std::vector<NameComponent>{{"C", "TWN"}}).to_x509(), Error);
  EXPECT_THROW(DistinguishedName(std::vector<NameComponent>{{"NoSuchType", "x"}}).to_x509(), Error);
  EXPECT_THROW(DistinguishedName(std::vector<NameComponent>{{"CN", ""}}).to_x509(), Error);
}

TEST(DistinguishedName, UnknownOidTypesUseDottedForm) {
  DistinguishedName dn(std::vector<NameComponent>{{"1.2.3.4.5", "v"}});
  EXPECT_EQ(DistinguishedName::from_x509(dn.to_x509().get()).components()[0].type, "1.2.3.4.5");
}

}  // namespace
}  // namespace ecpa::crypto
