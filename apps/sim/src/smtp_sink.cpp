#include "smtp_sink.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <list>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "ecpa/common/error.hpp"
#include "ecpa/http/message.hpp"

namespace ecpa::sim {

namespace {

using Steady = std::chrono::steady_clock;

constexpr std::size_t kCommandLine = 512;  // RFC 5321 §4.5.3.1.4, CRLF included
constexpr std::size_t kTextLine = 1000;    // RFC 5321 §4.5.3.1.6, CRLF included

enum class Read { Line, TooLong, Timeout, Closed, Stopping };

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && http::iequals(s.substr(0, prefix.size()), prefix);
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

// An address as it may go into the mailbox's files: printable ASCII without spaces or <> (no SMTPUTF8
// is announced, so nothing else is a valid address here), at most RFC 5321's 254 octets.
bool plain_address(std::string_view a) {
  return a.size() <= 254 && std::all_of(a.begin(), a.end(), [](char c) {
           auto u = static_cast<unsigned char>(c);
           return u > 0x20 && u < 0x7F && c != '<' && c != '>';
         });
}

struct Path {
  std::string address;
  std::vector<std::string> params;
};

// "FROM:<a@b> SIZE=10" after the verb → the address and the parameters; nullopt when malformed. A space
// after the colon is tolerated (some clients send one).
std::optional<Path> parse_path(std::string_view arg, std::string_view keyword) {
  if (!starts_with_ci(arg, keyword)) return std::nullopt;
  arg.remove_prefix(keyword.size());
  while (arg.starts_with(' ')) arg.remove_prefix(1);
  if (!arg.starts_with('<')) return std::nullopt;
  auto close = arg.find('>');
  if (close == std::string_view::npos) return std::nullopt;
  Path path;
  std::string_view address = arg.substr(1, close - 1);
  // A source route ("@relay:a@b", RFC 5321 §4.1.2) is read and ignored.
  if (address.starts_with('@')) {
    auto colon = address.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    address.remove_prefix(colon + 1);
  }
  if (!plain_address(address)) return std::nullopt;
  path.address = std::string(address);
  std::string_view rest = arg.substr(close + 1);
  if (!rest.empty() && !rest.starts_with(' ')) return std::nullopt;
  while (!rest.empty()) {
    while (rest.starts_with(' ')) rest.remove_prefix(1);
    auto end = rest.find(' ');
    if (end == std::string_view::npos) end = rest.size();
    if (end > 0) path.params.emplace_back(rest.substr(0, end));
    rest.remove_prefix(end);
  }
  return path;
}

class Session {
 public:
  Session(int fd, int wake_fd, const SmtpSinkOptions& options, Mailbox& mailbox)
      : fd_(fd),
        wake_fd_(wake_fd),
        options_(options),
        mailbox_(mailbox),
        session_deadline_(Steady::now() + options.session_timeout) {}

  void run() {
    if (!reply("220 " + options_.hostname + " ESMTP ecpa-sim (TEST ONLY)")) return;
    for (;;) {
      std::string line;
      switch (read_line(line, kCommandLine)) {
        case Read::Line:
          break;
        case Read::TooLong:
          if (!refuse("500 5.5.2 Line too long (512 octets at most)")) return;
          continue;
        case Read::Timeout:
          reply("421 4.4.2 " + options_.hostname + " Timeout, closing the connection");
          return;
        case Read::Stopping:
          reply("421 4.3.2 " + options_.hostname + " Shutting down");
          return;
        case Read::Closed:
          return;
      }
      auto space = line.find(' ');
      std::string verb = upper(std::string_view(line).substr(0, space));
      std::string_view arg =
          space == std::string::npos ? std::string_view() : std::string_view(line).substr(space + 1);
      bool go_on = true;
      if (verb == "EHLO" || verb == "HELO") {
        go_on = hello(verb == "EHLO", arg);
      } else if (verb == "MAIL") {
        go_on = mail(arg);
      } else if (verb == "RCPT") {
        go_on = rcpt(arg);
      } else if (verb == "DATA") {
        go_on = arg.empty() ? data() : refuse("501 5.5.4 DATA takes no argument");
      } else if (verb == "RSET") {
        reset();
        go_on = reply("250 2.0.0 Ok");
      } else if (verb == "NOOP") {
        go_on = reply("250 2.0.0 Ok");
      } else if (verb == "QUIT") {
        reply("221 2.0.0 " + options_.hostname + " Bye");
        return;
      } else if (verb == "VRFY" || verb == "EXPN" || verb == "HELP" || verb == "STARTTLS" || verb == "AUTH" ||
                 verb == "BDAT" || verb == "ETRN" || verb == "TURN") {
        go_on = refuse("502 5.5.1 Command not implemented");
      } else {
        go_on = refuse("500 5.5.1 Command unrecognized");
      }
      if (!go_on) return;
    }
  }

