#pragma once
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "ecpa/http/message.hpp"

namespace ecpa::http {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds total_timeout{15'000};  // whole exchange, per request
  // Headers + body beyond this abort the transfer (UPSTREAM_TOO_LARGE): an upstream must not be
  // able to fill our memory.
  std::size_t max_response_bytes = std::size_t{10} * 1024 * 1024;
  std::filesystem::path ca_file;  // PEM trust anchors for https; empty: the system's store
  // Client certificate for mutual TLS (PEM), e.g. for the ICSC identity check.
  std::filesystem::path client_certificate;
  std::filesystem::path client_key;
  // Off by default: OCSP and ICSC answers must come from the host we asked, not wherever a 30x points.
  bool follow_redirects = false;
  // Off by default: http_proxy/https_proxy in a service's environment must not silently reroute
  // revocation checks. Set a proxy explicitly instead.
  bool use_environment_proxy = false;
  std::string proxy;  // "http://proxy.example:3128"; empty: none
  std::string user_agent = "openecpa";
};

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // http:// or https:// only
  Headers headers;
  std::string body;
  // Overrides ClientOptions::total_timeout for this request.
  std::optional<std::chrono::milliseconds> timeout;
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

// Outbound HTTP(S) through libcurl — the only place in the project that calls libcurl. Any status is
// a result (the caller decides what a 404 means); failures to get an answer at all throw ecpa::Error:
// UPSTREAM_TIMEOUT, UPSTREAM_TOO_LARGE, or UPSTREAM_UNAVAILABLE (connection, TLS, bad URL), with the
// details in the cause. Thread-safe: each request uses its own curl handle.
class Client {
 public:
  explicit Client(ClientOptions options = {});

  ClientResponse send(const ClientRequest& request) const;
  ClientResponse get(std::string url) const;
  ClientResponse post(std::string url, std::string body, std::string_view content_type) const;

  const ClientOptions& options() const { return options_; }

 private:
  ClientOptions options_;
};

}  // namespace ecpa::http
