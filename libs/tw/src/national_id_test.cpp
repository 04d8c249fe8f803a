#include "ecpa/tw/national_id.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <ostream>
#include <string>

namespace ecpa::tw {

// Test-only printer: the numbers here are synthetic, so showing them helps; production code has
// no printer on purpose.
void PrintTo(const NationalId& id, std::ostream* os) { *os << id.value(); }
void PrintTo(NationalIdError error, std::ostream* os) { *os << to_string(error); }

namespace {

constexpr std::string_view kLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
// Second characters of the three kinds: citizen, new resident, legacy resident.
constexpr std::string_view kKindChars = "1289ABCD";

// A valid ID whose middle digits vary with the inputs, so different letters and kinds are not all
// tested on the same digits.
std::string make_valid_id(char letter, char kind_char, int seed) {
  std::string id{letter, kind_char};
  for (int i = 0; i < 7; ++i) id += static_cast<char>('0' + (seed * 7 + i * 3 + letter) % 10);
  const std::optional<char> check = compute_check_digit(id);
  EXPECT_TRUE(check.has_value()) << id;
  id += check.value_or('?');
  return id;
}

NationalIdError error_of(std::string_view input) {
  const NationalIdResult result = NationalId::parse(input);
  EXPECT_FALSE(result.ok()) << input;
  return result.ok() ? NationalIdError::Empty : result.error();
}

TEST(NationalId, ReferenceVectors) {
  // REFERENCE §6.
  EXPECT_TRUE(NationalId::parse("A123456789").ok());
  EXPECT_TRUE(NationalId::parse("A800000014").ok());
  EXPECT_TRUE(NationalId::parse("AC01234567").ok());
  EXPECT_EQ(error_of("A800000015"), NationalIdError::Checksum);
}

TEST(NationalId, ReferenceVectorsWorkedByHand) {
  // A123456789: A=10 → 1×1 + 0×9 = 1; 1×8 + 2×7 + 3×6 + 4×5 + 5×4 + 6×3 + 7×2 + 8×1 = 120;
  // check 9×1 = 9. Total 130, divisible by 10.
  EXPECT_EQ(compute_check_digit("A12345678"), '9');
  // A800000014: 1 + 8×8 + 1×1 = 66, so the check digit is 4 (total 70).
  EXPECT_EQ(compute_check_digit("A80000001"), '4');
  // AC01234567: 1 + (C=12 → 2)×8 + 0×7 + 1×6 + 2×5 + 3×4 + 4×3 + 5×2 + 6×1 = 73 → check 7.
  EXPECT_EQ(compute_check_digit("AC0123456"), '7');
}

TEST(NationalId, KindAndGender) {
  struct Case {
    char kind_char;
    NationalIdKind kind;
    Gender gender;
  };
  constexpr std::array<Case, 8> kCases = {{
      {'1', NationalIdKind::Citizen, Gender::Male},
      {'2', NationalIdKind::Citizen, Gender::Female},
      {'8', NationalIdKind::NewResident, Gender::Male},
      {'9', NationalIdKind::NewResident, Gender::Female},
      {'A', NationalIdKind::LegacyResident, Gender::Male},
      {'B', NationalIdKind::LegacyResident, Gender::Female},
      {'C', NationalIdKind::LegacyResident, Gender::Male},
      {'D', NationalIdKind::LegacyResident, Gender::Female},
  }};
  for (const Case& c : kCases) {
    const NationalIdResult id = NationalId::parse(make_valid_id('F', c.kind_char, 3));
    ASSERT_TRUE(id.ok()) << c.kind_char << ": " << id.reason();
    EXPECT_EQ(id->kind(), c.kind) << c.kind_char;
    EXPECT_EQ(id->gender(), c.gender) << c.kind_char;
  }
}

TEST(NationalId, EveryLetterAndKindIsAccepted) {
  int seed = 0;
  for (char letter : kLetters) {
    for (char kind_char : kKindChars) {
      const std::string id = make_valid_id(letter, kind_char, ++seed);
      const NationalIdResult result = NationalId::parse(id);
      ASSERT_TRUE(result.ok()) << id << ": " << result.reason();
      EXPECT_EQ(result->value(), id);
    }
  }
}

TEST(NationalId, EveryChangeOfTheCheckDigitIsRejected) {
  int seed = 0;
  for (char letter : kLetters) {
    for (char kind_char : kKindChars) {
      const std::string valid = make_valid_id(letter, kind_char, ++seed);
      for (int delta = 1; delta <= 9; ++delta) {
        std::string changed = valid;
        changed[9] = static_cast<char>('0' + (changed[9] - '0' + delta) % 10);
        EXPECT_EQ(error_of(changed), NationalIdError::Checksum) << changed;
      }
    }
  }
}

TEST(NationalId, SingleDigitChangesAreRejectedExactlyWhenTheWeightedChangeIsNotAMultipleOf10) {
  // Changing digit i by delta moves the sum by weight(i) × delta. The scheme only sees that
  // modulo 10, so it cannot catch a change of 5 under an even weight (8, 6, 4, 2) or an even
  // change under weight 5: e.g. A123456789 → A128456789 (+5 at weight 6 = +30) stays valid. This
  // pins the rule down exactly instead of pretending every single-digit error is caught.
  constexpr std::array<int, 10> kWeight = {0, 0, 7, 6, 5, 4, 3, 2, 1, 1};  // by index; 0/1 n/a
  int seed = 0;
  for (char letter : kLetters) {
    for (char kind_char : std::string_view{"1289"}) {
      const std::string valid = make_valid_id(letter, kind_char, ++seed);
      for (std::size_t i = 2; i < 10; ++i) {
        for (int delta = 1; delta <= 9; ++delta) {
          std::string changed = valid;
          changed[i] = static_cast<char>('0' + (changed[i] - '0' + delta) % 10);
          const bool caught = (kWeight[i] * delta) % 10 != 0;
          const NationalIdResult result = NationalId::parse(changed);
          if (caught) {
            ASSERT_FALSE(result.ok()) << changed;
            EXPECT_EQ(result.error(), NationalIdError::Checksum) << changed;
          } else {
            EXPECT_TRUE(result.ok()) << changed;
          }
        }
      }
    }
  }
  EXPECT_TRUE(NationalId::parse("A128456789").ok());
}

TEST(NationalId, ChangingTheKindDigitIsRejected) {
  // The second digit has weight 8; 1↔2, 1↔8, 1↔9, 2↔8 ... all move the sum by 8 × (1, 7 or 8),
  // never a multiple of 10.
  for (char from : std::string_view{"1289"}) {
    const std::string valid = make_valid_id('K', from, 5);
    for (char to : std::string_view{"1289"}) {
      if (to == from) continue;
      std::string changed = valid;
      changed[1] = to;
      EXPECT_EQ(error_of(changed), NationalIdError::Checksum) << changed;
    }
  }
}

TEST(NationalId, TrimsWhitespaceAndUppercases) {
  const NationalIdResult id = NationalId::parse(" \ta123456789\r\n");
  ASSERT_TRUE(id.ok()) << id.reason();
  EXPECT_EQ(id->value(), "A123456789");
  const NationalIdResult legacy = NationalId::parse("ac01234567");
  ASSERT_TRUE(legacy.ok()) << legacy.reason();
  EXPECT_EQ(legacy->value(), "AC01234567");
  EXPECT_EQ(legacy->kind(), NationalIdKind::LegacyResident);
}

TEST(NationalId, RejectsEmpty) {
  EXPECT_EQ(error_of(""), NationalIdError::Empty);
  EXPECT_EQ(error_of(" \t\r\n"), NationalIdError::Empty);
}

TEST(NationalId, RejectsWrongLengthOrShape) {
  EXPECT_EQ(error_of("A12345678"), NationalIdError::Format);    // 9 characters
  EXPECT_EQ(error_of("A1234567890"), NationalIdError::Format);  // 11 characters
  EXPECT_EQ(error_of("A1234 6789"), NationalIdError::Format);   // inner space
  EXPECT_EQ(error_of("A12345 6789"), NationalIdError::Format);  // inner space, 11 long
  EXPECT_EQ(error_of("A323456789"), NationalIdError::Format);   // 3 is no kind
  EXPECT_EQ(error_of("A023456789"), NationalIdError::Format);   // 0 is no kind
  EXPECT_EQ(error_of("A_23456789"), NationalIdError::Format);   // punctuation as kind
  EXPECT_EQ(error_of("A12345678X"), NationalIdError::Format);   // letter as check digit
  EXPECT_EQ(error_of("AC0123456A"), NationalIdError::Format);   // legacy, letter at the end
  EXPECT_TRUE(NationalId::parse("Ａ123456789").ok());  // full-width A is folded (typed_text_test.cpp)
  EXPECT_EQ(error_of(std::string_view{"A12345678\0", 10}), NationalIdError::Format);
}

TEST(NationalId, RejectsBadLetters) {
  EXPECT_EQ(error_of("1123456789"), NationalIdError::Letter);  // no letter at all
  EXPECT_EQ(error_of("@123456789"), NationalIdError::Letter);  // '@' precedes 'A' in ASCII
  EXPECT_EQ(error_of("[123456789"), NationalIdError::Letter);  // '[' follows 'Z'
  EXPECT_EQ(error_of("AE01234567"), NationalIdError::Letter);  // legacy letters are A-D
  EXPECT_EQ(error_of("AZ01234567"), NationalIdError::Letter);
  EXPECT_EQ(error_of("ae01234567"), NationalIdError::Letter);  // after uppercasing
}

TEST(NationalId, RejectsBadCheckDigit) {
  EXPECT_EQ(error_of("A123456788"), NationalIdError::Checksum);
  EXPECT_EQ(error_of("AC01234568"), NationalIdError::Checksum);
  EXPECT_EQ(error_of("a800000015"), NationalIdError::Checksum);
}

TEST(NationalId, ReasonsNeverEchoTheInput) {
  for (std::string_view input : {"", "A1234", "1123456789", "A323456789", "A123456788"}) {
    const NationalIdResult result = NationalId::parse(input);
    ASSERT_FALSE(result.ok());
    EXPECT_FALSE(result.reason().empty());
    if (!input.empty()) {
      EXPECT_EQ(result.reason().find(input), std::string_view::npos);
    }
  }
}

TEST(NationalId, ComputeCheckDigitRejectsShapesThatAreNoId) {
  EXPECT_EQ(compute_check_digit(""), std::nullopt);
  EXPECT_EQ(compute_check_digit("A1234567"), std::nullopt);    // 8 characters
  EXPECT_EQ(compute_check_digit("A123456789"), std::nullopt);  // 10 characters
  EXPECT_EQ(compute_check_digit("a12345678"), std::nullopt);   // lowercase: callers normalise
  EXPECT_EQ(compute_check_digit("A32345678"), std::nullopt);
  EXPECT_EQ(compute_check_digit("AE2345678"), std::nullopt);
  EXPECT_EQ(compute_check_digit("A1234567X"), std::nullopt);
}

TEST(NationalId, Last4AndMasked) {
  const NationalIdResult id = NationalId::parse("A123456789");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->last4(), "6789");
  EXPECT_EQ(id->masked(), "A12****789");
}

TEST(NationalId, MaskAnyTenCharacterString) {
  EXPECT_EQ(mask_national_id("A123456789"), "A12****789");
  EXPECT_EQ(mask_national_id("a12345678x"), "a12****78x");  // not validated
  EXPECT_EQ(mask_national_id("AC01234567"), "AC0****567");
}

TEST(NationalId, MaskHidesEverythingOfOtherStrings) {
  const std::string stars(10, '*');
  EXPECT_EQ(mask_national_id(""), stars);
  EXPECT_EQ(mask_national_id("A12345678"), stars);
  EXPECT_EQ(mask_national_id("A1234567890123"), stars);
  EXPECT_EQ(mask_national_id(" A12345678"), stars);  // a space is not printable here
  EXPECT_EQ(mask_national_id("王1234567"), stars);   // 10 bytes, but not ASCII
}

TEST(NationalId, StableCodeNames) {
  EXPECT_EQ(to_string(NationalIdError::Empty), "empty");
  EXPECT_EQ(to_string(NationalIdError::Format), "format");
  EXPECT_EQ(to_string(NationalIdError::Letter), "letter");
  EXPECT_EQ(to_string(NationalIdError::Checksum), "checksum");
  EXPECT_EQ(to_string(NationalIdKind::Citizen), "citizen");
  EXPECT_EQ(to_string(NationalIdKind::NewResident), "new_resident");
  EXPECT_EQ(to_string(NationalIdKind::LegacyResident), "legacy_resident");
  EXPECT_EQ(to_string(Gender::Male), "male");
  EXPECT_EQ(to_string(Gender::Female), "female");
}

}  // namespace
}  // namespace ecpa::tw