 private:
  bool hello(bool extended, std::string_view arg) {
    if (arg.empty())
      return refuse(std::string("501 5.5.4 Syntax: ") + (extended ? "EHLO" : "HELO") + " domain");
    reset();  // EHLO/HELO also ends any transaction begun before (RFC 5321 §4.1.4)
    greeted_ = true;
    if (!extended) return reply("250 " + options_.hostname);
    return reply("250-" + options_.hostname + " greets " + std::string(arg) + "\r\n250-SIZE " +
                 std::to_string(options_.max_message_bytes) + "\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES");
  }

  bool mail(std::string_view arg) {
    if (!greeted_) return refuse("503 5.5.1 Send EHLO or HELO first");
    if (from_) return refuse("503 5.5.1 Nested MAIL command");
    auto path = parse_path(arg, "FROM:");
    if (!path) return refuse("501 5.5.4 Syntax: MAIL FROM:<address>");
    for (const auto& p : path->params) {
      if (starts_with_ci(p, "SIZE=")) {
        std::size_t size = 0;
        auto [end, ec] = std::from_chars(p.data() + 5, p.data() + p.size(), size);
        if (ec != std::errc() || end != p.data() + p.size()) return refuse("501 5.5.4 Bad SIZE parameter");
        // Refused here, before the message is sent (RFC 1870): the client knows its size.
        if (size > options_.max_message_bytes) return refuse("552 5.3.4 Message size exceeds fixed limit");
      } else if (!http::iequals(p, "BODY=7BIT") && !http::iequals(p, "BODY=8BITMIME")) {
        return refuse("555 5.5.4 Unsupported parameter " + p);
      }
    }
    from_ = path->address;
    return reply("250 2.1.0 Ok");
  }

  bool rcpt(std::string_view arg) {
    if (!from_) return refuse("503 5.5.1 Need MAIL before RCPT");
    auto path = parse_path(arg, "TO:");
    if (!path || path->address.empty()) return refuse("501 5.5.4 Syntax: RCPT TO:<address>");
    if (!path->params.empty()) return refuse("555 5.5.4 Unsupported parameter " + path->params.front());
    if (to_.size() >= options_.max_recipients) return refuse("452 4.5.3 Too many recipients");
    to_.push_back(path->address);
    return reply("250 2.1.5 Ok");
  }

