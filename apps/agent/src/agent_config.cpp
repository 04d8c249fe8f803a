#include "agent_config.hpp"

#include <algorithm>
#include <cstdlib>

#include "ecpa/common/config.hpp"
#include "ecpa/common/error.hpp"

namespace ecpa::agent {

std::pair<std::string, std::uint16_t> parse_listen(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) throw Error(codes::CONFIG_INVALID, "listen: expected address:port");
  std::string address(text.substr(0, colon));
  const std::string port_text(text.substr(colon + 1));
  if (address == "[::1]") address = "::1";
  if (address != "127.0.0.1" && address != "::1") {
    throw Error(codes::CONFIG_INVALID, "listen: only 127.0.0.1 or [::1] are allowed, not " + address);
  }
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw Error(codes::CONFIG_INVALID, "listen: bad port");
  }
  const long port = std::stol(port_text);
  if (port < 1 || port > 65535) throw Error(codes::CONFIG_INVALID, "listen: port out of range");
  return {address, static_cast<std::uint16_t>(port)};
}

std::filesystem::path default_approvals_path() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    return std::filesystem::path(xdg) / "ecpa-agent" / "approved-origins.txt";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::filesystem::path(home) / ".config" / "ecpa-agent" / "approved-origins.txt";
  }
  return {};
}

AgentConfig load_agent_config(const CommandLine& cli, const std::filesystem::path& default_web_dir,
                              const std::filesystem::path& default_approvals_file) {
  AgentConfig c;
  c.service.web_dir = default_web_dir;
  c.service.approvals_file = default_approvals_file;
  std::string listen = "127.0.0.1:61161";
  if (cli.config_file) {
    const Config file = Config::load_file(*cli.config_file);
    file.require_known_keys({"agent"});
    if (file.has("agent")) {
      const Config a = file.section("agent");
      a.require_known_keys({"module", "listen", "allowed_origins", "approvals_file", "ask_unknown_origins",
                            "allow_local_clients", "signatures_per_minute", "pin_timeout_seconds",
                            "card_lock_timeout_seconds", "server_version", "web_dir", "log_file",
                            "log_level"});
      c.service.module_path = a.string_or("module", "");
      listen = a.string_or("listen", listen);
      if (a.has("allowed_origins")) c.service.allowed_origins = a.string_list("allowed_origins");
      if (a.has("approvals_file")) c.service.approvals_file = a.string("approvals_file");
      c.service.ask_unknown_origins = a.boolean_or("ask_unknown_origins", true);
      c.service.allow_local_clients = a.boolean_or("allow_local_clients", false);
      c.service.signatures_per_minute =
          static_cast<std::size_t>(a.integer_in("signatures_per_minute", 0, 600, 10));
      c.service.pin_timeout = std::chrono::seconds(a.integer_in("pin_timeout_seconds", 1, 600, 120));
      c.service.card_lock_timeout =
          std::chrono::seconds(a.integer_in("card_lock_timeout_seconds", 1, 600, 30));
      c.service.server_version = a.string_or("server_version", c.service.server_version);
      if (a.has("web_dir")) c.service.web_dir = a.string("web_dir");
      if (a.has("log_file")) c.log_file = a.string("log_file");
      c.log_level = a.string_or("log_level", c.log_level);
    }
  }
  if (cli.module) c.service.module_path = *cli.module;
  if (cli.listen) listen = *cli.listen;
  if (cli.web_dir) c.service.web_dir = *cli.web_dir;
  if (cli.approvals_file) c.service.approvals_file = *cli.approvals_file;
  if (cli.log_file) c.log_file = *cli.log_file;

  if (c.service.module_path.empty()) throw Error(codes::CONFIG_INVALID, "no PKCS#11 module (--module PATH)");
  // dlopen of a bare name searches LD_LIBRARY_PATH and friends, which someone else may control.
  if (!std::filesystem::path(c.service.module_path).is_absolute()) {
    throw Error(codes::CONFIG_INVALID, "the module path must be absolute");
  }
  std::tie(c.listen_address, c.service.port) = parse_listen(listen);
  // Validates the origins now, so a typo stops the start instead of silently refusing a site.
  OriginPolicy check(c.service.allowed_origins, {}, c.service.port);
  return c;
}

}  // namespace ecpa::agent
