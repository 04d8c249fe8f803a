#include "ecpa/store/session_store.hpp"

#include <gtest/gtest.h>

#include "ecpa/store/people_store.hpp"
#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using namespace std::chrono_literals;
using testing::at_seconds;
using testing::code_of;
using testing::TempDir;

class SessionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqlPeopleStore people(*db_, ids_);
    people.put_agency({"A01", "人事總處"});
    const PersonImportRow rows[] = {{"A123456789", "王小明", "A01", "", ""}};
    person_ = *people.import_people(rows, ImportMode::AllOrNothing).rows[0].person_id;
  }
  NewSession login_session(std::string_view token) const {
    return NewSession{TokenHash::of(token),  person_, "citizen", "sc", "urn:ecpa:loa:3",
                      TokenHash::of("csrf"), 30min,   8h};
  }
  TempDir dir_;
  IdProtector ids_{testing::test_key()};
  std::unique_ptr<Database> db_ = testing::open_migrated(dir_ / "sessions.db");
  SqlSessionStore store_{*db_};
  std::int64_t person_ = 0;
};

TEST_F(SessionStoreTest, CreateAndGet) {
  const auto t0 = at_seconds(1'000'000);
  auto s = store_.create(login_session("tok-1"), t0);
  EXPECT_EQ(s.idle_expires_at, t0 + 30min);
  EXPECT_EQ(s.absolute_expires_at, t0 + 8h);
  auto got = store_.get_valid(TokenHash::of("tok-1"), t0 + 1s);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->person_id, person_);
  EXPECT_EQ(got->method, "citizen");
  EXPECT_EQ(got->amr, "sc");
  EXPECT_EQ(got->acr, "urn:ecpa:loa:3");
  EXPECT_EQ(got->csrf, TokenHash::of("csrf"));
  EXPECT_EQ(got->created_at, t0);
  EXPECT_FALSE(store_.get_valid(TokenHash::of("tok-2"), t0));
  EXPECT_EQ(code_of([&] { store_.create(login_session("tok-1"), t0); }), "STORE_CONFLICT");
}

TEST_F(SessionStoreTest, IdleWindowMovesWithTouchButNeverPastAbsolute) {
  const auto t0 = at_seconds(1'000'000);
  const auto id = TokenHash::of("tok-1");
  store_.create(login_session("tok-1"), t0);
  EXPECT_FALSE(store_.get_valid(id, t0 + 30min));  // idle expiry reached
  EXPECT_FALSE(store_.touch(id, t0 + 31min));      // and touching does not revive it

  store_.create(login_session("tok-2"), t0);
  const auto id2 = TokenHash::of("tok-2");
  auto t = t0;
  for (int i = 0; i < 20; ++i) {  // active every 25 minutes: stays alive until the absolute limit
    t += 25min;
    if (t >= t0 + 8h) break;
    ASSERT_TRUE(store_.touch(id2, t)) << i;
  }
  // Last touch at 7h55: the idle window would end at 8h25 but is capped at the absolute 8h.
  auto s = store_.get_valid(id2, t0 + 7h + 58min);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->last_seen_at, t0 + 7h + 55min);
  EXPECT_EQ(s->idle_expires_at, s->absolute_expires_at);
  EXPECT_FALSE(store_.get_valid(id2, t0 + 8h));
  EXPECT_FALSE(store_.touch(id2, t0 + 8h));
}

TEST_F(SessionStoreTest, PreLoginSessionAndRotationAtLogin) {
  const auto t0 = at_seconds(1'000'000);
  NewSession pre{TokenHash::of("pre"), std::nullopt, "", "", "", TokenHash::of("csrf-pre"), 10min, 1h};
  auto s = store_.create(pre, t0);
  EXPECT_FALSE(s.person_id);
  auto logged_in = store_.rotate(TokenHash::of("pre"), login_session("post"), t0 + 1min);
  EXPECT_EQ(logged_in.person_id, person_);
  EXPECT_FALSE(store_.get_valid(TokenHash::of("pre"), t0 + 1min));
  EXPECT_TRUE(store_.get_valid(TokenHash::of("post"), t0 + 1min));
  // A failed rotation (the new id exists) leaves the old session in place.
  store_.create(pre, t0);
  EXPECT_EQ(code_of([&] { store_.rotate(TokenHash::of("pre"), login_session("post"), t0); }),
            "STORE_CONFLICT");
  EXPECT_TRUE(store_.get_valid(TokenHash::of("pre"), t0 + 1min));
}

TEST_F(SessionStoreTest, RemoveOneOrAllOfAPersonAndSweep) {
  const auto t0 = at_seconds(1'000'000);
  store_.create(login_session("a"), t0);
  store_.create(login_session("b"), t0);
  store_.create(NewSession{TokenHash::of("pre"), std::nullopt, "", "", "", TokenHash::of("c"), 1min, 1h}, t0);
  EXPECT_TRUE(store_.remove(TokenHash::of("a")));
  EXPECT_FALSE(store_.remove(TokenHash::of("a")));
  EXPECT_EQ(store_.remove_for_person(person_), 1);
  EXPECT_TRUE(store_.get_valid(TokenHash::of("pre"), t0));
  EXPECT_EQ(store_.sweep(t0 + 2min), 1);
  EXPECT_FALSE(store_.get_valid(TokenHash::of("pre"), t0));
}

TEST_F(SessionStoreTest, BadInputIsRefused) {
  auto s = login_session("x");
  s.idle_timeout = 0s;
  EXPECT_EQ(code_of([&] { store_.create(s, at_seconds(1)); }), "BAD_REQUEST");
  s = login_session("x");
  s.method = "bad\nmethod";
  EXPECT_EQ(code_of([&] { store_.create(s, at_seconds(1)); }), "BAD_REQUEST");
  s = login_session("x");
  s.person_id = 999;  // no such person
  EXPECT_EQ(code_of([&] { store_.create(s, at_seconds(1)); }), "STORE_ERROR");
}

TEST_F(SessionStoreTest, TokensAreNotInTheFile) {
  const std::string token = "session-token-0123456789abcdef";
  store_.create(login_session(token), at_seconds(1));
  std::string all;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path())) all += testing::read_all(e.path());
  EXPECT_NE(all.find("urn:ecpa:loa:3"), std::string::npos);
  EXPECT_EQ(all.find(token), std::string::npos);
}

}  // namespace
}  // namespace ecpa::store