  bool data() {
    if (!from_) return refuse("503 5.5.1 Need MAIL before DATA");
    if (to_.empty()) return refuse("503 5.5.1 Need RCPT before DATA");
    if (!reply("354 End data with <CR><LF>.<CR><LF>")) return false;
    std::string message;
    std::size_t size = 0;
    bool too_big = false, too_long = false;
    for (;;) {
      std::string line;
      switch (read_line(line, kTextLine)) {
        case Read::Line:
          break;
        case Read::TooLong:
          // Read on to the end of the message, so that the answer comes when the client waits for it.
          too_long = true;
          continue;
        case Read::Timeout:
          reply("421 4.4.2 " + options_.hostname + " Timeout, closing the connection");
          return false;
        case Read::Stopping:
          reply("421 4.3.2 " + options_.hostname + " Shutting down");
          return false;
        case Read::Closed:
          return false;
      }
      if (line == ".") break;
      if (line.starts_with('.')) line.erase(0, 1);  // dot-unstuffing (RFC 5321 §4.5.2)
      size += line.size() + 2;
      if (size > options_.max_message_bytes) too_big = true;
      if (too_big || too_long) {
        message.clear();  // what will be refused is not kept in memory
        continue;
      }
      message += line;
      message += "\r\n";
    }
    std::string from = *from_;
    std::vector<std::string> to = std::move(to_);
    reset();
    if (too_big) return refuse("552 5.3.4 Message size exceeds fixed limit");
    if (too_long) return refuse("500 5.5.2 Line too long (1000 octets at most)");
    try {
      auto stored = mailbox_.deliver(std::move(from), std::move(to), std::move(message));
      return reply("250 2.0.0 Ok: queued as " + stored.id);
    } catch (const Error&) {
      return reply("451 4.3.0 Cannot store the message");
    }
  }

  void reset() {
    from_.reset();
    to_.clear();
  }

  // A refusal; after max_errors of them the connection is closed (a client in a loop, or not SMTP).
  bool refuse(const std::string& text) {
    if (!reply(text)) return false;
    if (++errors_ < options_.max_errors) return true;
    reply("421 4.7.0 " + options_.hostname + " Too many errors, closing the connection");
    return false;
  }

