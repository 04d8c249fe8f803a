#include "ecpa/pki/login_text.hpp"

#include <array>
#include <charconv>

#include "ecpa/common/error.hpp"

namespace ecpa::pki {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

[[noreturn]] void invalid(std::string cause) { throw Error(codes::LOGIN_TEXT_INVALID, std::move(cause)); }

bool is_host_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.') return false;
  if (host.find("..") != std::string_view::npos) return false;
  for (char c : host) {
    if (!is_host_char(c)) return false;
  }
  return true;
}

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5 || port.front() == '0') return false;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

// Takes "key=value\n" off the front of `rest`.
std::string_view take_field(std::string_view& rest, std::string_view key) {
  if (rest.substr(0, key.size()) != key || rest.size() <= key.size() || rest[key.size()] != '=') {
    invalid("expected field " + std::string(key));
  }
  rest.remove_prefix(key.size() + 1);
  auto nl = rest.find('\n');
  if (nl == std::string_view::npos) invalid("field " + std::string(key) + " not ended by LF");
  auto value = rest.substr(0, nl);
  rest.remove_prefix(nl + 1);
  return value;
}

}  // namespace

std::string_view purpose_name(LoginPurpose p) { return p == LoginPurpose::Bind ? "bind" : "login"; }

bool is_valid_origin(std::string_view origin) {
  std::string_view rest;
  bool https = false;
  if (origin.starts_with("https://")) {
    rest = origin.substr(8);
    https = true;
  } else if (origin.starts_with("http://")) {
    rest = origin.substr(7);
  } else {
    return false;
  }
  std::string_view host = rest;
  auto colon = rest.rfind(':');
  if (colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    if (!valid_port(rest.substr(colon + 1))) return false;
  }
  if (!valid_host(host)) return false;
  // Plain http only where nobody can sit on the wire: a development portal on this machine.
  return https || host == "localhost" || host == "127.0.0.1";
}

std::string to_base64url(crypto::ByteView data) {
  std::string out;
  out.reserve((data.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    std::uint32_t v = std::uint32_t(data[i]) << 16 | std::uint32_t(data[i + 1]) << 8 | data[i + 2];
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  std::size_t left = data.size() - i;
  if (left == 1) {
    std::uint32_t v = std::uint32_t(data[i]) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (left == 2) {
    std::uint32_t v = std::uint32_t(data[i]) << 16 | std::uint32_t(data[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

crypto::Bytes from_base64url(std::string_view text) {
  if (text.size() % 4 == 1) invalid("base64url length impossible");
  std::array<int, 256> value{};
  value.fill(-1);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) value[static_cast<unsigned char>(kAlphabet[i])] = int(i);
  crypto::Bytes out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = value[static_cast<unsigned char>(c)];
    if (v < 0) invalid("not a base64url character");
    acc = (acc << 6) | std::uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits must be zero, or two texts would decode to one nonce.
  if ((acc & ((1u << bits) - 1)) != 0) invalid("base64url not canonical");
  return out;
}

std::string LoginText::to_string() const {
  if (!is_valid_origin(origin)) invalid("origin not acceptable");
  if (nonce.size() != kNonceBytes) invalid("nonce is not 32 bytes");
  std::string out;
  out.reserve(160);
  out.append(kVersionLine).append("\norigin=").append(origin);
  out.append("\npurpose=").append(purpose_name(purpose));
  out.append("\nnonce=").append(to_base64url(nonce)).append("\n");
  return out;
}

LoginText LoginText::parse(std::string_view text) {
  if (text.size() > 512) invalid("text too long");
  std::string_view rest = text;
  if (rest.substr(0, kVersionLine.size() + 1) != std::string(kVersionLine) + "\n") invalid("unknown version");
  rest.remove_prefix(kVersionLine.size() + 1);
  LoginText t;
  t.origin = std::string(take_field(rest, "origin"));
  auto purpose = take_field(rest, "purpose");
  if (purpose == "login") {
    t.purpose = LoginPurpose::Login;
  } else if (purpose == "bind") {
    t.purpose = LoginPurpose::Bind;
  } else {
    invalid("unknown purpose");
  }
  auto nonce = take_field(rest, "nonce");
  if (!rest.empty()) invalid("text after the last field");
  t.nonce = from_base64url(nonce);
  // Rebuilding must give back the input exactly (validates origin and nonce length too).
  if (t.to_string() != text) invalid("text is not in canonical form");
  return t;
}

}  // namespace ecpa::pki
