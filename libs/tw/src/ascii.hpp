#pragma once

// Locale-free ASCII helpers shared by the parsers. <cctype> is avoided on purpose: its answers
// depend on the global locale and it has undefined behaviour for negative char values, which
// arbitrary UTF-8 input produces.

#include <string_view>

namespace ecpa::tw::detail {

constexpr bool is_ascii_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_ascii_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
constexpr bool is_ascii_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr char to_ascii_upper(char c) noexcept {
  return is_ascii_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}
constexpr bool is_ascii_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
constexpr int digit_value(char c) noexcept { return c - '0'; }

constexpr bool all_ascii_digits(std::string_view text) noexcept {
  for (char c : text) {
    if (!is_ascii_digit(c)) return false;
  }
  return true;
}

constexpr std::string_view trim_ascii_space(std::string_view text) noexcept {
  while (!text.empty() && is_ascii_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ascii_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace ecpa::tw::detail
