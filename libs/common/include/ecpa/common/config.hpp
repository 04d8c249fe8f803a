#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecpa {

// Read-only view of a TOML configuration file. Keys are dotted paths ("portal.listen"). Every
// failure throws ecpa::Error with code CONFIG_INVALID whose cause names the file, the line where
// known, the full key and the expected type, e.g.
//   portal.toml:12: key 'portal.listen': expected a string, found an integer
class Config {
 public:
  static Config load_file(const std::filesystem::path& path);
  static Config parse(std::string_view text, std::string source_name);

  Config(const Config&);
  Config& operator=(const Config&);
  Config(Config&&) noexcept;
  Config& operator=(Config&&) noexcept;
  ~Config();

  bool has(std::string_view key) const;

  std::string string(std::string_view key) const;
  std::int64_t integer(std::string_view key) const;
  bool boolean(std::string_view key) const;
  double number(std::string_view key) const;  // integer or float
  std::vector<std::string> string_list(std::string_view key) const;

  std::string string_or(std::string_view key, std::string_view fallback) const;
  std::int64_t integer_or(std::string_view key, std::int64_t fallback) const;
  bool boolean_or(std::string_view key, bool fallback) const;
  // An integer within [min, max], or the fallback when absent; out of range is an error.
  std::int64_t integer_in(std::string_view key, std::int64_t min, std::int64_t max,
                          std::int64_t fallback) const;

  // A sub-table as its own Config (keys inside it named relative to it; errors still name the
  // full key). Missing → error; use has() first for optional sections.
  Config section(std::string_view key) const;
  // Names of the direct children of this table.
  std::vector<std::string> keys() const;
  // Children not in `known`: typos in a configuration file should be reported, not ignored.
  std::vector<std::string> unknown_keys(const std::vector<std::string_view>& known) const;
  // Throws when unknown_keys() is not empty.
  void require_known_keys(const std::vector<std::string_view>& known) const;

  const std::string& source_name() const;

  struct Impl;  // defined in config.cpp

 private:
  explicit Config(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace ecpa
