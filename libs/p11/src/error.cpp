#include "ecpa/p11/error.hpp"

#include <array>
#include <cstdio>
#include <utility>

namespace ecpa::p11 {
namespace {

struct Named {
  CK_RV rv;
  const char* name;
};

// The values a card, a reader or a module really return, for readable logs.
constexpr std::array kNames{
    Named{CKR_OK, "CKR_OK"},
    Named{CKR_CANCEL, "CKR_CANCEL"},
    Named{CKR_HOST_MEMORY, "CKR_HOST_MEMORY"},
    Named{CKR_SLOT_ID_INVALID, "CKR_SLOT_ID_INVALID"},
    Named{CKR_GENERAL_ERROR, "CKR_GENERAL_ERROR"},
    Named{CKR_FUNCTION_FAILED, "CKR_FUNCTION_FAILED"},
    Named{CKR_ARGUMENTS_BAD, "CKR_ARGUMENTS_BAD"},
    Named{CKR_ATTRIBUTE_TYPE_INVALID, "CKR_ATTRIBUTE_TYPE_INVALID"},
    Named{CKR_ATTRIBUTE_VALUE_INVALID, "CKR_ATTRIBUTE_VALUE_INVALID"},
    Named{CKR_DATA_INVALID, "CKR_DATA_INVALID"},
    Named{CKR_DATA_LEN_RANGE, "CKR_DATA_LEN_RANGE"},
    Named{CKR_DEVICE_ERROR, "CKR_DEVICE_ERROR"},
    Named{CKR_DEVICE_MEMORY, "CKR_DEVICE_MEMORY"},
    Named{CKR_DEVICE_REMOVED, "CKR_DEVICE_REMOVED"},
    Named{CKR_ENCRYPTED_DATA_INVALID, "CKR_ENCRYPTED_DATA_INVALID"},
    Named{CKR_ENCRYPTED_DATA_LEN_RANGE, "CKR_ENCRYPTED_DATA_LEN_RANGE"},
    Named{CKR_FUNCTION_CANCELED, "CKR_FUNCTION_CANCELED"},
    Named{CKR_FUNCTION_NOT_SUPPORTED, "CKR_FUNCTION_NOT_SUPPORTED"},
    Named{CKR_KEY_HANDLE_INVALID, "CKR_KEY_HANDLE_INVALID"},
    Named{CKR_KEY_TYPE_INCONSISTENT, "CKR_KEY_TYPE_INCONSISTENT"},
    Named{CKR_KEY_FUNCTION_NOT_PERMITTED, "CKR_KEY_FUNCTION_NOT_PERMITTED"},
    Named{CKR_MECHANISM_INVALID, "CKR_MECHANISM_INVALID"},
    Named{CKR_OBJECT_HANDLE_INVALID, "CKR_OBJECT_HANDLE_INVALID"},
    Named{CKR_OPERATION_ACTIVE, "CKR_OPERATION_ACTIVE"},
    Named{CKR_OPERATION_NOT_INITIALIZED, "CKR_OPERATION_NOT_INITIALIZED"},
    Named{CKR_PIN_INCORRECT, "CKR_PIN_INCORRECT"},
    Named{CKR_PIN_INVALID, "CKR_PIN_INVALID"},
    Named{CKR_PIN_LEN_RANGE, "CKR_PIN_LEN_RANGE"},
    Named{CKR_PIN_EXPIRED, "CKR_PIN_EXPIRED"},
    Named{CKR_PIN_LOCKED, "CKR_PIN_LOCKED"},
    Named{CKR_SESSION_CLOSED, "CKR_SESSION_CLOSED"},
    Named{CKR_SESSION_COUNT, "CKR_SESSION_COUNT"},
    Named{CKR_SESSION_HANDLE_INVALID, "CKR_SESSION_HANDLE_INVALID"},
    Named{CKR_SESSION_READ_ONLY, "CKR_SESSION_READ_ONLY"},
    Named{CKR_SIGNATURE_INVALID, "CKR_SIGNATURE_INVALID"},
    Named{CKR_TEMPLATE_INCOMPLETE, "CKR_TEMPLATE_INCOMPLETE"},
    Named{CKR_TEMPLATE_INCONSISTENT, "CKR_TEMPLATE_INCONSISTENT"},
    Named{CKR_TOKEN_NOT_PRESENT, "CKR_TOKEN_NOT_PRESENT"},
    Named{CKR_TOKEN_NOT_RECOGNIZED, "CKR_TOKEN_NOT_RECOGNIZED"},
    Named{CKR_TOKEN_WRITE_PROTECTED, "CKR_TOKEN_WRITE_PROTECTED"},
    Named{CKR_USER_ALREADY_LOGGED_IN, "CKR_USER_ALREADY_LOGGED_IN"},
    Named{CKR_USER_NOT_LOGGED_IN, "CKR_USER_NOT_LOGGED_IN"},
    Named{CKR_USER_PIN_NOT_INITIALIZED, "CKR_USER_PIN_NOT_INITIALIZED"},
    Named{CKR_USER_TYPE_INVALID, "CKR_USER_TYPE_INVALID"},
    Named{CKR_BUFFER_TOO_SMALL, "CKR_BUFFER_TOO_SMALL"},
    Named{CKR_CRYPTOKI_NOT_INITIALIZED, "CKR_CRYPTOKI_NOT_INITIALIZED"},
    Named{CKR_CRYPTOKI_ALREADY_INITIALIZED, "CKR_CRYPTOKI_ALREADY_INITIALIZED"},
    Named{kVendorPinIncorrectOneLeft, "CKR_VENDOR_PIN_INCORRECT_1_LEFT"},
    Named{kVendorPinIncorrectTwoLeft, "CKR_VENDOR_PIN_INCORRECT_2_LEFT"},
};

std::string describe(std::string_view function, CK_RV ckr) {
  return std::string(function) + " returned " + ckr_name(ckr);
}

}  // namespace

std::string ckr_name(CK_RV ckr) {
  for (const auto& n : kNames) {
    if (n.rv == ckr) return n.name;
  }
  char hex[32];
  std::snprintf(hex, sizeof hex, "0x%lX", ckr);
  return hex;
}

ErrorCode P11Error::code_for(CK_RV ckr) noexcept {
  switch (ckr) {
    case CKR_PIN_INCORRECT:
    case kVendorPinIncorrectTwoLeft:
      return codes::CARD_PIN_INCORRECT;
    case kVendorPinIncorrectOneLeft:
      return codes::CARD_PIN_FINAL_TRY;
    case CKR_PIN_LEN_RANGE:
    case CKR_PIN_INVALID:
      return codes::CARD_PIN_LEN_RANGE;
    case CKR_PIN_LOCKED:
      return codes::CARD_PIN_LOCKED;
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_TOKEN_NOT_RECOGNIZED:
      return codes::CARD_NOT_PRESENT;
    case CKR_DEVICE_REMOVED:
    case CKR_SESSION_CLOSED:
    case CKR_SESSION_HANDLE_INVALID:
      return codes::CARD_REMOVED;
    default:
      return codes::CARD_ERROR;
  }
}

bool P11Error::is_retriable(CK_RV ckr) noexcept {
  switch (ckr) {
    case CKR_PIN_INCORRECT:
    case kVendorPinIncorrectOneLeft:
    case kVendorPinIncorrectTwoLeft:
    case CKR_PIN_LEN_RANGE:
    case CKR_PIN_INVALID:
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_TOKEN_NOT_RECOGNIZED:
    case CKR_DEVICE_REMOVED:
    case CKR_SESSION_CLOSED:
    case CKR_SESSION_HANDLE_INVALID:
      return true;
    default:
      return false;
  }
}

P11Error::P11Error(std::string_view function, CK_RV ckr, SourceSite where)
    : P11Error(code_for(ckr), function, ckr, where) {}

P11Error::P11Error(ErrorCode code, std::string_view function, CK_RV ckr, SourceSite where)
    : Error(code, describe(function, ckr), where), ckr_(ckr), function_(function) {
  with("ckr", ckr_name(ckr));
  if (ckr == kVendorPinIncorrectOneLeft) set_tries_left(1);
  if (ckr == kVendorPinIncorrectTwoLeft) set_tries_left(2);
}

void P11Error::set_tries_left(int n) {
  tries_left_ = n;
  with("tries_left", std::to_string(n));
}

void check(std::string_view function, CK_RV rv, SourceSite where) {
  if (rv != CKR_OK) throw P11Error(function, rv, where);
}

}  // namespace ecpa::p11
