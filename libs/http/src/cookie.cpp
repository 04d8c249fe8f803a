#include "ecpa/http/cookie.hpp"

#include <algorithm>
#include <stdexcept>

namespace ecpa::http {
namespace {

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 6265 §4.1.1 cookie-octet: visible ASCII except '"', ',', ';' and '\'.
bool is_cookie_octet(char c) {
  auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x2B) || (u >= 0x2D && u <= 0x3A) || (u >= 0x3C && u <= 0x5B) ||
         (u >= 0x5D && u <= 0x7E);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

std::map<std::string, std::string, std::less<>> parse_cookies(std::string_view header) {
  std::map<std::string, std::string, std::less<>> out;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    std::size_t semi = header.find(';', pos);
    std::string_view item =
        trim(header.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos));
    pos = semi == std::string_view::npos ? header.size() + 1 : semi + 1;
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = trim(item.substr(0, eq));
    std::string_view value = trim(item.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) continue;
    if (!std::all_of(value.begin(), value.end(), is_cookie_octet)) continue;
    out.emplace(std::string(name), std::string(value));  // emplace keeps the first
  }
  return out;
}

std::string serialise(const SetCookie& c) {
  if (c.name.empty() || !std::all_of(c.name.begin(), c.name.end(), is_token_char)) {
    throw std::invalid_argument("cookie name is not a token");
  }
  if (!std::all_of(c.value.begin(), c.value.end(), is_cookie_octet)) {
    throw std::invalid_argument("cookie value has characters outside cookie-octet: " + c.name);
  }
  auto attribute_ok = [](const std::string& v) {
    return std::none_of(v.begin(), v.end(), [](char ch) { return ch == ';' || ch < 0x20 || ch == 0x7F; });
  };
  if (!attribute_ok(c.path) || !attribute_ok(c.domain)) {
    throw std::invalid_argument("cookie path or domain holds ';' or control characters: " + c.name);
  }
  // Prefix rules (RFC 6265bis §4.1.3): browsers drop cookies that break them, so failing here turns a
  // silent login loop into a clear programming error.
  if (starts_with(c.name, "__Host-") && (!c.secure || c.path != "/" || !c.domain.empty())) {
    throw std::invalid_argument("__Host- cookie needs Secure, Path=/ and no Domain: " + c.name);
  }
  if (starts_with(c.name, "__Secure-") && !c.secure) {
    throw std::invalid_argument("__Secure- cookie needs Secure: " + c.name);
  }
  if (c.same_site == SameSite::None && !c.secure) {
    throw std::invalid_argument("SameSite=None cookie needs Secure: " + c.name);
  }
  std::string out = c.name + "=" + c.value;
  if (!c.path.empty()) out += "; Path=" + c.path;
  if (!c.domain.empty()) out += "; Domain=" + c.domain;
  if (c.max_age) out += "; Max-Age=" + std::to_string(std::max<long long>(0, c.max_age->count()));
  if (c.secure) out += "; Secure";
  if (c.http_only) out += "; HttpOnly";
  switch (c.same_site) {
    case SameSite::Strict:
      out += "; SameSite=Strict";
      break;
    case SameSite::Lax:
      out += "; SameSite=Lax";
      break;
    case SameSite::None:
      out += "; SameSite=None";
      break;
  }
  return out;
}

SetCookie expired_cookie(std::string name, std::string path) {
  SetCookie c;
  c.name = std::move(name);
  c.path = std::move(path);
  c.max_age = std::chrono::seconds(0);
  return c;
}

}  // namespace ecpa::http
