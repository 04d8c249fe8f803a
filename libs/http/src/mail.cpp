#include "ecpa/http/mail.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "curl_support.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/common/log.hpp"
#include "ecpa/common/utf8.hpp"
#include "http_date.hpp"

namespace ecpa::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";

// A bare RFC 5321 mailbox in plain ASCII, local@domain, and nothing that could end a header line, start a
// second address or a display name, or reach the SMTP command line as something else (CR, LF, space, <>,
// quotes). Quoted local parts and internationalised addresses (SMTPUTF8) are refused rather than half
// supported: nobody in the personnel file has one.
bool plain_mailbox(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  constexpr std::string_view kSpecials = "<>()[]\\,;:\"";
  return std::all_of(address.begin(), address.end(), [&](char ch) {
    auto u = static_cast<unsigned char>(ch);
    return u > 0x20 && u < 0x7F && kSpecials.find(ch) == std::string_view::npos;
  });
}

void check_address(std::string_view what, std::string_view address) {
  if (!plain_mailbox(address)) {
    throw ecpa::Error(ecpa::codes::BAD_REQUEST,
                      std::string(what) + " is not a plain ASCII mailbox (local@domain, no CR/LF, no <>)");
  }
}

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char ch) {
    auto u = static_cast<unsigned char>(ch);
    return u < 0x20 || u == 0x7F;
  });
}

std::string base64(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16 |
                      static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8 |
                      static_cast<unsigned char>(data[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(v >> shift) & 0x3F];
  }
  if (std::size_t rest = data.size() - i; rest > 0) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16;
    if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8;
    out += kAlphabet[(v >> 18) & 0x3F];
    out += kAlphabet[(v >> 12) & 0x3F];
    out += rest == 2 ? kAlphabet[(v >> 6) & 0x3F] : '=';
    out += '=';
  }
  return out;
}

// "Subject:" with the text as RFC 2047 B-encoded words. Each word holds at most 39 bytes (52 base64
// characters, so a line stays under RFC 2047's 76) cut at a character boundary, because a word must
// decode to whole characters on its own; words after the first go on folded lines.
std::string subject_field(std::string_view subject) {
  constexpr std::size_t kMaxBytesPerWord = 39;
  std::string out = "Subject:";
  std::size_t i = 0;
  bool first = true;
  while (i < subject.size()) {
    std::size_t n = std::min(kMaxBytesPerWord, subject.size() - i);
    // Back off while the cut would fall inside a character (before a 10xxxxxx continuation byte).
    while (i + n < subject.size() && (static_cast<unsigned char>(subject[i + n]) & 0xC0) == 0x80) --n;
    if (!first) out += kCrlf;
    out += " =?UTF-8?B?" + base64(subject.substr(i, n)) + "?=";
    first = false;
    i += n;
  }
  return out;
}

// Text in canonical form (RFC 2045 §2.10, RFC 2046 §4.1.1): every line end CRLF, whatever the caller used.
std::string canonical_line_ends(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += kCrlf;
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out += kCrlf;
    } else {
      out += text[i];
    }
  }
  return out;
}

// RFC 5322 §3.3 date-time. The HTTP date is the same text but ends in "GMT", which RFC 5322 lists only
// as an obsolete zone that must be read but not written.
std::string mail_date(std::chrono::system_clock::time_point t) {
  std::string date = detail::format_http_date(t);
  date.replace(date.size() - 3, 3, "+0000");
  return date;
}

// The URL for error causes, without user:password@.
std::string loggable(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  auto authority = scheme + 3;
  auto end = url.find('/', authority);
  auto at = url.rfind('@', end == std::string_view::npos ? url.size() : end);
  if (at == std::string_view::npos || at < authority) return std::string(url);
  return std::string(url.substr(0, authority)) + std::string(url.substr(at + 1));
}

