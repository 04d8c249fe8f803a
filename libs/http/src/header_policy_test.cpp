#include "ecpa/http/header_policy.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "ecpa/http/middleware.hpp"
#include "ecpa/http/router.hpp"

namespace ecpa::http {
namespace {

Request get(const std::string& path) {
  Request r;
  r.method = "GET";
  r.path = path;
  r.raw_path = path;
  r.remote_address = "127.0.0.1";
  return r;
}

const HeaderPolicy kPopupPage{{"Cross-Origin-Opener-Policy", "same-origin-allow-popups"},
                              {"X-Frame-Options", "DENY"}};

TEST(HeaderPolicy, FillsOnlyWhatTheAnswerLacks) {
  Headers h;
  h.set("X-Frame-Options", "SAMEORIGIN");  // the handler's own choice wins
  kPopupPage.apply(h);
  EXPECT_EQ(h.get_or("Cross-Origin-Opener-Policy", ""), "same-origin-allow-popups");
  EXPECT_EQ(h.get_or("X-Frame-Options", ""), "SAMEORIGIN");
  EXPECT_EQ(h.get_all("X-Frame-Options").size(), 1u);
}

TEST(HeaderPolicy, ABadPolicyFailsWhenBuilt) {
  EXPECT_THROW((HeaderPolicy{{"Bad Name", "x"}}), std::invalid_argument);
  EXPECT_THROW((HeaderPolicy{{"X-Ok", "split\r\nSet-Cookie: a=b"}}), std::invalid_argument);
  HeaderPolicy p;
  EXPECT_TRUE(p.empty());
  p.set("X-A", "1").set("x-a", "2");
  EXPECT_EQ(p.fields().size(), 1u);
  EXPECT_EQ(p.fields().get_or("X-A", ""), "2");
}

TEST(HeaderPolicy, ARoutesPolicyBeatsTheServerDefaultsOnEveryStatusItReturns) {
  Router router;
  router.get("/login", with_headers(kPopupPage, [](const Request& r) {
               // A revalidation: 304 with no body and no Content-Type, still the login page.
               if (r.headers.has("If-None-Match")) return Response::empty(304);
               return Response::html("<p>login</p>");
             }));
  router.get("/app.js", [](const Request&) { return Response::text("js"); });
  // security_headers stands for what the server applies to every answer after the handler.
  Handler app = security_headers()(router.handler());

  EXPECT_EQ(app(get("/login")).headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin-allow-popups");
  Request revalidate = get("/login");
  revalidate.headers.set("If-None-Match", "\"1-2\"");
  Response not_modified = app(revalidate);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin-allow-popups");
  EXPECT_EQ(not_modified.headers.get_all("Cross-Origin-Opener-Policy").size(), 1u);
  // Other routes keep the server's default, and so do answers the router makes itself.
  EXPECT_EQ(app(get("/app.js")).headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin");
  Response missing = catch_errors(ecpa::log::Logger::to_stderr("t", ecpa::log::Level::Error))(app)(get("/x"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin");
}

TEST(HeaderPolicy, TheHandlerCanStillDecidePerAnswer) {
  // The agent's shape: the route allows cross-origin reads of its refusals, an answer with data says no.
  Handler api =
      with_headers(HeaderPolicy{{"Cross-Origin-Resource-Policy", "cross-origin"}}, [](const Request& r) {
        Response resp = Response::json({{"ok", r.path == "/data"}});
        if (r.path == "/data") resp.headers.set("Cross-Origin-Resource-Policy", "same-origin");
        return resp;
      });
  EXPECT_EQ(api(get("/refused")).headers.get_or("Cross-Origin-Resource-Policy", ""), "cross-origin");
  EXPECT_EQ(api(get("/data")).headers.get_or("Cross-Origin-Resource-Policy", ""), "same-origin");
}

TEST(HeaderPolicy, WithCoopIsAPolicyOfOneHeader) {
  Handler page = with_coop("unsafe-none", [](const Request&) { return Response::html("x"); });
  EXPECT_EQ(page(get("/")).headers.get_or("Cross-Origin-Opener-Policy", ""), "unsafe-none");
  Handler own = with_coop("unsafe-none", [](const Request&) {
    Response r = Response::html("x");
    r.headers.set("Cross-Origin-Opener-Policy", "same-origin");
    return r;
  });
  EXPECT_EQ(own(get("/")).headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin");
}

}  // namespace
}  // namespace ecpa::http
