#include "ecpa/tw/roc_date.hpp"

#include <gtest/gtest.h>

#include <array>
#include <climits>
#include <ostream>
#include <string>

namespace ecpa::tw {

void PrintTo(const RocDate& date, std::ostream* os) {
  *os << date.gregorian_year() << '-' << date.month() << '-' << date.day();
}
void PrintTo(RocFormat form, std::ostream* os) { *os << "RocFormat " << static_cast<int>(form); }
void PrintTo(RocDateError error, std::ostream* os) { *os << to_string(error); }

namespace {

namespace chr = std::chrono;

// What the helpers below return after reporting a failure, so the test can go on.
const RocDate kPlaceholder = RocDate::from_sys_days(chr::sys_days{}).value();

RocDate gregorian(int year, int month, int day) {
  const RocDateResult date = RocDate::from_gregorian(year, month, day);
  EXPECT_TRUE(date.ok()) << year << '-' << month << '-' << day;
  return date.ok() ? date.value() : kPlaceholder;
}

// Parses text that must be valid and returns the date.
RocDate parsed(std::string_view text) {
  const RocDateResult date = RocDate::parse(text);
  EXPECT_TRUE(date.ok()) << text << ": " << (date.ok() ? "" : date.reason());
  return date.ok() ? date.value() : kPlaceholder;
}

RocDateError error_of(std::string_view text) {
  const RocDateResult date = RocDate::parse(text);
  EXPECT_FALSE(date.ok()) << text;
  return date.ok() ? RocDateError::Empty : date.error();
}

// ---- Round trips

class RoundTrip : public testing::TestWithParam<RocFormat> {};

TEST_P(RoundTrip, EveryDayFrom1912To2100) {
  const chr::sys_days first = chr::year{1912} / chr::January / 1;
  const chr::sys_days last = chr::year{2100} / chr::December / 31;
  int days = 0;
  for (chr::sys_days d = first; d <= last; d += chr::days{1}, ++days) {
    const RocDate date = RocDate::from_sys_days(d).value();
    const std::optional<std::string> text = date.format(GetParam());
    ASSERT_TRUE(text.has_value());
    const RocDateResult back = RocDate::parse(*text);
    ASSERT_TRUE(back.ok()) << *text << ": " << back.reason();
    ASSERT_EQ(back.value(), date) << *text;
  }
  EXPECT_EQ(days, 189 * 365 + 47);  // 47 leap years: 1912, 1916, ..., 2096 (2000 is, 2100 is not)
}

std::string format_name(const testing::TestParamInfo<RocFormat>& param) {
  constexpr std::array<const char*, 5> kNames = {"Chinese", "Slash", "Dot", "Dash", "Compact7"};
  return kNames[static_cast<std::size_t>(param.param)];
}

INSTANTIATE_TEST_SUITE_P(AllFormats, RoundTrip,
                         testing::Values(RocFormat::Chinese, RocFormat::Slash, RocFormat::Dot,
                                         RocFormat::Dash, RocFormat::Compact7),
                         format_name);

TEST(RocDate, ChineseWithMinGuoPrefixRoundTrips) {
  const chr::sys_days first = chr::year{1912} / chr::January / 1;
  for (chr::sys_days d = first; d < first + chr::days{800}; d += chr::days{1}) {
    const RocDate date = RocDate::from_sys_days(d).value();
    const std::string text = date.to_chinese({.min_guo_prefix = true});
    ASSERT_TRUE(text.starts_with("民國")) << text;
    ASSERT_EQ(parsed(text), date) << text;
  }
}

TEST(RocDate, BeforeTheRepublicRoundTripsInChinese) {
  const chr::sys_days first = chr::year{1890} / chr::January / 1;
  const chr::sys_days last = chr::year{1911} / chr::December / 31;
  for (chr::sys_days d = first; d <= last; d += chr::days{1}) {
    const RocDate date = RocDate::from_sys_days(d).value();
    const std::string text = date.to_chinese();
    ASSERT_TRUE(text.starts_with("民前")) << text;
    ASSERT_EQ(parsed(text), date) << text;
  }
}

// ---- Formatting

TEST(RocDate, FormatsReferenceExamples) {
  const RocDate date = gregorian(2021, 12, 14);
  EXPECT_EQ(date.roc_year(), 110);
  EXPECT_EQ(date.format(RocFormat::Chinese), "110年12月14日");
  EXPECT_EQ(date.format(RocFormat::Chinese, {.min_guo_prefix = true}), "民國110年12月14日");
  EXPECT_EQ(date.format(RocFormat::Slash), "110/12/14");
  EXPECT_EQ(date.format(RocFormat::Dot), "110.12.14");
  EXPECT_EQ(date.format(RocFormat::Dash), "110-12-14");
  EXPECT_EQ(date.format(RocFormat::Compact7), "1101214");
  EXPECT_EQ(gregorian(2010, 1, 1).format(RocFormat::Compact7), "0990101");
  EXPECT_EQ(gregorian(2025, 5, 23).format(RocFormat::Compact7), "1140523");
}

TEST(RocDate, PadsMonthAndDayInNumericFormsOnly) {
  const RocDate date = gregorian(1920, 1, 5);
  EXPECT_EQ(date.format(RocFormat::Slash), "9/01/05");
  EXPECT_EQ(date.format(RocFormat::Compact7), "0090105");
  EXPECT_EQ(date.to_chinese(), "9年1月5日");
}

TEST(RocDate, FirstYearIsYuanNian) {
  const RocDate date = gregorian(1912, 1, 1);
  EXPECT_EQ(date.roc_year(), 1);
  EXPECT_EQ(date.to_chinese(), "民國元年1月1日");
  EXPECT_EQ(date.to_chinese({.min_guo_prefix = true}), "民國元年1月1日");
  EXPECT_EQ(date.format(RocFormat::Slash), "1/01/01");
  EXPECT_EQ(date.format(RocFormat::Compact7), "0010101");
  EXPECT_EQ(gregorian(1913, 6, 1).to_chinese(), "2年6月1日");
}

TEST(RocDate, YearsBeforeTheRepublic) {
  const RocDate date = gregorian(1911, 12, 31);
  EXPECT_EQ(date.roc_year(), -1);
  EXPECT_EQ(date.to_chinese(), "民前1年12月31日");
  EXPECT_EQ(date.to_chinese({.min_guo_prefix = true}), "民前1年12月31日");
  EXPECT_EQ(gregorian(1900, 2, 28).to_chinese(), "民前12年2月28日");
  // The numeric forms cannot write them.
  for (RocFormat form : {RocFormat::Slash, RocFormat::Dot, RocFormat::Dash, RocFormat::Compact7}) {
    EXPECT_EQ(date.format(form), std::nullopt);
  }
  EXPECT_EQ(date.format(RocFormat::Chinese), "民前1年12月31日");
}

TEST(RocDate, SupportedRangeIsThreeDigitRocYears) {
  EXPECT_EQ(gregorian(2910, 12, 31).format(RocFormat::Compact7), "9991231");
  EXPECT_EQ(gregorian(913, 1, 1).to_chinese(), "民前999年1月1日");
  EXPECT_FALSE(RocDate::from_gregorian(2911, 1, 1).ok());
  EXPECT_FALSE(RocDate::from_gregorian(912, 12, 31).ok());
}

// ---- Parsing

TEST(RocDate, ParsesReferenceExamples) {
  const RocDate expected = gregorian(2021, 12, 14);
  EXPECT_EQ(parsed("110年12月14日"), expected);
  EXPECT_EQ(parsed("110/12/14"), expected);
  EXPECT_EQ(parsed("110.12.14"), expected);
  EXPECT_EQ(parsed("110-12-14"), expected);
  EXPECT_EQ(parsed("1101214"), expected);
  EXPECT_EQ(parsed("0990101"), gregorian(2010, 1, 1));
  EXPECT_EQ(parsed("1140523"), gregorian(2025, 5, 23));
}

TEST(RocDate, ParsesMinGuoPrefixInEveryForm) {
  const RocDate expected = gregorian(2021, 12, 14);
  EXPECT_EQ(parsed("民國110年12月14日"), expected);
  EXPECT_EQ(parsed("民國110/12/14"), expected);
  EXPECT_EQ(parsed("民國110.12.14"), expected);
  EXPECT_EQ(parsed("民國110-12-14"), expected);
  EXPECT_EQ(parsed("民國1101214"), expected);
}

TEST(RocDate, ParsesYuanNianAndMinQian) {
  EXPECT_EQ(parsed("民國元年1月1日"), gregorian(1912, 1, 1));
  EXPECT_EQ(parsed("元年1月1日"), gregorian(1912, 1, 1));
  EXPECT_EQ(parsed("民國1年1月1日"), gregorian(1912, 1, 1));
  EXPECT_EQ(parsed("1/1/1"), gregorian(1912, 1, 1));
  EXPECT_EQ(parsed("民前1年12月31日"), gregorian(1911, 12, 31));
  EXPECT_EQ(parsed("民前12年2月28日"), gregorian(1900, 2, 28));
  EXPECT_EQ(parsed("民前999年1月1日"), gregorian(913, 1, 1));
}

TEST(RocDate, MonthAndDayWithOrWithoutLeadingZero) {
  const RocDate expected = gregorian(2021, 1, 5);
  for (std::string_view text :
       {"110/1/5", "110/01/05", "110/1/05", "110.01.5", "110-1-5", "110年1月5日", "110年01月05日"}) {
    EXPECT_EQ(parsed(text), expected) << text;
  }
}

TEST(RocDate, FullWidthDigitsAndSurroundingSpace) {
  const RocDate expected = gregorian(2021, 12, 14);
  EXPECT_EQ(parsed("１１０年１２月１４日"), expected);
  EXPECT_EQ(parsed("民國１１０年１２月１４日"), expected);
  EXPECT_EQ(parsed("１１０/１２/１４"), expected);
  EXPECT_EQ(parsed("１１０1２１４"), expected);
  EXPECT_EQ(parsed("  110/12/14\t\n"), expected);
  EXPECT_EQ(parsed("\u3000110年12月14日\u3000 "), expected);
  // Only the digits are converted; a full-width separator is not one of the formats.
  EXPECT_EQ(error_of("110／12／14"), RocDateError::Format);
}

TEST(RocDate, LeapYears) {
  EXPECT_EQ(error_of("110年2月29日"), RocDateError::Range);  // 2021
  EXPECT_EQ(parsed("109年2月29日"), gregorian(2020, 2, 29));
  EXPECT_EQ(parsed("89/02/29"), gregorian(2000, 2, 29));        // divisible by 400
  EXPECT_EQ(error_of("189/02/29"), RocDateError::Range);        // 2100: by 100, not 400
  EXPECT_EQ(error_of("民前11年2月29日"), RocDateError::Range);  // 1900 likewise
  EXPECT_EQ(parsed("民前8年2月29日"), gregorian(1904, 2, 29));
}

TEST(RocDate, RejectsEmpty) {
  EXPECT_EQ(error_of(""), RocDateError::Empty);
  EXPECT_EQ(error_of(" \t\r\n"), RocDateError::Empty);
  EXPECT_EQ(error_of("\u3000 \u3000"), RocDateError::Empty);
}

TEST(RocDate, RejectsDatesThatDoNotExist) {
  for (std::string_view text :
       {"110/13/01", "110/00/10", "110/12/00", "110/12/32", "110/04/31", "110年13月1日", "1101300", "1101232",
        "0/1/1", "0年1月1日", "民國0年1月1日", "0000101", "000/01/01", "民前0年1月1日", "民前000年1月1日"}) {
    EXPECT_EQ(error_of(text), RocDateError::Range) << text;
  }
  EXPECT_EQ(parsed("999/12/31"), gregorian(2910, 12, 31));
  EXPECT_EQ(parsed("001/1/1"), gregorian(1912, 1, 1));
}

TEST(RocDate, RejectsWhatIsNotADate) {
  constexpr std::string_view kNotDates[] = {
      "abc", "民國", "元年", "元1月1日", "元年1月", "110", "110年", "110年12月", "110年12月14",
      "110年12月14日x", "110年 12月14日", "110年12月14號", "110/12-14", "110/12/14/", "110//12/14", "110/12/",
      "/12/14", "110/123/1", "110/1/123", "110 12 14", "110,12,14", "+110/1/1", "110/+1/1", "110121",
      "11012140", "民前1/12/31", "民前1101214", "民前", "民前年1月1日", "民前-1年1月1日", "民國民國110/1/1",
      "民國 110/1/1", "２０２１年１２月１４日x",
      // Four-digit years: almost always a Gregorian date typed into a ROC field.
      "0110/01/05", "2021-12-14", "2021/12/14", "2021年12月14日", "民國2021年12月14日", "2021-12-14T00:00",
      "1000/01/01", "民前1000年1月1日", "12345/1/1", "99999999999999/1/1", "20211214"};
  for (std::string_view text : kNotDates) {
    EXPECT_EQ(error_of(text), RocDateError::Format) << text;
  }
}

TEST(RocDate, EveryErrorHasAReason) {
  for (std::string_view text : {"", "abc", "110年2月29日", "0/1/1", "民前1/12/31"}) {
    const RocDateResult date = RocDate::parse(text);
    ASSERT_FALSE(date.ok()) << text;
    EXPECT_FALSE(date.reason().empty()) << text;
  }
  EXPECT_EQ(to_string(RocDateError::Empty), "empty");
  EXPECT_EQ(to_string(RocDateError::Format), "format");
  EXPECT_EQ(to_string(RocDateError::Range), "range");
}

// ---- Construction and conversion

TEST(RocDate, FromRocCountsWithoutYearZero) {
  EXPECT_EQ(RocDate::from_roc(110, 12, 14).value(), gregorian(2021, 12, 14));
  EXPECT_EQ(RocDate::from_roc(1, 1, 1).value(), gregorian(1912, 1, 1));
  EXPECT_EQ(RocDate::from_roc(-1, 12, 31).value(), gregorian(1911, 12, 31));
  EXPECT_EQ(RocDate::from_roc(-999, 1, 1).value(), gregorian(913, 1, 1));
  EXPECT_EQ(RocDate::from_roc(999, 12, 31).value(), gregorian(2910, 12, 31));
  for (int year : {0, -1000, 1000, 2021, INT_MAX, INT_MIN}) {
    const RocDateResult date = RocDate::from_roc(year, 1, 1);
    ASSERT_FALSE(date.ok()) << year;
    EXPECT_EQ(date.error(), RocDateError::Range) << year;
  }
}

TEST(RocDate, FromGregorianValidates) {
  struct Case {
    int year, month, day;
  };
  for (const Case& c :
       {Case{2021, 2, 29}, Case{2021, 0, 1}, Case{2021, 13, 1}, Case{2021, -1, 1}, Case{2021, 1, 0},
        Case{2021, 1, -1}, Case{2021, 1, 32}, Case{2021, 1, 257}, Case{2021, 1, INT_MAX}, Case{912, 12, 31},
        Case{2911, 1, 1}, Case{INT_MIN, 1, 1}, Case{2021, INT_MAX, 1}}) {
    const RocDateResult date = RocDate::from_gregorian(c.year, c.month, c.day);
    ASSERT_FALSE(date.ok()) << c.year << '-' << c.month << '-' << c.day;
    EXPECT_EQ(date.error(), RocDateError::Range);
  }
  const RocDate date = gregorian(2024, 2, 29);
  EXPECT_EQ(date.gregorian_year(), 2024);
  EXPECT_EQ(date.month(), 2);
  EXPECT_EQ(date.day(), 29);
}

TEST(RocDate, SysDaysRoundTripAndLimits) {
  const RocDate date = gregorian(2021, 12, 14);
  EXPECT_EQ(RocDate::from_sys_days(date.to_sys_days()), date);
  EXPECT_EQ(date.to_year_month_day(), chr::year{2021} / 12 / 14);
  EXPECT_EQ(date.to_sys_days().time_since_epoch().count(), 18975);
  EXPECT_TRUE(RocDate::from_sys_days(chr::year{913} / 1 / 1).has_value());
  EXPECT_TRUE(RocDate::from_sys_days(chr::year{2910} / 12 / 31).has_value());
  EXPECT_EQ(RocDate::from_sys_days(chr::sys_days{chr::year{912} / 12 / 31}), std::nullopt);
  EXPECT_EQ(RocDate::from_sys_days(chr::sys_days{chr::year{2911} / 1 / 1}), std::nullopt);
  EXPECT_EQ(RocDate::from_sys_days(chr::sys_days{chr::days::max()}), std::nullopt);
  EXPECT_EQ(RocDate::from_sys_days(chr::sys_days{chr::days::min()}), std::nullopt);
}

TEST(RocDate, Ordering) {
  EXPECT_LT(gregorian(1911, 12, 31), gregorian(1912, 1, 1));
  EXPECT_LT(gregorian(2021, 12, 14), gregorian(2021, 12, 15));
  EXPECT_GT(gregorian(2022, 1, 1), gregorian(2021, 12, 31));
  EXPECT_EQ(gregorian(2021, 12, 14), parsed("110/12/14"));
}

TEST(RocDate, TodayIsTheTaiwanDate) {
  // 2021-12-13 16:00:00 UTC is 2021-12-14 00:00 in Taiwan.
  const chr::sys_seconds midnight_taipei = chr::sys_days{chr::year{2021} / 12 / 13} + chr::hours{16};
  EXPECT_EQ(RocDate::today(midnight_taipei), gregorian(2021, 12, 14));
  EXPECT_EQ(RocDate::today(midnight_taipei - chr::seconds{1}), gregorian(2021, 12, 13));
  EXPECT_EQ(RocDate::today(midnight_taipei - chr::nanoseconds{1}), gregorian(2021, 12, 13));
  EXPECT_EQ(RocDate::today(midnight_taipei, chr::minutes{0}), gregorian(2021, 12, 13));
  // Before 1970 the time point is negative; flooring must still pick the right day.
  const chr::sys_seconds evening_1969 = chr::sys_days{chr::year{1969} / 12 / 31} + chr::hours{20};
  EXPECT_EQ(RocDate::today(evening_1969), gregorian(1970, 1, 1));
  EXPECT_EQ(RocDate::today(evening_1969, chr::hours{-5}), gregorian(1969, 12, 31));
  // The extremes of the clock stay defined.
  EXPECT_EQ(RocDate::today(chr::system_clock::time_point::max()).gregorian_year(), 2262);
  EXPECT_EQ(RocDate::today(chr::system_clock::time_point::min()).gregorian_year(), 1677);
}

// ---- Weekdays

TEST(RocDate, Weekday) {
  const RocDate date = parsed("110年12月14日");
  EXPECT_EQ(date.weekday(), 2);
  EXPECT_EQ(date.weekday_zh(), "星期二");
  EXPECT_EQ(date.weekday_zh_short(), "二");
  EXPECT_EQ(gregorian(1912, 1, 1).weekday_zh(), "星期一");  // 民國元年元旦 was a Monday
}

TEST(RocDate, WeekdayNamesInOrder) {
  constexpr std::array<std::string_view, 7> kLong = {"星期日", "星期一", "星期二", "星期三",
                                                     "星期四", "星期五", "星期六"};
  constexpr std::array<std::string_view, 7> kShort = {"日", "一", "二", "三", "四", "五", "六"};
  const chr::sys_days sunday = chr::year{2021} / 12 / 12;
  for (int i = 0; i < 7; ++i) {
    const RocDate date = RocDate::from_sys_days(sunday + chr::days{i}).value();
    EXPECT_EQ(date.weekday(), i);
    EXPECT_EQ(date.weekday_zh(), kLong[static_cast<std::size_t>(i)]);
    EXPECT_EQ(date.weekday_zh_short(), kShort[static_cast<std::size_t>(i)]);
  }
}

}  // namespace
}  // namespace ecpa::tw