struct Upload {
  std::string_view rest;
};

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  std::size_t n = std::min(size * count, upload->rest.size());
  std::memcpy(buffer, upload->rest.data(), n);
  upload->rest.remove_prefix(n);
  return n;  // 0 once all is sent: libcurl then ends DATA (and dot-stuffs lines starting with '.' itself)
}

}  // namespace

std::string build_mail_text(const MailMessage& message, std::chrono::system_clock::time_point date,
                            std::string_view message_id) {
  check_address("sender", message.from);
  check_address("recipient", message.to);
  if (has_control(message.subject)) {
    throw ecpa::Error(ecpa::codes::BAD_REQUEST, "subject holds CR, LF or another control character");
  }
  if (!valid_utf8(message.subject)) throw ecpa::Error(ecpa::codes::BAD_REQUEST, "subject is not UTF-8");
  if (!valid_utf8(message.text_body)) throw ecpa::Error(ecpa::codes::BAD_REQUEST, "body is not UTF-8");
  if (message_id.empty() || has_control(message_id) ||
      message_id.find_first_of("<> ") != std::string_view::npos) {
    throw ecpa::Error(ecpa::codes::BAD_REQUEST, "message ID is not one token");
  }

  std::string text;
  text += "Date: " + mail_date(date);
  text += kCrlf;
  text += "From: " + message.from;
  text += kCrlf;
  text += "To: " + message.to;
  text += kCrlf;
  text += subject_field(message.subject);
  text += kCrlf;
  text += "Message-ID: <" + std::string(message_id) + ">";
  text += kCrlf;
  text += "MIME-Version: 1.0\r\n";
  text += "Content-Type: text/plain; charset=UTF-8\r\n";
  text += "Content-Transfer-Encoding: base64\r\n";
  text += kCrlf;
  // Base64 rather than 8bit: the body is Chinese, and base64 needs no 8BITMIME from any relay on the way
  // and has no lines a relay could mangle (long lines, lines starting with '.' or "From ").
  constexpr std::size_t kLine = 76;  // RFC 2045 §6.8
  std::string encoded = base64(canonical_line_ends(message.text_body));
  for (std::size_t i = 0; i < encoded.size(); i += kLine) {
    text += encoded.substr(i, kLine);
    text += kCrlf;
  }
  return text;
}

void send_mail(const MailSettings& settings, const MailMessage& message, const Clock& clock) {
  // A Message-ID at the sender's domain, unique by 128 random bits (RFC 5322 §3.6.4).
  std::string domain = message.from.substr(message.from.rfind('@') + 1);
  std::string text = build_mail_text(message, clock.now(), log::new_trace_id() + "@" + domain);

  detail::CurlEasy easy = detail::new_curl_easy();
  CURL* c = easy.get();
  std::string mail_from = "<" + message.from + ">";
  detail::CurlList recipients;
  recipients.append("<" + message.to + ">");
  Upload upload{text};
  const auto timeout = static_cast<long>(settings.timeout.count());

  curl_easy_setopt(c, CURLOPT_URL, settings.smtp_url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // A reset link is a bearer credential: on smtp:// use STARTTLS whenever the relay offers it (a relay
  // that offers none, like the test sink, still gets the mail in clear; smtps:// is TLS from the start).
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  // Signals are unusable in a threaded program; timeouts then rely on curl's threaded resolver.
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout);
  // A proxy from the environment (all_proxy) must not carry reset links somewhere else.
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  // The size goes into MAIL FROM (SIZE=…) when the server announces SIZE, so an oversized message is
  // refused before it is sent.
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text.size()));
  char error_text[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_text);

  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    // The recipient's address stays out of the cause: it is personal data, and causes go to the log.
    std::string cause = "SMTP " + loggable(settings.smtp_url) + ": " + curl_easy_strerror(rc) +
                        (error_text[0] ? std::string(" (") + error_text + ")" : std::string()) +
                        (reply ? ", last reply " + std::to_string(reply) : std::string());
    throw ecpa::Error(ecpa::codes::MAIL_UNAVAILABLE, cause);
  }
}

}  // namespace ecpa::http
