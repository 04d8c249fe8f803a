#pragma once
// Test support for tests that run the built programs: ecpa-portal and ecpa-sim as real processes on
// 127.0.0.1, a small HTTP "browser", and signing with a card's key in its SoftHSM2 token through libs/p11.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "ecpa/crypto/testing/files.hpp"
#include "ecpa/http/client.hpp"

namespace ecpa::portal::it {

inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline crypto::testing::CommandResult run(const std::string& program, const std::vector<std::string>& args) {
  std::string line = quote(program);
  for (const auto& a : args) line += " " + quote(a);
  return crypto::testing::run_command(line);
}

// The value of "key: value" in a CLI's output.
inline std::string field(const std::string& output, const std::string& key) {
  auto pos = output.find(key + ": ");
  if (pos == std::string::npos) return {};
  auto end = output.find('\n', pos);
  return output.substr(pos + key.size() + 2, end - pos - key.size() - 2);
}

// Runs `program args…`, waits for the first stdout line holding "http://", keeps the URL; SIGTERM and wait
// on destruction (the exit status is kept for tests of a clean stop).
class Process {
 public:
  Process(const std::string& program, const std::vector<std::string>& args,
          const std::filesystem::path& log) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      FILE* err = std::fopen(log.c_str(), "a");
      if (err) ::dup2(fileno(err), 2);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(program.c_str()));
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    stdout_ = ::fdopen(out[0], "r");
    char line[512] = {};
    if (stdout_ == nullptr || ::fgets(line, sizeof line, stdout_) == nullptr)
      throw std::runtime_error(program + " did not start; see " + log.string());
    std::string text(line);
    auto pos = text.find("http");
    if (pos == std::string::npos) throw std::runtime_error("unexpected first line: " + text);
    url_ = text.substr(pos);
    while (!url_.empty() && (url_.back() == '\n' || url_.back() == '\r')) url_.pop_back();
  }
  ~Process() { stop(); }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  int stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, &status_, 0);
      pid_ = -1;
    }
    if (stdout_ != nullptr) {
      ::fclose(stdout_);
      stdout_ = nullptr;
    }
    return status_;
  }
  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  int status_ = -1;
  std::string url_;
};

// One cookie jar, the CSRF token and the Origin header: what the front end does.
struct Browser {
  std::string base;
  std::string origin;
  std::string cookie;
  std::string csrf;
  http::Client client{};

  http::ClientResponse send(const std::string& method, const std::string& path,
                            const nlohmann::json& body = nullptr, bool with_csrf = true,
                            std::optional<std::string> origin_header = {}) {
    http::ClientRequest r;
    r.method = method;
    r.url = base + path;
    if (!cookie.empty()) r.headers.add("Cookie", "__Host-ecpa-session=" + cookie);
    if (method != "GET") {
      r.headers.add("Origin", origin_header.value_or(origin));
      if (with_csrf && !csrf.empty()) r.headers.add("X-CSRF-Token", csrf);
      r.headers.add("Content-Type", "application/json");
      r.body = body.is_null() ? "{}" : body.dump();
    }
    auto answer = client.send(r);
    for (auto sc : answer.headers.get_all("Set-Cookie")) {
      std::string v(sc);
      const std::string prefix = "__Host-ecpa-session=";
      if (v.rfind(prefix, 0) == 0) cookie = v.substr(prefix.size(), v.find(';') - prefix.size());
    }
    return answer;
  }
  nlohmann::json open_session() {
    auto r = send("GET", "/api/session");
    auto j = nlohmann::json::parse(r.body);
    csrf = j.value("csrfToken", "");
    return j;
  }
};

}  // namespace ecpa::portal::it