  bool reply(const std::string& text) {
    std::string out = text + "\r\n";
    std::size_t done = 0;
    while (done < out.size()) {
      // SO_SNDTIMEO bounds this for a client that does not read.
      ssize_t n = ::send(fd_, out.data() + done, out.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  Read wait_readable(Steady::time_point deadline) {
    for (;;) {
      auto now = Steady::now();
      if (now >= deadline) return Read::Timeout;
      auto ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
      pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
      int r = ::poll(fds, 2, static_cast<int>(std::min<long long>(ms, 60'000)));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return Read::Closed;
      if (r == 0) continue;
      if (fds[1].revents != 0) return Read::Stopping;
      if (fds[0].revents != 0) return Read::Line;
    }
  }

  // One line ended by CRLF, without it. A line longer than `max` (CRLF included) is read to its end and
  // dropped (TooLong), so the conversation can go on after the refusal.
  Read read_line(std::string& line, std::size_t max) {
    auto deadline = std::min(Steady::now() + options_.read_timeout, session_deadline_);
    bool too_long = false;
    for (;;) {
      auto crlf = in_.find("\r\n");
      if (crlf != std::string::npos) {
        bool fits = !too_long && crlf + 2 <= max;
        if (fits) line.assign(in_, 0, crlf);
        in_.erase(0, crlf + 2);
        return fits ? Read::Line : Read::TooLong;
      }
      if (in_.size() >= max) {
        too_long = true;
        // Keep a final CR: the LF that ends the line may come with the next read.
        bool cr = in_.back() == '\r';
        in_.assign(cr ? "\r" : "");
      }
      if (Read r = wait_readable(deadline); r != Read::Line) return r;
      char buffer[16384];
      ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n == 0) return Read::Closed;
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return Read::Closed;
      }
      in_.append(buffer, static_cast<std::size_t>(n));
    }
  }

  int fd_;
  int wake_fd_;
  const SmtpSinkOptions& options_;
  Mailbox& mailbox_;
  Steady::time_point session_deadline_;
  std::string in_;
  bool greeted_ = false;
  std::optional<std::string> from_;
  std::vector<std::string> to_;
  std::size_t errors_ = 0;
};

void set_send_timeout(int fd, std::chrono::milliseconds t) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(t.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((t.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

struct SmtpSink::Impl {
  struct Worker {
    std::thread thread;
    std::atomic<bool> done{false};
  };

  Impl(SmtpSinkOptions o, Mailbox& m) : options(std::move(o)), mailbox(m) {}

  void accept_loop() {
    for (;;) {
      pollfd fds[2] = {{listen_fd, POLLIN, 0}, {wake[0], POLLIN, 0}};
      int r = ::poll(fds, 2, -1);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0 || fds[1].revents != 0) return;
      if ((fds[0].revents & POLLIN) == 0) continue;
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        // Out of descriptors: wait a little instead of spinning on a listen queue we cannot empty.
        if (errno == EMFILE || errno == ENFILE) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      set_send_timeout(fd, options.read_timeout);
      workers.remove_if([](Worker& w) {
        if (!w.done) return false;
        w.thread.join();
        return true;
      });
      if (workers.size() >= options.max_connections) {
        static constexpr std::string_view kBusy = "421 4.7.0 Too many connections, try again later\r\n";
        (void)::send(fd, kBusy.data(), kBusy.size(), MSG_NOSIGNAL);
        ::close(fd);
        continue;
      }
      Worker& w = workers.emplace_back();
      w.thread = std::thread([this, fd, &w] {
        try {
          Session(fd, wake[0], options, mailbox).run();
        } catch (const std::exception&) {
          // One broken connection (out of memory, a bug) must not take the sink down; it is closed.
        }
        ::close(fd);
        w.done = true;
      });
    }
  }

  SmtpSinkOptions options;
  Mailbox& mailbox;
  int listen_fd = -1;
  // Written once by stop() and never read, so it stays readable: every poll() of every thread wakes.
  int wake[2] = {-1, -1};
  std::uint16_t port = 0;
  std::thread acceptor;
  std::list<Worker> workers;  // the accept thread's alone until stop() has joined it
  std::mutex stop_mutex;
  bool stopped = false;
};

SmtpSink::SmtpSink(SmtpSinkOptions options, Mailbox& mailbox)
    : impl_(std::make_unique<Impl>(std::move(options), mailbox)) {
  Impl& s = *impl_;
  auto fail = [&](ErrorCode code, const std::string& what) {
    std::string cause = what + ": " + std::strerror(errno);
    if (s.listen_fd >= 0) ::close(s.listen_fd);
    for (int fd : s.wake) {
      if (fd >= 0) ::close(fd);
    }
    s.listen_fd = s.wake[0] = s.wake[1] = -1;
    s.stopped = true;
    throw Error(code, cause);
  };
  s.listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s.listen_fd < 0) fail(codes::INTERNAL_ERROR, "socket");
  int one = 1;
  ::setsockopt(s.listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  // Loopback only, and not configurable: a test sink full of reset links must never face a network.
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(s.options.port);
  if (::bind(s.listen_fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    fail(codes::SIM_ARGUMENT_INVALID, "cannot listen on 127.0.0.1:" + std::to_string(s.options.port));
  }
  if (::listen(s.listen_fd, 64) != 0) fail(codes::INTERNAL_ERROR, "listen");
  socklen_t length = sizeof address;
  if (::getsockname(s.listen_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    fail(codes::INTERNAL_ERROR, "getsockname");
  }
  s.port = ntohs(address.sin_port);
  if (::pipe2(s.wake, O_CLOEXEC | O_NONBLOCK) != 0) fail(codes::INTERNAL_ERROR, "pipe2");
  s.acceptor = std::thread([&s] { s.accept_loop(); });
}

SmtpSink::~SmtpSink() { stop(); }

std::uint16_t SmtpSink::port() const { return impl_->port; }

std::string SmtpSink::url() const { return "smtp://127.0.0.1:" + std::to_string(impl_->port); }

void SmtpSink::stop() {
  Impl& s = *impl_;
  std::lock_guard lock(s.stop_mutex);
  if (s.stopped) return;
  s.stopped = true;
  char byte = 1;
  while (::write(s.wake[1], &byte, 1) < 0 && errno == EINTR) {
  }
  s.acceptor.join();
  for (auto& w : s.workers) w.thread.join();
  s.workers.clear();
  ::close(s.listen_fd);
  ::close(s.wake[0]);
  ::close(s.wake[1]);
}

}  // namespace ecpa::sim
