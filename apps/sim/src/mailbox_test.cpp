// The sink's reading of messages (RFC 2047 words, transfer encodings) and its store: files a second
// process can read, newest first, bounded, surviving a restart.
#include "mailbox.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "ecpa/crypto/testing/files.hpp"
#include "ecpa/http/mail.hpp"

namespace ecpa::sim {
namespace {

namespace fs = std::filesystem;

const Clock::time_point kNow = std::chrono::system_clock::from_time_t(1768464000);  // 2026-01-15T08:00:00Z

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

TEST(DecodeEncodedWords, BAndQWords) {
  EXPECT_EQ(decode_encoded_words("=?UTF-8?B?6YeN6Kit5a+G56K8?="), "重設密碼");
  EXPECT_EQ(decode_encoded_words("=?utf-8?q?caf=C3=A9_au_lait?="), "café au lait");
  EXPECT_EQ(decode_encoded_words("=?US-ASCII*en?Q?plain?="), "plain");
  // The space between two words only folds the line; around plain text it stays.
  EXPECT_EQ(decode_encoded_words(" =?UTF-8?B?6YeN6Kit?= \t =?UTF-8?B?5a+G56K8?="), " 重設密碼");
  EXPECT_EQ(decode_encoded_words("Re: =?UTF-8?B?6YeN6Kit?= now"), "Re: 重設 now");
  EXPECT_EQ(decode_encoded_words("no words at all"), "no words at all");
}

TEST(DecodeEncodedWords, WhatCannotBeReadStaysAsItCame) {
  EXPECT_EQ(decode_encoded_words("=?UTF-8?B?!!!?="), "=?UTF-8?B?!!!?=");
  EXPECT_EQ(decode_encoded_words("=?big5?B?pKSk5Q==?="), "=?big5?B?pKSk5Q==?=");
  EXPECT_EQ(decode_encoded_words("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=");
  EXPECT_EQ(decode_encoded_words("=?UTF-8?B?6YeN"), "=?UTF-8?B?6YeN");
  EXPECT_EQ(decode_encoded_words("a =? b"), "a =? b");
}

TEST(DecodeMail, WhatOurClientSends) {
  http::MailMessage m{
      .from = "noreply@ecpa.example",
      .to = "wang@agency.example",
      .subject = "【人事服務網】重設密碼通知:請於三十分鐘內完成,逾時連結即失效",
      .text_body = "您好:\n.這行以點開頭\n..兩個點\nhttps://127.0.0.1:8443/reset?token=abc\n"};
  auto decoded = decode_mail(http::build_mail_text(m, kNow, "id@ecpa.example"));
  EXPECT_EQ(decoded.subject, m.subject);
  EXPECT_EQ(decoded.body, m.text_body);
}

TEST(DecodeMail, OtherEncodingsAndBrokenInput) {
  EXPECT_EQ(
      decode_mail(
          "Subject: hi\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9 =\r\nau lait\r\n")
          .body,
      "café au lait\n");
  auto plain =
      decode_mail("subject:  =?UTF-8?B?6YeN6Kit?=\r\n =?UTF-8?B?5a+G56K8?=\r\n\r\nline 1\r\nline 2\r\n");
  EXPECT_EQ(plain.subject, "重設密碼");  // folded, field name in lower case
  EXPECT_EQ(plain.body, "line 1\nline 2\n");
  EXPECT_EQ(decode_mail("Subject: lf only\n\nbody\n").subject, "lf only");
  // Undecodable base64 is shown as it came; bytes that are not UTF-8 become U+FFFD.
  EXPECT_EQ(decode_mail("Content-Transfer-Encoding: base64\r\n\r\n%%%\r\n").body, "%%%\n");
  EXPECT_EQ(decode_mail("Subject: =?UTF-8?B?/w==?=\r\n\r\n\xff\r\n").subject, "\xef\xbf\xbd");
  EXPECT_EQ(decode_mail("Subject: x\r\n\r\n\xff\r\n").body, "\xef\xbf\xbd\n");
  EXPECT_EQ(decode_mail("Subject: headers only").subject, "headers only");
  EXPECT_EQ(decode_mail("").body, "");
}

TEST(Mailbox, DeliversToFileAndMemoryNewestFirst) {
  crypto::testing::TempDir tmp;
  ManualClock clock(kNow);
  Mailbox box(tmp.path() / "mail", clock);
  EXPECT_EQ(mode_of(tmp.path() / "mail"), 0700);  // reset links are secrets, even test ones
  auto first = box.deliver("noreply@ecpa.example", {"wang@agency.example"},
                           "Subject: =?UTF-8?B?6YeN6Kit5a+G56K8?=\r\n\r\nfirst\r\n");
  clock.advance(std::chrono::seconds(1));
  auto second =
      box.deliver("", {"LEE@agency.example", "chen@agency.example"}, "Subject: two\r\n\r\nsecond\r\n");
  EXPECT_LT(first.id, second.id);
  EXPECT_EQ(first.id, "20260115T080000000Z-00000001");
  EXPECT_EQ(first.subject, "重設密碼");
  EXPECT_EQ(first.body, "first\n");

  auto all = box.list();
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].id, second.id);
  EXPECT_EQ(all[1].id, first.id);
  ASSERT_EQ(box.list("lee@AGENCY.example").size(), 1U);
  EXPECT_EQ(box.list("lee@AGENCY.example")[0].envelope_to.size(), 2U);
  EXPECT_EQ(box.list("wang@agency.example")[0].id, first.id);
  EXPECT_TRUE(box.list("nobody@agency.example").empty());

