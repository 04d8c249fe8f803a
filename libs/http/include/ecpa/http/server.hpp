#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "ecpa/common/log.hpp"
#include "ecpa/http/message.hpp"
#include "ecpa/http/middleware.hpp"

namespace ecpa::http {

struct TlsOptions {
  std::filesystem::path certificate_chain;  // PEM: leaf first, then intermediates
  std::filesystem::path private_key;        // PEM
  // Mutual TLS: when set, every client must present a certificate that chains to these PEM anchors
  // (the handshake fails otherwise); handlers find it in Request::tls_client_certificate_der.
  std::filesystem::path client_ca;
};

struct ServerOptions {
  // An explicit address is required ("127.0.0.1", "::1", "192.0.2.10"); "", "0.0.0.0", "::" and
  // host names are refused, so nothing ever listens on every interface by accident.
  std::string address;
  std::uint16_t port = 0;  // 0: the system picks one; see Server::port()

  // Threads doing socket I/O and TLS.
  unsigned io_threads = 2;
  // Handlers run on a separate pool of this many threads, so a handler that blocks (an OCSP fetch
  // upstream) never holds up reading, writing or timing out other connections. 0 runs handlers
  // directly on the I/O threads: fine for programs whose handlers never block (the agent).
  unsigned handler_threads = 4;

  std::size_t max_connections = 1024;                     // more are accepted and closed at once
  std::size_t max_header_bytes = std::size_t{16} * 1024;  // beyond → 431
  std::size_t max_body_bytes = std::size_t{1024} * 1024;  // beyond → 413
  // Time allowed to send a whole request once its first byte arrived, and for the TLS handshake:
  // slow senders (slowloris) are cut off after this.
  std::chrono::milliseconds read_timeout{10'000};
  // Time a keep-alive connection may sit between requests.
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds write_timeout{10'000};
  // How long stop() waits for requests in flight before closing everything.
  std::chrono::milliseconds stop_grace{10'000};
  std::size_t max_requests_per_connection = 1000;

  std::optional<TlsOptions> tls;  // plain HTTP when empty

  // A request header holding the caller's trace ID (e.g. "X-Request-Id" set by the load balancer in
  // front). Only honoured when set here, and only 8–64 characters of [A-Za-z0-9-_]; otherwise new.
  std::string trusted_trace_header;

  // Applied to every response, also the ones the server makes itself (413, 431, 404 …).
  SecurityHeaders security_headers;

  // Where the server logs what it cannot hand to a handler (bad requests, handler exceptions that
  // reached it, TLS failures). Defaults to stderr.
  std::optional<ecpa::log::Logger> logger;
};

// An HTTP/1.1 server (keep-alive, HEAD, optional TLS 1.2+). Starts listening in the constructor;
// runs until stop() or destruction.
class Server {
 public:
  // Throws ecpa::Error CONFIG_INVALID (bad address, TLS files unreadable) or INTERNAL_ERROR (bind
  // failed) with the reason in the cause.
  Server(ServerOptions options, Handler handler);
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  const std::string& address() const;
  // "http://127.0.0.1:41234" (or https); IPv6 addresses in brackets.
  std::string url() const;

  // Graceful stop: no new connections, idle keep-alive connections closed, requests in flight are
  // answered (with Connection: close) for up to stop_grace, then everything is closed and the
  // threads joined. Idempotent; safe from any thread except a handler's.
  void stop();

  // Connections open right now (for tests and metrics).
  std::size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecpa::http
