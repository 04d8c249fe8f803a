#pragma once

// 民國紀年: calendar dates written with the Republic of China year.
//
// ROC year = Gregorian year − 1911, so 1912 is 民國元年 (year 1). There is no year 0: the year
// before 元年 is 民前1年 (1911), before that 民前2年 (1910), and so on. In numbers this library
// writes 民前N年 as roc_year() == −N, like BC years.

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "ecpa/tw/parse_result.hpp"

namespace ecpa::tw {

enum class RocDateError {
  Empty,   // nothing but whitespace
  Format,  // not one of the recognised ways of writing a date
  Range,   // written correctly, but no such date (month 13, 2月29日 in a common year, year 0, ...)
};

enum class RocFormat {
  Chinese,   // 110年12月14日, 民國元年1月1日, 民前1年12月31日
  Slash,     // 110/12/14
  Dot,       // 110.12.14
  Dash,      // 110-12-14
  Compact7,  // 1101214: year zero-padded to 3 digits, as in 0990101
};

struct RocFormatOptions {
  // Chinese form only: write 民國110年 instead of 110年. Year 1 is always 民國元年, since a bare
  // 元年 does not say which era; 民前 years never take the prefix.
  bool min_guo_prefix = false;
};

// Taiwan has used UTC+8 without daylight saving time since 1980; the portal shows Taiwan dates.
inline constexpr std::chrono::minutes kTaiwanUtcOffset = std::chrono::hours{8};

class RocDate;
using RocDateResult = ParseResult<RocDate, RocDateError>;

class RocDate {
 public:
  // ROC years are written with at most three digits, in every form: that is all Compact7 can
  // hold, and it keeps a Gregorian date such as 2021-12-14 from being read as 民國2021年.
  // The supported dates are therefore 民前999年 (913) to 民國999年 (2910).
  static constexpr int kMaxRocYear = 999;
  static constexpr int kMinRocYear = -999;
  static constexpr int kMinGregorianYear = 1912 + kMinRocYear;  // 913
  static constexpr int kMaxGregorianYear = 1911 + kMaxRocYear;  // 2910

  [[nodiscard]] static RocDateResult from_gregorian(int year, int month, int day);
  // roc_year ≥ 1 for 民國, ≤ −1 for 民前 (−1 = 民前1年 = 1911); 0 is not a year.
  [[nodiscard]] static RocDateResult from_roc(int roc_year, int month, int day);

  // Accepts every RocFormat, with an optional leading 民國 (民前 only in the Chinese form),
  // full-width digits ０–９, surrounding whitespace (ASCII or the ideographic space U+3000), and
  // month/day with or without a leading zero in the separated forms.
  [[nodiscard]] static RocDateResult parse(std::string_view text);

  // nullopt outside the supported years.
  [[nodiscard]] static std::optional<RocDate> from_sys_days(std::chrono::sys_days days);
  // The calendar date at `now` in a place utc_offset from UTC: by default the Taiwan date. The
  // caller passes the time in, so code using this stays testable with a pinned clock.
  [[nodiscard]] static RocDate today(std::chrono::system_clock::time_point now,
                                     std::chrono::minutes utc_offset = kTaiwanUtcOffset);

  [[nodiscard]] std::chrono::sys_days to_sys_days() const noexcept { return ymd_; }
  [[nodiscard]] std::chrono::year_month_day to_year_month_day() const noexcept { return ymd_; }

  [[nodiscard]] int gregorian_year() const noexcept { return static_cast<int>(ymd_.year()); }
  [[nodiscard]] int roc_year() const noexcept;
  [[nodiscard]] int month() const noexcept;
  [[nodiscard]] int day() const noexcept;

  // nullopt when the form cannot express the date: the numeric forms have no way to write 民前
  // years.
  [[nodiscard]] std::optional<std::string> format(RocFormat form, RocFormatOptions options = {}) const;
  // The Chinese form, which can express every date.
  [[nodiscard]] std::string to_chinese(RocFormatOptions options = {}) const;

  // 0 = Sunday ... 6 = Saturday.
  [[nodiscard]] int weekday() const noexcept;
  // 星期日 ... 星期六
  [[nodiscard]] std::string_view weekday_zh() const noexcept;
  // 日, 一, ... 六 (as in table headers and "(二)" after a date)
  [[nodiscard]] std::string_view weekday_zh_short() const noexcept;

  friend bool operator==(const RocDate&, const RocDate&) = default;
  friend std::strong_ordering operator<=>(const RocDate& a, const RocDate& b) noexcept {
    return a.to_sys_days() <=> b.to_sys_days();
  }

 private:
  explicit RocDate(std::chrono::year_month_day ymd) : ymd_(ymd) {}

  std::chrono::year_month_day ymd_;  // always ok() and within the supported years
};

// Stable lowercase code names ("empty", "format", "range").
[[nodiscard]] std::string_view to_string(RocDateError error) noexcept;

}  // namespace ecpa::tw
