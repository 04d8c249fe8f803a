#include "ecpa/store/account_store.hpp"

#include <gtest/gtest.h>

#include "ecpa/store/people_store.hpp"
#include "ecpa/store/session_store.hpp"
#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::at_seconds;
using testing::code_of;
using testing::TempDir;

TEST(AccountNameTest, FoldsAndRefuses) {
  EXPECT_EQ(fold_account_name("  Wang.Ming "), "wang.ming");
  EXPECT_EQ(fold_account_name("abc"), "abc");
  EXPECT_EQ(fold_account_name("a_b-c.9"), "a_b-c.9");
  EXPECT_FALSE(fold_account_name("ab"));                   // too short
  EXPECT_FALSE(fold_account_name(std::string(33, 'a')));   // too long
  EXPECT_FALSE(fold_account_name("9abc"));                 // must start with a letter
  EXPECT_FALSE(fold_account_name("wang ming"));            // inner space
  EXPECT_FALSE(fold_account_name("王小明"));               // not ASCII
  EXPECT_FALSE(fold_account_name("wang'; DROP TABLE x"));  // anything else
}

class AccountStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    people_.put_agency({"A01", "行政院人事行政總處"});
    const PersonImportRow rows[] = {
        {"A123456789", "王小明", "A01", "科員", "ming@example.gov.tw", "Wang.Ming"},
        {"A800000014", "李小華", "A01", "科長", "", ""}};
    auto report = people_.import_people(rows, ImportMode::AllOrNothing);
    ASSERT_TRUE(report.written);
    wang_ = *report.rows[0].person_id;
    lee_ = *report.rows[1].person_id;
  }
  std::int64_t count(std::string_view table) {
    return db_->with_connection(
        [&](Connection& c) { return c.query_one("SELECT COUNT(*) FROM " + std::string(table))->i64(0); });
  }
  TempDir dir_;
  IdProtector ids_{testing::test_key()};
  std::unique_ptr<Database> db_ = testing::open_migrated(dir_ / "accounts.db");
  SqlPeopleStore people_{*db_, ids_};
  SqlAccountStore accounts_{*db_};
  std::int64_t wang_ = 0, lee_ = 0;
  TokenHash key_ = TokenHash::of("wang.ming");
};

TEST_F(AccountStoreTest, ImportMakesAnAccountWithoutAPasswordThatMustBeChanged) {
  auto a = accounts_.find("wang.ming");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->person_id, wang_);
  EXPECT_FALSE(a->password_hash);
  EXPECT_TRUE(a->must_change);
  EXPECT_FALSE(accounts_.find("Wang.Ming"));  // callers fold first
  EXPECT_FALSE(accounts_.for_person(lee_));   // no account column: no account
  EXPECT_EQ(accounts_.for_person(wang_)->name, "wang.ming");
}

TEST_F(AccountStoreTest, ImportRefusesBadAndTakenAccountNamesAndWritesNothing) {
  const PersonImportRow rows[] = {{"B223456782", "陳美玲", "A01", "", "", "9bad"},
                                  {"F135792464", "林志豪", "A01", "", "", "wang.ming"},
                                  {"E202468132", "張雅婷", "A01", "", "", "same.name"},
                                  {std::string("H12345678") + *tw::compute_check_digit("H12345678"), "黃大同",
                                   "A01", "", "", "SAME.name"}};
  auto report = people_.import_people(rows, ImportMode::AllOrNothing);
  EXPECT_FALSE(report.written);
  EXPECT_EQ(report.rows[0].rejection, ImportRejection::AccountInvalid);
  EXPECT_EQ(report.rows[1].rejection, ImportRejection::AccountTaken);
  EXPECT_EQ(report.rows[2].rejection, ImportRejection::AccountTaken);
  EXPECT_EQ(report.rows[3].rejection, ImportRejection::AccountTaken);
  EXPECT_EQ(count("people"), 2);
  EXPECT_EQ(count("accounts"), 1);
}

