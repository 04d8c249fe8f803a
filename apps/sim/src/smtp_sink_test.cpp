// The SMTP sink on 127.0.0.1 with two independent clients: the project's libcurl mail client (what the
// portal sends with) and raw sockets for what a well-behaved client never does.
#include "smtp_sink.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/testing/files.hpp"
#include "ecpa/http/mail.hpp"

namespace ecpa::sim {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

// A plain TCP client that reads SMTP replies (all lines of a multi-line one) with a 5 s cap on each read,
// so a sink that hangs fails the test instead of hanging it.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("connect");
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void send(std::string_view text) const {
    while (!text.empty()) {
      ssize_t n = ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL);
      if (n <= 0) return;  // the sink closed; the next reply() tells
      text.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  // The next reply, all its lines; "" when the connection ended or nothing came within 5 s.
  std::string reply() {
    std::string out;
    for (;;) {
      auto line = read_line();
      if (!line) return "";
      out += *line + "\n";
      if (line->size() < 4 || (*line)[3] != '-') return out;
    }
  }
  // The reply code of `command`'s answer, e.g. "250"; "" when none came.
  std::string code(std::string_view command) {
    send(std::string(command) + "\r\n");
    return reply().substr(0, 3);
  }
  // True when the sink closes the connection (within 5 s) with nothing more to say.
  bool closed() {
    auto line = read_line();
    return !line && eof_;
  }

 private:
  std::optional<std::string> read_line() {
    for (;;) {
      auto crlf = in_.find("\r\n");
      if (crlf != std::string::npos) {
        std::string line = in_.substr(0, crlf);
        in_.erase(0, crlf + 2);
        return line;
      }
      char buffer[4096];
      ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        eof_ = n == 0 || errno == ECONNRESET;
        return std::nullopt;
      }
      in_.append(buffer, static_cast<std::size_t>(n));
    }
  }

  int fd_ = -1;
  std::string in_;
  bool eof_ = false;
};

class SmtpSinkTest : public ::testing::Test {
 protected:
  SmtpSink& start(SmtpSinkOptions options = {}) {
    mailbox_ = std::make_unique<Mailbox>(tmp_.path() / "mail", SystemClock::instance());
    sink_ = std::make_unique<SmtpSink>(std::move(options), *mailbox_);
    return *sink_;
  }
  // Greeted, with a transaction open up to DATA's 354.
  static void open_data(RawClient& c) {
    ASSERT_EQ(c.reply().substr(0, 3), "220");
    ASSERT_EQ(c.code("EHLO client.test"), "250");
    ASSERT_EQ(c.code("MAIL FROM:<noreply@ecpa.example>"), "250");
    ASSERT_EQ(c.code("RCPT TO:<wang@agency.example>"), "250");
    ASSERT_EQ(c.code("DATA"), "354");
  }

  crypto::testing::TempDir tmp_;
  std::unique_ptr<Mailbox> mailbox_;
  std::unique_ptr<SmtpSink> sink_;
};

http::MailMessage reset_mail() {
  return {.from = "noreply@ecpa.example",
          .to = "wang@agency.example",
          .subject = "【人事服務網】重設密碼通知",
          .text_body =
              "王小明您好:\n請於 30 分鐘內開啟下列連結重設密碼:\n"
              "https://127.0.0.1:8443/reset#token=Zm9vYmFy\n.\n.這行以點開頭\n"};
}

