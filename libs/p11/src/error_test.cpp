#include "ecpa/p11/error.hpp"

#include <gtest/gtest.h>

namespace ecpa::p11 {
namespace {

TEST(P11Error, MapsPinResultsToTheirCodes) {
  EXPECT_EQ(P11Error::code_for(CKR_PIN_INCORRECT), codes::CARD_PIN_INCORRECT);
  EXPECT_EQ(P11Error::code_for(CKR_PIN_LEN_RANGE), codes::CARD_PIN_LEN_RANGE);
  EXPECT_EQ(P11Error::code_for(CKR_PIN_LOCKED), codes::CARD_PIN_LOCKED);
  EXPECT_EQ(P11Error::code_for(kVendorPinIncorrectOneLeft), codes::CARD_PIN_FINAL_TRY);
  EXPECT_EQ(P11Error::code_for(kVendorPinIncorrectTwoLeft), codes::CARD_PIN_INCORRECT);
}

TEST(P11Error, MapsCardAbsenceAndRemoval) {
  EXPECT_EQ(P11Error::code_for(CKR_TOKEN_NOT_PRESENT), codes::CARD_NOT_PRESENT);
  EXPECT_EQ(P11Error::code_for(CKR_DEVICE_REMOVED), codes::CARD_REMOVED);
  EXPECT_EQ(P11Error::code_for(CKR_SESSION_HANDLE_INVALID), codes::CARD_REMOVED);
  EXPECT_EQ(P11Error::code_for(CKR_SESSION_CLOSED), codes::CARD_REMOVED);
}

TEST(P11Error, AnythingElseIsACardError) {
  EXPECT_EQ(P11Error::code_for(CKR_DEVICE_ERROR), codes::CARD_ERROR);
  EXPECT_EQ(P11Error::code_for(CKR_GENERAL_ERROR), codes::CARD_ERROR);
  EXPECT_EQ(P11Error::code_for(0x12345678UL), codes::CARD_ERROR);
}

TEST(P11Error, RetriableOnlyWhenThePersonCanFixIt) {
  for (CK_RV rv : {CKR_PIN_INCORRECT, CKR_PIN_LEN_RANGE, CKR_TOKEN_NOT_PRESENT, CKR_DEVICE_REMOVED,
                   CKR_SESSION_CLOSED, CKR_SESSION_HANDLE_INVALID, kVendorPinIncorrectOneLeft}) {
    EXPECT_TRUE(P11Error::is_retriable(rv)) << ckr_name(rv);
  }
  for (CK_RV rv : {CKR_PIN_LOCKED, CKR_DEVICE_ERROR, CKR_GENERAL_ERROR, CKR_ARGUMENTS_BAD,
                   CKR_CRYPTOKI_NOT_INITIALIZED}) {
    EXPECT_FALSE(P11Error::is_retriable(rv)) << ckr_name(rv);
  }
}

TEST(P11Error, KeepsFunctionAndRawCkrForTheAgent) {
  try {
    check("C_Login", CKR_PIN_INCORRECT);
    FAIL() << "check must throw";
  } catch (const P11Error& e) {
    EXPECT_EQ(e.ckr(), 0xA0UL);
    EXPECT_EQ(e.function(), "C_Login");
    EXPECT_EQ(e.code(), codes::CARD_PIN_INCORRECT);
    EXPECT_TRUE(e.retriable());
    EXPECT_EQ(e.cause(), "C_Login returned CKR_PIN_INCORRECT");
    EXPECT_FALSE(e.tries_left().has_value());
  }
}

TEST(P11Error, VendorPinResultsCarryTriesLeft) {
  P11Error one("C_Login", kVendorPinIncorrectOneLeft);
  ASSERT_TRUE(one.tries_left().has_value());
  EXPECT_EQ(*one.tries_left(), 1);
  EXPECT_EQ(one.params().at("tries_left"), "1");
  EXPECT_EQ(*P11Error("C_Login", kVendorPinIncorrectTwoLeft).tries_left(), 2);
}

TEST(P11Error, CheckPassesOk) { EXPECT_NO_THROW(check("C_Sign", CKR_OK)); }

TEST(P11Error, NamesUnknownValuesInHex) {
  EXPECT_EQ(ckr_name(CKR_DEVICE_REMOVED), "CKR_DEVICE_REMOVED");
  EXPECT_EQ(ckr_name(0x8000ABCDUL), "0x8000ABCD");
}

TEST(P11Error, IsAnEcpaErrorWithACatalogueMessage) {
  try {
    check("C_Login", CKR_PIN_LOCKED);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::CARD_PIN_LOCKED);
    EXPECT_NE(e.message(Lang::ZhTW).action.find("戶政事務所"), std::string::npos);
    return;
  }
  FAIL() << "not thrown as ecpa::Error";
}

}  // namespace
}  // namespace ecpa::p11
