#pragma once
// ICSC's ReqTime: YYYYMMDDHHMMSS in Taiwan local time (UTC+8, no daylight saving), as the service's
// clients send it [I] (REFERENCE §3).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ecpa::icsc {

using TimePoint = std::chrono::system_clock::time_point;

// Whole seconds, earlier fractions dropped.
std::string format_req_time(TimePoint t);
// nullopt unless exactly 14 digits naming a real calendar date and time of day.
std::optional<TimePoint> parse_req_time(std::string_view text);

}  // namespace ecpa::icsc