TEST_F(SmtpSinkTest, WhatSendMailSendsIsStoredAndReadBack) {
  auto& sink = start();
  EXPECT_NE(sink.port(), 0);
  EXPECT_EQ(sink.url(), "smtp://127.0.0.1:" + std::to_string(sink.port()));
  http::send_mail({.smtp_url = sink.url(), .timeout = 5s}, reset_mail());

  auto got = mailbox_->list("wang@agency.example");
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].envelope_from, "noreply@ecpa.example");
  EXPECT_EQ(got[0].envelope_to, std::vector<std::string>{"wang@agency.example"});
  EXPECT_EQ(got[0].subject, "【人事服務網】重設密碼通知");
  EXPECT_EQ(got[0].body, reset_mail().text_body);
  EXPECT_NE(got[0].raw.find("\r\nSubject: =?UTF-8?B?"), std::string::npos) << got[0].raw;
  EXPECT_NE(got[0].raw.find("\r\nContent-Transfer-Encoding: base64\r\n"), std::string::npos);
  EXPECT_NE(got[0].raw.find("\r\nMessage-ID: <"), std::string::npos);
  EXPECT_TRUE(got[0].raw.starts_with("Date: ")) << got[0].raw;
  EXPECT_LT(std::chrono::system_clock::now() - got[0].received_at, 1min);

  // The file another process reads says the same.
  auto file = read_eml(mailbox_->dir() / (got[0].id + ".eml"));
  EXPECT_EQ(file.subject, got[0].subject);
  EXPECT_EQ(file.body, got[0].body);
  EXPECT_EQ(file.raw, got[0].raw);

  // A second one, to someone else: the newest comes first.
  auto other = reset_mail();
  other.to = "lee@agency.example";
  other.subject = "第二封";
  http::send_mail({.smtp_url = sink.url(), .timeout = 5s}, other);
  auto all = mailbox_->list();
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].subject, "第二封");
  EXPECT_EQ(mailbox_->list("wang@agency.example").size(), 1U);
}

TEST_F(SmtpSinkTest, HeaderInjectionIsRefusedBeforeAnythingIsSent) {
  auto& sink = start();
  auto m = reset_mail();
  m.subject = "重設密碼\r\nBcc: everyone@agency.example";
  try {
    http::send_mail({.smtp_url = sink.url(), .timeout = 5s}, m);
    ADD_FAILURE() << "sent";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::BAD_REQUEST);
  }
  m = reset_mail();
  m.to = "wang@agency.example>\r\nRCPT TO:<everyone@agency.example";
  EXPECT_THROW(http::send_mail({.smtp_url = sink.url(), .timeout = 5s}, m), Error);
  EXPECT_TRUE(mailbox_->list().empty());
}

TEST_F(SmtpSinkTest, SendMailReportsRefusalsAsMailUnavailable) {
  SmtpSinkOptions o;
  o.max_message_bytes = 2048;
  auto& sink = start(o);
  auto m = reset_mail();
  m.text_body.assign(4096, 'x');
  try {
    http::send_mail({.smtp_url = sink.url(), .timeout = 5s}, m);
    ADD_FAILURE() << "sent";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::MAIL_UNAVAILABLE);
    EXPECT_NE(e.cause().find("552"), std::string::npos) << e.cause();
  }
  EXPECT_TRUE(mailbox_->list().empty());
  std::uint16_t port = sink.port();
  sink.stop();
  try {
    http::send_mail({.smtp_url = "smtp://127.0.0.1:" + std::to_string(port), .timeout = 5s}, reset_mail());
    ADD_FAILURE() << "sent";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::MAIL_UNAVAILABLE);
  }
}

TEST_F(SmtpSinkTest, DotUnstuffingAndTransparency) {
  auto& sink = start();
  RawClient c(sink.port());
  open_data(c);
  // A lone "." inside a line, a bare LF, and a stuffed ".." line; only CRLF.CRLF ends the message.
  c.send("Subject: dots\r\n\r\n..leading dot\r\n...two\r\nnot\n.\nthe end\r\n.\r\n");
  EXPECT_EQ(c.reply().substr(0, 3), "250");
  auto got = mailbox_->list();
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].raw, "Subject: dots\r\n\r\n.leading dot\r\n..two\r\nnot\n.\nthe end\r\n");
  EXPECT_EQ(c.code("QUIT"), "221");
  EXPECT_TRUE(c.closed());
}

