#include "ecpa/http/router.hpp"

#include <gtest/gtest.h>

namespace ecpa::http {
namespace {

Request make(std::string method, const std::string& raw_path, const std::string& accept_language = "") {
  Request r;
  r.method = std::move(method);
  r.raw_path = raw_path;
  r.path = raw_path;
  r.trace_id = "trace-1";
  if (!accept_language.empty()) r.headers.set("Accept-Language", accept_language);
  return r;
}

Handler says(std::string what) {
  return [what](const Request& r) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [k, v] : r.path_params) params[k] = v;
    return Response::json({{"route", what}, {"params", params}});
  };
}

nlohmann::json run(const Router& router, const Request& r) {
  return nlohmann::json::parse(router.dispatch(r).body);
}

TEST(Router, ExactAndParameterRoutes) {
  Router router;
  router.get("/api/people/{id}", says("person"));
  router.get("/api/people/new", says("new"));
  router.get("/api/people/{id}/roles/{role}", says("role"));
  router.get("/", says("root"));
  EXPECT_EQ(run(router, make("GET", "/api/people/A1"))["route"], "person");
  EXPECT_EQ(run(router, make("GET", "/api/people/A1"))["params"]["id"], "A1");
  EXPECT_EQ(run(router, make("GET", "/api/people/new"))["route"], "new") << "literal beats parameter";
  auto role = run(router, make("GET", "/api/people/7/roles/admin"));
  EXPECT_EQ(role["route"], "role");
  EXPECT_EQ(role["params"]["role"], "admin");
  EXPECT_EQ(run(router, make("GET", "/"))["route"], "root");
}

TEST(Router, ParametersArePercentDecodedAndNeverEmpty) {
  Router router;
  router.get("/a/{x}", says("a"));
  EXPECT_EQ(run(router, make("GET", "/a/%E8%87%AA%20b"))["params"]["x"], "自 b");
  EXPECT_EQ(router.dispatch(make("GET", "/a/")).status, 404);
  EXPECT_EQ(router.dispatch(make("GET", "/a")).status, 404);
  EXPECT_EQ(router.dispatch(make("GET", "/a/b/c")).status, 404);
  // An encoded slash must not create a segment boundary the pattern did not have.
  EXPECT_EQ(router.dispatch(make("GET", "/a/b%2Fc")).status, 404);
  EXPECT_EQ(router.dispatch(make("GET", "/a/%zz")).status, 404);
}

TEST(Router, NotFoundAndMethodNotAllowedAreJsonErrors) {
  Router router;
  router.get("/x", says("x"));
  router.post("/x", says("x-post"));
  router.put("/y/{id}", says("y"));

  auto missing = router.dispatch(make("GET", "/nothing", "en"));
  EXPECT_EQ(missing.status, 404);
  auto body = nlohmann::json::parse(missing.body);
  EXPECT_EQ(body["code"], "NOT_FOUND");
  EXPECT_EQ(body["message"], "The page or item was not found.");
  EXPECT_EQ(body["traceId"], "trace-1");

  auto wrong = router.dispatch(make("DELETE", "/x"));
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers.get_or("Allow", ""), "GET, HEAD, POST");
  EXPECT_EQ(nlohmann::json::parse(wrong.body)["code"], "METHOD_NOT_ALLOWED");
  EXPECT_EQ(nlohmann::json::parse(wrong.body)["message"], "不支援此操作方式。");

  EXPECT_EQ(router.dispatch(make("GET", "/y/1")).headers.get_or("Allow", ""), "PUT");
}

TEST(Router, HeadUsesGetUnlessItHasItsOwnRoute) {
  Router router;
  router.get("/g", says("get"));
  router.get("/h", says("get-h"));
  router.add("HEAD", "/h", says("head-h"));
  EXPECT_EQ(run(router, make("HEAD", "/g"))["route"], "get");
  EXPECT_EQ(run(router, make("HEAD", "/h"))["route"], "head-h");
}

TEST(Router, PrefixRoutesGetTheRestOfThePath) {
  Router router;
  router.prefix("GET", "/static/", says("static"));
  router.get("/static/special", says("special"));
  auto r = run(router, make("GET", "/static/css/a%20b.css"));
  EXPECT_EQ(r["route"], "static");
  EXPECT_EQ(r["params"]["*"], "css/a%20b.css") << "left encoded for StaticFiles to decode once";
  EXPECT_EQ(run(router, make("GET", "/static/special"))["route"], "special");
  EXPECT_EQ(run(router, make("GET", "/static"))["params"]["*"], "");
  EXPECT_EQ(router.dispatch(make("GET", "/staticx")).status, 404);
}

TEST(Router, BadPatternsAndDuplicatesAreProgrammingErrors) {
  Router router;
  EXPECT_THROW(router.get("no-slash", says("x")), std::invalid_argument);
  EXPECT_THROW(router.get("/a/{}", says("x")), std::invalid_argument);
  EXPECT_THROW(router.get("/a/x{id}", says("x")), std::invalid_argument);
  EXPECT_THROW(router.get("/a/{id}/{id}", says("x")), std::invalid_argument);
  EXPECT_THROW(router.get("/a", Handler{}), std::invalid_argument);
  router.get("/a", says("x"));
  EXPECT_THROW(router.get("/a", says("y")), std::invalid_argument);
}

TEST(Router, HandlerSharesTheTable) {
  Router router;
  router.get("/a", says("a"));
  Handler h = router.handler();
  {
    Router moved = std::move(router);
    moved.get("/b", says("b"));
  }
  EXPECT_EQ(h(make("GET", "/b")).status, 200) << "the handler keeps the table alive";
}

}  // namespace
}  // namespace ecpa::http
