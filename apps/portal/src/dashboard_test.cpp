#include "dashboard.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.hpp"

namespace ecpa::portal {
namespace {

using namespace std::chrono;

TEST(Dashboard, ThreeTaiwanDaysWithRocDatesAndTodos) {
  testing::TestDb t;
  const auto person_id = t.add_person("A123456789");
  // 2026-11-28T17:30Z is already Sunday 29 November in Taiwan.
  const auto now = sys_days(year(2026) / 11 / 28) + 17h + 30min;
  const auto today = sys_days(year(2026) / 11 / 29);
  t.todos.add(person_id, today, "填寫問卷");
  t.todos.add(person_id, today + days(2), "送出差勤");
  t.todos.add(person_id, today + days(3), "not shown");
  t.todos.add(person_id, today - days(1), "not shown either");
  auto person = t.people.get(person_id).value();

  auto j = dashboard_json(t.people, t.todos, person, "citizen", now, Lang::ZhTW);
  EXPECT_EQ(j["today"], "2026-11-29");
  ASSERT_EQ(j["days"].size(), 3u);
  EXPECT_EQ(j["days"][0]["label"], "今天");
  EXPECT_EQ(j["days"][0]["rocDate"], "115年11月29日");
  EXPECT_EQ(j["days"][0]["weekday"], "星期日");
  ASSERT_EQ(j["days"][0]["todos"].size(), 1u);
  EXPECT_EQ(j["days"][0]["todos"][0]["title"], "填寫問卷");
  EXPECT_EQ(j["days"][1]["label"], "明天");
  EXPECT_TRUE(j["days"][1]["todos"].empty());
  EXPECT_EQ(j["days"][2]["label"], "後天");
  EXPECT_EQ(j["days"][2]["date"], "2026-12-01");
  EXPECT_EQ(j["days"][2]["todos"][0]["title"], "送出差勤");
  EXPECT_EQ(j["person"]["name"], "王小明");
  EXPECT_EQ(j["person"]["agency"], "行政院人事行政總處");
  EXPECT_EQ(j["person"]["maskedId"], "A12****789");
  EXPECT_EQ(j["person"]["method"], "citizen");
  ASSERT_EQ(j["menu"].size(), 7u);
  EXPECT_EQ(j["menu"][0]["label"], "最新公告");
  EXPECT_EQ(j["menu"][6]["label"], "使用手冊");
  // 最新公告 and the help pages exist; the other services are marked, so that choosing them says so.
  for (int i = 0; i < 7; ++i) EXPECT_EQ(j["menu"][i]["available"], i == 0 || i >= 5) << i;
  // 新手上路 and 使用手冊 are help pages that the front end builds from web/help/content.
  for (int i : {5, 6}) {
    std::string href = j["menu"][i]["href"];
    ASSERT_TRUE(href.starts_with("/help/") && href.ends_with(".html")) << href;
    std::string slug = href.substr(6, href.size() - 6 - 5);
    EXPECT_TRUE(
        std::filesystem::exists(std::string(ECPA_SOURCE_DIR) + "/web/help/content/" + slug + ".zh-TW.md"))
        << slug;
  }
  EXPECT_EQ(j.dump().find("A123456789"), std::string::npos);
}

TEST(Dashboard, EnglishLabels) {
  testing::TestDb t;
  auto person = t.people.get(t.add_person("A123456789")).value();
  auto j =
      dashboard_json(t.people, t.todos, person, "citizen", sys_days(year(2026) / 11 / 29) + 1h, Lang::En);
  EXPECT_EQ(j["days"][0]["label"], "Today");
  EXPECT_EQ(j["days"][0]["weekday"], "Sunday");
  EXPECT_EQ(j["days"][0]["rocDate"], "115年11月29日");
  EXPECT_EQ(j["menu"][0]["label"], "Announcements");
}

TEST(Dashboard, IsoDate) { EXPECT_EQ(iso_date(sys_days(year(2021) / 12 / 14)), "2021-12-14"); }

}  // namespace
}  // namespace ecpa::portal