TEST_F(AccountStoreTest, SettingAPasswordKeepsTheNewestHistory) {
  for (int i = 1; i <= 5; ++i)
    accounts_.set_password(wang_, "$argon2id$h" + std::to_string(i), false, at_seconds(std::int64_t{100} * i),
                           3);
  auto a = accounts_.find("wang.ming");
  EXPECT_EQ(a->password_hash, "$argon2id$h5");
  EXPECT_FALSE(a->must_change);
  EXPECT_EQ(a->changed_at, at_seconds(500));
  EXPECT_EQ(accounts_.recent_hashes(wang_, 10),
            (std::vector<std::string>{"$argon2id$h5", "$argon2id$h4", "$argon2id$h3"}));
  accounts_.replace_hash(wang_, "$argon2id$h5-rehashed");
  EXPECT_EQ(accounts_.find("wang.ming")->password_hash, "$argon2id$h5-rehashed");
  EXPECT_EQ(accounts_.find("wang.ming")->changed_at, at_seconds(500));
  EXPECT_EQ(count("password_history"), 3);
  EXPECT_EQ(code_of([&] { accounts_.set_password(lee_, "$argon2id$x", true, at_seconds(1), 3); }),
            "ACCOUNT_NOT_FOUND");
  EXPECT_EQ(count("password_history"), 3);
}

TEST_F(AccountStoreTest, FiveFailuresLockForTheWindowAndThenTheCountStartsAgain) {
  const LockoutRule rule;  // 5 → 15 minutes
  for (int i = 1; i <= 4; ++i) {
    auto c = accounts_.add_failure(key_, at_seconds(1000 + i), rule);
    EXPECT_EQ(c.failures, i);
    EXPECT_FALSE(c.locked_until);
  }
  EXPECT_FALSE(accounts_.locked_until(key_, at_seconds(1004)));
  auto fifth = accounts_.add_failure(key_, at_seconds(1005), rule);
  ASSERT_TRUE(fifth.locked_until);
  EXPECT_EQ(*fifth.locked_until, at_seconds(1005 + 900));
  EXPECT_EQ(accounts_.locked_until(key_, at_seconds(1500)), at_seconds(1905));
  EXPECT_FALSE(accounts_.locked_until(key_, at_seconds(1905)));
  // After the lock, one more failure is the first of a new count.
  EXPECT_EQ(accounts_.add_failure(key_, at_seconds(2000), rule).failures, 1);
  // Failures further apart than the window do not add up.
  EXPECT_EQ(accounts_.add_failure(key_, at_seconds(2000 + 901), rule).failures, 1);
  accounts_.clear_failures(key_);
  EXPECT_EQ(accounts_.add_failure(key_, at_seconds(3000), rule).failures, 1);
  // Another name is counted apart.
  EXPECT_EQ(accounts_.add_failure(TokenHash::of("nobody"), at_seconds(3000), rule).failures, 1);
}

