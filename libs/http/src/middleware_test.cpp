#include "ecpa/http/middleware.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace ecpa::http {
namespace {

Request make(const std::string& path = "/p") {
  Request r;
  r.method = "POST";
  r.path = path;
  r.raw_path = path;
  r.query_string = "token=SECRET-QUERY";
  r.query.emplace("token", "SECRET-QUERY");
  r.body = "pin=SECRET-BODY";
  r.remote_address = "127.0.0.1";
  r.trace_id = "t-123";
  return r;
}

TEST(RequestLang, QueryParameterBeatsHeader) {
  Request r;
  r.headers.set("Accept-Language", "en-US,en;q=0.9");
  EXPECT_EQ(request_lang(r), ecpa::Lang::En);
  r.query.emplace("lang", "zh-TW");
  EXPECT_EQ(request_lang(r), ecpa::Lang::ZhTW);
  Request plain;
  EXPECT_EQ(request_lang(plain), ecpa::Lang::ZhTW);
}

TEST(ErrorResponse, WireFormWithoutCause) {
  Request r = make();
  auto res = error_response(
      ecpa::Error(ecpa::codes::RATE_LIMITED, "10.0.0.1 over limit").with("retry_after", "42"), r);
  EXPECT_EQ(res.status, 429);
  EXPECT_EQ(res.headers.get_or("Retry-After", ""), "42");
  EXPECT_EQ(res.headers.get_or("Cache-Control", ""), "no-store");
  auto body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body["code"], "RATE_LIMITED");
  EXPECT_EQ(body["action"], "請於 42 秒後再試。");
  EXPECT_EQ(body["traceId"], "t-123");
  EXPECT_EQ(body["params"], (nlohmann::json{{"retry_after", "42"}}));
  EXPECT_EQ(body.size(), 5u);
  EXPECT_EQ(res.body.find("10.0.0.1"), std::string::npos);
}

TEST(ErrorResponse, NoParamsNoParamsMember) {
  auto body = nlohmann::json::parse(error_response(ecpa::Error(ecpa::codes::NOT_FOUND, "x"), make()).body);
  EXPECT_FALSE(body.contains("params"));
}

TEST(CatchErrors, MapsBothKindsAndLogsTheCause) {
  std::ostringstream out;
  auto logger = ecpa::log::Logger::to_stream("t", out);
  Handler typed = catch_errors(logger)(
      [](const Request&) -> Response { throw ecpa::Error(ecpa::codes::NOT_FOUND, "row 17 missing"); });
  Handler other =
      catch_errors(logger)([](const Request&) -> Response { throw std::logic_error("bug at x.cpp:9"); });
  auto a = typed(make());
  EXPECT_EQ(a.status, 404);
  auto b = other(make());
  EXPECT_EQ(b.status, 500);
  EXPECT_EQ(nlohmann::json::parse(b.body)["code"], "INTERNAL_ERROR");
  EXPECT_EQ(b.body.find("bug at"), std::string::npos);
  EXPECT_NE(out.str().find("row 17 missing"), std::string::npos);
  EXPECT_NE(out.str().find("bug at x.cpp:9"), std::string::npos);
  EXPECT_NE(out.str().find("t-123"), std::string::npos);
}

TEST(AccessLog, OneLineWithoutBodyOrQuery) {
  std::ostringstream out;
  Handler h = access_log(ecpa::log::Logger::to_stream("t", out))(
      [](const Request&) { return Response::text("12345", 201); });
  h(make("/api/x"));
  auto line = nlohmann::json::parse(out.str());
  EXPECT_EQ(line["event"], "http.access");
  EXPECT_EQ(line["method"], "POST");
  EXPECT_EQ(line["path"], "/api/x");
  EXPECT_EQ(line["status"], 201);
  EXPECT_EQ(line["bytes"], 5);
  EXPECT_EQ(line["remote"], "127.0.0.1");
  EXPECT_EQ(line["trace"], "t-123");
  EXPECT_TRUE(line.contains("us"));
  EXPECT_EQ(out.str().find("SECRET"), std::string::npos);
}

TEST(SecurityHeaders, DefaultsAndOverrides) {
  Response plain = Response::text("x");
  apply_security_headers(plain, {}, false);
  EXPECT_EQ(plain.headers.get_or("X-Content-Type-Options", ""), "nosniff");
  EXPECT_EQ(plain.headers.get_or("Referrer-Policy", ""), "no-referrer");
  EXPECT_NE(plain.headers.get_or("Content-Security-Policy", "").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_FALSE(plain.headers.has("Strict-Transport-Security"));

  Response tls = Response::text("x");
  apply_security_headers(tls, {}, true);
  EXPECT_EQ(tls.headers.get_or("Strict-Transport-Security", ""), "max-age=31536000; includeSubDomains");

  SecurityHeaders custom;
  custom.referrer_policy = "";
  custom.content_security_policy = "default-src 'none'";
  Response own = Response::text("x");
  own.headers.set("Content-Security-Policy", "default-src 'self' https://cdn.example");
  apply_security_headers(own, custom, false);
  EXPECT_EQ(own.headers.get_or("Content-Security-Policy", ""), "default-src 'self' https://cdn.example");
  EXPECT_FALSE(own.headers.has("Referrer-Policy"));

  Handler login = security_headers()(
      with_coop("same-origin-allow-popups", [](const Request&) { return Response::html("x"); }));
  EXPECT_EQ(login(make()).headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin-allow-popups");
  Handler other = security_headers()([](const Request&) { return Response::html("x"); });
  EXPECT_EQ(other(make()).headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin");
}

TEST(RateLimit, RefusesPerKeyWithRetryAfter) {
  ecpa::ManualClock clock(std::chrono::system_clock::time_point(std::chrono::hours(1000)));
  auto limiter = std::make_shared<TokenBucketLimiter>(TokenBucketLimiter::Options{2, 0.5, 100}, clock);
  Handler h = catch_errors(ecpa::log::Logger::to_stderr("t", ecpa::log::Level::Error))(
      rate_limit(limiter, client_address_key)([](const Request&) { return Response::text("ok"); }));
  Request a = make();
  Request b = make();
  b.remote_address = "127.0.0.2";
  EXPECT_EQ(h(a).status, 200);
  EXPECT_EQ(h(a).status, 200);
  auto refused = h(a);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.headers.get_or("Retry-After", ""), "2");
  EXPECT_EQ(h(b).status, 200) << "another key has its own bucket";
  clock.advance(std::chrono::seconds(2));
  EXPECT_EQ(h(a).status, 200);
}

}  // namespace
}  // namespace ecpa::http
