// build_mail_text against messages worked out independently (the base64 here is Python's), and the
// refusals that keep caller data out of the header block. Delivery over SMTP is tested against the
// simulator's SMTP sink (apps/sim/src/smtp_sink_test.cpp).
#include "ecpa/http/mail.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"

namespace ecpa::http {
namespace {

using std::chrono::system_clock;

// 2026-01-15T08:00:00Z, a Thursday.
const system_clock::time_point kDate = system_clock::from_time_t(1768464000);

MailMessage reset_mail() {
  return {
      .from = "noreply@ecpa.example",
      .to = "wang@agency.example",
      .subject = "【人事服務網】重設密碼通知",
      .text_body = "您好:\n請於 30 分鐘內開啟下列連結重設密碼:\nhttps://127.0.0.1:8443/reset?token=abc\n.\n"};
}

std::string code_of(const MailMessage& m) {
  try {
    build_mail_text(m, kDate, "id@ecpa.example");
  } catch (const Error& e) {
    return std::string(e.code().value);
  }
  return "accepted";
}

TEST(BuildMailText, WholeMessage) {
  EXPECT_EQ(build_mail_text(reset_mail(), kDate, "0123abcd@ecpa.example"),
            "Date: Thu, 15 Jan 2026 08:00:00 +0000\r\n"
            "From: noreply@ecpa.example\r\n"
            "To: wang@agency.example\r\n"
            "Subject: =?UTF-8?B?44CQ5Lq65LqL5pyN5YuZ57ay44CR6YeN6Kit5a+G56K86YCa55+l?=\r\n"
            "Message-ID: <0123abcd@ecpa.example>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "\r\n"
            "5oKo5aW9Og0K6KuL5pa8IDMwIOWIhumQmOWFp+mWi+WVn+S4i+WIl+mAo+e1kOmHjeioreWvhuei\r\n"
            "vDoNCmh0dHBzOi8vMTI3LjAuMC4xOjg0NDMvcmVzZXQ/dG9rZW49YWJjDQouDQo=\r\n");
}

TEST(BuildMailText, LongSubjectFoldsIntoWordsOfWholeCharacters) {
  auto m = reset_mail();
  m.subject =
      std::string("一二三四五六七八九十") + "一二三四五六七八九十" + "一二三四五六七八九十";  // 90 bytes
  std::string text = build_mail_text(m, kDate, "id@ecpa.example");
  EXPECT_NE(text.find("Subject: =?UTF-8?B?5LiA5LqM5LiJ5Zub5LqU5YWt5LiD5YWr5Lmd5Y2B5LiA5LqM5LiJ?=\r\n"
                      " =?UTF-8?B?5Zub5LqU5YWt5LiD5YWr5Lmd5Y2B5LiA5LqM5LiJ5Zub5LqU5YWt?=\r\n"
                      " =?UTF-8?B?5LiD5YWr5Lmd5Y2B?=\r\n"),
            std::string::npos)
      << text;
  // 39 bytes would cut the 13th 測 after its first byte: the first word stops before it.
  m.subject = "a";
  for (int i = 0; i < 20; ++i) m.subject += "測";
  text = build_mail_text(m, kDate, "id@ecpa.example");
  EXPECT_NE(text.find("Subject: =?UTF-8?B?Yea4rOa4rOa4rOa4rOa4rOa4rOa4rOa4rOa4rOa4rOa4rOa4rA==?=\r\n"
                      " =?UTF-8?B?5ris5ris5ris5ris5ris5ris5ris5ris?=\r\n"),
            std::string::npos)
      << text;
}

TEST(BuildMailText, EveryLineShortAndEndedByCrlf) {
  auto m = reset_mail();
  m.subject.clear();
  for (int i = 0; i < 40; ++i) m.subject += "密";
  m.text_body.assign(5000, 'x');
  std::string text = build_mail_text(m, kDate, "id@ecpa.example");
  ASSERT_TRUE(text.ends_with("\r\n"));
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    std::string line = text.substr(start, end - start);
    EXPECT_LE(line.size(), 76U) << line;
    EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << "bare CR or LF in " << line;
    start = end + 2;
  }
}

TEST(BuildMailText, BodyLineEndsBecomeCrlf) {
  auto m = reset_mail();
  m.text_body = "a\nb\r\nc\rd";
  EXPECT_TRUE(build_mail_text(m, kDate, "id@ecpa.example").ends_with("\r\n\r\nYQ0KYg0KYw0KZA==\r\n"));
  m.text_body.clear();
  EXPECT_TRUE(build_mail_text(m, kDate, "id@ecpa.example").ends_with("base64\r\n\r\n"));
}

TEST(BuildMailText, HeaderInjectionRefused) {
  auto m = reset_mail();
  m.subject = "重設密碼\r\nBcc: everyone@example.org";
  EXPECT_EQ(code_of(m), "BAD_REQUEST");
  m.subject = "重設密碼\n";
  EXPECT_EQ(code_of(m), "BAD_REQUEST");
  m.subject = "tab\tor\x7f";
  EXPECT_EQ(code_of(m), "BAD_REQUEST");

  m = reset_mail();
  m.to = "wang@agency.example\r\nBcc: everyone@example.org";
  EXPECT_EQ(code_of(m), "BAD_REQUEST");
  m.to = "wang@agency.example>\r\nRCPT TO:<other@example.org";
  EXPECT_EQ(code_of(m), "BAD_REQUEST");
  m = reset_mail();
  m.from = "noreply@ecpa.example\nX-Evil: 1";
  EXPECT_EQ(code_of(m), "BAD_REQUEST");
}

TEST(BuildMailText, OnlyPlainMailboxes) {
  for (std::string address : {"", "wang", "@agency.example", "wang@", "a@b@c", "王小明 <wang@agency.example>",
                              "<wang@agency.example>", "wang @agency.example", "\"w\"@agency.example",
                              "王@agency.example", "a,b@agency.example", "wang@agency.example;x@y"}) {
    auto m = reset_mail();
    m.to = address;
    EXPECT_EQ(code_of(m), "BAD_REQUEST") << address;
  }
  auto m = reset_mail();
  m.to = "wang.xiao-ming+reset@sub.agency.example";
  EXPECT_EQ(code_of(m), "accepted");
  m.to = std::string(250, 'a') + "@b.tw";
  EXPECT_EQ(code_of(m), "BAD_REQUEST");
}

TEST(BuildMailText, TextMustBeUtf8) {
  auto m = reset_mail();
  m.subject = "\xe9\x87";  // a cut character
  EXPECT_EQ(code_of(m), "BAD_REQUEST");
  m = reset_mail();
  m.text_body = "ok \xff";
  EXPECT_EQ(code_of(m), "BAD_REQUEST");
}

TEST(SendMail, RefusesBeforeConnecting) {
  auto m = reset_mail();
  m.to = "a@b\r\nDATA";
  // Nothing listens on port 1; a BAD_REQUEST (not MAIL_UNAVAILABLE) shows no connection was tried.
  try {
    send_mail({.smtp_url = "smtp://127.0.0.1:1", .timeout = std::chrono::seconds(2)}, m);
    FAIL() << "sent";
  } catch (const Error& e) {
    EXPECT_EQ(e.code().value, std::string_view("BAD_REQUEST"));
  }
}

TEST(SendMail, NoServerIsMailUnavailable) {
  try {
    send_mail({.smtp_url = "smtp://user:secret@127.0.0.1:1", .timeout = std::chrono::seconds(2)},
              reset_mail());
    FAIL() << "sent";
  } catch (const Error& e) {
    EXPECT_EQ(e.code().value, std::string_view("MAIL_UNAVAILABLE"));
    EXPECT_NE(e.cause().find("smtp://127.0.0.1:1"), std::string::npos) << e.cause();
    EXPECT_EQ(e.cause().find("secret"), std::string::npos) << e.cause();
  }
  try {
    send_mail({.smtp_url = "http://127.0.0.1:1/", .timeout = std::chrono::seconds(2)}, reset_mail());
    FAIL() << "sent";
  } catch (const Error& e) {
    EXPECT_EQ(e.code().value, std::string_view("MAIL_UNAVAILABLE")) << e.cause();
  }
}

}  // namespace
}  // namespace ecpa::http
