#include "ecpa/tw/roc_date.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <cstddef>

#include "ascii.hpp"

namespace ecpa::tw {
namespace {

namespace chr = std::chrono;

// ROC year 1 is Gregorian 1912; 民前1年 is 1911.
constexpr int kRocOffset = 1911;
constexpr std::size_t kMaxYearDigits = 3;
static_assert(RocDate::kMaxRocYear == 999 && RocDate::kMinRocYear == -999,
              "parse() and Compact7 assume three-digit ROC years");

// The library works on UTF-8 text and writes its Chinese words as plain literals, which GCC and
// Clang encode as UTF-8 by default; this stops a build with another execution character set.
static_assert(std::string_view{"年"} == "\xE5\xB9\xB4", "compile with a UTF-8 execution charset");

constexpr std::string_view kMinGuo = "民國";
constexpr std::string_view kMinQian = "民前";
constexpr std::string_view kYuan = "元";
constexpr std::string_view kNian = "年";
constexpr std::string_view kYue = "月";
constexpr std::string_view kRi = "日";
constexpr std::string_view kIdeographicSpace = "\u3000";  // what a CJK input method types as space

constexpr std::array<std::string_view, 7> kWeekdayZh = {
    "星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六",
};
constexpr std::size_t kWeekPrefixLength = std::string_view{"星期"}.size();

constexpr ParseError<RocDateError> fail(RocDateError code, std::string_view reason) { return {code, reason}; }

// Full-width digits ０–９ (U+FF10–U+FF19, UTF-8 EF BC 90–99) are what a CJK input method types
// in full-width mode; they become ASCII digits. Every other byte is kept as it is.
std::string ascii_digits(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text.substr(i, 2) == "\xEF\xBC" && i + 2 < text.size()) {
      const auto third = static_cast<unsigned char>(text[i + 2]);
      if (third >= 0x90 && third <= 0x99) {
        out += static_cast<char>('0' + (third - 0x90));
        i += 3;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

// Whitespace may be ASCII or ideographic, mixed, at either end.
std::string_view trim_space(std::string_view text) {
  std::size_t before = 0;
  do {
    before = text.size();
    text = detail::trim_ascii_space(text);
    if (text.starts_with(kIdeographicSpace)) text.remove_prefix(kIdeographicSpace.size());
    if (text.ends_with(kIdeographicSpace)) text.remove_suffix(kIdeographicSpace.size());
  } while (text.size() != before);
  return text;
}

// Reads a date left to right without ever looking past the end of the text.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : rest_(text) {}

  [[nodiscard]] bool at_end() const noexcept { return rest_.empty(); }

  bool consume(std::string_view token) noexcept {
    if (!rest_.starts_with(token)) return false;
    rest_.remove_prefix(token.size());
    return true;
  }

  // The run of ASCII digits at the cursor, possibly empty.
  std::string_view digits() noexcept {
    std::size_t n = 0;
    while (n < rest_.size() && detail::is_ascii_digit(rest_[n])) ++n;
    const std::string_view run = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return run;
  }

  // A number of 1..max_digits digits (leading zeros allowed), or nullopt.
  std::optional<int> number(std::size_t max_digits) noexcept {
    const std::string_view run = digits();
    if (run.empty() || run.size() > max_digits) return std::nullopt;
    return to_int(run);
  }

  // Callers keep runs to at most 7 digits, so the value always fits.
  static int to_int(std::string_view run) noexcept {
    int value = 0;
    for (char c : run) value = value * 10 + detail::digit_value(c);
    return value;
  }

 private:
  std::string_view rest_;
};

// After the year and 年: M月D日 and nothing more.
RocDateResult parse_chinese_month_day(Cursor& in, int roc_year) {
  const std::optional<int> month = in.number(2);
  if (!month || !in.consume(kYue)) {
    return fail(RocDateError::Format, "expected the month as 1-2 digits followed by 月");
  }
  const std::optional<int> day = in.number(2);
  if (!day || !in.consume(kRi)) {
    return fail(RocDateError::Format, "expected the day as 1-2 digits followed by 日");
  }
  if (!in.at_end()) return fail(RocDateError::Format, "unexpected text after the date");
  return RocDate::from_roc(roc_year, *month, *day);
}

// After the year: <sep>M<sep>D with the same separator twice.
RocDateResult parse_separated_month_day(Cursor& in, int roc_year) {
  std::string_view separator;
  for (std::string_view candidate : {"/", ".", "-"}) {
    if (in.consume(candidate)) {
      separator = candidate;
      break;
    }
  }
  if (separator.empty()) {
    return fail(RocDateError::Format, "expected 年, /, . or - after the year");
  }
  const std::optional<int> month = in.number(2);
  if (!month || !in.consume(separator)) {
    return fail(RocDateError::Format, "expected the month as 1-2 digits and the same separator");
  }
  const std::optional<int> day = in.number(2);
  if (!day) return fail(RocDateError::Format, "expected the day as 1-2 digits");
  if (!in.at_end()) return fail(RocDateError::Format, "unexpected text after the date");
  return RocDate::from_roc(roc_year, *month, *day);
}

void append_number(std::string& out, int value, std::size_t min_width) {
  std::array<char, 16> buffer{};
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  assert(error == std::errc{});  // 16 chars hold any int
  const auto length = static_cast<std::size_t>(end - buffer.data());
  if (length < min_width) out.append(min_width - length, '0');
  out.append(buffer.data(), length);
}

}  // namespace

RocDateResult RocDate::from_gregorian(int year, int month, int day) {
  if (year < kMinGregorianYear || year > kMaxGregorianYear) {
    return fail(RocDateError::Range, "the year is outside the supported range");
  }
  if (month < 1 || month > 12) return fail(RocDateError::Range, "the month must be 1-12");
  const chr::year y{year};
  const chr::month m{static_cast<unsigned>(month)};
  const chr::day last = chr::year_month_day_last{y, chr::month_day_last{m}}.day();
  // Compare as int before building a chrono::day: it only holds values up to 255.
  if (day < 1 || day > static_cast<int>(static_cast<unsigned>(last))) {
    return fail(RocDateError::Range, "that month has no such day");
  }
  return RocDate{chr::year_month_day{y, m, chr::day{static_cast<unsigned>(day)}}};
}

RocDateResult RocDate::from_roc(int roc_year, int month, int day) {
  if (roc_year == 0) {
    return fail(RocDateError::Range, "there is no ROC year 0: 民國元年 follows 民前1年");
  }
  // Checked before the arithmetic below so that no int can overflow.
  if (roc_year > kMaxRocYear || roc_year < kMinRocYear) {
    return fail(RocDateError::Range, "the year is outside the supported range");
  }
  const int gregorian = roc_year > 0 ? roc_year + kRocOffset : roc_year + kRocOffset + 1;
  return from_gregorian(gregorian, month, day);
}

RocDateResult RocDate::parse(std::string_view input) {
  // Most input is plain ASCII; only copy when there may be full-width digits to convert.
  std::string converted;
  std::string_view text = input;
  if (input.find('\xEF') != std::string_view::npos) {
    converted = ascii_digits(input);
    text = converted;
  }
  text = trim_space(text);
  if (text.empty()) return fail(RocDateError::Empty, "no date was given");

  Cursor in{text};
  const bool before_roc = !in.consume(kMinGuo) && in.consume(kMinQian);
  if (!before_roc && in.consume(kYuan)) {
    if (!in.consume(kNian)) return fail(RocDateError::Format, "元 must be followed by 年");
    return parse_chinese_month_day(in, 1);
  }

  // The leading digits are the year, or the whole date in the Compact7 form.
  const std::string_view leading = in.digits();
  if (leading.empty()) return fail(RocDateError::Format, "a date starts with the ROC year");
  if (in.at_end()) {
    if (before_roc || leading.size() != 7) {
      return fail(RocDateError::Format, "a date without separators is 7 digits, YYYMMDD");
    }
    return from_roc(Cursor::to_int(leading.substr(0, 3)), Cursor::to_int(leading.substr(3, 2)),
                    Cursor::to_int(leading.substr(5, 2)));
  }
  if (leading.size() > kMaxYearDigits) {
    return fail(RocDateError::Format, "the ROC year has at most 3 digits (a Gregorian date is not accepted)");
  }
  const int year_number = Cursor::to_int(leading);

  if (in.consume(kNian)) {
    return parse_chinese_month_day(in, before_roc ? -year_number : year_number);
  }
  if (before_roc) {
    return fail(RocDateError::Format, "民前 dates are only written as 民前N年M月D日");
  }
  return parse_separated_month_day(in, year_number);
}

std::optional<RocDate> RocDate::from_sys_days(chr::sys_days days) {
  // Range-check the day count first: converting an extreme count to year/month/day could
  // overflow inside the calendar arithmetic.
  constexpr chr::sys_days kFirst = chr::year{kMinGregorianYear} / chr::January / 1;
  constexpr chr::sys_days kLast = chr::year{kMaxGregorianYear} / chr::December / 31;
  if (days < kFirst || days > kLast) return std::nullopt;
  return RocDate{chr::year_month_day{days}};
}

RocDate RocDate::today(chr::system_clock::time_point now, chr::minutes utc_offset) {
  // Real UTC offsets lie within -12h..+14h. A larger one is a programming error; it is clamped
  // so the arithmetic below stays defined even when assertions are off.
  constexpr chr::minutes kLimit = chr::hours{24};
  assert(utc_offset >= -kLimit && utc_offset <= kLimit);
  utc_offset = std::clamp(utc_offset, -kLimit, kLimit);
  // Whole seconds first: adding the offset to a nanosecond time point near its limit could
  // overflow. A system_clock time point spans about 1677-2262, well inside the supported years,
  // so value() cannot fail.
  const auto local = chr::floor<chr::seconds>(now) + utc_offset;
  return from_sys_days(chr::floor<chr::days>(local)).value();
}

int RocDate::roc_year() const noexcept {
  const int year = gregorian_year();
  return year > kRocOffset ? year - kRocOffset : year - (kRocOffset + 1);
}

int RocDate::month() const noexcept { return static_cast<int>(static_cast<unsigned>(ymd_.month())); }

int RocDate::day() const noexcept { return static_cast<int>(static_cast<unsigned>(ymd_.day())); }

std::optional<std::string> RocDate::format(RocFormat form, RocFormatOptions options) const {
  if (form == RocFormat::Chinese) return to_chinese(options);
  const int year = roc_year();
  if (year < 1) return std::nullopt;

  std::string out;
  if (form == RocFormat::Compact7) {
    append_number(out, year, 3);  // supported years have at most three digits
    append_number(out, month(), 2);
    append_number(out, day(), 2);
    return out;
  }
  const char separator = form == RocFormat::Slash ? '/' : form == RocFormat::Dot ? '.' : '-';
  // Month and day are zero-padded so dates line up in tables; the year is not, as in 110/01/05.
  append_number(out, year, 1);
  out += separator;
  append_number(out, month(), 2);
  out += separator;
  append_number(out, day(), 2);
  return out;
}

std::string RocDate::to_chinese(RocFormatOptions options) const {
  std::string out;
  const int year = roc_year();
  if (year < 0) {
    out += kMinQian;
    append_number(out, -year, 1);
  } else if (year == 1) {
    out += kMinGuo;
    out += kYuan;
  } else {
    if (options.min_guo_prefix) out += kMinGuo;
    append_number(out, year, 1);
  }
  out += kNian;
  append_number(out, month(), 1);
  out += kYue;
  append_number(out, day(), 1);
  out += kRi;
  return out;
}

int RocDate::weekday() const noexcept { return static_cast<int>(chr::weekday{to_sys_days()}.c_encoding()); }

std::string_view RocDate::weekday_zh() const noexcept {
  return kWeekdayZh[static_cast<std::size_t>(weekday())];
}

std::string_view RocDate::weekday_zh_short() const noexcept { return weekday_zh().substr(kWeekPrefixLength); }

std::string_view to_string(RocDateError error) noexcept {
  switch (error) {
    case RocDateError::Empty:
      return "empty";
    case RocDateError::Format:
      return "format";
    case RocDateError::Range:
      return "range";
  }
  return "unknown";
}

}  // namespace ecpa::tw
