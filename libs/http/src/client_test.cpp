#include "ecpa/http/client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "ecpa/common/error.hpp"
#include "ecpa/http/router.hpp"
#include "ecpa/http/server.hpp"
#include "test_support.hpp"

namespace ecpa::http {
namespace {

using namespace std::chrono_literals;

ServerOptions local_options() {
  ServerOptions o;
  o.address = "127.0.0.1";
  o.logger = ecpa::log::Logger::to_stderr("http-test", ecpa::log::Level::Warn);
  return o;
}

Router upstream() {
  Router r;
  r.get("/ok", [](const Request& q) {
    Response res = Response::text("fine", 200);
    res.headers.add("X-Echo", q.headers.get_or("X-Client", "none"));
    res.headers.add("Set-Cookie", "a=1");
    res.headers.add("Set-Cookie", "b=2");
    return res;
  });
  r.post("/ocsp", [](const Request& q) {
    Response res;
    res.headers.set("Content-Type", "application/ocsp-response");
    res.body = "echo:" + q.headers.get_or("Content-Type", "") + ":" + q.body;
    return res;
  });
  r.add("PUT", "/put", [](const Request& q) { return Response::text(q.method + ":" + q.body); });
  r.get("/slow", [](const Request&) {
    std::this_thread::sleep_for(1500ms);
    return Response::text("late");
  });
  r.get("/big", [](const Request&) { return Response::text(std::string(100'000, 'x')); });
  r.get("/moved", [](const Request&) { return Response::redirect("/ok", 302); });
  r.get("/whoami", [](const Request& q) {
    return Response::json({{"cert_bytes", q.tls_client_certificate_der.size()}, {"tls", q.tls}});
  });
  return r;
}

ecpa::ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ecpa::Error& e) {
    return e.code();
  }
  return ecpa::ErrorCode{"NO_ERROR"};
}

TEST(Client, GetAndPostRoundTrip) {
  Router router = upstream();
  Server server(local_options(), router.handler());
  Client client;
  ClientRequest get;
  get.url = server.url() + "/ok";
  get.headers.set("X-Client", "portal");
  auto r = client.send(get);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "fine");
  EXPECT_EQ(r.headers.get_or("x-echo", ""), "portal");
  EXPECT_EQ(r.headers.get_all("set-cookie").size(), 2u);

  // A body over 1 KiB: no "Expect: 100-continue" stall.
  std::string big(5000, 'q');
  auto start = std::chrono::steady_clock::now();
  auto p = client.post(server.url() + "/ocsp", big, "application/ocsp-request");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 800ms);
  EXPECT_EQ(p.status, 200);
  EXPECT_EQ(p.body, "echo:application/ocsp-request:" + big);

  ClientRequest put;
  put.method = "PUT";
  put.url = server.url() + "/put";
  put.body = "x";
  EXPECT_EQ(client.send(put).body, "PUT:x");

  ClientRequest head;
  head.method = "HEAD";
  head.url = server.url() + "/ok";
  auto h = client.send(head);
  EXPECT_EQ(h.status, 200);
  EXPECT_TRUE(h.body.empty());
}

TEST(Client, ErrorStatusesAreResultsNotExceptions) {
  Router router = upstream();
  Server server(local_options(), router.handler());
  auto r = Client().get(server.url() + "/missing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(nlohmann::json::parse(r.body)["code"], "NOT_FOUND");
}

TEST(Client, RedirectsAreNotFollowedByDefault) {
  Router router = upstream();
  Server server(local_options(), router.handler());
  auto r = Client().get(server.url() + "/moved");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.headers.get_or("Location", ""), "/ok");
}

TEST(Client, TimeoutsAreUpstreamTimeout) {
  Router router = upstream();
  Server server(local_options(), router.handler());
  ClientOptions options;
  options.total_timeout = 300ms;
  Client client(options);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(code_of([&] { client.get(server.url() + "/slow"); }), ecpa::codes::UPSTREAM_TIMEOUT);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1200ms);
  ClientRequest patient;
  patient.url = server.url() + "/slow";
  patient.timeout = 5s;
  EXPECT_EQ(client.send(patient).body, "late");
}

TEST(Client, OversizedAnswersAreAborted) {
  Router router = upstream();
  Server server(local_options(), router.handler());
  ClientOptions options;
  options.max_response_bytes = 10'000;
  Client client(options);
  EXPECT_EQ(code_of([&] { client.get(server.url() + "/big"); }), ecpa::codes::UPSTREAM_TOO_LARGE);
  EXPECT_EQ(client.get(server.url() + "/ok").status, 200);
}

TEST(Client, UnreachableAndForbiddenSchemesAreUnavailable) {
  std::uint16_t dead_port;
  {
    Server server(local_options(), [](const Request&) { return Response::text("x"); });
    dead_port = server.port();
  }
  Client client;
  EXPECT_EQ(code_of([&] { client.get("http://127.0.0.1:" + std::to_string(dead_port) + "/x"); }),
            ecpa::codes::UPSTREAM_UNAVAILABLE);
  EXPECT_EQ(code_of([&] { client.get("file:///etc/passwd"); }), ecpa::codes::UPSTREAM_UNAVAILABLE);
  EXPECT_EQ(code_of([&] { client.get("ftp://127.0.0.1/x"); }), ecpa::codes::UPSTREAM_UNAVAILABLE);
  EXPECT_EQ(code_of([&] { client.get("not a url"); }), ecpa::codes::UPSTREAM_UNAVAILABLE);
  try {
    client.get("http://127.0.0.1:" + std::to_string(dead_port) + "/x?token=SECRET");
  } catch (const ecpa::Error& e) {
    EXPECT_EQ(e.cause().find("SECRET"), std::string::npos) << "query strings stay out of causes and logs";
  }
}

TEST(Client, EnvironmentProxyIsIgnoredUnlessAskedFor) {
  Router router = upstream();
  Server server(local_options(), router.handler());
  ::setenv("http_proxy", "http://127.0.0.1:9", 1);
  ::setenv("HTTP_PROXY", "http://127.0.0.1:9", 1);
  EXPECT_EQ(Client().get(server.url() + "/ok").status, 200);
  ClientOptions with_env;
  with_env.use_environment_proxy = true;
  EXPECT_EQ(code_of([&] { Client(with_env).get(server.url() + "/ok"); }), ecpa::codes::UPSTREAM_UNAVAILABLE);
  ::unsetenv("http_proxy");
  ::unsetenv("HTTP_PROXY");
}

TEST(Client, SafeFromSeveralThreads) {
  Router router = upstream();
  Server server(local_options(), router.handler());
  Client client;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        std::string body = std::to_string(t) + "-" + std::to_string(i);
        if (client.post(server.url() + "/ocsp", body, "text/plain").body == "echo:text/plain:" + body) ok++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 120);
}

