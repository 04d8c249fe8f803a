#pragma once
#include <string>
#include <string_view>

#include "ecpa/crypto/bytes.hpp"

namespace ecpa::pki {

enum class LoginPurpose { Login, Bind };
std::string_view purpose_name(LoginPurpose p);  // "login" | "bind"

// The text a card signs to log in (DESIGN §4.1), versioned so the format can change without an old
// signature ever being read under new rules:
//
//   openecpa-login-v1\n
//   origin=<the portal's configured origin, e.g. https://ecpa.example.gov.tw>\n
//   purpose=<login|bind>\n
//   nonce=<base64url without padding of the 32-byte nonce: 43 characters>\n
//
// The origin names the portal so a signature made for another site (phishing relay) is useless
// here; the purpose keeps a login signature from being replayed as a binding; the nonce makes it
// single use. Fields are fixed, in this order, each once, ASCII only, LF line ends, a final LF:
// there is exactly one text for each (origin, purpose, nonce), so the server rebuilds it byte for
// byte instead of parsing what the client sent.
struct LoginText {
  static constexpr std::string_view kVersionLine = "openecpa-login-v1";
  static constexpr std::size_t kNonceBytes = 32;

  std::string origin;
  LoginPurpose purpose = LoginPurpose::Login;
  crypto::Bytes nonce;

  // Throws LOGIN_TEXT_INVALID when the origin is not a bare scheme://host[:port] (https, or http
  // for a loopback host only) in lowercase, or the nonce is not 32 bytes.
  std::string to_string() const;
  // The exact inverse of to_string(); anything else (other versions, extra fields, CRLF, padding,
  // non-canonical base64url) is LOGIN_TEXT_INVALID.
  static LoginText parse(std::string_view text);

  friend bool operator==(const LoginText&, const LoginText&) = default;
};

// Whether `origin` is one LoginText accepts (for checking the configuration at start-up).
bool is_valid_origin(std::string_view origin);

// Unpadded base64url (RFC 4648 §5), the nonce's encoding on the wire and in the text.
std::string to_base64url(crypto::ByteView data);
// Strict: alphabet only, no padding, canonical (unused low bits zero). Throws LOGIN_TEXT_INVALID.
crypto::Bytes from_base64url(std::string_view text);

}  // namespace ecpa::pki