TEST_F(AccountStoreTest, AResetLinkWorksOnceWithinItsTimeAndEndsEverySession) {
  SqlSessionStore sessions(*db_);
  NewSession s;
  s.id = TokenHash::of("session-token");
  s.person_id = wang_;
  s.method = "password";
  s.csrf = TokenHash::of("csrf");
  s.idle_timeout = std::chrono::hours(1);
  s.absolute_timeout = std::chrono::hours(8);
  sessions.create(s, at_seconds(1000));
  accounts_.add_failure(key_, at_seconds(1000), LockoutRule{});

  const auto token = TokenHash::of("reset-token");
  const auto other = TokenHash::of("older-reset-token");
  accounts_.put_reset(other, wang_, at_seconds(900), at_seconds(900 + 1800));
  accounts_.put_reset(token, wang_, at_seconds(1000), at_seconds(1000 + 1800));
  EXPECT_EQ(accounts_.find_reset(token, at_seconds(1100)).state, ResetState::Valid);
  EXPECT_EQ(accounts_.find_reset(token, at_seconds(2800)).state, ResetState::Expired);
  EXPECT_EQ(accounts_.find_reset(TokenHash::of("unknown"), at_seconds(1100)).state, ResetState::Invalid);

  // Expired: nothing written.
  EXPECT_EQ(accounts_.complete_reset(token, at_seconds(2800), "$argon2id$new", 3, key_).state,
            ResetState::Expired);
  EXPECT_FALSE(accounts_.find("wang.ming")->password_hash);

  auto done = accounts_.complete_reset(token, at_seconds(1100), "$argon2id$new", 3, key_);
  EXPECT_EQ(done.state, ResetState::Valid);
  EXPECT_EQ(done.person_id, wang_);
  auto a = accounts_.find("wang.ming");
  EXPECT_EQ(a->password_hash, "$argon2id$new");
  EXPECT_FALSE(a->must_change);
  EXPECT_FALSE(sessions.get_valid(s.id, at_seconds(1100)));
  EXPECT_EQ(count("login_failures"), 0);
  // Used: refused, and the older open link of the same person was spent with it.
  EXPECT_EQ(accounts_.complete_reset(token, at_seconds(1200), "$argon2id$again", 3, key_).state,
            ResetState::Invalid);
  EXPECT_EQ(accounts_.find_reset(other, at_seconds(1200)).state, ResetState::Invalid);
  EXPECT_EQ(accounts_.find_reset(token, at_seconds(1200)).person_id, wang_);  // spent, but whose is known
  EXPECT_EQ(accounts_.find_reset(TokenHash::of("unknown"), at_seconds(1200)).person_id, 0);
  EXPECT_EQ(accounts_.find("wang.ming")->password_hash, "$argon2id$new");
}

TEST_F(AccountStoreTest, ANewPasswordEndsSessionsAndLinksAndNeverUndoesAReset) {
  SqlSessionStore sessions(*db_);
  NewSession s;
  s.id = TokenHash::of("session-token");
  s.person_id = wang_;
  s.method = "password";
  s.csrf = TokenHash::of("csrf");
  s.idle_timeout = std::chrono::hours(1);
  s.absolute_timeout = std::chrono::hours(8);
  sessions.create(s, at_seconds(1000));
  accounts_.set_password(wang_, "$argon2id$a", false, at_seconds(1000), 3);
  EXPECT_FALSE(sessions.get_valid(s.id, at_seconds(1001)));
  const auto link = TokenHash::of("open-link");
  accounts_.put_reset(link, wang_, at_seconds(1000), at_seconds(2800));
  // Decided on a hash that is no longer current: refused, nothing written, the link still open.
  EXPECT_FALSE(
      accounts_.set_password(wang_, "$argon2id$b", false, at_seconds(1100), 3, std::string("$argon2id$old")));
  EXPECT_EQ(accounts_.find("wang.ming")->password_hash, "$argon2id$a");
  EXPECT_EQ(accounts_.find_reset(link, at_seconds(1100)).state, ResetState::Valid);
  EXPECT_TRUE(
      accounts_.set_password(wang_, "$argon2id$b", false, at_seconds(1100), 3, std::string("$argon2id$a")));
  EXPECT_EQ(accounts_.find_reset(link, at_seconds(1100)).state, ResetState::Invalid);
}

TEST_F(AccountStoreTest, ALockedNameCountsNothingMoreAndOldCountsAreSwept) {
  const LockoutRule rule;
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(accounts_.add_failure(key_, at_seconds(1000), rule).was_locked);
  auto during = accounts_.add_failure(key_, at_seconds(1001), rule);
  EXPECT_TRUE(during.was_locked);
  EXPECT_EQ(during.failures, 5);
  accounts_.add_failure(TokenHash::of("other"), at_seconds(1000), rule);
  EXPECT_EQ(accounts_.sweep_failures(at_seconds(1000 + 899), rule), 0);
  EXPECT_EQ(accounts_.sweep_failures(at_seconds(1000 + 900), rule), 2);
  EXPECT_EQ(count("login_failures"), 0);
}

}  // namespace
}  // namespace ecpa::store