  // Another process reads the file as it was received, with the envelope.
  fs::path file = tmp.path() / "mail" / (second.id + ".eml");
  EXPECT_EQ(mode_of(file), 0600);
  auto read = read_eml(file);
  EXPECT_EQ(read.envelope_from, "");
  EXPECT_EQ(read.envelope_to, (std::vector<std::string>{"LEE@agency.example", "chen@agency.example"}));
  EXPECT_EQ(read.received_at, kNow + std::chrono::seconds(1));
  EXPECT_EQ(read.raw, "Subject: two\r\n\r\nsecond\r\n");
  EXPECT_EQ(read.body, "second\n");
}

TEST(Mailbox, SurvivesARestartAndStaysBounded) {
  crypto::testing::TempDir tmp;
  ManualClock clock(kNow);
  std::string oldest;
  {
    Mailbox box(tmp.path() / "mail", clock, 3);
    for (int i = 0; i < 4; ++i) {
      auto m = box.deliver("a@b", {"c@d"}, "Subject: " + std::to_string(i) + "\r\n\r\nx\r\n");
      if (i == 0) oldest = m.id;
    }
    EXPECT_EQ(box.list().size(), 3U);
    EXPECT_FALSE(fs::exists(tmp.path() / "mail" / (oldest + ".eml")));  // the oldest went, file and all
  }
  // Not ours: ignored, left alone.
  std::ofstream(tmp.path() / "mail" / "stray.eml") << "hello";
  std::ofstream(tmp.path() / "mail" / "half.eml.tmp") << "Return-Path: <";

  Mailbox again(tmp.path() / "mail", clock, 3);
  auto listed = again.list();
  ASSERT_EQ(listed.size(), 3U);
  EXPECT_EQ(listed[0].subject, "3");
  EXPECT_EQ(listed[2].subject, "1");
  // The same instant as before the restart, yet the next message sorts after the old ones.
  auto next = again.deliver("a@b", {"c@d"}, "Subject: 4\r\n\r\nx\r\n");
  EXPECT_GT(next.id, listed[0].id);
  EXPECT_EQ(again.list()[0].subject, "4");
  EXPECT_TRUE(fs::exists(tmp.path() / "mail" / "stray.eml"));
}

TEST(Mailbox, EnvelopeAddressesStayOneLine) {
  crypto::testing::TempDir tmp;
  ManualClock clock(kNow);
  Mailbox box(tmp.path() / "mail", clock);
  EXPECT_THROW(box.deliver("a@b\r\nDelivered-To: x", {"c@d"}, ""), Error);
  EXPECT_THROW(box.deliver("a@b", {"c d@e"}, ""), Error);
  EXPECT_TRUE(box.list().empty());
}

TEST(ReadEml, RefusesFilesThatAreNotOurs) {
  crypto::testing::TempDir tmp;
  EXPECT_THROW(read_eml(tmp.write("a.eml", std::string("Subject: x\r\n\r\n"))), Error);
  EXPECT_THROW(read_eml(tmp.write("b.eml", std::string("Return-Path: <a@b>\r\nDelivered-To: c@d\r\n"))),
               Error);
  EXPECT_THROW(
      read_eml(tmp.write("c.eml", std::string("Return-Path: <a@b>\r\nX-Ecpa-Sim-Received: soon\r\n"))),
      Error);
  EXPECT_THROW(read_eml(tmp.path() / "missing.eml"), Error);
}

}  // namespace
}  // namespace ecpa::sim
