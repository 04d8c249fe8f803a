// The only translation unit that includes Boost.Beast: it costs ~15 s and ~700 MB to compile, so the
// public headers stay Beast-free and everything else in this library is plain C++.
#include <utility>  // before asio: Boost 1.74's awaitable.hpp needs std::exchange

// Boost 1.74 turns co_await on for clang only through <experimental/coroutine>, which libstdc++ does
// not have; clang 14+ works with libstdc++'s <coroutine>, so tell Asio (clang-tidy, clang presets).
#if defined(__clang__) && !defined(BOOST_ASIO_HAS_CO_AWAIT) && defined(__cpp_impl_coroutine)
#define BOOST_ASIO_HAS_CO_AWAIT 1
#endif

#include "ecpa/http/server.hpp"

// The one OpenSSL user outside libs/crypto, on purpose: Asio's TLS context is configured through OpenSSL's
// own API (minimum version, cipher list, no compression or renegotiation, peer certificate as DER). Only
// that here; see README.md, "Why src/server.cpp includes OpenSSL headers".
#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <map>
#include <mutex>
#include <thread>
#include <variant>

#include "ecpa/common/error.hpp"
#include "ecpa/http/url.hpp"

namespace ecpa::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Mozilla's "intermediate" TLS 1.2 list: forward secrecy and AEAD only. TLS 1.3 suites are OpenSSL's
// defaults, which are all good.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

