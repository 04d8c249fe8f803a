#pragma once

// 統一編號 (unified business number): the 8-digit number of a company, agency or school.

#include <array>
#include <string_view>

#include "ecpa/tw/parse_result.hpp"

namespace ecpa::tw {

enum class BusinessIdError {
  Empty,     // nothing but whitespace
  Format,    // not exactly 8 digits
  Checksum,  // 8 digits, but the check fails
};

class BusinessId {
 public:
  // Surrounding whitespace is trimmed; otherwise exactly 8 ASCII digits.
  //
  // The check (Ministry of Finance, 2023 rule): weights 1,2,1,2,1,2,4,1; add up the digits of each
  // product; valid if the total is divisible by 5. If the 7th digit is 7 its product 28 gives
  // 2+8 = 10, which may also be read as 1+0 = 1, so total+1 divisible by 5 passes too. The old
  // divisor was 10; every number valid under it stays valid under 5.
  [[nodiscard]] static ParseResult<BusinessId, BusinessIdError> parse(std::string_view input);

  [[nodiscard]] std::string_view value() const noexcept { return {digits_.data(), digits_.size()}; }

  friend bool operator==(const BusinessId&, const BusinessId&) = default;

 private:
  explicit BusinessId(const std::array<char, 8>& digits) : digits_(digits) {}

  std::array<char, 8> digits_;
};

using BusinessIdResult = ParseResult<BusinessId, BusinessIdError>;

// Stable lowercase code names ("empty", "format", "checksum").
[[nodiscard]] std::string_view to_string(BusinessIdError error) noexcept;

}  // namespace ecpa::tw
