#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecpa::http {

// Percent-decoding. `plus_as_space` is true for form and query data (HTML forms send ' ' as '+',
// and a literal '+' as %2B — the HiPKI component's tbsPackage bodies rely on that), false for paths.
// Malformed escapes ("%4", "%zz") → nullopt: guessing would let two parsers disagree on one input.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space);
// Encodes everything but unreserved characters (RFC 3986 §2.3); ' ' becomes %20.
std::string percent_encode(std::string_view text);

// application/x-www-form-urlencoded and query strings. Throws ecpa::Error BAD_REQUEST on a malformed
// escape, or when there are more than `max_fields` fields (a cheap guard against hash-flooding).
std::multimap<std::string, std::string> parse_form(std::string_view body, std::size_t max_fields = 1000);
inline std::multimap<std::string, std::string> parse_query(std::string_view query,
                                                           std::size_t max_fields = 1000) {
  return parse_form(query, max_fields);
}
// The inverse: "a=1&b=x%2By" (spaces as %20, which every decoder accepts).
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace ecpa::http
