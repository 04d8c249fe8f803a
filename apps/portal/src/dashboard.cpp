#include "dashboard.hpp"

#include <array>
#include <cstdio>

#include "ecpa/tw/roc_date.hpp"

namespace ecpa::portal {

std::string iso_date(std::chrono::sys_days day) {
  std::chrono::year_month_day ymd(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

nlohmann::json person_json(store::PeopleStore& people, const store::Person& person, std::string_view method) {
  auto agency = people.agency(person.agency_code);
  // agencyEn: the name HR gives in English (empty if none), for English pages.
  return {{"name", person.name},
          {"agency", agency ? agency->name : person.agency_code},
          {"agencyEn", agency ? agency->name_en : std::string()},
          {"title", person.title},
          {"maskedId", person.masked_national_id},
          {"method", method}};
}

nlohmann::json dashboard_json(store::PeopleStore& people, store::TodoStore& todos,
                              const store::Person& person, std::string_view method, Clock::time_point now,
                              Lang lang) {
  const bool en = lang == Lang::En;
  const tw::RocDate today = tw::RocDate::today(now);
  const std::chrono::sys_days first = today.to_sys_days();
  const auto items = todos.for_person_between(person.id, first, first + std::chrono::days(2));

  static constexpr std::array<std::string_view, 3> kZhLabels{"今天", "明天", "後天"};
  static constexpr std::array<std::string_view, 3> kEnLabels{"Today", "Tomorrow", "Day after tomorrow"};
  static constexpr std::array<std::string_view, 7> kEnWeekdays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                               "Thursday", "Friday", "Saturday"};
  nlohmann::json days = nlohmann::json::array();
  for (int i = 0; i < 3; ++i) {
    const auto day = first + std::chrono::days(i);
    auto roc = tw::RocDate::from_sys_days(day);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& t : items)
      if (t.due == day)
        list.push_back({{"id", t.id}, {"title", t.title}, {"due", iso_date(t.due)}, {"done", t.done}});
    days.push_back(
        {{"date", iso_date(day)},
         {"rocDate", roc ? roc->to_chinese() : iso_date(day)},
         {"weekday",
          roc ? std::string(en ? kEnWeekdays[static_cast<std::size_t>(roc->weekday())] : roc->weekday_zh())
              : std::string()},
         {"label", en ? kEnLabels[static_cast<std::size_t>(i)] : kZhLabels[static_cast<std::size_t>(i)]},
         {"todos", std::move(list)}});
  }

  struct MenuEntry {
    std::string_view key, zh, en, href;  // href empty: a dashboard section (filled in by later features)
  };
  static constexpr std::array<MenuEntry, 7> kMenu{
      {{"announcements", "最新公告", "Announcements", "/announcements.html"},
       {"applications", "應用系統", "Applications", ""},
       {"roles", "權限與兼辦管理", "Roles and delegations", ""},
       {"questionnaires", "問卷管理", "Questionnaires", ""},
       {"my", "我的專區", "My area", ""},
       {"getting-started", "新手上路", "Getting started", "/help/getting-started.html"},
       {"manual", "使用手冊", "User manual", "/help/manual.html"}}};
  nlohmann::json menu = nlohmann::json::array();
  for (const auto& m : kMenu) {
    std::string href = m.href.empty() ? "/dashboard.html#" + std::string(m.key) : std::string(m.href);
    // available false: the service is not built yet; the page says so when it is chosen.
    menu.push_back({{"key", m.key},
                    {"label", en ? m.en : m.zh},
                    {"href", std::move(href)},
                    {"available", !m.href.empty()}});
  }

  return {{"person", person_json(people, person, method)},
          {"today", iso_date(first)},
          {"days", std::move(days)},
          {"menu", std::move(menu)}};
}

}  // namespace ecpa::portal
