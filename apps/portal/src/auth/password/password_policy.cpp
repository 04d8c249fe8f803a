#include "auth/password/password_policy.hpp"

#include <string>

#include "ecpa/common/error.hpp"
#include "ecpa/common/utf8.hpp"

namespace ecpa::portal {
namespace {

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

int classes_of(std::string_view s) {
  bool upper = false, lower = false, digit = false, symbol = false;
  for (unsigned char c : s) {
    if (c >= 'A' && c <= 'Z')
      upper = true;
    else if (c >= 'a' && c <= 'z')
      lower = true;
    else if (c >= '0' && c <= '9')
      digit = true;
    else
      symbol = true;  // punctuation, space, and any non-ASCII character
  }
  return int{upper} + int{lower} + int{digit} + int{symbol};
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

void check_password_text(const PasswordPolicy& policy, std::string_view folded_account,
                         std::string_view password) {
  if (!valid_utf8(password) || has_control(password) ||
      (!password.empty() && (password.front() == ' ' || password.back() == ' ')))
    throw Error(codes::PASSWORD_CHARACTERS_INVALID, "password has invalid characters");
  const std::size_t length = code_points(password);
  if (length < policy.min_length)
    throw Error(codes::PASSWORD_TOO_SHORT, "password too short")
        .with("min_length", std::to_string(policy.min_length));
  if (length > policy.max_length)
    throw Error(codes::PASSWORD_TOO_LONG, "password too long")
        .with("max_length", std::to_string(policy.max_length));
  if (classes_of(password) < policy.min_classes)
    throw Error(codes::PASSWORD_TOO_FEW_CLASSES, "too few kinds of characters")
        .with("min_classes", std::to_string(policy.min_classes));
  if (!folded_account.empty() && ascii_lower(password).find(folded_account) != std::string::npos)
    throw Error(codes::PASSWORD_CONTAINS_ACCOUNT, "password contains the account name");
}

void check_policy(const PasswordPolicy& p) {
  if (p.min_length < 8 || p.max_length < p.min_length || p.max_length > 1024 || p.min_classes < 1 ||
      p.min_classes > 4 || p.history < 1 || p.history > 24 || p.max_age <= p.min_age || p.min_age.count() < 0)
    throw Error(codes::CONFIG_INVALID, "password policy out of bounds").with("field", "password");
}

}  // namespace ecpa::portal
