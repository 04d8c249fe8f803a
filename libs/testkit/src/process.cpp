#include "ecpa/testkit/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <thread>
#include <utility>

extern char** environ;

namespace ecpa::testkit {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr auto kStopGrace = std::chrono::seconds(10);

// posix_spawn's file actions and attributes as one owner, so every path out of spawn() frees them.
class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions_);
    posix_spawnattr_init(&attr_);
    // The child starts with default dispositions and nothing blocked, whatever the test's threads did, so
    // SIGTERM ends it as it would in a shell.
    sigset_t none;
    sigemptyset(&none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig : {SIGTERM, SIGINT, SIGPIPE, SIGHUP}) sigaddset(&defaults, sig);
    posix_spawnattr_setsigmask(&attr_, &none);
    posix_spawnattr_setsigdefault(&attr_, &defaults);
    posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attr_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  void open(int fd, const std::string& path, int flags) {
    posix_spawn_file_actions_addopen(&actions_, fd, path.c_str(), flags, 0600);
  }
  void dup(int from, int to) { posix_spawn_file_actions_adddup2(&actions_, from, to); }

  pid_t spawn(const std::string& program, const std::vector<std::string>& args) {
    std::vector<std::string> owned;
    owned.reserve(args.size() + 1);
    owned.push_back(program);
    owned.insert(owned.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(owned.size() + 1);
    for (auto& a : owned) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, program.c_str(), &actions_, &attr_, argv.data(), environ);
    if (rc != 0) throw std::runtime_error("cannot start " + program + ": error " + std::to_string(rc));
    return pid;
  }

 private:
  posix_spawn_file_actions_t actions_{};
  posix_spawnattr_t attr_{};
};

// Both ends close on exec: only the dup2 made in the child survives into it, so no other child (of this
// or another test thread) holds our pipe open and keeps us from seeing its end.
void make_pipe(int (&fds)[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// Reads what is there within the deadline: >0 bytes read, 0 end of file, -1 nothing in time.
ssize_t read_some(int fd, std::string& into, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return -1;
    char buf[4096];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    into.append(buf, static_cast<std::size_t>(n));
    return n;
  }
}

std::optional<int> wait_until(pid_t pid, Clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t got = ::waitpid(pid, &status, WNOHANG);
    if (got == pid) return status;
    if (got < 0 && errno != EINTR) return std::nullopt;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(milliseconds(10));
  }
}

int wait_blocking(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

int exit_code(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

RunResult run(const std::string& program, const std::vector<std::string>& args, milliseconds timeout) {
  int out[2];
  make_pipe(out);
  pid_t pid = -1;
  try {
    SpawnSetup setup;
    setup.open(0, "/dev/null", O_RDONLY);
    setup.dup(out[1], 1);
    setup.dup(out[1], 2);
    pid = setup.spawn(program, args);
  } catch (...) {
    ::close(out[0]);
    ::close(out[1]);
    throw;
  }
  ::close(out[1]);
  RunResult r;
  const auto deadline = Clock::now() + timeout;
  ssize_t n = 0;
  while ((n = read_some(out[0], r.output, deadline)) > 0) {
  }
  ::close(out[0]);
  if (n < 0) {  // still writing, or still holding its output open, at the deadline
    ::kill(pid, SIGKILL);
    (void)wait_blocking(pid);
    r.output += "\n[testkit: killed after " + std::to_string(timeout.count()) + " ms]\n";
    return r;
  }
  r.exit_code = exit_code(wait_blocking(pid));
  return r;
}

std::string field(std::string_view output, std::string_view key) {
  const std::string marker = std::string(key) + ": ";
  for (std::size_t at = output.find(marker); at != std::string_view::npos; at = output.find(marker, at + 1)) {
    if (at != 0 && output[at - 1] != '\n') continue;  // "key" must start its line, not end another key
    const auto start = at + marker.size();
    const auto end = output.find('\n', start);
    return std::string(output.substr(start, end == std::string_view::npos ? end : end - start));
  }
  return {};
}

std::string shell_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

Process::Process(const std::string& program, const std::vector<std::string>& args, ProcessOptions options) {
  SpawnSetup setup;
  int out[2] = {-1, -1};
  if (options.stdout_file.empty()) {
    make_pipe(out);
    setup.dup(out[1], 1);
  } else {
    setup.open(1, options.stdout_file.string(), O_WRONLY | O_CREAT | O_TRUNC);
  }
  if (!options.stderr_file.empty()) {
    if (options.stderr_file == options.stdout_file) {
      setup.dup(1, 2);
    } else {
      setup.open(2, options.stderr_file.string(), O_WRONLY | O_CREAT | O_APPEND);
    }
  }
  setup.open(0, "/dev/null", O_RDONLY);
  try {
    pid_ = setup.spawn(program, args);
  } catch (...) {
    if (out[0] >= 0) {
      ::close(out[0]);
      ::close(out[1]);
    }
    throw;
  }
  if (out[0] >= 0) {
    ::close(out[1]);
    stdout_fd_ = out[0];
  } else {
    stdout_ended_ = true;
  }
}

Process::~Process() {
  (void)stop();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::optional<std::string> Process::read_line(milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto nl = pending_.find('\n');
    if (nl != std::string::npos) {
      std::string line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (stdout_ended_) {
      if (pending_.empty()) return std::nullopt;
      return std::exchange(pending_, {});
    }
    const ssize_t n = read_some(stdout_fd_, pending_, deadline);
    if (n < 0) return std::nullopt;
    if (n == 0) stdout_ended_ = true;
  }
}

const std::string& Process::wait_for_url(milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string seen;
  while (auto line = read_line(std::chrono::duration_cast<milliseconds>(deadline - Clock::now()))) {
    for (std::string_view scheme : {"https://", "http://"}) {
      const auto at = line->find(scheme);
      if (at != std::string::npos) {
        url_ = line->substr(at);
        return url_;
      }
    }
    seen += *line + "\n";
  }
  throw std::runtime_error("the program said no URL on stdout" +
                           (seen.empty() ? std::string() : ": " + seen));
}

void Process::signal(int sig) const {
  if (pid_ > 0 && !status_) ::kill(pid_, sig);
}

std::optional<int> Process::wait(milliseconds timeout) {
  if (!status_ && pid_ > 0) status_ = wait_until(pid_, Clock::now() + timeout);
  return status_;
}

int Process::stop() {
  if (pid_ <= 0) return -1;
  if (!status_) {
    ::kill(pid_, SIGTERM);
    status_ = wait_until(pid_, Clock::now() + kStopGrace);
    if (!status_) {
      ::kill(pid_, SIGKILL);
      status_ = wait_blocking(pid_);
    }
  }
  return *status_;
}

}  // namespace ecpa::testkit
