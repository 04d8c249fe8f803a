#pragma once
// Which web sites may use the card, and which Host headers the agent answers.
//
// A site (origin) may call the agent when it is configured, when the person approved it once in the
// agent's own page (remembered in a plain text file the person can edit: one origin per line, '#'
// comments), or when it is the agent itself (its popup and PIN pad pages).
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecpa::agent {

// "https://portal.example.gov.tw" from an Origin header value: scheme http or https, a host, an
// optional port; lower-cased, default ports dropped. Anything else (paths, "null", user info,
// whitespace, other schemes) → nullopt, so two spellings of one site can never be treated apart.
std::optional<std::string> normalise_origin(std::string_view origin);

class OriginPolicy {
 public:
  // Throws ecpa::Error CONFIG_INVALID when a configured origin is not a valid origin.
  OriginPolicy(const std::vector<std::string>& configured, std::filesystem::path approvals_file,
               std::uint16_t port);

  // DNS rebinding defence: a page on evil.example whose name resolves to 127.0.0.1 sends
  // "Host: evil.example:61161"; only "localhost:<port>" and "127.0.0.1:<port>" are ours.
  bool host_allowed(std::string_view host_header) const;
  // The agent's own pages: http://localhost:<port> and http://127.0.0.1:<port>.
  bool is_self(std::string_view origin) const;
  // Self, configured or approved. `origin` must be normalised.
  bool allowed(std::string_view origin) const;

  // Remembers an approval (atomic rewrite of the file, mode 0600). Throws AGENT_PARAMETER_INVALID for
  // an invalid origin, CONFIG_INVALID when the file cannot be written.
  void approve(std::string_view origin);
  void revoke(std::string_view origin);
  std::vector<std::string> approved() const;
  const std::vector<std::string>& configured() const { return configured_; }
  const std::filesystem::path& approvals_file() const { return approvals_file_; }
  std::uint16_t port() const { return port_; }

 private:
  std::vector<std::string> read_approvals() const;
  void write_approvals(const std::vector<std::string>& origins) const;

  std::vector<std::string> configured_;
  std::filesystem::path approvals_file_;
  std::uint16_t port_;
  mutable std::mutex mutex_;
};

}  // namespace ecpa::agent
