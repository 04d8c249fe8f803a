#include "ecpa/crypto/der_check.hpp"

#include <cstdint>

namespace ecpa::crypto {

namespace {

constexpr std::uint8_t kConstructed = 0x20;
constexpr std::uint8_t kClassMask = 0xC0;
constexpr std::uint8_t kUniversalSequence = 0x30;
constexpr std::uint8_t kUniversalSet = 0x31;

// Reads one header at `pos`; false when it is not a DER header (multi-byte tag, indefinite or
// non-minimal length, content past `end`).
bool read_header(ByteView der, std::size_t pos, std::size_t end, std::uint8_t& tag, std::size_t& content_pos,
                 std::size_t& length) {
  if (pos + 2 > end) return false;
  tag = der[pos];
  // High tag numbers (≥ 31) appear in none of the structures we accept.
  if ((tag & 0x1f) == 0x1f) return false;
  std::size_t len = der[pos + 1];
  std::size_t header = 2;
  if (len & 0x80) {
    std::size_t n = len & 0x7f;
    if (n == 0 || n > 4 || pos + 2 + n > end) return false;  // 0 = indefinite (BER only)
    if (der[pos + 2] == 0) return false;                     // leading zero octet: not minimal
    len = 0;
    for (std::size_t i = 0; i < n; ++i) len = len << 8 | der[pos + 2 + i];
    if (len < 0x80) return false;  // fits the short form: DER requires it
    header += n;
  }
  if (len > end - pos - header) return false;
  content_pos = pos + header;
  length = len;
  return true;
}

bool walk(ByteView der, std::size_t pos, std::size_t end, int depth_left) {
  while (pos < end) {
    std::uint8_t tag = 0;
    std::size_t content = 0;
    std::size_t length = 0;
    if (!read_header(der, pos, end, tag, content, length)) return false;
    if (tag & kConstructed) {
      bool universal = (tag & kClassMask) == 0;
      if (universal && tag != kUniversalSequence && tag != kUniversalSet) return false;
      if (depth_left == 0) return false;
      if (!walk(der, content, content + length, depth_left - 1)) return false;
    }
    pos = content + length;
  }
  return pos == end;
}

}  // namespace

bool is_strict_der(ByteView der, int max_depth) {
  std::uint8_t tag = 0;
  std::size_t content = 0;
  std::size_t length = 0;
  if (!read_header(der, 0, der.size(), tag, content, length)) return false;
  if (content + length != der.size()) return false;  // exactly one element
  return walk(der, 0, der.size(), max_depth);
}

}  // namespace ecpa::crypto
