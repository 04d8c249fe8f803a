#include "ecpa/icsc/time.hpp"

#include <algorithm>
#include <cstdio>

#include "ecpa/tw/roc_date.hpp"

namespace ecpa::icsc {

std::string format_req_time(TimePoint t) {
  const auto local = std::chrono::floor<std::chrono::seconds>(t + tw::kTaiwanUtcOffset);
  const auto days = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd(days);
  const std::chrono::hh_mm_ss hms(local - days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u%02d%02d%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::optional<TimePoint> parse_req_time(std::string_view text) {
  if (text.size() != 14 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  auto number = [&](std::size_t at, std::size_t len) {
    int n = 0;
    for (std::size_t i = at; i < at + len; ++i) n = n * 10 + (text[i] - '0');
    return n;
  };
  const std::chrono::year_month_day ymd{std::chrono::year(number(0, 4)),
                                        std::chrono::month(static_cast<unsigned>(number(4, 2))),
                                        std::chrono::day(static_cast<unsigned>(number(6, 2)))};
  const int hours = number(8, 2);
  const int minutes = number(10, 2);
  const int seconds = number(12, 2);
  // A 31 February or a 24:00 is a malformed ReqTime, not a day or an hour later.
  if (!ymd.ok() || hours > 23 || minutes > 59 || seconds > 59) return std::nullopt;
  const auto local = std::chrono::sys_days(ymd) + std::chrono::hours(hours) + std::chrono::minutes(minutes) +
                     std::chrono::seconds(seconds);
  return TimePoint(local - tw::kTaiwanUtcOffset);
}

}  // namespace ecpa::icsc
