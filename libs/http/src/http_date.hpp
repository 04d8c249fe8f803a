#pragma once
// Internal: HTTP dates and ETags, shared by Response::file and StaticFiles.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ecpa::http::detail {

std::chrono::system_clock::time_point to_system_clock(std::filesystem::file_time_type t);
// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
std::string format_http_date(std::chrono::system_clock::time_point t);
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);
// A strong validator from size and modification time (nanoseconds), no file content needed.
std::string make_etag(std::uintmax_t size, std::chrono::system_clock::time_point modified);

}  // namespace ecpa::http::detail
