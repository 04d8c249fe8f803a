#pragma once

// 身分證字號 (national ID) and 居留證號 (resident certificate number).
//
// A NationalId can only be obtained through parse(), so holding one means the number is well
// formed and its check digit is right. The class deliberately has no operator<<: the number is
// personal data (個人資料保護法) and must not reach a log by accident; use masked() there.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "ecpa/tw/parse_result.hpp"

namespace ecpa::tw {

enum class NationalIdError {
  Empty,     // nothing but whitespace
  Format,    // wrong length or shape (e.g. a non-digit where a digit belongs)
  Letter,    // first letter not A–Z, or a legacy resident number's second letter not A–D
  Checksum,  // well formed, but the check digit does not match
};

enum class NationalIdKind {
  Citizen,         // [A-Z][12]\d{8}
  NewResident,     // [A-Z][89]\d{8}, issued since 2021
  LegacyResident,  // [A-Z][A-D]\d{8}, valid until 2030-12-31
};

enum class Gender { Male, Female };

class NationalId {
 public:
  // Read as typed: fold_typed_identifier first (spaces and line breaks around it, full-width ＡＢＣ１２３,
  // lower case: ` a１２３４５６７８９\n` is A123456789); everything else must match exactly.
  [[nodiscard]] static ParseResult<NationalId, NationalIdError> parse(std::string_view input);

  // The canonical ten characters, uppercase.
  [[nodiscard]] std::string_view value() const noexcept { return {chars_.data(), chars_.size()}; }
  [[nodiscard]] NationalIdKind kind() const noexcept;
  [[nodiscard]] Gender gender() const noexcept;
  [[nodiscard]] std::string_view last4() const noexcept { return value().substr(6); }
  // `A12****789`: what the portal shows and what may be logged.
  [[nodiscard]] std::string masked() const;

  friend bool operator==(const NationalId&, const NationalId&) = default;

 private:
  explicit NationalId(const std::array<char, 10>& chars) : chars_(chars) {}

  std::array<char, 10> chars_;
};

using NationalIdResult = ParseResult<NationalId, NationalIdError>;

// Masks a string the way NationalId::masked() does, without validating it, so that even a
// rejected input can be logged safely: exactly ten printable ASCII characters keep their first
// three and last three (`A12****789`); anything else becomes ten stars, revealing neither its
// content nor its length.
[[nodiscard]] std::string mask_national_id(std::string_view text);

// The check digit ('0'–'9') completing the first nine characters of an ID (uppercase letter,
// then 1/2/8/9 or A–D, then seven digits), or nullopt if they do not have that shape.
[[nodiscard]] std::optional<char> compute_check_digit(std::string_view first_nine);

// Stable lowercase code names ("checksum", "legacy_resident", ...).
[[nodiscard]] std::string_view to_string(NationalIdError error) noexcept;
[[nodiscard]] std::string_view to_string(NationalIdKind kind) noexcept;
[[nodiscard]] std::string_view to_string(Gender gender) noexcept;

}  // namespace ecpa::tw
