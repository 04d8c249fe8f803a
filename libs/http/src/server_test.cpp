#include "ecpa/http/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <future>
#include <random>
#include <sstream>
#include <thread>

#include "ecpa/common/error.hpp"
#include "ecpa/http/client.hpp"
#include "ecpa/http/router.hpp"
#include "ecpa/http/static_files.hpp"
#include "test_support.hpp"

namespace ecpa::http {
namespace {

using namespace std::chrono_literals;
using test::body_of;
using test::RawConnection;
using test::status_of;

ServerOptions local_options() {
  ServerOptions o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.logger = ecpa::log::Logger::to_stderr("http-test", ecpa::log::Level::Warn);
  return o;
}

Router demo_router() {
  Router r;
  r.get("/hello", [](const Request&) { return Response::text("hello"); });
  r.get("/api/people/{id}", [](const Request& q) {
    return Response::json({{"id", q.param("id")}, {"q", q.query_param("q").value_or("")}});
  });
  r.post("/api/echo", [](const Request& q) {
    return Response::json({{"body", q.body}, {"type", q.headers.get_or("content-type", "")}});
  });
  r.get("/api/bad-id", [](const Request&) -> Response {
    throw ecpa::Error(ecpa::codes::NATIONAL_ID_CHECKSUM, "checksum of A123456788 failed");
  });
  r.get("/api/bug",
        [](const Request&) -> Response { throw std::runtime_error("db at /var/secret.db broke"); });
  r.get("/login",
        with_coop("same-origin-allow-popups", [](const Request&) { return Response::html("<p>login</p>"); }));
  return r;
}

std::string get(std::string_view path, std::string_view extra_headers = "") {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra_headers) + "\r\n";
}

nlohmann::json json_body(const std::string& response) { return nlohmann::json::parse(body_of(response)); }

std::string header_of(const std::string& response, std::string_view name) {
  std::string lower_resp;
  for (char c : response) lower_resp.push_back(static_cast<char>(std::tolower(c)));
  std::string key = "\r\n" + std::string(name) + ":";
  for (auto& c : key) c = static_cast<char>(std::tolower(c));
  auto at = lower_resp.find(key);
  if (at == std::string::npos) return {};
  auto start = at + key.size();
  auto end = response.find("\r\n", start);
  std::string v = response.substr(start, end - start);
  while (!v.empty() && v.front() == ' ') v.erase(0, 1);
  return v;
}

TEST(Server, RoutesWithPathAndQueryParameters) {
  Router router = demo_router();
  Server server(local_options(), router.handler());
  ASSERT_NE(server.port(), 0);
  RawConnection c(server.port());
  ASSERT_TRUE(c.send(get("/api/people/A%20B?q=x%2By+z")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(status_of(*r), 200);
  EXPECT_EQ(json_body(*r)["id"], "A B");
  EXPECT_EQ(json_body(*r)["q"], "x+y z");
}

TEST(Server, NotFoundAndMethodNotAllowedAreJsonErrors) {
  Router router = demo_router();
  Server server(local_options(), router.handler());
  RawConnection c(server.port());
  c.send(get("/nowhere"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(status_of(*r), 404);
  EXPECT_EQ(json_body(*r)["code"], "NOT_FOUND");
  EXPECT_EQ(json_body(*r)["message"], "找不到您要的頁面或資料。");

  c.send("DELETE /hello HTTP/1.1\r\nHost: t\r\nAccept-Language: en-US,en;q=0.9\r\n\r\n");
  r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(status_of(*r), 405);
  EXPECT_EQ(header_of(*r, "Allow"), "GET, HEAD");
  EXPECT_EQ(json_body(*r)["code"], "METHOD_NOT_ALLOWED");
  EXPECT_EQ(json_body(*r)["message"], "This method is not supported here.");
}

TEST(Server, HandlerErrorBecomesWireFormInChineseOrEnglish) {
  Router router = demo_router();
  Server server(local_options(), router.handler());
  RawConnection c(server.port());
  c.send(get("/api/bad-id"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(status_of(*r), 400);
  auto zh = json_body(*r);
  EXPECT_EQ(zh["code"], "NATIONAL_ID_CHECKSUM");
  EXPECT_EQ(zh["message"], "身分證字號檢查碼不正確,可能有輸入錯誤。");
  EXPECT_FALSE(zh["action"].get<std::string>().empty());
  EXPECT_EQ(zh["traceId"].get<std::string>().size(), 32u);
  EXPECT_EQ(zh["traceId"], header_of(*r, "X-Trace-Id"));
  EXPECT_EQ(body_of(*r).find("A123456788"), std::string::npos) << "the cause must stay in the log";

  c.send(get("/api/bad-id?lang=en"));
  r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(json_body(*r)["message"],
            "The national ID number's check digit does not match; it may have been mistyped.");
  EXPECT_NE(json_body(*r)["traceId"], zh["traceId"]);
}

TEST(Server, OtherExceptionsAreInternalErrorsWithTheCauseOnlyInTheLog) {
  std::ostringstream log_out;
  auto options = local_options();
  options.logger = ecpa::log::Logger::to_stream("http-test", log_out);
  Router router = demo_router();
  {
    Server server(options, router.handler());
    RawConnection c(server.port());
    c.send(get("/api/bug"));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(status_of(*r), 500);
    EXPECT_EQ(json_body(*r)["code"], "INTERNAL_ERROR");
    EXPECT_EQ(r->find("secret.db"), std::string::npos);
  }
  EXPECT_NE(log_out.str().find("secret.db"), std::string::npos);
}

TEST(Server, TrustedTraceHeaderIsUsedOnlyWhenConfiguredAndWellFormed) {
  auto options = local_options();
  options.trusted_trace_header = "X-Request-Id";
  Router router = demo_router();
  Server server(options, router.handler());
  RawConnection c(server.port());
  c.send(get("/api/bad-id", "X-Request-Id: lb-0123456789\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(json_body(*r)["traceId"], "lb-0123456789");
  c.send(get("/api/bad-id", "X-Request-Id: <script>alert(1)</script>\r\n"));
  r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(json_body(*r)["traceId"].get<std::string>().size(), 32u);
}

TEST(Server, KeepAliveServesSeveralRequestsOnOneConnectionIncludingPipelined) {
  Router router = demo_router();
  Server server(local_options(), router.handler());
  RawConnection c(server.port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send(get("/hello")));
    auto r = c.read_response();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(body_of(*r), "hello");
  }
  ASSERT_TRUE(c.send(get("/hello") + get("/api/people/7")));
  auto a = c.read_response();
  auto b = c.read_response();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(body_of(*a), "hello");
  EXPECT_EQ(json_body(*b)["id"], "7");
  EXPECT_EQ(server.open_connections(), 1u);

  c.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(c.read_response());
  EXPECT_TRUE(c.wait_closed(2s));
}

TEST(Server, HeadSendsHeadersWithoutBody) {
  Router router = demo_router();
  Server server(local_options(), router.handler());
  RawConnection c(server.port());
  c.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  auto r = c.read_response(5s, true);
  ASSERT_TRUE(r);
  EXPECT_EQ(status_of(*r), 200);
  EXPECT_EQ(header_of(*r, "Content-Length"), "5");
  // The next response must start right after the headers: no body bytes in between.
  c.send(get("/hello"));
  auto next = c.read_response();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->substr(0, 12), "HTTP/1.1 200");
  EXPECT_EQ(body_of(*next), "hello");
}

TEST(Server, OversizedHeadersGet431AndOversizedBodies413) {
  auto options = local_options();
  options.max_header_bytes = 1024;
  options.max_body_bytes = 100;
  Router router = demo_router();
  Server server(options, router.handler());
  {
    RawConnection c(server.port());
    c.send(get("/hello", "X-Big: " + std::string(4000, 'a') + "\r\n"));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(status_of(*r), 431);
    EXPECT_EQ(json_body(*r)["code"], "HEADERS_TOO_LARGE");
    EXPECT_FALSE(header_of(*r, "Content-Security-Policy").empty());
  }
  {
    RawConnection c(server.port());
    c.send("POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(status_of(*r), 413);
    EXPECT_EQ(json_body(*r)["code"], "PAYLOAD_TOO_LARGE");
  }
  {
    // Chunked bodies are counted as they arrive.
    RawConnection c(server.port());
    c.send("POST /api/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n80\r\n" +
           std::string(128, 'x') + "\r\n0\r\n\r\n");
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(status_of(*r), 413);
  }
  {
    RawConnection c(server.port());
    c.send("POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'y'));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(status_of(*r), 200);
  }
}

TEST(Server, MalformedRequestsGet400) {
  Router router = demo_router();
  Server server(local_options(), router.handler());
  {
    RawConnection c(server.port());
    c.send("GARBAGE\r\n\r\n");
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(status_of(*r), 400);
  }
  {
    RawConnection c(server.port());
    c.send(get("/api/people/%zz"));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(status_of(*r), 400);
    EXPECT_EQ(json_body(*r)["code"], "BAD_REQUEST");
  }
  {
    RawConnection c(server.port());
    c.send(get("http://evil.example/hello"));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(status_of(*r), 400);
  }
}

TEST(Server, Http11RequestsNeedExactlyOneHost) {
  Router router = demo_router();
  Server server(local_options(), router.handler());
  auto status = [&](const std::string& request) {
    RawConnection c(server.port());
    c.send(request);
    auto r = c.read_response();
    EXPECT_TRUE(r) << request;
    return r ? status_of(*r) : 0;
  };
  EXPECT_EQ(status("GET /hello HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(status("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n"), 400);
  EXPECT_EQ(status("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 200);
  // HTTP/1.0 may leave it out, but never name two.
  EXPECT_EQ(status("GET /hello HTTP/1.0\r\n\r\n"), 200);
  EXPECT_EQ(status("GET /hello HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
}

TEST(Server, AmbiguousFramingIsRefused) {
  // Request smuggling needs two parsers to disagree on where a body ends; we refuse the ambiguous
  // forms instead of picking one.
  Router router = demo_router();
  Server server(local_options(), router.handler());
  for (std::string framing :
       {"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", "Content-Length: 3\r\nContent-Length: 4\r\n",
        "Content-Length: -1\r\n", "Transfer-Encoding: gzip, chunked, identity\r\n",
        "Transfer-Encoding: chunked, gzip\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"}) {
    RawConnection c(server.port());
    c.send("POST /api/echo HTTP/1.1\r\nHost: t\r\n" + framing + "\r\nabc\r\n0\r\n\r\n");
    auto r = c.read_response();
    ASSERT_TRUE(r) << framing;
    EXPECT_EQ(status_of(*r), 400) << framing;
    EXPECT_TRUE(c.wait_closed(2s)) << framing;
  }
}

TEST(Server, SurvivesGarbageAndKeepsServing) {
  Router router = demo_router();
  Server server(local_options(), router.handler());
  std::mt19937 random(20261129);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(1, 3000);
  const std::string prefixes[] = {"", "GET /", "POST /api/echo HTTP/1.1\r\n",
                                  "GET /hello HTTP/1.1\r\nHost: t\r\n"};
  for (int i = 0; i < 60; ++i) {
    RawConnection c(server.port());
    std::string junk = prefixes[i % 4];
    int n = length(random);
    for (int k = 0; k < n; ++k) junk.push_back(static_cast<char>(byte(random)));
    c.send(junk);
    c.send("\r\n\r\n");
    (void)c.read_response(300ms);
  }
  RawConnection c(server.port());
  c.send(get("/hello"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(body_of(*r), "hello");
}

TEST(Server, SlowClientsAreCutOff) {
  auto options = local_options();
  options.read_timeout = 400ms;
  options.idle_timeout = 600ms;
  Router router = demo_router();
  Server server(options, router.handler());
  {
    // Headers dripped one byte at a time never finish within the read timeout.
    RawConnection c(server.port());
    auto start = std::chrono::steady_clock::now();
    std::string request = get("/hello");
    bool closed = false;
    for (char ch : request) {
      if (!c.send(std::string_view(&ch, 1)) || c.wait_closed(100ms)) {
        closed = true;
        break;
      }
    }
    EXPECT_TRUE(closed || c.wait_closed(2s));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  }
  {
    // A connection that never sends anything.
    RawConnection c(server.port());
    EXPECT_TRUE(c.wait_closed(2s));
  }
  {
    // Idle keep-alive: closed after idle_timeout, not before read_timeout.
    RawConnection c(server.port());
    c.send(get("/hello"));
    ASSERT_TRUE(c.read_response());
    auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.wait_closed(3s));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 450ms);
  }
}

TEST(Server, SecurityHeadersOnEveryResponse) {
  Router router = demo_router();
  Server server(local_options(), router.handler());
  RawConnection c(server.port());
  for (std::string path : {"/hello", "/nowhere", "/api/bug"}) {
    c.send(get(path));
    auto r = c.read_response();
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(
        header_of(*r, "Content-Security-Policy"),
        "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'")
        << path;
    EXPECT_EQ(header_of(*r, "X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(header_of(*r, "Referrer-Policy"), "no-referrer") << path;
    EXPECT_EQ(header_of(*r, "Cross-Origin-Opener-Policy"), "same-origin") << path;
    EXPECT_EQ(header_of(*r, "Strict-Transport-Security"), "") << "no HSTS over plain HTTP: " << path;
  }
  c.send(get("/login"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(header_of(*r, "Cross-Origin-Opener-Policy"), "same-origin-allow-popups");
}

TEST(Server, RefusesToListenOnAnythingButAnExplicitAddress) {
  for (std::string address : {"", "0.0.0.0", "::", "localhost", "example.org"}) {
    auto options = local_options();
    options.address = address;
    try {
      Server server(options, [](const Request&) { return Response::text("x"); });
      ADD_FAILURE() << "listened on '" << address << "'";
    } catch (const ecpa::Error& e) {
      EXPECT_EQ(e.code(), ecpa::codes::CONFIG_INVALID) << address;
    }
  }
}

TEST(Server, ConnectionsBeyondTheLimitAreClosed) {
  auto options = local_options();
  options.max_connections = 2;
  Router router = demo_router();
  Server server(options, router.handler());
  RawConnection a(server.port());
  RawConnection b(server.port());
  a.send(get("/hello"));
  b.send(get("/hello"));
  ASSERT_TRUE(a.read_response());
  ASSERT_TRUE(b.read_response());
  RawConnection third(server.port());
  third.send(get("/hello"));
  EXPECT_FALSE(third.read_response(1s));
  EXPECT_TRUE(third.wait_closed(1s));
}

TEST(Server, ConcurrentClientsAllGetTheirOwnAnswers) {
  Router router = demo_router();
  auto options = local_options();
  options.io_threads = 2;
  Server server(options, router.handler());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      RawConnection c(server.port());
      for (int i = 0; i < 50; ++i) {
        std::string id = std::to_string(t * 1000 + i);
        if (!c.send(get("/api/people/" + id))) return;
        auto r = c.read_response();
        if (r && json_body(*r)["id"] == id) ok.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 400);
}

TEST(Server, BlockingHandlersDoNotStallOtherConnections) {
  Router router = demo_router();
  router.get("/slow", [](const Request&) {
    std::this_thread::sleep_for(1500ms);
    return Response::text("slow");
  });
  auto options = local_options();
  options.io_threads = 1;
  options.handler_threads = 3;
  Server server(options, router.handler());
  RawConnection slow1(server.port());
  RawConnection slow2(server.port());
  slow1.send(get("/slow"));
  slow2.send(get("/slow"));
  std::this_thread::sleep_for(100ms);
  RawConnection fast(server.port());
  auto start = std::chrono::steady_clock::now();
  fast.send(get("/hello"));
  auto r = fast.read_response();
  ASSERT_TRUE(r);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 700ms);
  EXPECT_TRUE(slow1.read_response());
  EXPECT_TRUE(slow2.read_response());
}

TEST(Server, GracefulStopFinishesRequestsInFlightAndClosesIdleOnes) {
  Router router = demo_router();
  router.get("/slow", [](const Request&) {
    std::this_thread::sleep_for(500ms);
    return Response::text("finished");
  });
  Server server(local_options(), router.handler());
  RawConnection idle(server.port());
  idle.send(get("/hello"));
  ASSERT_TRUE(idle.read_response());
  RawConnection busy(server.port());
  busy.send(get("/slow"));
  std::this_thread::sleep_for(100ms);
  auto start = std::chrono::steady_clock::now();
  server.stop();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms) << "stop() must wait for the request in flight";
  auto r = busy.read_response(1s);
  ASSERT_TRUE(r);
  EXPECT_EQ(body_of(*r), "finished");
  EXPECT_EQ(header_of(*r, "Connection"), "close");
  EXPECT_TRUE(idle.wait_closed(1s));
  EXPECT_THROW(RawConnection late(server.port()), std::runtime_error);
  server.stop();  // idempotent
}

TEST(Server, ExpectContinueIsAnswered) {
  Router router = demo_router();
  Server server(local_options(), router.handler());
  RawConnection c(server.port());
  c.send("POST /api/echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  auto cont = c.read_response(2s, true);
  ASSERT_TRUE(cont);
  EXPECT_EQ(status_of(*cont), 100);
  c.send("abc");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(json_body(*r)["body"], "abc");
}

TEST(Server, StaticFilesCannotBeEscaped) {
  test::ScratchDir dir;
  std::filesystem::create_directories(dir.path() / "www" / "css");
  std::ofstream(dir.path() / "www" / "index.html") << "<h1>home</h1>";
  std::ofstream(dir.path() / "www" / "css" / "a.css") << "body{}";
  std::ofstream(dir.path() / "secret.txt") << "top secret";
  StaticFiles files(dir.path() / "www");
  Router router;
  router.prefix("GET", "/static", files.handler());
  Server server(local_options(), router.handler());
  RawConnection c(server.port());
  c.send(get("/static/css/a.css"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(status_of(*r), 200);
  EXPECT_EQ(header_of(*r, "Content-Type"), "text/css; charset=utf-8");
  EXPECT_FALSE(header_of(*r, "ETag").empty());
  for (std::string attack :
       {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/%2E%2E%2Fsecret.txt",
        "/static/css/../../secret.txt", "/static/..%5csecret.txt", "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd"}) {
    c.send(get(attack));
    r = c.read_response();
    ASSERT_TRUE(r) << attack;
    EXPECT_EQ(r->find("top secret"), std::string::npos) << attack;
    EXPECT_EQ(r->find("root:"), std::string::npos) << attack;
    EXPECT_TRUE(status_of(*r) == 404 || status_of(*r) == 400) << attack << " → " << status_of(*r);
  }
}

TEST(Server, ServesTlsWithHstsAndKeepAlive) {
  test::TestPki pki;
  auto options = local_options();
  options.tls = TlsOptions{pki.server_cert, pki.server_key, {}};
  Router router = demo_router();
  Server server(options, router.handler());
  EXPECT_EQ(server.url().substr(0, 8), "https://");
  ClientOptions client_options;
  client_options.ca_file = pki.ca_cert;
  Client client(client_options);
  for (int i = 0; i < 3; ++i) {
    auto r = client.get(server.url() + "/api/people/" + std::to_string(i));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(nlohmann::json::parse(r.body)["id"], std::to_string(i));
    EXPECT_EQ(r.headers.get_or("Strict-Transport-Security", ""), "max-age=31536000; includeSubDomains");
  }
  // A client that does not trust the certificate gets no answer.
  Client untrusting;
  try {
    untrusting.get(server.url() + "/hello");
    ADD_FAILURE() << "TLS without a trusted certificate succeeded";
  } catch (const ecpa::Error& e) {
    EXPECT_EQ(e.code(), ecpa::codes::UPSTREAM_UNAVAILABLE);
  }
  // Plain HTTP to the TLS port gets nothing useful and does not hurt the server.
  RawConnection plain(server.port());
  plain.send(get("/hello"));
  auto r = plain.read_response(2s);
  EXPECT_TRUE(!r || r->find("hello") == std::string::npos);
  EXPECT_EQ(client.get(server.url() + "/hello").body, "hello");
}

TEST(Server, TlsRefusesOldProtocolVersions) {
  test::TestPki pki;
  auto options = local_options();
  options.tls = TlsOptions{pki.server_cert, pki.server_key, {}};
  Router router = demo_router();
  Server server(options, router.handler());
  // True when s_client, limited to one protocol version, completes a handshake. The exit code says
  // little (it reports the peer's close), so the session line decides.
  auto handshakes = [&](std::string_view flag) {
    auto out = pki.dir.path() / "s_client.txt";
    std::string cmd = "echo | openssl s_client -connect 127.0.0.1:" + std::to_string(server.port()) + " " +
                      std::string(flag) + " -cipher DEFAULT@SECLEVEL=0 >" + out.string() + " 2>&1";
    (void)std::system(cmd.c_str());
    std::ifstream in(out);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.find("Cipher is ECDHE") != std::string::npos ||
           text.find("Cipher is TLS_") != std::string::npos;
  };
  EXPECT_TRUE(handshakes("-tls1_2"));
  EXPECT_TRUE(handshakes("-tls1_3"));
  EXPECT_FALSE(handshakes("-tls1_1"));
  EXPECT_FALSE(handshakes("-tls1"));
}

TEST(Server, BadTlsFilesAreConfigurationErrors) {
  test::ScratchDir dir;
  auto options = local_options();
  options.tls = TlsOptions{dir.path() / "missing.pem", dir.path() / "missing.key", {}};
  try {
    Server server(options, [](const Request&) { return Response::text("x"); });
    ADD_FAILURE() << "started without a certificate";
  } catch (const ecpa::Error& e) {
    EXPECT_EQ(e.code(), ecpa::codes::CONFIG_INVALID);
  }
}

}  // namespace
}  // namespace ecpa::http
