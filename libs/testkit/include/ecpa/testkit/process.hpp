#pragma once
// Test support (tests only): run the built programs as real processes. No shell stands between the test
// and the program, so arguments reach it as they are, whatever characters they hold.
//
// The namespace is ecpa::testkit, not ecpa::testing, so that inside namespace ecpa an unqualified
// `testing::` keeps meaning GoogleTest's or the caller's own.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecpa::testkit {

struct RunResult {
  int exit_code = -1;  // as a shell reports it: the exit status, 128 + signal, or -1 when it was timed out
  std::string output;  // stdout and stderr together, in the order written
};

// Runs `program args…` to its end (killed after `timeout`); stdin is /dev/null; the environment is ours.
RunResult run(const std::string& program, const std::vector<std::string>& args,
              std::chrono::milliseconds timeout = std::chrono::minutes(5));

// The value of the line "key: value" in a program's output (the CLIs' report format); empty if absent.
std::string field(std::string_view output, std::string_view key);

// `s` as one single-quoted POSIX shell word, for command lines handed to a shell (openssl, pkcs11-tool).
std::string shell_quote(std::string_view s);

// A waitpid() status as a shell reports it: the exit status, or 128 + the signal that ended it.
int exit_code(int wait_status);

struct ProcessOptions {
  // Where stdout goes: empty, a pipe this object reads (read_line, wait_for_url); else this file, truncated.
  std::filesystem::path stdout_file{};
  // Where stderr goes: empty, the test's own stderr; else this file, appended to (the same path as
  // stdout_file puts both in that one file).
  std::filesystem::path stderr_file{};
};

// A running program, ended on destruction (SIGTERM, then SIGKILL if it has not ended within 10 s).
class Process {
 public:
  // Starts `program args…` (program is a path, not looked up in PATH). Throws std::runtime_error when it
  // cannot be started.
  Process(const std::string& program, const std::vector<std::string>& args, ProcessOptions options = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }

  // The next line of its stdout, without the line end; nullopt when stdout ended or nothing came in time.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // Reads stdout lines until one holds "http://" or "https://" (a server saying where it listens), keeps
  // and returns the URL from there to the end of the line. Throws std::runtime_error when stdout ends or
  // no such line comes within `timeout`.
  const std::string& wait_for_url(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // The URL wait_for_url() found (empty before).
  const std::string& url() const { return url_; }

  void signal(int sig) const;
  // Its waitpid() status once it has ended, waiting at most `timeout`; nullopt if it is still running.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  // Sends SIGTERM (once) and waits for the end (SIGKILL after 10 s); the waitpid() status. Later calls
  // return the same status.
  int stop();

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  int stdout_fd_ = -1;
  std::string pending_;  // read from stdout, not yet returned as a line
  bool stdout_ended_ = false;
  std::string url_;
};

}  // namespace ecpa::testkit
