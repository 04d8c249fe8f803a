#include "ecpa/http/client.hpp"

#include <curl/curl.h>

#include "curl_support.hpp"
#include "ecpa/common/error.hpp"

namespace ecpa::http {
namespace {

// The URL for logs and error causes, without the query (it can carry tokens).
std::string loggable(std::string_view url) { return std::string(url.substr(0, url.find('?'))); }

struct Transfer {
  std::size_t limit = 0;
  std::size_t received = 0;
  bool too_large = false;
  ClientResponse response;

  bool account(std::size_t n) {
    received += n;
    if (received > limit) too_large = true;
    return !too_large;
  }
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * count;
  if (!t->account(n)) return 0;  // a short count makes curl abort with CURLE_WRITE_ERROR
  t->response.body.append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * count;
  if (!t->account(n)) return 0;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    // A new status line (after 100 Continue, or a redirect when allowed): start over.
    t->response.headers = Headers{};
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  try {
    t->response.headers.add(line.substr(0, colon), value);
  } catch (const std::invalid_argument&) {
    // A malformed header name from upstream is dropped rather than trusted.
  }
  return n;
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) { detail::curl_global_init_once(); }

ClientResponse Client::get(std::string url) const {
  ClientRequest r;
  r.url = std::move(url);
  return send(r);
}

ClientResponse Client::post(std::string url, std::string body, std::string_view content_type) const {
  ClientRequest r;
  r.method = "POST";
  r.url = std::move(url);
  r.body = std::move(body);
  r.headers.set("Content-Type", content_type);
  return send(r);
}

ClientResponse Client::send(const ClientRequest& request) const {
  detail::CurlEasy easy = detail::new_curl_easy();
  CURL* c = easy.get();
  Transfer transfer;
  transfer.limit = options_.max_response_bytes;

  detail::CurlList headers;
  for (const auto& [name, value] : request.headers.fields()) {
    std::string line = name;
    line += ": ";
    line += value;
    headers.append(line);
  }
  // curl would otherwise wait up to a second for "100 Continue" before sending a body over 1 KiB.
  headers.append("Expect:");

  auto timeout = request.timeout.value_or(options_.total_timeout);
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  // Signals are unusable in a threaded program; timeouts then rely on curl's threaded resolver.
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, options_.follow_redirects ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
  curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.client_certificate.empty()) {
    curl_easy_setopt(c, CURLOPT_SSLCERT, options_.client_certificate.c_str());
    curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
  }
  if (!options_.client_key.empty()) {
    curl_easy_setopt(c, CURLOPT_SSLKEY, options_.client_key.c_str());
    curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
  }
  if (!options_.proxy.empty()) {
    curl_easy_setopt(c, CURLOPT_PROXY, options_.proxy.c_str());
  } else if (!options_.use_environment_proxy) {
    curl_easy_setopt(c, CURLOPT_PROXY, "");  // "" disables the environment's proxy
  }

  if (request.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET" || !request.body.empty()) {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }

  char error_text[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_text);

  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    std::string cause = request.method + " " + loggable(request.url) + ": " + curl_easy_strerror(rc) +
                        (error_text[0] ? std::string(" (") + error_text + ")" : std::string());
    if (transfer.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      throw ecpa::Error(ecpa::codes::UPSTREAM_TOO_LARGE, cause);
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) throw ecpa::Error(ecpa::codes::UPSTREAM_TIMEOUT, cause);
    throw ecpa::Error(ecpa::codes::UPSTREAM_UNAVAILABLE, cause);
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  transfer.response.status = static_cast<int>(status);
  return std::move(transfer.response);
}

}  // namespace ecpa::http
