#include "ecpa/tw/national_id.hpp"

#include <cstddef>

#include "ascii.hpp"
#include "ecpa/tw/typed_text.hpp"

namespace ecpa::tw {
namespace {

using detail::digit_value;
using detail::is_ascii_digit;
using detail::is_ascii_upper;

constexpr std::size_t kLength = 10;

// Two-digit value of the first letter (the issuing county). The order is historical, not
// alphabetical: I, O, W, X, Y, Z were added after the original series. REFERENCE §6.
constexpr std::array<int, 26> kLetterValues = {
    10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,  // A–M
    22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33,  // N–Z
};

constexpr int letter_value(char upper) noexcept {
  return kLetterValues[static_cast<std::size_t>(upper - 'A')];
}

constexpr bool is_kind_digit(char c) noexcept { return c == '1' || c == '2' || c == '8' || c == '9'; }
constexpr bool is_legacy_letter(char c) noexcept { return c >= 'A' && c <= 'D'; }

// Whether the second character belongs to one of the three kinds of number.
constexpr bool is_kind_char(char c) noexcept { return is_kind_digit(c) || is_legacy_letter(c); }

// Weighted sum of the first nine characters, which must already have the right shape.
// The first letter expands to two digits weighted 1 and 9; a legacy second letter counts as its
// value mod 10; the next eight characters are weighted 8, 7, ..., 1 (the check digit, weight 1,
// is added by the caller).
constexpr int weighted_sum_of_first_nine(std::string_view s) noexcept {
  const int first = letter_value(s[0]);
  int sum = (first / 10) * 1 + (first % 10) * 9;
  const int second = is_ascii_digit(s[1]) ? digit_value(s[1]) : letter_value(s[1]) % 10;
  sum += second * 8;
  for (std::size_t i = 2; i < 9; ++i) {
    sum += digit_value(s[i]) * static_cast<int>(9 - i);
  }
  return sum;
}

constexpr ParseError<NationalIdError> fail(NationalIdError code, std::string_view reason) {
  return {code, reason};
}

}  // namespace

ParseResult<NationalId, NationalIdError> NationalId::parse(std::string_view input) {
  const std::string folded = fold_typed_identifier(input);
  const std::string_view text = folded;
  if (text.empty()) return fail(NationalIdError::Empty, "no ID number was given");
  if (text.size() != kLength) {
    return fail(NationalIdError::Format, "an ID number has exactly 10 characters");
  }

  std::array<char, kLength> chars{};
  for (std::size_t i = 0; i < kLength; ++i) chars[i] = detail::to_ascii_upper(text[i]);
  const std::string_view id{chars.data(), chars.size()};

  if (!is_ascii_upper(id[0])) {
    return fail(NationalIdError::Letter, "the first character must be a letter A-Z");
  }
  if (is_ascii_upper(id[1]) && !is_legacy_letter(id[1])) {
    return fail(NationalIdError::Letter, "the second letter of a legacy resident number must be A-D");
  }
  if (!is_kind_char(id[1])) {
    return fail(NationalIdError::Format, "the second character must be 1, 2, 8, 9 or A-D");
  }
  if (!detail::all_ascii_digits(id.substr(2))) {
    return fail(NationalIdError::Format, "the last 8 characters must be digits");
  }
  if ((weighted_sum_of_first_nine(id) + digit_value(id[9])) % 10 != 0) {
    return fail(NationalIdError::Checksum, "the check digit does not match");
  }
  return NationalId{chars};
}

NationalIdKind NationalId::kind() const noexcept {
  const char second = chars_[1];
  if (second == '1' || second == '2') return NationalIdKind::Citizen;
  if (second == '8' || second == '9') return NationalIdKind::NewResident;
  return NationalIdKind::LegacyResident;
}

Gender NationalId::gender() const noexcept {
  switch (chars_[1]) {
    case '1':  // citizen
    case '8':  // new resident number
    case 'A':  // legacy resident number: A and C are male, B and D female
    case 'C':
      return Gender::Male;
    default:
      return Gender::Female;
  }
}

std::string NationalId::masked() const { return mask_national_id(value()); }

std::string mask_national_id(std::string_view text) {
  constexpr std::size_t kKeptEachEnd = 3;
  bool printable = text.size() == kLength;
  for (char c : text) printable = printable && c >= 0x21 && c <= 0x7E;
  if (!printable) return std::string(kLength, '*');

  std::string masked{text};
  for (std::size_t i = kKeptEachEnd; i < kLength - kKeptEachEnd; ++i) masked[i] = '*';
  return masked;
}

std::optional<char> compute_check_digit(std::string_view first_nine) {
  if (first_nine.size() != 9 || !is_ascii_upper(first_nine[0]) || !is_kind_char(first_nine[1]) ||
      !detail::all_ascii_digits(first_nine.substr(2))) {
    return std::nullopt;
  }
  const int remainder = weighted_sum_of_first_nine(first_nine) % 10;
  return static_cast<char>('0' + (10 - remainder) % 10);
}

std::string_view to_string(NationalIdError error) noexcept {
  switch (error) {
    case NationalIdError::Empty:
      return "empty";
    case NationalIdError::Format:
      return "format";
    case NationalIdError::Letter:
      return "letter";
    case NationalIdError::Checksum:
      return "checksum";
  }
  return "unknown";
}

std::string_view to_string(NationalIdKind kind) noexcept {
  switch (kind) {
    case NationalIdKind::Citizen:
      return "citizen";
    case NationalIdKind::NewResident:
      return "new_resident";
    case NationalIdKind::LegacyResident:
      return "legacy_resident";
  }
  return "unknown";
}

std::string_view to_string(Gender gender) noexcept {
  switch (gender) {
    case Gender::Male:
      return "male";
    case Gender::Female:
      return "female";
  }
  return "unknown";
}

}  // namespace ecpa::tw
