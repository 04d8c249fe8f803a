#pragma once
// Outbound e-mail over SMTP (libcurl), for the portal's one-time password-reset links (忘記密碼). One
// plain-text UTF-8 message to one recipient at a time; no attachments, no HTML.
#include <chrono>
#include <string>
#include <string_view>

#include "ecpa/common/clock.hpp"

namespace ecpa::http {

struct MailMessage {
  std::string from;       // a bare address, "noreply@ecpa.example": no display name, no <>
  std::string to;         // one bare address
  std::string subject;    // UTF-8, one line (zh-TW)
  std::string text_body;  // UTF-8 plain text; "\n", "\r\n" or "\r" line ends
};

struct MailSettings {
  std::string smtp_url;                       // "smtp://127.0.0.1:2525" (smtps:// for implicit TLS)
  std::chrono::milliseconds timeout{10'000};  // the whole exchange, connecting included
};

// The RFC 5322 message that send_mail() hands to the server: Date, From, To, Subject (RFC 2047
// "=?UTF-8?B?…?=" words, folded), Message-ID "<message_id>", MIME-Version, Content-Type text/plain;
// charset=UTF-8, Content-Transfer-Encoding: base64 (lines of 76). CRLF line ends throughout. Pure: the
// date and the ID are the caller's, so tests can pin them.
// Throws ecpa::Error BAD_REQUEST when an address is not a plain ASCII mailbox (local@domain), when the
// subject holds CR, LF or another control character (header injection), or when the subject or the body
// is not valid UTF-8. Nothing is sent then.
std::string build_mail_text(const MailMessage& message, std::chrono::system_clock::time_point date,
                            std::string_view message_id);

// Builds the message (the clock's now, a new random Message-ID at the sender's domain) and delivers it to the
// SMTP server of `settings`: MAIL FROM, RCPT TO, DATA. Returns once the server accepted it (250 after DATA).
// Throws BAD_REQUEST as build_mail_text does (before connecting), and MAIL_UNAVAILABLE when the server
// cannot be reached, refuses the sender, the recipient or the message, or does not answer within the
// timeout (libcurl's error and the server's last reply code in the cause). Thread-safe.
void send_mail(const MailSettings& settings, const MailMessage& message,
               const Clock& clock = SystemClock::instance());

}  // namespace ecpa::http
