#include "auth/password/password_login.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace ecpa::portal {
namespace {

using namespace std::chrono_literals;

// Below the browser test, which reads the real mail from ecpa-sim's SMTP sink: here the outbox only keeps
// what it was given, so that a test can see whether a mail went out at all.
struct KeptMail final : MailOutbox {
  std::vector<OutgoingMail> sent;
  void post(OutgoingMail mail) override { sent.push_back(std::move(mail)); }
};

constexpr std::string_view kInitial = "Initial-Pass-2026";
constexpr std::string_view kNew = "Tainan-Harbour-77";

struct PasswordFixture : ::testing::Test {
  testing::TestDb t;
  ManualClock clock{crypto::testing::kPinnedNow};
  SecretBuffer key = testing::test_key();
  SessionManager sessions{t.sessions, clock, SessionSettings{"https://ecpa.example.gov.tw", 15min, 8h}, key};
  store::PasswordHasher hasher{store::Argon2Cost{.ops = 1, .memory_kib = 8}};
  KeptMail mail;
  PasswordLogin login{
      PasswordStores{t.accounts, t.people, t.audit},    sessions, hasher, &mail, clock, settings(),
      log::Logger::to_stderr("test", log::Level::Error)};
  ClientInfo client{"192.0.2.10", "trace-pw"};
  std::int64_t wang = 0;

  static PasswordSettings settings() {
    PasswordSettings s;
    s.public_origin = "https://ecpa.example.gov.tw";
    return s;
  }
  void SetUp() override {
    t.people.put_agency({"A01", "行政院人事行政總處"});
    std::vector<store::PersonImportRow> rows{
        {"A123456789", "王小明", "A01", "科員", "wang@example.gov.tw", "wang.ming"},
        {"B223456782", "陳美玲", "A01", "專員", "chen@example.gov.tw", "chen.mei"}};
    wang = *t.people.import_people(rows, store::ImportMode::AllOrNothing).rows[0].person_id;
    t.accounts.set_password(wang, hasher.hash(kInitial), /*must_change=*/true, clock.now(), 3);
  }
  ActiveSession presession() { return sessions.current_or_new(http::Request{}); }
  template <class F>
  std::string code_of(F&& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.code().value);
    }
    return "OK";
  }
  std::string param_of(const std::function<void()>& f, const std::string& name) {
    try {
      f();
    } catch (const Error& e) {
      auto it = e.params().find(name);
      return it == e.params().end() ? "" : it->second;
    }
    return "";
  }
  // The first login: the initial password must be replaced.
  LoginOutcome first_change(std::string_view to = kNew) {
    return login.change(presession(), "wang.ming", kInitial, to, client);
  }
  std::int64_t logged_in_sessions() {
    return t.db->with_connection([](store::Connection& c) {
      return c.query_one("SELECT count(*) FROM sessions WHERE person_id IS NOT NULL")->i64(0);
    });
  }
  std::string stored_hash() { return t.accounts.for_person(wang)->password_hash.value_or(""); }
};

TEST_F(PasswordFixture, AnInitialPasswordMustBeChangedAndTheChangeLogsIn) {
  auto s = presession();
  EXPECT_EQ(param_of([&] { login.login(s, "wang.ming", kInitial, client); }, "reason"), "initial");
  EXPECT_EQ(t.count("sessions"), 1);  // only the pre-login one: nobody logged in
  LoginOutcome out = login.change(s, " Wang.Ming ", kInitial, kNew, client);
  EXPECT_EQ(out.person.id, wang);
  EXPECT_EQ(out.session.record.method, "password");
  EXPECT_EQ(out.session.record.person_id, wang);
  EXPECT_NE(out.session.token, s.token);
  EXPECT_FALSE(t.accounts.for_person(wang)->must_change);
  // Now the new password logs in directly, the old one no more.
  EXPECT_EQ(login.login(presession(), "wang.ming", kNew, client).person.id, wang);
  EXPECT_EQ(code_of([&] { login.login(presession(), "wang.ming", kInitial, client); }),
            "PASSWORD_LOGIN_FAILED");
  std::vector<std::string> types;
  for (const auto& r : t.audit.read(0, 100)) types.push_back(r.event.type);
  EXPECT_EQ(types, (std::vector<std::string>{"login.failed", "password.changed", "login.ok", "login.ok",
                                             "login.failed"}));
  EXPECT_TRUE(t.audit.verify().ok);
}

