#include "origin_policy.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "ecpa/common/error.hpp"

namespace ecpa::agent {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  if (host.front() == '[') {  // IPv6 literal
    if (host.back() != ']' || host.size() < 3) return false;
    return std::all_of(host.begin() + 1, host.end() - 1, [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
    });
  }
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  });
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::optional<std::string> normalise_origin(std::string_view origin) {
  if (origin.size() > 300) return std::nullopt;
  std::string o = lower(origin);
  std::string scheme;
  if (o.rfind("https://", 0) == 0) {
    scheme = "https";
  } else if (o.rfind("http://", 0) == 0) {
    scheme = "http";
  } else {
    return std::nullopt;
  }
  std::string_view rest = std::string_view(o).substr(scheme.size() + 3);
  if (rest.empty() || rest.find_first_of("/?#@\\ \t") != std::string_view::npos) return std::nullopt;
  std::string_view host = rest, port;
  const auto colon = rest.rfind(':');
  if (colon != std::string_view::npos && rest.find(']', colon) == std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit))
      return std::nullopt;
    const long n = std::stol(std::string(port));
    if (n < 1 || n > 65535) return std::nullopt;
    port =
        port.substr(port.find_first_not_of('0') == std::string_view::npos ? 0 : port.find_first_not_of('0'));
    if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) port = {};
  }
  if (!valid_host(host)) return std::nullopt;
  std::string out = scheme + "://" + std::string(host);
  if (!port.empty()) out += ":" + std::string(port);
  return out;
}

OriginPolicy::OriginPolicy(const std::vector<std::string>& configured, std::filesystem::path approvals_file,
                           std::uint16_t port)
    : approvals_file_(std::move(approvals_file)), port_(port) {
  for (const auto& c : configured) {
    auto n = normalise_origin(c);
    if (!n) throw Error(codes::CONFIG_INVALID, "allowed origin is not an origin: " + c);
    configured_.push_back(*n);
  }
}

bool OriginPolicy::host_allowed(std::string_view host_header) const {
  const std::string host = lower(host_header);
  const std::string port = ":" + std::to_string(port_);
  return host == "localhost" + port || host == "127.0.0.1" + port;
}

bool OriginPolicy::is_self(std::string_view origin) const {
  const std::string port = ":" + std::to_string(port_);
  return origin == "http://localhost" + port || origin == "http://127.0.0.1" + port;
}

bool OriginPolicy::allowed(std::string_view origin) const {
  if (is_self(origin)) return true;
  if (std::find(configured_.begin(), configured_.end(), origin) != configured_.end()) return true;
  std::lock_guard lock(mutex_);
  const auto approved = read_approvals();
  return std::find(approved.begin(), approved.end(), origin) != approved.end();
}

std::vector<std::string> OriginPolicy::read_approvals() const {
  std::vector<std::string> out;
  if (approvals_file_.empty()) return out;
  std::ifstream in(approvals_file_);
  std::string line;
  while (std::getline(in, line)) {
    const std::string t = trim(line);
    if (t.empty() || t.front() == '#') continue;
    // A line the person mistyped is ignored rather than trusted in some guessed form.
    if (auto n = normalise_origin(t)) out.push_back(*n);
  }
  return out;
}

void OriginPolicy::write_approvals(const std::vector<std::string>& origins) const {
  if (approvals_file_.empty()) throw Error(codes::CONFIG_INVALID, "no approvals file configured");
  std::ostringstream text;
  text << "# Sites allowed to use your card through ecpa-agent, one origin per line.\n"
       << "# Delete a line to take the permission back.\n";
  for (const auto& o : origins) text << o << "\n";
  const std::string body = text.str();
  std::error_code ec;
  std::filesystem::create_directories(approvals_file_.parent_path(), ec);
  const std::filesystem::path tmp = approvals_file_.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw Error(codes::CONFIG_INVALID, "cannot write " + tmp.string());
  const bool ok =
      ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), approvals_file_.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw Error(codes::CONFIG_INVALID, "cannot write " + approvals_file_.string());
  }
}

void OriginPolicy::approve(std::string_view origin) {
  auto n = normalise_origin(origin);
  if (!n) throw Error(codes::AGENT_PARAMETER_INVALID, "approve: not an origin").with("field", "origin");
  std::lock_guard lock(mutex_);
  auto list = read_approvals();
  if (std::find(list.begin(), list.end(), *n) != list.end()) return;
  list.push_back(*n);
  write_approvals(list);
}

void OriginPolicy::revoke(std::string_view origin) {
  auto n = normalise_origin(origin);
  if (!n) return;
  std::lock_guard lock(mutex_);
  auto list = read_approvals();
  const auto before = list.size();
  std::erase(list, *n);
  if (list.size() != before) write_approvals(list);
}

std::vector<std::string> OriginPolicy::approved() const {
  std::lock_guard lock(mutex_);
  return read_approvals();
}

}  // namespace ecpa::agent