TEST(Client, MutualTlsPresentsTheClientCertificate) {
  test::TestPki pki;
  auto options = local_options();
  options.tls = TlsOptions{pki.server_cert, pki.server_key, pki.ca_cert};
  Router router = upstream();
  Server server(options, router.handler());

  ClientOptions with_cert;
  with_cert.ca_file = pki.ca_cert;
  with_cert.client_certificate = pki.client_cert;
  with_cert.client_key = pki.client_key;
  auto r = Client(with_cert).get(server.url() + "/whoami");
  EXPECT_EQ(r.status, 200);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["tls"], true);
  EXPECT_GT(body["cert_bytes"].get<int>(), 100);

  ClientOptions without_cert;
  without_cert.ca_file = pki.ca_cert;
  EXPECT_EQ(code_of([&] { Client(without_cert).get(server.url() + "/whoami"); }),
            ecpa::codes::UPSTREAM_UNAVAILABLE);

  // Verification of the server is on: the wrong anchors fail even with a client certificate.
  test::TestPki other;
  ClientOptions wrong_ca = with_cert;
  wrong_ca.ca_file = other.ca_cert;
  EXPECT_EQ(code_of([&] { Client(wrong_ca).get(server.url() + "/whoami"); }),
            ecpa::codes::UPSTREAM_UNAVAILABLE);
}

TEST(Client, PlainTlsServerSeesNoClientCertificate) {
  test::TestPki pki;
  auto options = local_options();
  options.tls = TlsOptions{pki.server_cert, pki.server_key, {}};
  Router router = upstream();
  Server server(options, router.handler());
  ClientOptions o;
  o.ca_file = pki.ca_cert;
  auto body = nlohmann::json::parse(Client(o).get(server.url() + "/whoami").body);
  EXPECT_EQ(body["cert_bytes"], 0);
}

}  // namespace
}  // namespace ecpa::http
