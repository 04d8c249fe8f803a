#include "ecpa/common/log.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <random>

namespace ecpa::log {

struct Logger::Sink {
  std::shared_ptr<spdlog::logger> logger;
};

namespace {

spdlog::level::level_enum to_spd(Level l) {
  switch (l) {
    case Level::Debug:
      return spdlog::level::debug;
    case Level::Info:
      return spdlog::level::info;
    case Level::Warn:
      return spdlog::level::warn;
    case Level::Error:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::string_view level_name(Level l) {
  switch (l) {
    case Level::Debug:
      return "debug";
    case Level::Info:
      return "info";
    case Level::Warn:
      return "warn";
    case Level::Error:
      return "error";
  }
  return "info";
}

std::shared_ptr<Logger::Sink> make_sink(spdlog::sink_ptr sink, Level min_level) {
  // The JSON line is built by us; spdlog only writes it (thread-safe sinks, flushing policy).
  sink->set_pattern("%v");
  auto logger = std::make_shared<spdlog::logger>("ecpa", std::move(sink));
  logger->set_level(to_spd(min_level));
  logger->flush_on(spdlog::level::warn);
  return std::make_shared<Logger::Sink>(Logger::Sink{std::move(logger)});
}

std::string utc_now_iso() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = floor<seconds>(now);
  auto ms = duration_cast<milliseconds>(now - secs).count();
  std::time_t t = system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 96> buf{};  // room for any int the compiler can imagine
  std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf.data();
}

bool is_secret_key(std::string_view key) {
  std::string k;
  for (char c : key) {
    if (c != '_' && c != '-') k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  static constexpr std::array<std::string_view, 18> kSecret = {
      "pin",           "password",    "passwd",      "secret",    "token",      "signature",
      "tbs",           "idnum",       "nationalid",  "ssid",      "privatekey", "cookie",
      "authorization", "newpassword", "oldpassword", "sessionid", "apikey",     "otp"};
  for (auto s : kSecret) {
    if (k == s) return true;
  }
  return false;
}

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string mask_id_like(std::string_view text) {
  // Shapes: citizen [A-Z][12]d8, resident [A-Z][89]d8, legacy resident [A-Z][A-D]d8. Masking a
  // non-ID that merely looks like one costs nothing; missing a real one breaks the law.
  std::string out(text);
  if (out.size() < 10) return out;
  for (size_t i = 0; i + 10 <= out.size(); ++i) {
    char c0 = out[i];
    char c1 = out[i + 1];
    bool lead =
        is_upper(c0) && (c1 == '1' || c1 == '2' || c1 == '8' || c1 == '9' || (c1 >= 'A' && c1 <= 'D'));
    if (!lead) continue;
    bool digits = true;
    for (size_t j = i + 2; j < i + 10 && digits; ++j) digits = is_digit(out[j]);
    // Only whole tokens: not part of a longer run of letters/digits (card serials, hashes).
    bool left_ok = i == 0 || !(std::isalnum(static_cast<unsigned char>(out[i - 1])));
    bool right_ok = i + 10 == out.size() || !is_digit(out[i + 10]);
    if (digits && left_ok && right_ok) {
      for (size_t j = i + 3; j < i + 7; ++j) out[j] = '*';
      i += 9;
    }
  }
  return out;
}

nlohmann::json scrub(nlohmann::json value) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (is_secret_key(it.key())) {
        it.value() = "[redacted]";
      } else {
        it.value() = scrub(std::move(it.value()));
      }
    }
  } else if (value.is_array()) {
    for (auto& item : value) item = scrub(std::move(item));
  } else if (value.is_string()) {
    value = mask_id_like(value.get_ref<const std::string&>());
  }
  return value;
}

Level parse_level(std::string_view name) {
  if (name == "debug") return Level::Debug;
  if (name == "warn") return Level::Warn;
  if (name == "error") return Level::Error;
  return Level::Info;
}

Logger::Logger(std::shared_ptr<Sink> sink, std::string component, std::string trace)
    : sink_(std::move(sink)), component_(std::move(component)), trace_(std::move(trace)) {}

Logger Logger::to_stderr(std::string component, Level min_level) {
  return Logger(make_sink(std::make_shared<spdlog::sinks::stderr_sink_mt>(), min_level), std::move(component),
                {});
}

Logger Logger::to_file(std::string component, const std::filesystem::path& path, Level min_level) {
  return Logger(make_sink(std::make_shared<spdlog::sinks::basic_file_sink_mt>(path.string()), min_level),
                std::move(component), {});
}

Logger Logger::to_stream(std::string component, std::ostream& out, Level min_level) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out, /*force_flush=*/true);
  return Logger(make_sink(std::move(sink), min_level), std::move(component), {});
}

Logger Logger::with_trace(std::string trace_id) const {
  return Logger(sink_, component_, std::move(trace_id));
}

void Logger::log(Level level, std::string_view event, nlohmann::json fields) const {
  if (!sink_->logger->should_log(to_spd(level))) return;
  nlohmann::json line = nlohmann::json::object();
  line["ts"] = utc_now_iso();
  line["level"] = level_name(level);
  line["component"] = component_;
  line["event"] = mask_id_like(event);
  if (!trace_.empty()) line["trace"] = trace_;
  if (fields.is_object()) {
    // Keep the scrubbed object alive: a range-for over a temporary's items() dangles.
    nlohmann::json clean = scrub(std::move(fields));
    for (auto& [k, v] : clean.items()) {
      // Fields cannot overwrite the envelope.
      if (!line.contains(k)) line[k] = std::move(v);
    }
  } else if (!fields.is_null()) {
    line["detail"] = scrub(std::move(fields));
  }
  // Invalid UTF-8 from outside (a header, a certificate) must not make logging throw.
  sink_->logger->log(to_spd(level), line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void Logger::flush() const { sink_->logger->flush(); }

std::string new_trace_id() {
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (size_t half = 0; half < 2; ++half) {
    std::uint64_t v = gen();
    for (size_t i = 0; i < 16; ++i) out[half * 16 + i] = kHex[(v >> (i * 4)) & 0xF];
  }
  return out;
}

}  // namespace ecpa::log
