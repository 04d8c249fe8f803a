#pragma once
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ecpa::http {

// The Cookie request header as name → value. Malformed pairs are skipped (browsers send what other
// sites' scripts set, so one bad cookie must not make the request fail); the first of duplicate
// names wins, as with browsers that send the most specific path first.
std::map<std::string, std::string, std::less<>> parse_cookies(std::string_view header);

enum class SameSite { Strict, Lax, None };

// One Set-Cookie header. Defaults are the safe ones: Secure, HttpOnly, SameSite=Lax, Path=/.
struct SetCookie {
  std::string name;
  std::string value;
  std::string path = "/";
  std::string domain;                           // empty: host-only
  std::optional<std::chrono::seconds> max_age;  // nullopt: session cookie; 0: delete
  bool secure = true;
  bool http_only = true;
  SameSite same_site = SameSite::Lax;
};

// The Set-Cookie value. Throws std::invalid_argument (a programming error, not user input) when the
// name is not a token, the value has characters outside cookie-octet, or prefix rules are broken:
// `__Host-` needs Secure, Path=/ and no Domain; `__Secure-` needs Secure; SameSite=None needs Secure.
std::string serialise(const SetCookie& cookie);

// A Set-Cookie that makes the browser forget `name` (same path/domain/prefix rules apply).
SetCookie expired_cookie(std::string name, std::string path = "/");

}  // namespace ecpa::http
