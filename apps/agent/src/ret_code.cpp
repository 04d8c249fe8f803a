#include "ret_code.hpp"

#include "ecpa/p11/error.hpp"

namespace ecpa::agent {

namespace {

std::uint64_t pin_last_error(const p11::P11Error& e) {
  // Tries left come from the token's flags (set by the p11 layer); the CKR alone cannot tell them.
  if (e.code() == codes::CARD_PIN_LOCKED) return CKR_PIN_LOCKED;
  if (auto left = e.tries_left()) {
    if (*left == 1) return p11::kVendorPinIncorrectOneLeft;
    if (*left == 2) return p11::kVendorPinIncorrectTwoLeft;
  }
  return e.ckr();
}

std::uint32_t card_ret_code(const p11::P11Error& e) {
  const ErrorCode code = e.code();
  if (code == codes::CARD_PIN_INCORRECT || code == codes::CARD_PIN_FINAL_TRY ||
      code == codes::CARD_PIN_LOCKED || code == codes::CARD_PIN_LEN_RANGE) {
    return ret::kLoginFailed;
  }
  if (code == codes::CARD_NOT_PRESENT || code == codes::CARD_REMOVED) return ret::kNoCard;
  if (code == codes::CARD_MODULE_LOAD_FAILED) return ret::kModuleLoadFailed;
  if (code == codes::CARD_KEY_NOT_FOUND) return ret::kKeyNotFound;
  if (e.function().rfind("C_Sign", 0) == 0) return ret::kSignFailed;
  return ret::kExecutionError;
}

std::uint32_t plain_ret_code(ErrorCode code) {
  if (code == codes::AGENT_PACKAGE_JSON_INVALID) return ret::kBadJson;
  if (code == codes::AGENT_PARAMETER_INVALID || code == codes::BAD_REQUEST) return ret::kBadParameter;
  if (code == codes::AGENT_FUNCTION_UNSUPPORTED) return ret::kUnsupportedFunction;
  if (code == codes::AGENT_HOST_FORBIDDEN) return ret::kForbiddenHost;
  if (code == codes::AGENT_ORIGIN_NOT_ALLOWED) return ret::kOriginNotAllowed;
  if (code == codes::AGENT_PIN_MISSING || code == codes::AGENT_CONFIRMATION_REQUIRED) return ret::kNoPin;
  if (code == codes::AGENT_PIN_FROM_PAGE_REFUSED) return ret::kBadParameter;
  if (code == codes::AGENT_CANCELLED) return ret::kCancelled;
  if (code == codes::AGENT_NO_READER) return ret::kNoReader;
  if (code == codes::AGENT_CERT_NOT_FOUND) return ret::kCertNotFound;
  if (code == codes::CARD_KEY_NOT_FOUND) return ret::kKeyNotFound;
  if (code == codes::CERT_EXPIRED) return ret::kCertExpired;
  if (code == codes::CERT_NOT_YET_VALID) return ret::kCertNotYetValid;
  if (code == codes::CARD_NOT_PRESENT || code == codes::CARD_REMOVED) return ret::kNoCard;
  if (code == codes::CARD_MODULE_LOAD_FAILED) return ret::kModuleLoadFailed;
  if (code == codes::CARD_PIN_LEN_RANGE) return ret::kLoginFailed;
  return ret::kExecutionError;
}

}  // namespace

WireCode to_wire(const Error& error) {
  if (const auto* p11_error = dynamic_cast<const p11::P11Error*>(&error)) {
    const std::uint32_t code = card_ret_code(*p11_error);
    return {code, code == ret::kLoginFailed ? pin_last_error(*p11_error) : p11_error->ckr()};
  }
  return {plain_ret_code(error.code()), 0};
}

WireCode unexpected_failure_wire() { return {ret::kExecutionError, 0}; }

std::uint32_t normalise(std::int64_t raw) {
  const auto as32 = static_cast<std::int32_t>(static_cast<std::uint32_t>(raw));
  return as32 < 0 ? static_cast<std::uint32_t>(std::int64_t{as32} + (std::int64_t{1} << 32))
                  : static_cast<std::uint32_t>(as32);
}

}  // namespace ecpa::agent
