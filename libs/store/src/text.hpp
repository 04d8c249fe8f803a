#pragma once
#include <string_view>

namespace ecpa::store::detail {

// Text that may be stored and later shown: within a byte limit and free of control characters (which
// could forge lines in logs and CSV reports). Multi-byte UTF-8 passes through; its validity is the
// front end's concern, and it never contains bytes < 0x20.
inline bool is_clean_text(std::string_view s, std::size_t max_bytes) {
  if (s.size() > max_bytes) return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace ecpa::store::detail
