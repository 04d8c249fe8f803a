#pragma once
// Test support for the integration tests: run the built ecpa-sim, and keep `ecpa-sim serve` running on
// 127.0.0.1 for the length of a test suite.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include "ecpa/crypto/testing/files.hpp"

namespace ecpa::sim::testing {

inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `ecpa-sim <args>` (each arg quoted) and returns its exit code and output.
inline crypto::testing::CommandResult sim(const std::vector<std::string>& args) {
  std::string line = quote(ECPA_SIM_PATH);
  for (const auto& a : args) line += " " + quote(a);
  return crypto::testing::run_command(line);
}

// The value of "key: value" in the CLI's output.
inline std::string field(const std::string& output, const std::string& key) {
  auto pos = output.find(key + ": ");
  if (pos == std::string::npos) return {};
  auto end = output.find('\n', pos);
  return output.substr(pos + key.size() + 2, end - pos - key.size() - 2);
}

// `ecpa-sim serve --dir DIR --listen 127.0.0.1:0`, stopped with SIGTERM on destruction.
class SimServer {
 public:
  explicit SimServer(const std::filesystem::path& dir) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      std::string d = dir.string();
      ::execl(ECPA_SIM_PATH, ECPA_SIM_PATH, "serve", "--dir", d.c_str(), "--listen", "127.0.0.1:0",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    FILE* f = ::fdopen(out[0], "r");
    char line[256] = {};
    // First line on stdout: "listening: http://127.0.0.1:PORT".
    if (f == nullptr || ::fgets(line, sizeof line, f) == nullptr)
      throw std::runtime_error("ecpa-sim serve did not start");
    std::string text(line);
    auto pos = text.find("http://");
    if (pos == std::string::npos) throw std::runtime_error("unexpected: " + text);
    url_ = text.substr(pos);
    while (!url_.empty() && (url_.back() == '\n' || url_.back() == '\r')) url_.pop_back();
    stdout_ = f;
  }
  ~SimServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (stdout_ != nullptr) ::fclose(stdout_);
  }
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;
  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  std::string url_;
};

}  // namespace ecpa::sim::testing
