#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "ecpa/common/error.hpp"
#include "ecpa/p11/pkcs11.hpp"

namespace ecpa::p11 {

// A PKCS#11 call that did not return CKR_OK. It is an ecpa::Error (stable code for people, cause for
// the log) that also keeps the raw CKR value and the function, because the agent reports the CKR to pages
// as `last_error`, as the official component does.
class P11Error : public Error {
 public:
  P11Error(std::string_view function, CK_RV ckr, SourceSite where = SourceSite::here());
  // For a failure that has a better code than the CKR alone gives (a wrong PIN on the final try).
  P11Error(ErrorCode code, std::string_view function, CK_RV ckr, SourceSite where = SourceSite::here());

  CK_RV ckr() const noexcept { return ckr_; }
  const std::string& function() const noexcept { return function_; }
  // True when the person can fix it and try again (wrong PIN, card out, card pulled mid-way); false when
  // retrying the same thing cannot help (locked card, module fault, programming error).
  bool retriable() const noexcept { return is_retriable(ckr_); }
  // PIN tries left when the card told us (vendor CKR or CKF_USER_PIN_FINAL_TRY); empty when unknown.
  std::optional<int> tries_left() const noexcept { return tries_left_; }
  void set_tries_left(int n);

  static bool is_retriable(CK_RV ckr) noexcept;
  // The catalogue code for a CKR value: CARD_PIN_INCORRECT, CARD_NOT_PRESENT, … or CARD_ERROR.
  static ErrorCode code_for(CK_RV ckr) noexcept;

 private:
  CK_RV ckr_;
  std::string function_;
  std::optional<int> tries_left_;
};

// "CKR_PIN_INCORRECT" for known values, "0x…" otherwise.
std::string ckr_name(CK_RV ckr);

// Throws P11Error unless rv is CKR_OK. The single exit from a PKCS#11 result into C++.
void check(std::string_view function, CK_RV rv, SourceSite where = SourceSite::here());

}  // namespace ecpa::p11
