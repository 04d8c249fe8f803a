#pragma once
// Test support for the integration tests: run the built ecpa-sim, and keep `ecpa-sim serve` running on
// 127.0.0.1 for the length of a test suite. The process handling is libs/testkit's.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "ecpa/crypto/testing/files.hpp"
#include "ecpa/testkit/process.hpp"

namespace ecpa::sim::testing {

using testkit::field;  // the value of "key: value" in the CLI's output

inline std::string quote(const std::string& s) { return testkit::shell_quote(s); }

// Runs `ecpa-sim <args>` and returns its exit code and output.
inline testkit::RunResult sim(const std::vector<std::string>& args) {
  return testkit::run(ECPA_SIM_PATH, args);
}

// `ecpa-sim serve --dir DIR --listen 127.0.0.1:0 --smtp-port 0`, stopped with SIGTERM on destruction.
class SimServer {
 public:
  explicit SimServer(const std::filesystem::path& dir)
      : process_(ECPA_SIM_PATH,
                 {"serve", "--dir", dir.string(), "--listen", "127.0.0.1:0", "--smtp-port", "0"}) {
    process_.wait_for_url();  // its first line: "listening: http://127.0.0.1:PORT"
    auto line = process_.read_line(std::chrono::seconds(10));  // then "smtp_port: PORT"
    std::string port = line ? field(*line, "smtp_port") : std::string();
    if (port.empty()) throw std::runtime_error("ecpa-sim serve said no smtp_port");
    smtp_url_ = "smtp://127.0.0.1:" + port;
  }
  const std::string& url() const { return process_.url(); }
  const std::string& smtp_url() const { return smtp_url_; }

 private:
  testkit::Process process_;
  std::string smtp_url_;
};

}  // namespace ecpa::sim::testing
