#pragma once
// The PKCS#11 types, from p11-kit's header in its standard-compatible mode (CK_RV, CK_SLOT_ID, …).
// Included through this one file so every user sees the same definitions.
#include <p11-kit/pkcs11.h>

// Not in p11-kit's 2.40 header: HiCOS citizen cards answer a wrong PIN with these vendor values, which
// the official component passes on as `last_error` (REFERENCE §1).
namespace ecpa::p11 {
inline constexpr CK_RV kVendorPinIncorrectOneLeft = CKR_VENDOR_DEFINED | 0x1UL;
inline constexpr CK_RV kVendorPinIncorrectTwoLeft = CKR_VENDOR_DEFINED | 0x2UL;
}  // namespace ecpa::p11
