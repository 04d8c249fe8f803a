#include "ecpa/tw/business_id.hpp"

#include <cstddef>

#include "ascii.hpp"

namespace ecpa::tw {
namespace {

constexpr std::size_t kLength = 8;
constexpr std::array<int, kLength> kWeights = {1, 2, 1, 2, 1, 2, 4, 1};

// Products are at most 9 × 4 = 36, so one round of digit summing is what the rule asks for
// (28 becomes 10, not 1; the 7th-digit rule covers reading it as 1).
constexpr int digit_sum(int n) noexcept { return n / 10 + n % 10; }

constexpr bool checksum_ok(std::string_view digits) noexcept {
  int total = 0;
  for (std::size_t i = 0; i < kLength; ++i) {
    total += digit_sum(detail::digit_value(digits[i]) * kWeights[i]);
  }
  if (total % 5 == 0) return true;
  return digits[6] == '7' && (total + 1) % 5 == 0;
}

constexpr ParseError<BusinessIdError> fail(BusinessIdError code, std::string_view reason) {
  return {code, reason};
}

}  // namespace

ParseResult<BusinessId, BusinessIdError> BusinessId::parse(std::string_view input) {
  const std::string_view text = detail::trim_ascii_space(input);
  if (text.empty()) return fail(BusinessIdError::Empty, "no business number was given");
  if (text.size() != kLength || !detail::all_ascii_digits(text)) {
    return fail(BusinessIdError::Format, "a business number is exactly 8 digits");
  }
  if (!checksum_ok(text)) {
    return fail(BusinessIdError::Checksum, "the business number's check does not add up");
  }
  std::array<char, kLength> digits{};
  for (std::size_t i = 0; i < kLength; ++i) digits[i] = text[i];
  return BusinessId{digits};
}

std::string_view to_string(BusinessIdError error) noexcept {
  switch (error) {
    case BusinessIdError::Empty:
      return "empty";
    case BusinessIdError::Format:
      return "format";
    case BusinessIdError::Checksum:
      return "checksum";
  }
  return "unknown";
}

}  // namespace ecpa::tw
