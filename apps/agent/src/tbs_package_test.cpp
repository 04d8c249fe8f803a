#include "tbs_package.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"

namespace ecpa::agent {
namespace {

ErrorCode code_of(std::string_view text) {
  try {
    parse_tbs_package(text);
  } catch (const Error& e) {
    return e.code();
  }
  return codes::INTERNAL_ERROR;  // "no error" marker: never what a test expects
}

std::string field_of(std::string_view text) {
  try {
    parse_tbs_package(text);
  } catch (const Error& e) {
    auto it = e.params().find("field");
    return it == e.params().end() ? "" : it->second;
  }
  return "(none)";
}

TEST(TbsPackage, ReadsASignaturePackageAsTheSamplesSendIt) {
  auto p = parse_tbs_package(
      R"({"func":"MakeSignature","signatureType":"PKCS7","tbs":"登入 nonce","tbsEncoding":"NONE",)"
      R"("hashAlgorithm":"SHA384","withCardSN":"true","pin":"123456","nonce":"abc","slotDescription":"R 00"})");
  EXPECT_EQ(p.func, Func::MakeSignature);
  EXPECT_EQ(p.signature_type, SignatureType::Pkcs7);
  EXPECT_EQ(crypto::as_chars(p.tbs), "登入 nonce");
  EXPECT_EQ(p.hash, crypto::DigestAlgorithm::Sha384);
  EXPECT_TRUE(p.with_card_sn);
  ASSERT_TRUE(p.pin);
  EXPECT_EQ(p.pin->reveal(), "123456");
  EXPECT_EQ(p.nonce, "abc");
  EXPECT_EQ(p.slot_description, "R 00");
  EXPECT_EQ(answer_func(p.func), "sign");
}

TEST(TbsPackage, DefaultsAndBase64) {
  auto p = parse_tbs_package(
      R"({"func":"MakeSignature","tbs":"AAEC","tbsEncoding":"base64","signatureType":"PKCS1"})");
  EXPECT_EQ(p.tbs, (crypto::Bytes{0, 1, 2}));
  EXPECT_EQ(p.hash, crypto::DigestAlgorithm::Sha256);
  EXPECT_EQ(p.signature_type, SignatureType::Pkcs1);
  EXPECT_FALSE(p.with_card_sn);
  EXPECT_FALSE(p.pin);
}

TEST(TbsPackage, EmptyPinMeansNoPin) {
  auto p = parse_tbs_package(R"({"func":"MakeSignature","tbs":"x","pin":""})");
  EXPECT_FALSE(p.pin);
}

TEST(TbsPackage, InfoAndDecryptPackages) {
  EXPECT_EQ(parse_tbs_package(R"({"func":"GetUserCert"})").func, Func::GetUserCert);
  EXPECT_EQ(parse_tbs_package(R"({"func":"CheckEnvir"})").func, Func::CheckEnvir);
  auto d = parse_tbs_package(R"({"func":"DecryptData","cipher":"AQID","pin":"1234"})");
  EXPECT_EQ(d.cipher, (crypto::Bytes{1, 2, 3}));
  EXPECT_EQ(answer_func(d.func), "decrypt");
}

TEST(TbsPackage, BadJsonIsItsOwnCode) {
  EXPECT_EQ(code_of("{"), codes::AGENT_PACKAGE_JSON_INVALID);
  EXPECT_EQ(code_of("[1]"), codes::AGENT_PACKAGE_JSON_INVALID);
  EXPECT_EQ(code_of(""), codes::AGENT_PACKAGE_JSON_INVALID);
  EXPECT_EQ(code_of(std::string(kMaxPackageBytes + 1, ' ')), codes::AGENT_PACKAGE_JSON_INVALID);
}

TEST(TbsPackage, UnknownFuncIsUnsupported) {
  EXPECT_EQ(code_of(R"({"func":"FormatCard"})"), codes::AGENT_FUNCTION_UNSUPPORTED);
  EXPECT_EQ(code_of(R"({"tbs":"x"})"), codes::AGENT_PARAMETER_INVALID);
  EXPECT_EQ(code_of(R"({"func":7})"), codes::AGENT_PARAMETER_INVALID);
}

TEST(TbsPackage, EveryBadParameterNamesItsField) {
  EXPECT_EQ(field_of(R"({"func":"MakeSignature","tbs":"x","hashAlgorithm":"MD5"})"), "hashAlgorithm");
  EXPECT_EQ(field_of(R"({"func":"MakeSignature","tbs":"x","signatureType":"XML"})"), "signatureType");
  EXPECT_EQ(field_of(R"({"func":"MakeSignature","tbs":"x","tbsEncoding":"hex"})"), "tbsEncoding");
  EXPECT_EQ(field_of(R"({"func":"MakeSignature","tbs":"***","tbsEncoding":"base64"})"), "tbs");
  EXPECT_EQ(field_of(R"({"func":"MakeSignature"})"), "tbs");
  EXPECT_EQ(field_of(R"({"func":"MakeSignature","tbs":""})"), "tbs");
  EXPECT_EQ(field_of(R"({"func":"MakeSignature","tbs":"x","withCardSN":"yes"})"), "withCardSN");
  EXPECT_EQ(field_of(R"({"func":"MakeSignature","tbs":"x","pin":123456})"), "pin");
  EXPECT_EQ(field_of(R"({"func":"MakeSignature","tbs":"x","pinRequest":"../etc"})"), "pinRequest");
  EXPECT_EQ(field_of(R"({"func":"DecryptData"})"), "cipher");
  EXPECT_EQ(field_of(R"({"func":"MakeSignature","tbs":"x","pin":")" + std::string(65, '1') + "\"}"), "pin");
}

TEST(TbsPackage, ErrorsNeverCarryThePin) {
  try {
    parse_tbs_package(R"({"func":"MakeSignature","tbs":"x","hashAlgorithm":"MD5","pin":"987654"})");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("987654"), std::string::npos);
    EXPECT_EQ(e.cause().find("987654"), std::string::npos);
  }
}

TEST(TbsPackage, PinRequestIds) {
  EXPECT_TRUE(is_pin_request_id("0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(is_pin_request_id("0123456789ABCDEF0123456789abcdef"));
  EXPECT_FALSE(is_pin_request_id("0123"));
  auto p = parse_tbs_package(
      R"({"func":"MakeSignature","tbs":"x","pinRequest":"0123456789abcdef0123456789abcdef"})");
  EXPECT_EQ(p.pin_request, "0123456789abcdef0123456789abcdef");
}

TEST(TbsPackage, PeekFunc) {
  EXPECT_EQ(peek_func(R"({"func":"DecryptData","cipher":1})"), Func::DecryptData);
  EXPECT_EQ(peek_func("nope"), std::nullopt);
}

}  // namespace
}  // namespace ecpa::agent
