#pragma once
// The password rules (REFERENCE §4, Taiwan's government baseline 資通系統防護基準), each refusing with its
// own code: length, kinds of characters, not the account name, and — with the history and dates, which
// PasswordLogin holds — not one of the last N, a minimum and a maximum age.

#include <chrono>
#include <cstddef>
#include <string_view>

namespace ecpa::portal {

struct PasswordPolicy {
  std::size_t min_length = 12;   // characters (code points); the baseline's floor is 8
  std::size_t max_length = 128;  // beyond any passphrase; keeps hashing bounded
  int min_classes = 3;           // of: capital letters, small letters, digits, symbols
  std::size_t history = 3;       // a new password may not be any of the last N (the current one included)
  std::chrono::days max_age{90};
  std::chrono::days min_age{1};
};

// The rules a password can be judged by alone, in this order: characters (PASSWORD_CHARACTERS_INVALID:
// not UTF-8, control characters, space at an end), PASSWORD_TOO_SHORT, PASSWORD_TOO_LONG,
// PASSWORD_TOO_FEW_CLASSES, PASSWORD_CONTAINS_ACCOUNT. Throws the first broken rule's ecpa::Error.
void check_password_text(const PasswordPolicy& policy, std::string_view folded_account,
                         std::string_view password);

// CONFIG_INVALID unless min_length ≥ 8, max_length ≥ min_length, 1 ≤ min_classes ≤ 4, history ≥ 1,
// max_age > min_age.
void check_policy(const PasswordPolicy& policy);

}  // namespace ecpa::portal