bool valid_trace_id(std::string_view id) {
  if (id.size() < 8 || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::unique_ptr<asio::ssl::context> make_tls_context(const TlsOptions& tls) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  // Compression (CRIME) and client-initiated renegotiation (a CPU-exhaustion lever) are both off.
  SSL_CTX_set_options(native,
                      SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    throw ecpa::Error(ecpa::codes::CONFIG_INVALID, "TLS cipher list rejected by OpenSSL");
  }
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(tls.certificate_chain.string(), ec);
  if (ec) {
    throw ecpa::Error(ecpa::codes::CONFIG_INVALID, "cannot load TLS certificate chain " +
                                                       tls.certificate_chain.string() + ": " + ec.message());
  }
  ctx->use_private_key_file(tls.private_key.string(), asio::ssl::context::pem, ec);
  if (ec) {
    throw ecpa::Error(ecpa::codes::CONFIG_INVALID,
                      "cannot load TLS private key " + tls.private_key.string() + ": " + ec.message());
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    throw ecpa::Error(ecpa::codes::CONFIG_INVALID, "TLS private key does not match the certificate");
  }
  if (!tls.client_ca.empty()) {
    ctx->load_verify_file(tls.client_ca.string(), ec);
    if (ec) {
      throw ecpa::Error(ecpa::codes::CONFIG_INVALID,
                        "cannot load TLS client CA " + tls.client_ca.string() + ": " + ec.message());
    }
    ctx->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
  }
  return ctx;
}

// Only "Transfer-Encoding: chunked" (or none). Other codings, lists and repeats are where front-end
// proxies and we could disagree about where a body ends (request smuggling), and no client of ours
// sends them.
bool plain_framing(const bhttp::request<bhttp::string_body>& header) {
  auto [first, last] = header.equal_range(bhttp::field::transfer_encoding);
  if (first == last) return true;
  if (std::next(first) != last) return false;
  std::string_view value(first->value().data(), first->value().size());
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return beast::iequals(value, "chunked");
}

// Facts about one connection that every request on it shares.
struct Peer {
  tcp::endpoint remote;
  bool tls = false;
  std::string client_certificate_der;
};

std::string peer_certificate_der(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return {};
  std::string der;
  int len = i2d_X509(cert, nullptr);
  if (len > 0) {
    der.resize(static_cast<std::size_t>(len));
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    if (i2d_X509(cert, &out) != len) der.clear();
  }
  X509_free(cert);
  return der;
}

// What stop() needs to reach a connection: its strand, whether it is waiting for a request, and a
// way to close it. Touched only on that strand.
struct ConnectionState {
  asio::any_io_executor strand;
  bool idle = false;
  std::function<void()> close;
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  ecpa::log::Logger logger;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connections{0};
  std::mutex connections_mutex;
  std::uint64_t next_connection_id = 0;
  std::map<std::uint64_t, std::weak_ptr<ConnectionState>> live;
  std::mutex stop_mutex;
  bool stopped = false;
  std::unique_ptr<asio::ssl::context> tls;
  std::unique_ptr<asio::thread_pool> pool;
  // Destroyed before the members above (reverse order): pending coroutine frames die with the
  // io_context and their destructors still use the counters and the logger.
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  tcp::endpoint bound;
  std::vector<std::thread> threads;

  Impl(ServerOptions opts, Handler h)
      : options(std::move(opts)),
        handler(std::move(h)),
        logger(options.logger ? *options.logger : ecpa::log::Logger::to_stderr("http")) {}

  // Runs the handler chain; never throws (the last line of defence: a bug in a handler must not take
  // the connection, let alone the process, down).
  Response invoke(const Request& request) const {
    try {
      return handler(request);
    } catch (const ecpa::Error& e) {
      logger.with_trace(request.trace_id)
          .log(e.http_status() >= 500 ? ecpa::log::Level::Error : ecpa::log::Level::Info, "http.error",
               {{"code", std::string(e.code().value)}, {"cause", e.cause()}, {"path", request.path}});
      return error_response(e, request);
    } catch (const std::exception& e) {
      logger.with_trace(request.trace_id)
          .error("http.exception", {{"cause", e.what()}, {"path", request.path}});
      return error_response(ecpa::Error(ecpa::codes::INTERNAL_ERROR, e.what()), request);
    } catch (...) {
      logger.with_trace(request.trace_id)
          .error("http.exception", {{"cause", "unknown"}, {"path", request.path}});
      return error_response(ecpa::Error(ecpa::codes::INTERNAL_ERROR, "unknown exception"), request);
    }
  }

  asio::awaitable<Response> run_handler(const Request& request) {
    if (!pool) co_return invoke(request);
    co_return co_await asio::co_spawn(
        pool->get_executor(), [this, &request]() -> asio::awaitable<Response> { co_return invoke(request); },
        asio::use_awaitable);
  }

  std::string new_trace(const bhttp::request<bhttp::string_body>& msg) const {
    if (!options.trusted_trace_header.empty()) {
      auto it = msg.find(options.trusted_trace_header);
      if (it != msg.end() && valid_trace_id(std::string_view(it->value().data(), it->value().size()))) {
        return std::string(it->value());
      }
    }
    return ecpa::log::new_trace_id();
  }

  // Builds the Request; an undecodable target becomes an error response instead.
  std::variant<Request, Response> to_request(bhttp::request<bhttp::string_body>&& msg,
                                             const Peer& peer) const {
    Request request;
    request.method = std::string(msg.method_string());
    request.target = std::string(msg.target());
    request.remote_address = peer.remote.address().to_string();
    request.remote_port = peer.remote.port();
    request.tls = peer.tls;
    request.tls_client_certificate_der = peer.client_certificate_der;
    request.trace_id = new_trace(msg);
    for (const auto& field : msg) {
      request.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    try {
      // RFC 9112 §3.2: an HTTP/1.1 request without a Host field, or with more than one, is answered 400.
      // The portal and the agent judge the Host (the agent refuses other names); a request that leaves
      // it out or names two must not slip past that judgement. Two are refused in HTTP/1.0 too.
      const auto hosts = msg.count(bhttp::field::host);
      if (hosts > 1 || (hosts == 0 && msg.version() >= 11)) {
        throw ecpa::Error(ecpa::codes::BAD_REQUEST, "not exactly one Host field");
      }
      // Only origin-form ("/path?query"): absolute-form is for proxies, and "*" is for OPTIONS to
      // the server as a whole, neither of which we are.
      if (request.target.empty() || request.target.front() != '/') {
        throw ecpa::Error(ecpa::codes::BAD_REQUEST, "request target is not origin-form");
      }
      auto q = request.target.find('?');
      request.raw_path = request.target.substr(0, q);
      if (q != std::string::npos) request.query_string = request.target.substr(q + 1);
      auto path = percent_decode(request.raw_path, false);
      if (!path || path->find('\0') != std::string::npos) {
        throw ecpa::Error(ecpa::codes::BAD_REQUEST, "undecodable request path");
      }
      request.path = std::move(*path);
      request.query = parse_query(request.query_string);
    } catch (const ecpa::Error& e) {
      request.query.clear();
      return error_response(e, request);
    }
    request.body = std::move(msg.body());
    return request;
  }

  Response server_error(ecpa::ErrorCode code, std::string cause) const {
    Request none;
    none.trace_id = ecpa::log::new_trace_id();
    logger.with_trace(none.trace_id)
        .info("http.refused", {{"code", std::string(code.value)}, {"cause", cause}});
    Response response = error_response(ecpa::Error(code, std::move(cause)), none);
    response.headers.set("X-Trace-Id", none.trace_id);
    return response;
  }

  template <class Stream>
  asio::awaitable<void> write(Stream& stream, Response response, unsigned version, bool keep_alive, bool head,
                              bool is_tls) {
    apply_security_headers(response, options.security_headers, is_tls);
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(response.status), version};
    for (const auto& [name, value] : response.headers.fields()) {
      // Framing is ours to decide; a handler's own Content-Length could desynchronise the stream.
      if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
          iequals(name, "Connection")) {
        continue;
      }
      out.insert(name, value);
    }
    if (response.status < 200 || response.status == 204 || response.status == 304) response.body.clear();
    out.body() = std::move(response.body);
    out.keep_alive(keep_alive);
    out.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(options.write_timeout);
    if (head) {
      bhttp::response_serializer<bhttp::string_body> serializer{out};
      co_await bhttp::async_write_header(stream, serializer, asio::use_awaitable);
    } else {
      co_await bhttp::async_write(stream, out, asio::use_awaitable);
    }
  }

  // After refusing a request whose body we did not read, give the client a moment to read our answer
  // before the close: closing with unread data makes the kernel send RST, which can destroy the
  // answer in flight.
  template <class Stream>
  asio::awaitable<void> linger(Stream& stream) {
    auto& tcp_layer = beast::get_lowest_layer(stream);
    boost::system::error_code ignored;
    tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ignored);
    tcp_layer.expires_after(std::chrono::milliseconds(500));
    std::array<char, 16384> scratch;
    std::size_t drained = 0;
    try {
      while (drained < std::size_t{1024} * 1024) {
        drained += co_await tcp_layer.async_read_some(asio::buffer(scratch), asio::use_awaitable);
      }
    } catch (const boost::system::system_error&) {
    }
  }

  template <class Stream>
  asio::awaitable<void> serve_requests(Stream& stream, ConnectionState& state, const Peer& peer) {
    const bool is_tls = peer.tls;
    beast::flat_buffer buffer;
    auto& tcp_layer = beast::get_lowest_layer(stream);
    for (std::size_t n = 0; n < options.max_requests_per_connection; ++n) {
      if (stopping) co_return;
      if (buffer.size() == 0) {
        // Between requests a connection may idle longer than a request may take to arrive.
        state.idle = true;
        tcp_layer.expires_after(n == 0 ? options.read_timeout : options.idle_timeout);
        std::size_t got = co_await stream.async_read_some(buffer.prepare(4096), asio::use_awaitable);
        buffer.commit(got);
        state.idle = false;
      }
      tcp_layer.expires_after(options.read_timeout);
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(
          static_cast<std::uint32_t>(std::min<std::size_t>(options.max_header_bytes, UINT32_MAX)));
      parser.body_limit(options.max_body_bytes);
      std::optional<Response> refusal;
      try {
        co_await bhttp::async_read_header(stream, buffer, parser, asio::use_awaitable);
        if (!plain_framing(parser.get())) {
          refusal = server_error(ecpa::codes::BAD_REQUEST, "transfer coding other than chunked");
        } else {
          if (auto expect = parser.get().find(bhttp::field::expect);
              expect != parser.get().end() && beast::iequals(expect->value(), "100-continue")) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()),
                                       asio::use_awaitable);
          }
          co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
        }
      } catch (const boost::system::system_error& e) {
        if (e.code() == bhttp::error::header_limit) {
          refusal = server_error(ecpa::codes::HEADERS_TOO_LARGE, "request header over the limit");
        } else if (e.code() == bhttp::error::body_limit) {
          refusal = server_error(ecpa::codes::PAYLOAD_TOO_LARGE, "request body over the limit");
        } else if (e.code().category() == bhttp::make_error_code(bhttp::error::header_limit).category() &&
                   e.code() != bhttp::error::end_of_stream && e.code() != bhttp::error::partial_message) {
          refusal = server_error(ecpa::codes::BAD_REQUEST, "malformed HTTP request: " + e.code().message());
        } else {
          throw;  // timeout, reset, end of stream: nobody to answer
        }
      }
      if (refusal) {
        co_await write(stream, std::move(*refusal), 11, false, false, is_tls);
        co_await linger(stream);
        co_return;
      }

      auto msg = parser.release();
      unsigned version = msg.version();
      bool head = msg.method() == bhttp::verb::head;
      bool keep_alive = msg.keep_alive();
      auto built = to_request(std::move(msg), peer);
      Response response;
      if (auto* ready = std::get_if<Response>(&built)) {
        response = std::move(*ready);
        keep_alive = false;
      } else {
        const Request& request = std::get<Request>(built);
        response = co_await run_handler(request);
        response.headers.set_default("X-Trace-Id", request.trace_id);
      }
      keep_alive = keep_alive && !stopping && n + 1 < options.max_requests_per_connection;
      co_await write(stream, std::move(response), version, keep_alive, head, is_tls);
      if (!keep_alive) co_return;
    }
  }

  asio::awaitable<void> serve_connection(tcp::socket socket, std::uint64_t id,
                                         std::shared_ptr<ConnectionState> state) {
    struct Release {
      Impl& impl;
      std::uint64_t id;
      ~Release() {
        std::lock_guard lock(impl.connections_mutex);
        impl.live.erase(id);
        impl.connections.fetch_sub(1);
      }
    } release{*this, id};
    boost::system::error_code ec;
    tcp::endpoint remote = socket.remote_endpoint(ec);
    if (ec) co_return;
    socket.set_option(tcp::no_delay(true), ec);
    try {
      if (tls) {
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls);
        auto& tcp_stream = beast::get_lowest_layer(stream);
        state->close = [&tcp_stream] {
          boost::system::error_code ignored;
          tcp_stream.socket().close(ignored);
        };
        tcp_stream.expires_after(options.read_timeout);
        co_await stream.async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
        Peer peer{remote, true, peer_certificate_der(stream.native_handle())};
        co_await serve_requests(stream, *state, peer);
        tcp_stream.expires_after(std::chrono::seconds(1));
        try {
          co_await stream.async_shutdown(asio::use_awaitable);
        } catch (const boost::system::system_error&) {
          // Most clients close without a close_notify of their own; nothing to do.
        }
        state->close = nullptr;
      } else {
        beast::tcp_stream tcp_stream(std::move(socket));
        state->close = [&tcp_stream] {
          boost::system::error_code ignored;
          tcp_stream.socket().close(ignored);
        };
        // A named variable, not a temporary in the co_await expression: GCC 12 destroys such
        // temporaries twice.
        Peer peer{remote, false, {}};
        co_await serve_requests(tcp_stream, *state, peer);
        tcp_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        state->close = nullptr;
      }
    } catch (const boost::system::system_error& e) {
      logger.debug("http.connection_closed",
                   {{"reason", e.code().message()}, {"remote", remote.address().to_string()}});
    } catch (const std::exception& e) {
      logger.error("http.connection_failed", {{"cause", e.what()}, {"remote", remote.address().to_string()}});
    }
    state->close = nullptr;
  }

  asio::awaitable<void> accept_loop() {
    while (!stopping) {
      tcp::socket socket{ioc};
      bool failed = false;
      try {
        // Each connection gets its own strand: its timers and reads never race across I/O threads.
        socket = co_await acceptor.async_accept(asio::make_strand(ioc), asio::use_awaitable);
      } catch (const boost::system::system_error& e) {
        if (e.code() == asio::error::operation_aborted || stopping) co_return;
        logger.warn("http.accept_failed", {{"reason", e.code().message()}});
        failed = true;
      }
      if (failed) {
        // Out of file descriptors and the like: wait a little instead of spinning.
        asio::steady_timer pause{ioc, std::chrono::milliseconds(50)};
        co_await pause.async_wait(asio::use_awaitable);
        continue;
      }
      if (connections.load() >= options.max_connections || stopping) {
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
      auto state = std::make_shared<ConnectionState>();
      state->strand = socket.get_executor();
      std::uint64_t id;
      {
        std::lock_guard lock(connections_mutex);
        id = next_connection_id++;
        live[id] = state;
        connections.fetch_add(1);
      }
      auto executor = socket.get_executor();
      asio::co_spawn(executor, serve_connection(std::move(socket), id, std::move(state)), asio::detached);
    }
  }

  void stop() {
    std::lock_guard guard(stop_mutex);
    if (stopped) return;
    stopped = true;
    stopping = true;
    asio::post(acceptor.get_executor(), [this] {
      boost::system::error_code ignored;
      acceptor.close(ignored);
    });
    {
      std::lock_guard lock(connections_mutex);
      for (auto& [id, weak] : live) {
        if (auto state = weak.lock()) {
          asio::post(state->strand, [state] {
            if (state->idle && state->close) state->close();
          });
        }
      }
    }
    auto deadline = std::chrono::steady_clock::now() + options.stop_grace;
    while (connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ioc.stop();
    for (auto& t : threads) {
      if (t.joinable()) t.join();
    }
    if (pool) pool->join();
  }
};

Server::Server(ServerOptions options, Handler handler) {
  if (!handler) throw std::invalid_argument("server needs a handler");
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options.address, ec);
  if (ec || address.is_unspecified()) {
    throw ecpa::Error(ecpa::codes::CONFIG_INVALID,
                      "listen address must be an explicit IP address, not '" + options.address + "'");
  }
  if (options.io_threads == 0) options.io_threads = 1;
  impl_ = std::make_unique<Impl>(std::move(options), std::move(handler));
  Impl& impl = *impl_;
  if (impl.options.tls) impl.tls = make_tls_context(*impl.options.tls);
  if (impl.options.handler_threads > 0)
    impl.pool = std::make_unique<asio::thread_pool>(impl.options.handler_threads);

  tcp::endpoint endpoint{address, impl.options.port};
  impl.acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl.acceptor.bind(endpoint, ec);
  if (!ec) impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw ecpa::Error(ecpa::codes::INTERNAL_ERROR, "cannot listen on " + impl.options.address + ":" +
                                                       std::to_string(impl.options.port) + ": " +
                                                       ec.message());
  }
  impl.bound = impl.acceptor.local_endpoint();
  asio::co_spawn(impl.ioc, impl.accept_loop(), asio::detached);
  for (unsigned i = 0; i < impl.options.io_threads; ++i) {
    impl.threads.emplace_back([&impl] {
      // run() returns when stopped; a handler exception cannot reach here (invoke() catches all).
      impl.ioc.run();
    });
  }
  impl.logger.info(
      "http.listening",
      {{"address", impl.options.address}, {"port", impl.bound.port()}, {"tls", impl.tls != nullptr}});
}

Server::~Server() {
  if (impl_) impl_->stop();
}

std::uint16_t Server::port() const { return impl_->bound.port(); }
const std::string& Server::address() const { return impl_->options.address; }

std::string Server::url() const {
  std::string host =
      impl_->bound.address().is_v6() ? "[" + impl_->options.address + "]" : impl_->options.address;
  return std::string(impl_->tls ? "https://" : "http://") + host + ":" + std::to_string(port());
}

void Server::stop() { impl_->stop(); }

std::size_t Server::open_connections() const { return impl_->connections.load(); }

}  // namespace ecpa::http
