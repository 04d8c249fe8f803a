#include "ret_code.hpp"

#include <gtest/gtest.h>

#include "ecpa/p11/error.hpp"

namespace ecpa::agent {
namespace {

TEST(RetCode, PlainErrorsMapToTheOfficialCodes) {
  EXPECT_EQ(to_wire(Error(codes::AGENT_PACKAGE_JSON_INVALID)), (WireCode{0x7600000B, 0}));
  EXPECT_EQ(to_wire(Error(codes::AGENT_PARAMETER_INVALID)), (WireCode{0x7600000C, 0}));
  EXPECT_EQ(to_wire(Error(codes::AGENT_FUNCTION_UNSUPPORTED)), (WireCode{0x7600000E, 0}));
  EXPECT_EQ(to_wire(Error(codes::AGENT_HOST_FORBIDDEN)), (WireCode{0x7600000F, 0}));
  EXPECT_EQ(to_wire(Error(codes::AGENT_ORIGIN_NOT_ALLOWED)), (WireCode{0x76000031, 0}));
  EXPECT_EQ(to_wire(Error(codes::AGENT_PIN_MISSING)), (WireCode{0x76000998, 0}));
  EXPECT_EQ(to_wire(Error(codes::AGENT_CANCELLED)), (WireCode{0x76000999, 0}));
  EXPECT_EQ(to_wire(Error(codes::AGENT_NO_READER)), (WireCode{0x76100003, 0}));
  EXPECT_EQ(to_wire(Error(codes::AGENT_CERT_NOT_FOUND)), (WireCode{0x7610000C, 0}));
  EXPECT_EQ(to_wire(Error(codes::CARD_KEY_NOT_FOUND)), (WireCode{0x7610000D, 0}));
  EXPECT_EQ(to_wire(Error(codes::CERT_NOT_YET_VALID)), (WireCode{0x76500001, 0}));
  EXPECT_EQ(to_wire(Error(codes::CERT_EXPIRED)), (WireCode{0x76500002, 0}));
  EXPECT_EQ(to_wire(Error(codes::CARD_NOT_PRESENT)), (WireCode{0x76000006, 0}));
  EXPECT_EQ(to_wire(Error(codes::AGENT_TIMEOUT)), (WireCode{0x7600000D, 0}));
  EXPECT_EQ(to_wire(Error(codes::INTERNAL_ERROR)), (WireCode{0x7600000D, 0}));
}

TEST(RetCode, CardErrorsKeepTheirCkrAsLastError) {
  EXPECT_EQ(to_wire(p11::P11Error("C_Login", CKR_PIN_INCORRECT)), (WireCode{0x76100006, 0xA0}));
  EXPECT_EQ(to_wire(p11::P11Error("C_Login", CKR_PIN_LOCKED)), (WireCode{0x76100006, 0xA4}));
  EXPECT_EQ(to_wire(p11::P11Error("C_Login", CKR_PIN_LEN_RANGE)), (WireCode{0x76100006, 0xA2}));
  EXPECT_EQ(to_wire(p11::P11Error("C_OpenSession", CKR_TOKEN_NOT_PRESENT)), (WireCode{0x76000006, 0xE0}));
  EXPECT_EQ(to_wire(p11::P11Error("C_Sign", CKR_DEVICE_REMOVED)), (WireCode{0x76000006, 0x32}));
  EXPECT_EQ(to_wire(p11::P11Error("C_Sign", CKR_DEVICE_ERROR)), (WireCode{0x76300001, 0x30}));
  EXPECT_EQ(to_wire(p11::P11Error("C_Decrypt", CKR_DEVICE_ERROR)), (WireCode{0x7600000D, 0x30}));
  EXPECT_EQ(to_wire(p11::P11Error(codes::CARD_MODULE_LOAD_FAILED, "dlopen", CKR_GENERAL_ERROR)).ret_code,
            0x76100001u);
}

TEST(RetCode, WrongPinReportsTriesLeftLikeHiCos) {
  p11::P11Error two_left("C_Login", CKR_PIN_INCORRECT);
  two_left.set_tries_left(2);
  EXPECT_EQ(to_wire(two_left), (WireCode{0x76100006, 0x80000002}));
  p11::P11Error final_try(codes::CARD_PIN_FINAL_TRY, "C_Login", CKR_PIN_INCORRECT);
  final_try.set_tries_left(1);
  EXPECT_EQ(to_wire(final_try), (WireCode{0x76100006, 0x80000001}));
  p11::P11Error locked(codes::CARD_PIN_LOCKED, "C_Login", CKR_PIN_INCORRECT);
  locked.set_tries_left(0);
  EXPECT_EQ(to_wire(locked), (WireCode{0x76100006, 0xA4}));
}

TEST(RetCode, NegativeCodesAreNormalised) {
  EXPECT_EQ(normalise(-2046820346), 0x86000006u);  // what a signed 32-bit print of 0x86000006 looks like
  EXPECT_EQ(normalise(0x76000006), 0x76000006u);
  EXPECT_EQ(normalise(-1), 0xFFFFFFFFu);
  EXPECT_EQ(normalise(0), 0u);
}

}  // namespace
}  // namespace ecpa::agent