TEST_F(PasswordFixture, UnknownAccountAndWrongPasswordGetTheSameAnswer) {
  first_change();
  auto wrong = [&] { login.login(presession(), "wang.ming", "Wrong-Password-1", client); };
  auto unknown = [&] { login.login(presession(), "nobody.here", "Wrong-Password-1", client); };
  auto unhashed = [&] {
    login.login(presession(), "chen.mei", "Wrong-Password-1", client);
  };  // no password yet
  EXPECT_EQ(code_of(wrong), "PASSWORD_LOGIN_FAILED");
  EXPECT_EQ(code_of(unknown), "PASSWORD_LOGIN_FAILED");
  EXPECT_EQ(code_of(unhashed), "PASSWORD_LOGIN_FAILED");
  EXPECT_EQ(code_of([&] { login.login(presession(), "not an account!", "x", client); }),
            "PASSWORD_LOGIN_FAILED");
}

TEST_F(PasswordFixture, FiveFailuresLockForFifteenMinutesKnownOrNot) {
  first_change();
  // Each name from its own address: the per-address budget is another test's.
  for (const auto& [name, from] :
       {std::pair{"wang.ming", "192.0.2.1"}, std::pair{"nobody.here", "192.0.2.2"}}) {
    const ClientInfo c{from, "t"};
    const std::string account = name;  // a lambda may not capture a structured binding (C++20)
    for (int i = 0; i < 4; ++i)
      EXPECT_EQ(code_of([&] { login.login(presession(), account, "Wrong-Password-1", c); }),
                "PASSWORD_LOGIN_FAILED");
    // The fifth says at once that the account is locked, and until when (Taiwan time).
    EXPECT_EQ(param_of([&] { login.login(presession(), account, "Wrong-Password-1", c); }, "unlock_at"),
              taiwan_minute(clock.now() + 15min));
  }
  // Locked: even the right password is refused, without being checked.
  EXPECT_EQ(code_of([&] { login.login(presession(), "wang.ming", kNew, client); }), "ACCOUNT_LOCKED");
  clock.advance(15min);
  EXPECT_EQ(login.login(presession(), "wang.ming", kNew, client).person.id, wang);
  // A success clears the count.
  EXPECT_EQ(t.count("login_failures"), 1);  // only the unknown name's row is left
}

TEST_F(PasswordFixture, OneAddressCannotLockManyAccounts) {
  first_change();
  // Ten failures from one address, spread over several names, then the address is refused without any
  // account being counted or looked at.
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(code_of([&] { login.login(presession(), "user" + std::to_string(i), "Wrong-1-x", client); }),
              "PASSWORD_LOGIN_FAILED");
  EXPECT_EQ(code_of([&] { login.login(presession(), "wang.ming", "Wrong-1-x", client); }), "RATE_LIMITED");
  EXPECT_EQ(t.count("login_failures"), 10);
  // Someone else, from their own address, still logs in.
  EXPECT_EQ(login.login(presession(), "wang.ming", kNew, ClientInfo{"198.51.100.7", "t"}).person.id, wang);
}

TEST_F(PasswordFixture, EveryPolicyRuleHasItsCodeAndWritesNothing) {
  const std::string before = stored_hash();
  auto change_to = [&](std::string_view to) {
    return code_of([&] { login.change(presession(), "wang.ming", kInitial, to, client); });
  };
  EXPECT_EQ(change_to("Short-1a"), "PASSWORD_TOO_SHORT");
  EXPECT_EQ(change_to("onlylowercaseletters"), "PASSWORD_TOO_FEW_CLASSES");
  EXPECT_EQ(change_to("Hello-wang.ming-1"), "PASSWORD_CONTAINS_ACCOUNT");
  EXPECT_EQ(change_to("Tainan\n2026-Harbour"), "PASSWORD_CHARACTERS_INVALID");
  EXPECT_EQ(change_to(kInitial), "PASSWORD_SAME_AS_CURRENT");
  EXPECT_EQ(change_to(std::string(2000, 'a')), "PASSWORD_TOO_LONG");
  EXPECT_EQ(stored_hash(), before);
  EXPECT_EQ(t.count("password_history"), 1);
  EXPECT_EQ(logged_in_sessions(), 0);
}

