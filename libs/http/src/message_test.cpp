#include "ecpa/http/message.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "ecpa/common/error.hpp"
#include "test_support.hpp"

namespace ecpa::http {
namespace {

TEST(Headers, NamesAreCaseInsensitiveAndRepeatedFieldsStayApart) {
  Headers h;
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  h.set("Content-Type", "text/plain");
  EXPECT_EQ(h.get("CONTENT-TYPE"), "text/plain");
  EXPECT_EQ(h.get_all("SET-COOKIE").size(), 2u);
  h.set("content-type", "application/json");
  EXPECT_EQ(h.get_all("Content-Type").size(), 1u);
  EXPECT_EQ(h.get_or("Content-Type", ""), "application/json");
  h.set_default("Content-Type", "text/html");
  EXPECT_EQ(h.get_or("Content-Type", ""), "application/json");
  h.remove("SET-COOKIE");
  EXPECT_FALSE(h.has("Set-Cookie"));
  EXPECT_EQ(h.get_or("Missing", "fallback"), "fallback");
}

TEST(Headers, RefuseResponseSplitting) {
  Headers h;
  EXPECT_THROW(h.set("Location", "/a\r\nSet-Cookie: x=1"), std::invalid_argument);
  EXPECT_THROW(h.add("X", std::string("a\0b", 3)), std::invalid_argument);
  EXPECT_THROW(h.set("Bad Name", "v"), std::invalid_argument);
  EXPECT_THROW(h.set("", "v"), std::invalid_argument);
  EXPECT_EQ(h.size(), 0u);
}

TEST(Request, ParamsAndQueryLookups) {
  Request r;
  r.path_params["id"] = "7";
  r.query.emplace("q", "x");
  EXPECT_EQ(r.param("id"), "7");
  EXPECT_THROW((void)r.param("nope"), std::out_of_range);
  EXPECT_EQ(r.query_param("q"), "x");
  EXPECT_FALSE(r.query_param("z"));
}

TEST(Response, HelpersSetTypeAndStatus) {
  auto j = Response::json({{"a", 1}}, 201);
  EXPECT_EQ(j.status, 201);
  EXPECT_EQ(j.body, R"({"a":1})");
  EXPECT_EQ(j.headers.get_or("Content-Type", ""), "application/json; charset=utf-8");
  // Invalid UTF-8 is replaced rather than throwing halfway through an answer.
  auto bad = Response::json({{"s", std::string("\xff")}});
  EXPECT_NE(bad.body.find("\xEF\xBF\xBD"), std::string::npos);
  EXPECT_EQ(Response::text("t").headers.get_or("Content-Type", ""), "text/plain; charset=utf-8");
  EXPECT_EQ(Response::html("h", 404).status, 404);
  auto redirect = Response::redirect("/next");
  EXPECT_EQ(redirect.status, 303);
  EXPECT_EQ(redirect.headers.get_or("Location", ""), "/next");
  EXPECT_THROW(Response::redirect("/x\r\nSet-Cookie: a=b"), std::invalid_argument);
  EXPECT_EQ(Response::empty().status, 204);
}

TEST(Response, FileHasTypeAndValidators) {
  test::ScratchDir dir;
  std::ofstream(dir.path() / "a.js") << "let a = 1;";
  auto r = Response::file(dir.path() / "a.js");
  EXPECT_EQ(r.body, "let a = 1;");
  EXPECT_EQ(r.headers.get_or("Content-Type", ""), "text/javascript; charset=utf-8");
  EXPECT_TRUE(r.headers.has("ETag"));
  EXPECT_TRUE(r.headers.has("Last-Modified"));
  try {
    (void)Response::file(dir.path() / "missing");
    ADD_FAILURE();
  } catch (const ecpa::Error& e) {
    EXPECT_EQ(e.code(), ecpa::codes::NOT_FOUND);
  }
  EXPECT_THROW((void)Response::file(dir.path()), ecpa::Error);
}

TEST(Chain, FirstMiddlewareSeesTheRequestFirst) {
  std::string trail;
  auto mark = [&trail](const std::string& name) -> Middleware {
    return [&trail, name](const Handler& next) -> Handler {
      return [&trail, name, next](const Request& r) {
        trail += name + ">";
        Response res = next(r);
        trail += "<" + name;
        return res;
      };
    };
  };
  Handler h = chain({mark("a"), mark("b")}, [&trail](const Request&) {
    trail += "h";
    return Response::text("x");
  });
  h(Request{});
  EXPECT_EQ(trail, "a>b>h<b<a");
}

TEST(ReasonPhrase, KnownAndUnknown) {
  EXPECT_EQ(reason_phrase(404), "Not Found");
  EXPECT_EQ(reason_phrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(reason_phrase(799), "Unknown");
}

TEST(EscapeHtml, EveryCharacterThatCouldOpenMarkupOrLeaveAnAttribute) {
  EXPECT_EQ(escape_html("<b onclick=\"x('1')\">&</b>"),
            "&lt;b onclick=&quot;x(&#39;1&#39;)&quot;&gt;&amp;&lt;/b&gt;");
  EXPECT_EQ(escape_html("登入 A12****789"), "登入 A12****789");
  EXPECT_EQ(escape_html(""), "");
}

}  // namespace
}  // namespace ecpa::http
