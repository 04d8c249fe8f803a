#include "ecpa/tw/typed_text.hpp"

#include "ascii.hpp"

namespace ecpa::tw {

std::string fold_typed_identifier(std::string_view typed) {
  std::string out;
  out.reserve(typed.size());
  for (std::size_t i = 0; i < typed.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(typed[i]);
    if (b0 == 0xEF && i + 2 < typed.size()) {
      const auto b1 = static_cast<unsigned char>(typed[i + 1]);
      const auto b2 = static_cast<unsigned char>(typed[i + 2]);
      // U+FF01–U+FF3F is EF BC 81–BF, U+FF40–U+FF5E is EF BD 80–9E; each is its ASCII twin + 0xFEE0.
      if ((b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF) || (b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E)) {
        const unsigned code = ((b1 & 0x3Fu) << 6 | (b2 & 0x3Fu)) + 0xF000u;  // U+FFxx
        out.push_back(detail::to_ascii_upper(static_cast<char>(code - 0xFEE0u)));
        i += 2;
        continue;
      }
    }
    if (b0 == 0xE3 && i + 2 < typed.size() && static_cast<unsigned char>(typed[i + 1]) == 0x80 &&
        static_cast<unsigned char>(typed[i + 2]) == 0x80) {  // U+3000
      out.push_back(' ');
      i += 2;
      continue;
    }
    if (b0 == 0xC2 && i + 1 < typed.size() && static_cast<unsigned char>(typed[i + 1]) == 0xA0) {  // U+00A0
      out.push_back(' ');
      i += 1;
      continue;
    }
    out.push_back(detail::to_ascii_upper(static_cast<char>(b0)));
  }
  const std::string_view trimmed = detail::trim_ascii_space(out);
  return std::string(trimmed);
}

}  // namespace ecpa::tw