TEST_F(PasswordFixture, NotOneOfTheLastThreeAndNotTwiceADay) {
  first_change("First-Choice-2026");
  // A change by choice the same day: refused until a day has passed.
  EXPECT_EQ(code_of([&] {
              login.change(presession(), "wang.ming", "First-Choice-2026", "Second-Choice-2026", client);
            }),
            "PASSWORD_TOO_RECENT");
  clock.advance(std::chrono::days(1));
  login.change(presession(), "wang.ming", "First-Choice-2026", "Second-Choice-2026", client);
  clock.advance(std::chrono::days(1));
  // The initial one and the first are among the last three.
  EXPECT_EQ(code_of([&] {
              login.change(presession(), "wang.ming", "Second-Choice-2026", "First-Choice-2026", client);
            }),
            "PASSWORD_REUSED");
  login.change(presession(), "wang.ming", "Second-Choice-2026", "Third-Choice-2026", client);
  clock.advance(std::chrono::days(1));
  login.change(presession(), "wang.ming", "Third-Choice-2026", "Fourth-Choice-2026", client);
  clock.advance(std::chrono::days(1));
  // Three later ones pushed the first out of the history: it may come back.
  EXPECT_EQ(
      login.change(presession(), "wang.ming", "Fourth-Choice-2026", "First-Choice-2026", client).person.id,
      wang);
}

TEST_F(PasswordFixture, AfterNinetyDaysTheChangeIsForced) {
  first_change();
  clock.advance(std::chrono::days(90));
  auto s = presession();
  EXPECT_EQ(param_of([&] { login.login(s, "wang.ming", kNew, client); }, "reason"), "expired");
  EXPECT_EQ(login.change(s, "wang.ming", kNew, "Keelung-Harbour-88", client).person.id, wang);
}

TEST_F(PasswordFixture, ForgotPasswordSendsOneLinkOnlyWhenEverythingMatches) {
  // Logged in somewhere (a session the reset must end).
  first_change();
  login.forgot("wang.ming", "A123456789", "chen@example.gov.tw", client);    // another's e-mail
  login.forgot("wang.ming", "B223456782", "wang@example.gov.tw", client);    // another's ID number
  login.forgot("nobody.here", "A123456789", "wang@example.gov.tw", client);  // no such account
  EXPECT_TRUE(mail.sent.empty());
  EXPECT_EQ(t.count("password_resets"), 0);
  EXPECT_EQ(code_of([&] { login.forgot("wang.ming", "A123456788", "wang@example.gov.tw", client); }),
            "NATIONAL_ID_CHECKSUM");
  EXPECT_EQ(code_of([&] { login.forgot("wang.ming", "A123456789", "not-mail", client); }), "EMAIL_INVALID");
  EXPECT_EQ(code_of([&] { login.forgot("9x", "A123456789", "wang@example.gov.tw", client); }),
            "ACCOUNT_NAME_INVALID");

  login.forgot("Wang.Ming", "A123456789", " WANG@example.gov.tw ", client);
  ASSERT_EQ(mail.sent.size(), 1u);
  EXPECT_EQ(mail.sent[0].to, "wang@example.gov.tw");
  const std::string prefix = "https://ecpa.example.gov.tw/reset-password.html#token=";
  const auto at = mail.sent[0].body.find(prefix);
  ASSERT_NE(at, std::string::npos);
  const std::string token = mail.sent[0].body.substr(at + prefix.size(), 43);
  EXPECT_EQ(t.count("password_resets"), 1);

  EXPECT_EQ(logged_in_sessions(), 1);
  // A refused new password leaves the link usable.
  EXPECT_EQ(code_of([&] { login.reset(token, "short", client); }), "PASSWORD_TOO_SHORT");
  login.reset(token, "Kaohsiung-Port-55", client);
  EXPECT_EQ(logged_in_sessions(), 0);
  EXPECT_EQ(login.login(presession(), "wang.ming", "Kaohsiung-Port-55", client).person.id, wang);
  // Single use.
  EXPECT_EQ(code_of([&] { login.reset(token, "Another-Port-66", client); }), "RESET_LINK_INVALID");
  EXPECT_EQ(code_of([&] { login.reset("short-token", "Another-Port-66", client); }), "RESET_LINK_INVALID");
}

