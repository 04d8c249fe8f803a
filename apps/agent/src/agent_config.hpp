#pragma once
// ecpa-agent's settings: command line over configuration file over defaults.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "agent_service.hpp"

namespace ecpa::agent {

struct AgentConfig {
  AgentOptions service;
  std::string listen_address = "127.0.0.1";
  std::filesystem::path log_file;  // empty: standard error (the journal under systemd)
  std::string log_level = "info";
};

struct CommandLine {
  std::optional<std::string> module, config_file, listen, web_dir, approvals_file, log_file;
};

// "127.0.0.1:61161" → address, port. Only loopback addresses (127.0.0.1, ::1) with an explicit port
// 1–65535: the agent must never be reachable from the network. Throws CONFIG_INVALID.
std::pair<std::string, std::uint16_t> parse_listen(std::string_view text);

// Reads the [agent] table of the TOML file (if any), then applies the command line. Throws
// CONFIG_INVALID for unknown keys, wrong types, a missing module, a non-loopback listen address.
AgentConfig load_agent_config(const CommandLine& cli, const std::filesystem::path& default_web_dir,
                              const std::filesystem::path& default_approvals_file);

// $XDG_CONFIG_HOME/ecpa-agent/approved-origins.txt (or ~/.config/…); empty when no home is known.
std::filesystem::path default_approvals_path();

}  // namespace ecpa::agent
