#include "error_pages.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"
#include "ecpa/http/middleware.hpp"

namespace ecpa::portal {
namespace {

const std::string kTemplate =
    "<html lang=\"%%ECPA_LANG%%\"><title>%%ECPA_STATUS%%</title><p id=m>%%ECPA_MESSAGE%%</p>"
    "<p id=a>%%ECPA_ACTION%%</p><meta name=c content=\"%%ECPA_CODE%%\"><code>%%ECPA_TRACE%%</code></html>";

http::Request browser_get(const std::string& path,
                          const std::string& accept = "text/html,application/xhtml+xml") {
  http::Request r;
  r.method = "GET";
  r.target = r.path = r.raw_path = path;
  r.trace_id = "trace-7";
  if (!accept.empty()) r.headers.add("Accept", accept);
  return r;
}

http::Handler app() {
  http::Handler inner = [](const http::Request& r) -> http::Response {
    if (r.path == "/boom") throw std::runtime_error("internal detail that must not show");
    if (r.path == "/ok") return http::Response::html("<p>fine</p>");
    throw Error(codes::NOT_FOUND, "no such file");
  };
  return http::chain(
      {browser_error_pages(kTemplate), http::catch_errors(log::Logger::to_stderr("t", log::Level::Error))},
      inner);
}

TEST(ErrorPages, FillsTheTemplateEscaped) {
  std::string page =
      render_error_page(kTemplate, {404, "NOT_FOUND", "<b>gone</b> & \"lost\"", "go home", "t1", "en"});
  EXPECT_NE(page.find("<title>404</title>"), std::string::npos);
  EXPECT_NE(page.find("&lt;b&gt;gone&lt;/b&gt; &amp; &quot;lost&quot;"), std::string::npos);
  EXPECT_NE(page.find("lang=\"en\""), std::string::npos);
  EXPECT_EQ(page.find("%%ECPA_"), std::string::npos);
  EXPECT_EQ(page.find("<b>"), std::string::npos);
  EXPECT_NE(render_error_page(kTemplate, {404, "X", "", "", "", "zh-TW"}).find("lang=\"zh-Hant-TW\""),
            std::string::npos);
}

TEST(ErrorPages, OnlyBrowsersAskingForPagesGetThem) {
  EXPECT_TRUE(wants_html_page(browser_get("/nope")));
  EXPECT_FALSE(wants_html_page(browser_get("/api/nope")));
  EXPECT_FALSE(wants_html_page(browser_get("/api")));
  EXPECT_FALSE(wants_html_page(browser_get("/nope", "application/json")));
  EXPECT_FALSE(wants_html_page(browser_get("/nope", "")));
  auto post = browser_get("/nope");
  post.method = "POST";
  EXPECT_FALSE(wants_html_page(post));
}

TEST(ErrorPages, A404AndA500BecomeTheSitesPageWithTheirStatus) {
  auto h = app();
  auto missing = h(browser_get("/no-such-page"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.headers.get_or("Content-Type", "").starts_with("text/html"));
  EXPECT_NE(missing.body.find("找不到您要的頁面或資料。"), std::string::npos) << missing.body;
  EXPECT_NE(missing.body.find("NOT_FOUND"), std::string::npos);
  EXPECT_EQ(missing.headers.get_or("Cache-Control", ""), "no-store");

  auto english = browser_get("/no-such-page");
  english.headers.add("Accept-Language", "en-US,en;q=0.9");
  EXPECT_NE(h(english).body.find("The page or item was not found."), std::string::npos);

  auto boom = h(browser_get("/boom"));
  EXPECT_EQ(boom.status, 500);
  EXPECT_TRUE(boom.headers.get_or("Content-Type", "").starts_with("text/html"));
  EXPECT_EQ(boom.body.find("internal detail"), std::string::npos);
  EXPECT_NE(boom.body.find("INTERNAL_ERROR"), std::string::npos);
}

TEST(ErrorPages, JsonStaysForTheApiAndForClientsThatAskForIt) {
  auto h = app();
  auto api = h(browser_get("/api/nothing"));
  EXPECT_EQ(api.status, 404);
  EXPECT_TRUE(api.headers.get_or("Content-Type", "").starts_with("application/json"));
  auto client = h(browser_get("/no-such-page", "application/json"));
  EXPECT_TRUE(client.headers.get_or("Content-Type", "").starts_with("application/json"));
  auto fine = h(browser_get("/ok"));
  EXPECT_EQ(fine.status, 200);
  EXPECT_EQ(fine.body, "<p>fine</p>");
  // Without a template (no web_root) nothing changes.
  auto bare = http::chain(
      {browser_error_pages(""), http::catch_errors(log::Logger::to_stderr("t", log::Level::Error))},
      [](const http::Request&) -> http::Response { throw Error(codes::NOT_FOUND, "x"); });
  EXPECT_TRUE(bare(browser_get("/x")).headers.get_or("Content-Type", "").starts_with("application/json"));
}

}  // namespace
}  // namespace ecpa::portal
