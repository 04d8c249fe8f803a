#pragma once
// Test support for tests that run the built programs: ecpa-portal and ecpa-sim as real processes on
// 127.0.0.1, a small HTTP "browser", and signing with a card's key in its SoftHSM2 token through libs/p11.
#include <sys/wait.h>  // stop() answers a waitpid status

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ecpa/crypto/testing/files.hpp"
#include "ecpa/http/client.hpp"
#include "ecpa/testkit/process.hpp"

namespace ecpa::portal::it {

using testkit::field;  // the value of "key: value" in a CLI's output
using testkit::run;    // runs `program args…` to its end: exit code and output

inline std::string quote(const std::string& s) { return testkit::shell_quote(s); }

// Runs `program args…` with its stderr appended to `log`, and waits for the first stdout line holding a
// URL (a server saying where it listens); SIGTERM and wait on destruction or stop() (which returns the
// waitpid status, for tests of a clean stop).
class Process : public testkit::Process {
 public:
  Process(const std::string& program, const std::vector<std::string>& args, const std::filesystem::path& log)
      : testkit::Process(program, args, {.stderr_file = log}) {
    try {
      wait_for_url();
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(program + " did not start (" + e.what() + "); see " + log.string());
    }
  }
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