TEST_F(SmtpSinkTest, CommandsOutOfOrderAndUnknown) {
  SmtpSinkOptions o;
  o.max_errors = 12;  // the first conversation makes ten mistakes on purpose
  auto& sink = start(o);
  RawClient c(sink.port());
  ASSERT_EQ(c.reply().substr(0, 3), "220");
  EXPECT_EQ(c.code("MAIL FROM:<a@b>"), "503");  // before EHLO
  EXPECT_EQ(c.code("EHLO"), "501");
  c.send("EHLO client.test\r\n");
  std::string ehlo = c.reply();
  EXPECT_NE(ehlo.find("250-SIZE 1048576\n"), std::string::npos) << ehlo;
  EXPECT_NE(ehlo.find("250 ENHANCEDSTATUSCODES\n"), std::string::npos) << ehlo;
  EXPECT_EQ(c.code("RCPT TO:<wang@agency.example>"), "503");  // before MAIL
  EXPECT_EQ(c.code("DATA"), "503");                           // before MAIL
  EXPECT_EQ(c.code("MAIL FROM:noreply@ecpa.example"), "501");
  EXPECT_EQ(c.code("MAIL FROM:<>"), "250");     // the null sender is allowed
  EXPECT_EQ(c.code("MAIL FROM:<a@b>"), "503");  // nested
  EXPECT_EQ(c.code("DATA"), "503");             // before RCPT
  EXPECT_EQ(c.code("RCPT TO:<>"), "501");
  EXPECT_EQ(c.code("RCPT TO:<wang@agency.example> NOTIFY=NEVER"), "555");
  EXPECT_EQ(c.code("rcpt to: <wang@agency.example>"), "250");  // verbs in any case, a space after ':'
  EXPECT_EQ(c.code("RSET"), "250");
  EXPECT_EQ(c.code("DATA"), "503");  // RSET ended the transaction
  EXPECT_EQ(c.code("NOOP"), "250");
  EXPECT_EQ(c.code("HELO client.test"), "250");
  EXPECT_EQ(c.code("QUIT"), "221");
  EXPECT_TRUE(c.closed());
  EXPECT_TRUE(mailbox_->list().empty());

  RawClient d(sink.port());
  ASSERT_EQ(d.reply().substr(0, 3), "220");
  EXPECT_EQ(d.code("VRFY wang"), "502");
  EXPECT_EQ(d.code("STARTTLS"), "502");
  EXPECT_EQ(d.code("GET / HTTP/1.1"), "500");
  // Too many refused commands end the conversation: the twelfth is answered, then 421 and the end.
  for (int i = 3; i < 11; ++i) EXPECT_EQ(d.code("XYZZY"), "500");
  d.send("XYZZY\r\n");
  EXPECT_EQ(d.reply().substr(0, 3), "500");
  EXPECT_EQ(d.reply().substr(0, 3), "421");
  EXPECT_TRUE(d.closed());
}

TEST_F(SmtpSinkTest, OverLongLinesAreRefusedAndTheConversationGoesOn) {
  auto& sink = start();
  RawClient c(sink.port());
  ASSERT_EQ(c.reply().substr(0, 3), "220");
  EXPECT_EQ(c.code("NOOP " + std::string(600, 'x')), "500");
  EXPECT_EQ(c.code("NOOP"), "250");
  EXPECT_EQ(c.code("EHLO client.test"), "250");
  EXPECT_EQ(c.code("MAIL FROM:<noreply@ecpa.example>"), "250");
  EXPECT_EQ(c.code("RCPT TO:<wang@agency.example>"), "250");
  EXPECT_EQ(c.code("DATA"), "354");
  c.send("Subject: long\r\n\r\n" + std::string(1200, 'y') + "\r\nshort\r\n.\r\n");
  EXPECT_EQ(c.reply().substr(0, 3), "500");
  EXPECT_EQ(c.code("NOOP"), "250");
  EXPECT_TRUE(mailbox_->list().empty());
}

