#include "ecpa/tw/business_id.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace ecpa::tw {

void PrintTo(const BusinessId& id, std::ostream* os) { *os << id.value(); }
void PrintTo(BusinessIdError error, std::ostream* os) { *os << to_string(error); }

namespace {

bool valid(std::string_view input) { return BusinessId::parse(input).ok(); }

BusinessIdError error_of(std::string_view input) {
  const BusinessIdResult result = BusinessId::parse(input);
  EXPECT_FALSE(result.ok()) << input;
  return result.ok() ? BusinessIdError::Empty : result.error();
}

// Totals below are worked by hand. Weights 1 2 1 2 1 2 4 1; a product's digits are added
// (18 → 1+8 = 9, 28 → 2+8 = 10).

TEST(BusinessId, WellKnownNumber) {
  // 04595257: 0 4 5 9 5 2 5 7
  //   ×       1 2 1 2 1 2 4 1
  //   =       0 8 5 18 5 4 20 7 → digit sums 0 8 5 9 5 4 2 7 → total 40. 40 mod 5 = 0.
  const BusinessIdResult id = BusinessId::parse("04595257");
  ASSERT_TRUE(id.ok()) << id.reason();
  EXPECT_EQ(id->value(), "04595257");
}

TEST(BusinessId, SeventhDigitSevenMayAddOne) {
  // 12345675: 1 2 3 4 5 6 7 5 → products 1 4 3 8 5 12 28 5 → sums 1 4 3 8 5 3 10 5 → total 39.
  // 39 mod 5 = 4, but the 7th digit is 7 and 39 + 1 = 40, so it passes.
  EXPECT_TRUE(valid("12345675"));
  // 12345676: as above with last digit 6 → total 40: passes directly.
  EXPECT_TRUE(valid("12345676"));
  // 12345674: total 38; 38 + 1 = 39 is no multiple of 5 either.
  EXPECT_EQ(error_of("12345674"), BusinessIdError::Checksum);
  // 00000070: 7 × 4 = 28 → 10, total 10: passes. 00000074: total 14, 14 + 1 = 15 passes.
  EXPECT_TRUE(valid("00000070"));
  EXPECT_TRUE(valid("00000074"));
  // 00000073: total 13; 13 + 1 = 14: fails.
  EXPECT_EQ(error_of("00000073"), BusinessIdError::Checksum);
}

TEST(BusinessId, AddingOneIsOnlyForSeventhDigitSeven) {
  // 04595256: total 40 − 1 = 39. 39 + 1 would pass, but the 7th digit is 5, so it fails.
  EXPECT_EQ(error_of("04595256"), BusinessIdError::Checksum);
  // 00000004: total 4, 7th digit 0: fails although 4 + 1 = 5.
  EXPECT_EQ(error_of("00000004"), BusinessIdError::Checksum);
}

TEST(BusinessId, DivisorIsFiveSince2023) {
  // 04595252: total 40 − 5 = 35. Not a multiple of 10 (the pre-2023 rule) but of 5: valid now.
  EXPECT_TRUE(valid("04595252"));
  // 00000005: total 5, likewise.
  EXPECT_TRUE(valid("00000005"));
  // 04595258: total 41: invalid under either rule.
  EXPECT_EQ(error_of("04595258"), BusinessIdError::Checksum);
}

TEST(BusinessId, ValidLastDigitsPerPrefix) {
  // The last digit has weight 1, so for any first seven digits the total runs through ten
  // consecutive values as the last digit goes 0..9: exactly two are multiples of 5, and two more
  // pass when the 7th digit is 7. Checked for a spread of prefixes.
  for (int prefix = 0; prefix < 10'000'000; prefix += 9'973) {
    std::string number = std::to_string(prefix);
    number.insert(0, 7 - number.size(), '0');
    int passing = 0;
    for (char last = '0'; last <= '9'; ++last) passing += valid(number + last) ? 1 : 0;
    EXPECT_EQ(passing, number[6] == '7' ? 4 : 2) << number;
  }
}

TEST(BusinessId, TrimsSurroundingWhitespaceOnly) {
  const BusinessIdResult id = BusinessId::parse(" \t04595257\n");
  ASSERT_TRUE(id.ok()) << id.reason();
  EXPECT_EQ(id->value(), "04595257");
  EXPECT_EQ(error_of("0459 5257"), BusinessIdError::Format);
}

TEST(BusinessId, RejectsEmpty) {
  EXPECT_EQ(error_of(""), BusinessIdError::Empty);
  EXPECT_EQ(error_of("   "), BusinessIdError::Empty);
}

TEST(BusinessId, RejectsAnythingButEightDigits) {
  EXPECT_EQ(error_of("0459525"), BusinessIdError::Format);
  EXPECT_EQ(error_of("045952570"), BusinessIdError::Format);
  EXPECT_EQ(error_of("0459525A"), BusinessIdError::Format);
  EXPECT_EQ(error_of("-4595257"), BusinessIdError::Format);
  EXPECT_EQ(error_of("０4595257"), BusinessIdError::Format);  // full-width zero
  EXPECT_EQ(error_of(std::string_view{"0459525\0", 8}), BusinessIdError::Format);
}

TEST(BusinessId, StableCodeNames) {
  EXPECT_EQ(to_string(BusinessIdError::Empty), "empty");
  EXPECT_EQ(to_string(BusinessIdError::Format), "format");
  EXPECT_EQ(to_string(BusinessIdError::Checksum), "checksum");
  EXPECT_FALSE(BusinessId::parse("1").reason().empty());
}

}  // namespace
}  // namespace ecpa::tw
