#pragma once
// The certificate authority's answer to "does this ID number belong to this certificate?" (REFERENCE §3).

#include <string_view>

#include "ecpa/tw/national_id.hpp"

namespace ecpa::portal {

enum class IdentityVerdict {
  Match,         // ICSC Code 0: an activated certificate with this SN was issued to this ID number
  NoMatch,       // Code 1
  NotActivated,  // Code 2: only certificates not yet activated
};

class IdentityCheck {
 public:
  virtual ~IdentityCheck() = default;
  // Throws ecpa::Error IDENTITY_CHECK_UNAVAILABLE when no trustworthy answer could be had.
  virtual IdentityVerdict check(std::string_view subject_serial, const tw::NationalId& id) const = 0;
};

}  // namespace ecpa::portal
