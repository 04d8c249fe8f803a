#include "http_date.hpp"

#include <ctime>
#include <iomanip>
#include <sstream>

namespace ecpa::http::detail {

std::chrono::system_clock::time_point to_system_clock(std::filesystem::file_time_type t) {
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(
      std::chrono::file_clock::to_sys(t));
}

std::string format_http_date(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  // Only IMF-fixdate, which is what we send and what browsers echo in If-Modified-Since.
  std::tm tm{};
  std::istringstream in{std::string(text)};
  in.imbue(std::locale::classic());
  in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S GMT");
  if (in.fail()) return std::nullopt;
  std::time_t secs = timegm(&tm);
  if (secs == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(secs);
}

std::string make_etag(std::uintmax_t size, std::chrono::system_clock::time_point modified) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(modified.time_since_epoch()).count();
  std::ostringstream out;
  out << '"' << std::hex << size << '-' << ns << '"';
  return out.str();
}

}  // namespace ecpa::http::detail