TEST_F(PasswordFixture, AResetLinkExpiresAfterThirtyMinutes) {
  login.forgot("wang.ming", "A123456789", "wang@example.gov.tw", client);
  ASSERT_EQ(mail.sent.size(), 1u);
  const auto at = mail.sent[0].body.find("#token=");
  const std::string token = mail.sent[0].body.substr(at + 7, 43);
  clock.advance(30min);
  const std::string before = stored_hash();
  EXPECT_EQ(code_of([&] { login.reset(token, "Kaohsiung-Port-55", client); }), "RESET_LINK_EXPIRED");
  EXPECT_EQ(stored_hash(), before);
}

TEST_F(PasswordFixture, WithoutMailForgotPasswordSaysSo) {
  PasswordLogin no_mail{
      PasswordStores{t.accounts, t.people, t.audit},    sessions, hasher, nullptr, clock, settings(),
      log::Logger::to_stderr("test", log::Level::Error)};
  EXPECT_EQ(code_of([&] { no_mail.forgot("wang.ming", "A123456789", "wang@example.gov.tw", client); }),
            "MAIL_UNAVAILABLE");
}

TEST_F(PasswordFixture, AChangeEndsTheOtherSessionsAndOpenLinks) {
  LoginOutcome elsewhere = first_change();
  login.forgot("wang.ming", "A123456789", "wang@example.gov.tw", client);
  ASSERT_EQ(mail.sent.size(), 1u);
  const auto at = mail.sent[0].body.find("#token=");
  const std::string token = mail.sent[0].body.substr(at + 7, 43);
  clock.advance(std::chrono::days(1));
  LoginOutcome here = login.change(presession(), "wang.ming", kNew, "Keelung-Harbour-88", client);
  EXPECT_FALSE(t.sessions.get_valid(elsewhere.session.record.id, clock.now()));
  EXPECT_TRUE(t.sessions.get_valid(here.session.record.id, clock.now()));
  EXPECT_EQ(code_of([&] { login.reset(token, "Another-Port-66", client); }), "RESET_LINK_INVALID");
  // The second use of a spent link names its person in the audit trail.
  EXPECT_EQ(t.audit.read(0, 100).back().event.person_id, wang);
}

TEST_F(PasswordFixture, TheFailureCountIsKeyedNotAPlainHashOfWhatWasTyped) {
  first_change();
  EXPECT_EQ(code_of([&] { login.login(presession(), "Tainan2026", "x-Wrong-1", client); }),
            "PASSWORD_LOGIN_FAILED");
  const auto plain = store::TokenHash::of("password-login:tainan2026");
  auto rows = t.db->with_connection(
      [](store::Connection& c) { return c.query("SELECT account_key FROM login_failures"); });
  ASSERT_EQ(rows.size(), 1u);
  const auto& stored = rows[0].blob(0);
  EXPECT_FALSE(std::equal(stored.begin(), stored.end(), plain.bytes().begin()));
  // What no account can be called is not stored at all.
  EXPECT_EQ(code_of([&] { login.login(presession(), "my password!", "x", client); }),
            "PASSWORD_LOGIN_FAILED");
  EXPECT_EQ(t.count("login_failures"), 1);
}

TEST(TaiwanMinute, IsUtcPlusEight) {
  EXPECT_EQ(taiwan_minute(std::chrono::sys_days(std::chrono::year(2026) / 12 / 4) + 20h + 5min + 59s),
            "2026-12-05 04:05");
}

}  // namespace
}  // namespace ecpa::portal
