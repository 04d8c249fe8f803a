#pragma once
// Test helpers: a raw blocking TCP client (to send exactly the bytes a test needs, including
// malformed and slow ones) and scratch directories.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

namespace ecpa::http::test {

class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect failed");
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False when the peer has closed (EPIPE/ECONNRESET).
  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one response (headers + Content-Length body, or headers only for HEAD/1xx/204/304).
  // nullopt when the connection closed or nothing complete arrived in time.
  std::optional<std::string> read_response(std::chrono::milliseconds timeout = std::chrono::seconds(5),
                                           bool head = false) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t header_len = end + 4;
        std::size_t body_len = 0;
        std::string lower;
        for (char c : buffer_.substr(0, header_len)) lower.push_back(static_cast<char>(std::tolower(c)));
        auto cl = lower.find("\r\ncontent-length:");
        if (cl != std::string::npos && !head) body_len = std::stoul(lower.substr(cl + 17));
        if (buffer_.size() >= header_len + body_len) {
          std::string out = buffer_.substr(0, header_len + body_len);
          buffer_.erase(0, header_len + body_len);
          return out;
        }
      }
      if (!fill(deadline)) return std::nullopt;
    }
  }

  // True when the server closes the connection before `timeout` (any bytes sent first are kept).
  bool wait_closed(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!fill(deadline)) return closed_;
    }
    return closed_;
  }

  const std::string& pending() const { return buffer_; }

 private:
  bool fill(std::chrono::steady_clock::time_point deadline) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buffer_;
  bool closed_ = false;
};

inline int status_of(const std::string& response) { return std::stoi(response.substr(9, 3)); }

inline std::string body_of(const std::string& response) {
  auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : response.substr(end + 4);
}

// A fresh directory under the system's temp dir, removed with everything in it afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("ecpa-http-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void run_or_throw(const std::string& command) {
  if (std::system((command + " 2>/dev/null").c_str()) != 0) throw std::runtime_error("failed: " + command);
}

// Throw-away certificates made with the OpenSSL CLI for one test: a CA, a server certificate for
// 127.0.0.1 issued by it, and a client certificate issued by it (for mutual TLS).
struct TestPki {
  ScratchDir dir;
  std::filesystem::path ca_cert = dir.path() / "ca.pem";
  std::filesystem::path ca_key = dir.path() / "ca.key";
  std::filesystem::path server_cert = dir.path() / "server.pem";
  std::filesystem::path server_key = dir.path() / "server.key";
  std::filesystem::path client_cert = dir.path() / "client.pem";
  std::filesystem::path client_key = dir.path() / "client.key";

  TestPki() {
    const std::string d = dir.path().string();
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
    run_or_throw("openssl req -x509" + ec + " -days 1 -subj /CN=Test-CA -keyout " + ca_key.string() +
                 " -out " + ca_cert.string());
    issue("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth", server_cert,
          server_key, ec);
    issue("client", "/CN=relying-party", "extendedKeyUsage=clientAuth", client_cert, client_key, ec);
  }

 private:
  void issue(const std::string& name, const std::string& subject, const std::string& extensions,
             const std::filesystem::path& cert, const std::filesystem::path& key, const std::string& ec) {
    auto csr = dir.path() / (name + ".csr");
    auto ext = dir.path() / (name + ".ext");
    run_or_throw("printf '" + extensions + "\n' > " + ext.string());
    run_or_throw("openssl req" + ec + " -subj " + subject + " -keyout " + key.string() + " -out " +
                 csr.string());
    run_or_throw("openssl x509 -req -days 1 -in " + csr.string() + " -CA " + ca_cert.string() + " -CAkey " +
                 ca_key.string() + " -CAcreateserial -extfile " + ext.string() + " -out " + cert.string());
  }
};

}  // namespace ecpa::http::test
