#pragma once
// ecpa-sim's SMTP sink (TEST ONLY): a mail server that delivers nowhere. It takes what the portal sends
// (password-reset links) and hands each message to a Mailbox, where the status page, GET /mail/messages
// and the tests read it. A subset of RFC 5321 on 127.0.0.1 only:
//   220 greeting; EHLO (SIZE, 8BITMIME, ENHANCEDSTATUSCODES) / HELO; MAIL FROM:<a> [SIZE=n] [BODY=…];
//   RCPT TO:<a>; DATA (dot-unstuffed, ended by <CRLF>.<CRLF>); RSET; NOOP; QUIT.
//   500 unknown command or over-long line, 501 bad arguments, 502 VRFY/EXPN/HELP/STARTTLS/AUTH/…,
//   503 commands out of order, 552 over the size limit, 421 timeout / too many connections / stopping.
// Lines end in CRLF only: a bare LF is part of the line, never its end, so "\n.\n" cannot end a message
// early (the ambiguity behind SMTP smuggling). No TLS, no AUTH, no relaying.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "mailbox.hpp"

namespace ecpa::sim {

struct SmtpSinkOptions {
  std::uint16_t port = 0;  // on 127.0.0.1; 0: the system picks one (see SmtpSink::port())
  // Connections at once; one more is answered 421 and closed. Each has its own thread.
  std::size_t max_connections = 8;
  // A command line, or a line of a message, must arrive whole within this (slow clients, slowloris).
  std::chrono::milliseconds read_timeout{30'000};
  // And a whole connection within this, however it trickles.
  std::chrono::milliseconds session_timeout{300'000};
  std::size_t max_message_bytes = std::size_t{1} << 20;  // after dot-unstuffing, CRLFs counted
  std::size_t max_recipients = 100;
  std::size_t max_errors = 10;  // refused commands before the connection is closed (421)
  std::string hostname = "ecpa-sim.localhost";
};

class SmtpSink {
 public:
  // Listening when the constructor returns. Throws SIM_ARGUMENT_INVALID when the port cannot be bound.
  // `mailbox` must outlive the sink.
  SmtpSink(SmtpSinkOptions options, Mailbox& mailbox);
  ~SmtpSink();  // stop()
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  std::uint16_t port() const;
  std::string url() const;  // "smtp://127.0.0.1:PORT", for http::MailSettings::smtp_url

  // Stops accepting, answers open connections 421 at their next wait for input (a message being stored
  // is stored first), and joins every thread. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecpa::sim
