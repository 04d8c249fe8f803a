#pragma once
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

namespace ecpa::log {

enum class Level { Debug, Info, Warn, Error };

// Structured JSON logging: one object per line,
//   {"ts":"2026-11-29T03:04:05.678Z","level":"info","component":"portal","event":"login.ok",
//    "trace":"9f0c…", …fields}
// Every line passes through scrub(): fields named like secrets are replaced by "[redacted]" and
// anything shaped like a national ID number is masked, so a careless call site cannot put a PIN or a
// full ID number in a log (個人資料保護法).
class Logger {
 public:
  // Writes to standard error.
  static Logger to_stderr(std::string component, Level min_level = Level::Info);
  // Appends to a file, creating it if needed.
  static Logger to_file(std::string component, const std::filesystem::path& path,
                        Level min_level = Level::Info);
  // Writes to a stream the caller keeps alive (tests).
  static Logger to_stream(std::string component, std::ostream& out, Level min_level = Level::Debug);

  // The same sink with a trace ID attached to every line: one per request.
  Logger with_trace(std::string trace_id) const;
  const std::string& trace_id() const { return trace_; }

  void log(Level level, std::string_view event, nlohmann::json fields = nlohmann::json::object()) const;
  void debug(std::string_view event, nlohmann::json fields = nlohmann::json::object()) const {
    log(Level::Debug, event, std::move(fields));
  }
  void info(std::string_view event, nlohmann::json fields = nlohmann::json::object()) const {
    log(Level::Info, event, std::move(fields));
  }
  void warn(std::string_view event, nlohmann::json fields = nlohmann::json::object()) const {
    log(Level::Warn, event, std::move(fields));
  }
  void error(std::string_view event, nlohmann::json fields = nlohmann::json::object()) const {
    log(Level::Error, event, std::move(fields));
  }
  void flush() const;

  struct Sink;

 private:
  Logger(std::shared_ptr<Sink> sink, std::string component, std::string trace);
  std::shared_ptr<Sink> sink_;
  std::string component_;
  std::string trace_;
};

// 128 random bits as 32 lowercase hex digits.
std::string new_trace_id();

// Replaces secret-named fields (pin, password, signature, …) by "[redacted]" at any depth and masks
// national-ID-shaped substrings (A123456789 → A12****789) in every string.
nlohmann::json scrub(nlohmann::json value);
std::string mask_id_like(std::string_view text);

Level parse_level(std::string_view name);  // "debug" | "info" | "warn" | "error"; else Info

}  // namespace ecpa::log
