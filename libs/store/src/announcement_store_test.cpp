#include "ecpa/store/announcement_store.hpp"

#include <gtest/gtest.h>

#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::at_seconds;
using testing::code_of;
using testing::TempDir;

class AnnouncementStoreTest : public ::testing::Test {
 protected:
  NewAnnouncement sample(std::string title, std::int64_t from, std::optional<std::int64_t> until = {}) {
    NewAnnouncement a;
    a.title = std::move(title);
    a.body = "第一行\n第二行";
    a.publish_from = at_seconds(from);
    if (until) a.publish_until = at_seconds(*until);
    a.author = "portal admin";
    return a;
  }
  std::int64_t count() {
    return db_->with_connection(
        [](Connection& c) { return c.query_one("SELECT COUNT(*) FROM announcements")->i64(0); });
  }
  TempDir dir_;
  std::unique_ptr<Database> db_ = testing::open_migrated(dir_ / "a.db");
  SqlAnnouncementStore store_{*db_};
};

TEST_F(AnnouncementStoreTest, OnlyThoseInsideTheirWindowNewestFirst) {
  store_.add(sample("old", 100), at_seconds(0));
  store_.add(sample("new", 200), at_seconds(0));
  store_.add(sample("ended", 50, 150), at_seconds(0));
  store_.add(sample("future", 1000), at_seconds(0));
  auto all_at = [&](std::int64_t t) {
    std::vector<std::string> titles;
    for (const auto& a : store_.published("public", at_seconds(t), 10)) titles.push_back(a.title);
    return titles;
  };
  EXPECT_EQ(all_at(120), (std::vector<std::string>{"old", "ended"}));
  EXPECT_EQ(all_at(300), (std::vector<std::string>{"new", "old"}));
  EXPECT_EQ(all_at(2000), (std::vector<std::string>{"future", "new", "old"}));
  EXPECT_EQ(store_.published("public", at_seconds(2000), 1, 1).front().title, "new");  // paging
  EXPECT_TRUE(store_.published("all", at_seconds(2000), 10).empty());                  // another audience
  EXPECT_EQ(store_.published("public", at_seconds(300), 10).front().body, "第一行\n第二行");
}

TEST_F(AnnouncementStoreTest, BadFieldsAreRefusedAndWriteNothing) {
  auto bad = [&](auto change) {
    NewAnnouncement a = sample("t", 10);
    change(a);
    return code_of([&] { store_.add(a, at_seconds(0)); });
  };
  EXPECT_EQ(bad([](NewAnnouncement& a) { a.title.clear(); }), "BAD_REQUEST");
  EXPECT_EQ(bad([](NewAnnouncement& a) { a.title = std::string(201, 'x'); }), "BAD_REQUEST");
  EXPECT_EQ(bad([](NewAnnouncement& a) { a.title = "a\nb"; }), "BAD_REQUEST");
  EXPECT_EQ(bad([](NewAnnouncement& a) { a.body = std::string(20001, 'x'); }), "BAD_REQUEST");
  EXPECT_EQ(bad([](NewAnnouncement& a) { a.body = "bell\x07"; }), "BAD_REQUEST");
  EXPECT_EQ(bad([](NewAnnouncement& a) { a.audience = "martians"; }), "BAD_REQUEST");
  EXPECT_EQ(bad([](NewAnnouncement& a) { a.publish_until = at_seconds(10); }), "BAD_REQUEST");
  EXPECT_EQ(bad([](NewAnnouncement& a) { a.author.clear(); }), "BAD_REQUEST");
  EXPECT_EQ(count(), 0);
}

}  // namespace
}  // namespace ecpa::store