TEST_F(SmtpSinkTest, OversizedMessagesAreRefused) {
  SmtpSinkOptions o;
  o.max_message_bytes = 4096;
  auto& sink = start(o);
  RawClient c(sink.port());
  ASSERT_EQ(c.reply().substr(0, 3), "220");
  EXPECT_EQ(c.code("EHLO client.test"), "250");
  EXPECT_EQ(c.code("MAIL FROM:<noreply@ecpa.example> SIZE=5000"), "552");  // said up front
  EXPECT_EQ(c.code("MAIL FROM:<noreply@ecpa.example> SIZE=4000 BODY=8BITMIME"), "250");
  EXPECT_EQ(c.code("RCPT TO:<wang@agency.example>"), "250");
  EXPECT_EQ(c.code("DATA"), "354");
  std::string big = "Subject: big\r\n\r\n";
  for (int i = 0; i < 100; ++i) big += std::string(70, 'z') + "\r\n";  // 7 KiB in lines of 72
  c.send(big + ".\r\n");
  EXPECT_EQ(c.reply().substr(0, 3), "552");
  EXPECT_TRUE(mailbox_->list().empty());
  // The connection is still good for a message that fits.
  EXPECT_EQ(c.code("MAIL FROM:<noreply@ecpa.example>"), "250");
  EXPECT_EQ(c.code("RCPT TO:<wang@agency.example>"), "250");
  EXPECT_EQ(c.code("DATA"), "354");
  c.send("Subject: small\r\n\r\nok\r\n.\r\n");
  EXPECT_EQ(c.reply().substr(0, 3), "250");
  ASSERT_EQ(mailbox_->list().size(), 1U);
  EXPECT_EQ(mailbox_->list()[0].subject, "small");
}

TEST_F(SmtpSinkTest, ConnectionLimitAndReadTimeout) {
  SmtpSinkOptions o;
  o.max_connections = 2;
  o.read_timeout = 300ms;
  auto& sink = start(o);
  RawClient a(sink.port());
  RawClient b(sink.port());
  ASSERT_EQ(a.reply().substr(0, 3), "220");
  ASSERT_EQ(b.reply().substr(0, 3), "220");
  RawClient third(sink.port());
  EXPECT_EQ(third.reply().substr(0, 3), "421");
  EXPECT_TRUE(third.closed());

  // Idle clients are told and let go after the read timeout.
  auto start_wait = Steady::now();
  EXPECT_EQ(a.reply().substr(0, 5), "421 4");
  EXPECT_TRUE(a.closed());
  EXPECT_EQ(b.reply().substr(0, 3), "421");
  EXPECT_LT(Steady::now() - start_wait, 3s);

  // A line that trickles in a byte at a time must still be whole within the timeout.
  RawClient slow(sink.port());
  ASSERT_EQ(slow.reply().substr(0, 3), "220");
  for (char ch : std::string("NOO")) {  // 300 ms, and then nothing
    slow.send(std::string(1, ch));
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(slow.reply().substr(0, 3), "421");

  // Their slots are free again.
  RawClient next(sink.port());
  EXPECT_EQ(next.reply().substr(0, 3), "220");
}

TEST_F(SmtpSinkTest, StopDoesNotWaitForIdleClients) {
  SmtpSinkOptions o;
  o.read_timeout = 60s;
  auto& sink = start(o);
  RawClient idle(sink.port());
  ASSERT_EQ(idle.reply().substr(0, 3), "220");
  RawClient mid(sink.port());
  ASSERT_EQ(mid.reply().substr(0, 3), "220");
  mid.send("EHLO client.test\r\n");
  ASSERT_EQ(mid.reply().substr(0, 3), "250");
  auto t0 = Steady::now();
  sink.stop();
  EXPECT_LT(Steady::now() - t0, 2s);
  EXPECT_EQ(idle.reply().substr(0, 3), "421");
  EXPECT_EQ(mid.reply().substr(0, 3), "421");
  sink.stop();                                               // idempotent
  EXPECT_THROW(RawClient{sink.port()}, std::runtime_error);  // nobody listens any more
}

TEST_F(SmtpSinkTest, BusyPortIsAnArgumentError) {
  auto& sink = start();
  Mailbox other(tmp_.path() / "other", SystemClock::instance());
  SmtpSinkOptions o;
  o.port = sink.port();
  try {
    SmtpSink second(o, other);
    ADD_FAILURE() << "bound twice";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::SIM_ARGUMENT_INVALID);
  }
}

}  // namespace
}  // namespace ecpa::sim
