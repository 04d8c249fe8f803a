// The portal's HTTP surface in-process: a real http::Server on 127.0.0.1, real SQLite, real CMS packages;
// only the certificate check is the in-test one (libs/pki is not in the build yet).
#include "portal_app.hpp"

#include "auth/password/password_login.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "ecpa/http/client.hpp"
#include "ecpa/http/server.hpp"
#include "ecpa/http/url.hpp"
#include "pki_certificate_check.hpp"
#include "test_support.hpp"

namespace ecpa::portal {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
const std::string kId = "A123456789";

struct AppFixture : ::testing::Test, testing::AuthWorld {
  store::PasswordHasher hasher{store::Argon2Cost{.ops = 1, .memory_kib = 8}};
  PasswordLogin password_login{PasswordStores{t.accounts, t.people, t.audit},
                               sessions,
                               hasher,
                               nullptr,
                               clock,
                               [] {
                                 PasswordSettings s;
                                 s.public_origin = "https://ecpa.example.gov.tw";
                                 return s;
                               }(),
                               log::Logger::to_stderr("test", log::Level::Error)};
  std::unique_ptr<http::Server> server;
  http::Client client;

  void SetUp() override {
    std::filesystem::create_directories(t.dir.path() / "web");
    std::ofstream(t.dir.path() / "web" / "index.html") << "<!doctype html><title>ecpa</title>";
    std::ofstream(t.dir.path() / "web" / "app.js") << "console.log(1)";
    http::ServerOptions o;
    o.address = "127.0.0.1";
    o.handler_threads = 2;
    o.security_headers = portal_security_headers();
    o.logger = log::Logger::to_stderr("test", log::Level::Error);
    server = std::make_unique<http::Server>(
        o, make_portal_handler(PortalAppDeps{sessions,
                                             {&certificate_room, &password_login},
                                             t.people,
                                             t.todos,
                                             clock,
                                             log::Logger::to_stderr("test", log::Level::Error)},
                               PortalAppOptions{t.dir.path() / "web", 100, 100}));
  }

  // A browser in miniature: one cookie jar, the CSRF token, the Origin header.
  struct Browser {
    AppFixture& f;
    std::string cookie;
    std::string csrf;

    http::ClientResponse send(const std::string& method, const std::string& path, const json& body = nullptr,
                              bool with_csrf = true, const std::optional<std::string>& origin = {}) {
      http::ClientRequest r;
      r.method = method;
      r.url = f.server->url() + path;
      if (!cookie.empty()) r.headers.add("Cookie", std::string(kSessionCookie) + "=" + cookie);
      if (method != "GET") {
        r.headers.add("Origin", origin.value_or(f.origin));
        if (with_csrf) r.headers.add("X-CSRF-Token", csrf);
        r.headers.add("Content-Type", "application/json");
        r.body = body.is_null() ? "{}" : body.dump();
      }
      auto answer = f.client.send(r);
      for (auto sc : answer.headers.get_all("Set-Cookie")) {
        std::string v(sc);
        auto eq = v.find('=');
        auto semi = v.find(';');
        if (v.rfind(std::string(kSessionCookie) + "=", 0) == 0) cookie = v.substr(eq + 1, semi - eq - 1);
      }
      return answer;
    }
    json open_session() {
      auto r = send("GET", "/api/session");
      EXPECT_EQ(r.status, 200);
      json j = json::parse(r.body);
      csrf = j["csrfToken"];
      return j;
    }
    std::string tbs(const std::string& purpose) {
      auto r = send("POST", "/api/auth/challenge", {{"purpose", purpose}, {"route", "citizen"}});
      EXPECT_EQ(r.status, 200) << r.body;
      return json::parse(r.body)["tbs"];
    }
    static json package_json(const SignedPackage& p) {
      return {
          {"route", "citizen"}, {"signature", p.signature}, {"certb64", p.certb64}, {"cardSN", p.card_sn}};
    }
  };

  static const crypto::testing::KeyAndCert& card() {
    static const auto c = testing::make_card(kId);
    return c;
  }
  static std::string code(const http::ClientResponse& r) { return json::parse(r.body).value("code", ""); }
};

TEST_F(AppFixture, SessionEndpointHandsOutACookieAndCsrfToken) {
  Browser b{*this, "", ""};
  auto r = b.send("GET", "/api/session");
  EXPECT_EQ(r.status, 200);
  auto j = json::parse(r.body);
  EXPECT_EQ(j["authenticated"], false);
  EXPECT_EQ(j["lang"], "zh-TW");
  EXPECT_EQ(j["csrfToken"].get<std::string>().size(), 43u);
  auto set_cookie = std::string(r.headers.get("Set-Cookie").value_or(""));
  EXPECT_NE(set_cookie.find("__Host-ecpa-session="), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(r.headers.get_or("Cache-Control", ""), "no-store");
  EXPECT_NE(r.headers.get_or("Content-Security-Policy", "").find("connect-src 'self' http://localhost:61161"),
            std::string::npos);
  EXPECT_EQ(r.headers.get_or("X-Content-Type-Options", ""), "nosniff");
}

TEST_F(AppFixture, PasswordLoginOverHttp) {
  t.people.put_agency({"A01", "行政院人事行政總處"});
  std::vector<store::PersonImportRow> rows{{kId, "王小明", "A01", "科員", "", "wang.ming"}};
  const auto person = *t.people.import_people(rows, store::ImportMode::AllOrNothing).rows[0].person_id;
  t.accounts.set_password(person, hasher.hash("Initial-Pass-2026"), true, clock.now(), 3);
  Browser b{*this, "", ""};
  b.open_session();
  // The policy, for the form's checklist.
  auto policy = json::parse(b.send("GET", "/api/auth/password/policy").body);
  EXPECT_EQ(policy["minLength"], 12);
  EXPECT_EQ(policy["minClasses"], 3);
  // From another site: refused before anything is counted.
  auto cross = b.send("POST", "/api/auth/password/login", {{"account", "wang.ming"}, {"password", "x"}}, true,
                      std::string("https://evil.example"));
  EXPECT_EQ(code(cross), "ORIGIN_MISMATCH");
  EXPECT_EQ(t.count("login_failures"), 0);
  // The initial password: 403 with its reason in the answer's params.
  auto initial = b.send("POST", "/api/auth/password/login",
                        {{"account", "wang.ming"}, {"password", "Initial-Pass-2026"}});
  EXPECT_EQ(initial.status, 403);
  EXPECT_EQ(json::parse(initial.body)["params"]["reason"], "initial");
  auto changed = b.send("POST", "/api/auth/password/change",
                        {{"account", "wang.ming"},
                         {"currentPassword", "Initial-Pass-2026"},
                         {"newPassword", "Tainan-Harbour-77"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(json::parse(changed.body)["person"]["method"], "password");
  EXPECT_EQ(json::parse(changed.body)["redirect"], "/dashboard.html");
  // Wrong, four times; the fifth is the lock, 423, with its unlock time.
  Browser other{*this, "", ""};
  other.open_session();
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(code(other.send("POST", "/api/auth/password/login",
                              {{"account", "wang.ming"}, {"password", "Wrong-1-x"}})),
              "PASSWORD_LOGIN_FAILED");
  auto locked =
      other.send("POST", "/api/auth/password/login", {{"account", "wang.ming"}, {"password", "Wrong-1-x"}});
  EXPECT_EQ(locked.status, 423);
  EXPECT_EQ(json::parse(locked.body)["params"]["unlock_at"],
            taiwan_minute(clock.now() + std::chrono::minutes(15)));
  // No mail configured: 忘記密碼 says so rather than pretending.
  EXPECT_EQ(
      code(other.send("POST", "/api/auth/password/forgot",
                      {{"account", "wang.ming"}, {"nationalId", kId}, {"email", "wang@example.gov.tw"}})),
      "MAIL_UNAVAILABLE");
  // A body that is not what the door expects.
  EXPECT_EQ(code(other.send("POST", "/api/auth/password/login", {{"account", 7}, {"password", "x"}})),
            "BAD_REQUEST");
}

TEST_F(AppFixture, PagesMayOpenTheComponentPopupOtherFilesMayNot) {
  Browser b{*this, "", ""};
  auto page = b.send("GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin-allow-popups");
  auto script = b.send("GET", "/app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin");
  EXPECT_EQ(b.send("GET", "/../portal.db").status, 404);
  EXPECT_EQ(b.send("GET", "/id.key").status, 404);
}

TEST_F(AppFixture, AReloadedPageKeepsItsPopupPolicy) {
  // A reload revalidates: the 304 has no Content-Type, yet the page it keeps must still allow the
  // component's pop-up to reach window.opener.
  Browser b{*this, "", ""};
  auto first = b.send("GET", "/");
  std::string etag(first.headers.get_or("ETag", ""));
  ASSERT_FALSE(etag.empty());
  http::ClientRequest again;
  again.method = "GET";
  again.url = server->url() + "/";
  again.headers.add("If-None-Match", etag);
  auto revalidated = client.send(again);
  EXPECT_EQ(revalidated.status, 304);
  EXPECT_EQ(revalidated.headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin-allow-popups");
}

TEST_F(AppFixture, StateChangesWithoutCsrfOrFromElsewhereAreRefused) {
  Browser b{*this, "", ""};
  b.open_session();
  auto missing = b.send("POST", "/api/auth/challenge", {{"purpose", "login"}}, /*with_csrf=*/false);
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(code(missing), "CSRF_MISSING");
  b.csrf[0] = b.csrf[0] == 'A' ? 'B' : 'A';
  auto wrong = b.send("POST", "/api/auth/challenge", {{"purpose", "login"}});
  EXPECT_EQ(code(wrong), "CSRF_INVALID");
  b.open_session();
  auto elsewhere =
      b.send("POST", "/api/auth/challenge", {{"purpose", "login"}}, true, "https://evil.example");
  EXPECT_EQ(code(elsewhere), "ORIGIN_MISMATCH");
  auto bad_purpose = b.send("POST", "/api/auth/challenge", {{"purpose", "admin"}});
  EXPECT_EQ(code(bad_purpose), "CHALLENGE_PURPOSE_INVALID");
  EXPECT_EQ(t.count("auth_nonces"), 0);
}

TEST_F(AppFixture, TheSeedsFlowOverHttp) {
  t.add_person(kId);
  t.todos.add(t.people.find_by_national_id(tw::NationalId::parse(kId).value())->id,
              std::chrono::floor<std::chrono::days>(clock.now() + 8h), "簽核公文");
  Browser b{*this, "", ""};
  b.open_session();
  const std::string pre_cookie = b.cookie;

  auto unbound = b.send("POST", "/api/auth/certificate",
                        Browser::package_json(testing::sign_package(card(), b.tbs("login"))));
  EXPECT_EQ(unbound.status, 404);
  auto j = json::parse(unbound.body);
  EXPECT_EQ(j["code"], "ACCOUNT_NOT_BOUND");
  EXPECT_EQ(j["message"], "帳號資訊不存在 若是您最近更新卡片,請依網頁導引更新憑證");
  EXPECT_FALSE(j["traceId"].get<std::string>().empty());

  json bind = Browser::package_json(testing::sign_package(card(), b.tbs("bind")));
  bind["nationalId"] = kId;
  auto bound = b.send("POST", "/api/auth/bind", bind);
  EXPECT_EQ(bound.status, 200) << bound.body;
  EXPECT_EQ(json::parse(bound.body)["bound"], true);

  auto dashboard_before = b.send("GET", "/api/dashboard");
  EXPECT_EQ(code(dashboard_before), "NOT_LOGGED_IN");

  auto login = b.send("POST", "/api/auth/certificate",
                      Browser::package_json(testing::sign_package(card(), b.tbs("login"))));
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(json::parse(login.body)["redirect"], "/dashboard.html");
  EXPECT_EQ(json::parse(login.body)["person"]["maskedId"], "A12****789");
  EXPECT_NE(b.cookie, pre_cookie);  // rotated

  auto session = json::parse(b.send("GET", "/api/session").body);
  EXPECT_EQ(session["authenticated"], true);
  EXPECT_EQ(session["person"]["name"], "王小明");
  EXPECT_EQ(session["person"]["method"], "citizen");
  b.csrf = session["csrfToken"];

  auto dashboard = b.send("GET", "/api/dashboard");
  ASSERT_EQ(dashboard.status, 200) << dashboard.body;
  auto d = json::parse(dashboard.body);
  EXPECT_EQ(d["days"][0]["rocDate"], "115年1月15日");
  EXPECT_EQ(d["days"][0]["todos"][0]["title"], "簽核公文");

  // The old pre-login cookie is worth nothing now.
  Browser old{*this, pre_cookie, ""};
  EXPECT_EQ(code(old.send("GET", "/api/dashboard")), "SESSION_EXPIRED");

  auto out = b.send("POST", "/api/auth/logout");
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(code(b.send("GET", "/api/dashboard")), "NOT_LOGGED_IN");  // the cookie was cleared
  EXPECT_EQ(t.count("sessions"), 0);
}

TEST_F(AppFixture, IdleSessionsExpire) {
  t.add_person(kId);
  Browser b{*this, "", ""};
  b.open_session();
  json bind = Browser::package_json(testing::sign_package(card(), b.tbs("bind")));
  bind["nationalId"] = kId;
  ASSERT_EQ(b.send("POST", "/api/auth/bind", bind).status, 200);
  ASSERT_EQ(b.send("POST", "/api/auth/certificate",
                   Browser::package_json(testing::sign_package(card(), b.tbs("login"))))
                .status,
            200);
  clock.advance(16min);
  auto r = b.send("GET", "/api/dashboard");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(code(r), "SESSION_EXPIRED");
}

TEST_F(AppFixture, TheSessionSaysHowLongItHasLeftAndCanBeExtendedALimitedNumberOfTimes) {
  t.add_person(kId);
  Browser b{*this, "", ""};
  b.open_session();
  EXPECT_FALSE(
      json::parse(b.send("GET", "/api/session").body).contains("expiresInSeconds"));  // not logged in
  EXPECT_EQ(code(b.send("POST", "/api/session/extend")), "NOT_LOGGED_IN");
  json bind = Browser::package_json(testing::sign_package(card(), b.tbs("bind")));
  bind["nationalId"] = kId;
  ASSERT_EQ(b.send("POST", "/api/auth/bind", bind).status, 200);
  ASSERT_EQ(b.send("POST", "/api/auth/certificate",
                   Browser::package_json(testing::sign_package(card(), b.tbs("login"))))
                .status,
            200);
  auto session = json::parse(b.send("GET", "/api/session").body);
  b.csrf = session["csrfToken"];
  EXPECT_EQ(session["expiresInSeconds"], 15 * 60);
  clock.advance(13min);
  // 延長登入 two minutes before the end: the idle window starts again.
  auto extended = b.send("POST", "/api/session/extend");
  ASSERT_EQ(extended.status, 200) << extended.body;
  EXPECT_EQ(json::parse(extended.body)["expiresInSeconds"], 15 * 60);
  clock.advance(14min);
  EXPECT_EQ(b.send("GET", "/api/dashboard").status, 200);  // 27 min after login, still in
  // A real server call, limited per session: three at once, then one a minute.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(b.send("POST", "/api/session/extend").status, 200) << i;
  auto status_before = json::parse(b.send("GET", "/api/session/status").body);
  clock.advance(5s);
  auto limited = b.send("POST", "/api/session/extend");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(code(limited), "RATE_LIMITED");
  EXPECT_TRUE(limited.headers.has("Retry-After"));
  // Neither the refused extension nor the status question moved the end: 5 s less, not 15 min again.
  auto status_after = json::parse(b.send("GET", "/api/session/status").body);
  EXPECT_EQ(status_after["authenticated"], true);
  EXPECT_EQ(status_after["expiresInSeconds"].get<int>(), status_before["expiresInSeconds"].get<int>() - 5);
  clock.advance(61s);
  EXPECT_EQ(b.send("POST", "/api/session/extend").status, 200);
  // Only from the portal's own page.
  EXPECT_EQ(code(b.send("POST", "/api/session/extend", nullptr, false)), "CSRF_MISSING");
  EXPECT_EQ(code(b.send("POST", "/api/session/extend", nullptr, true, "https://evil.example")),
            "ORIGIN_MISMATCH");
  // Never past the absolute timeout (8 h).
  for (int i = 0; i < 40; ++i) {
    clock.advance(14min);
    (void)b.send("POST", "/api/session/extend");
  }
  EXPECT_EQ(code(b.send("GET", "/api/dashboard")), "SESSION_EXPIRED");
  // The status says the session ended (a cookie is still there) rather than that there is none.
  auto ended = json::parse(b.send("GET", "/api/session/status").body);
  EXPECT_EQ(ended["authenticated"], false);
  EXPECT_EQ(ended["ended"], true);
  Browser stranger{*this, "", ""};
  auto none = json::parse(stranger.send("GET", "/api/session/status").body);
  EXPECT_EQ(none["ended"], false);
  EXPECT_TRUE(stranger.cookie.empty());  // and nothing was created for it
}

TEST_F(AppFixture, PublicAnnouncementsAndTheOrganizationForTheLoginPage) {
  store::SqlAnnouncementStore announcements(*t.db);
  http::Handler h = make_portal_handler(PortalAppDeps{sessions,
                                                      {&certificate_room},
                                                      t.people,
                                                      t.todos,
                                                      clock,
                                                      log::Logger::to_stderr("test", log::Level::Error),
                                                      &announcements},
                                        PortalAppOptions{{}, 100, 100});
  auto get = [&](const std::string& target) {
    http::Request r;
    r.method = "GET";
    r.target = target;
    r.path = r.raw_path = target.substr(0, target.find('?'));
    if (auto q = target.find('?'); q != std::string::npos) {
      r.query_string = target.substr(q + 1);
      r.query = http::parse_query(r.query_string);
    }
    r.remote_address = "192.0.2.1";
    r.trace_id = "t";
    return h(r);
  };
  for (int i = 0; i < 12; ++i) {
    store::NewAnnouncement a;
    a.title = "公告 " + std::to_string(i);
    a.body = "內容";
    a.publish_from = clock.now() - std::chrono::hours(24 * (12 - i));
    a.author = "admin";
    announcements.add(a, clock.now());
  }
  store::NewAnnouncement internal;
  internal.title = "只給登入者";
  internal.body = "x";
  internal.audience = "all";
  internal.publish_from = clock.now() - 1h;
  internal.author = "admin";
  announcements.add(internal, clock.now());
  auto first = json::parse(get("/api/announcements").body);
  ASSERT_EQ(first["announcements"].size(), 10u);
  EXPECT_EQ(first["announcements"][0]["title"], "公告 11");  // newest first
  EXPECT_EQ(first["more"], true);
  auto second = json::parse(get("/api/announcements?page=2").body);
  EXPECT_EQ(second["announcements"].size(), 2u);
  EXPECT_EQ(second["more"], false);
  EXPECT_EQ(get("/api/announcements").body.find("只給登入者"), std::string::npos);  // not public
  for (const char* bad :
       {"/api/announcements?page=0", "/api/announcements?page=x", "/api/announcements?page=99999"})
    EXPECT_EQ(json::parse(get(bad).body)["code"], "BAD_REQUEST") << bad;

  t.people.put_agency({"A01", "行政院人事行政總處", "DGPA", ""});
  t.people.put_agency({"A01-1", "人事室", "Personnel Office", "A01"});
  auto org = json::parse(get("/api/organization").body);
  ASSERT_EQ(org["agencies"].size(), 2u);
  EXPECT_EQ(org["agencies"][1]["parent"], "A01");
  EXPECT_EQ(org["agencies"][1]["nameEn"], "Personnel Office");
}

TEST_F(AppFixture, ErrorsFollowTheRequestedLanguage) {
  Browser b{*this, "", ""};
  auto r = b.send("GET", "/api/dashboard?lang=en");
  EXPECT_EQ(code(r), "NOT_LOGGED_IN");
  EXPECT_EQ(json::parse(r.body)["message"], "You are not logged in.");
}

TEST_F(AppFixture, MalformedBodiesAreBadRequests) {
  Browser b{*this, "", ""};
  b.open_session();
  http::ClientRequest r;
  r.method = "POST";
  r.url = server->url() + "/api/auth/certificate";
  r.headers.add("Cookie", std::string(kSessionCookie) + "=" + b.cookie);
  r.headers.add("Origin", origin);
  r.headers.add("X-CSRF-Token", b.csrf);
  r.headers.add("Content-Type", "application/json");
  for (std::string body :
       {"", "[]", "{\"signature\": 5}", "{\"signature\":\"x\",\"route\":\"martian\"}", "{"}) {
    r.body = body;
    auto answer = client.send(r);
    EXPECT_EQ(answer.status / 100, 4) << body;
  }
  r.headers.set("Content-Type", "text/plain");
  r.body = "{}";
  EXPECT_EQ(code(client.send(r)), "BAD_REQUEST");
}

}  // namespace
}  // namespace ecpa::portal

namespace ecpa::portal {
namespace {

// The auth routes driven in-process as one client address, with a small login budget.
struct BudgetFixture : AppFixture {
  http::Handler app = make_portal_handler(PortalAppDeps{sessions,
                                                        {&certificate_room},
                                                        t.people,
                                                        t.todos,
                                                        clock,
                                                        log::Logger::to_stderr("test", log::Level::Error)},
                                          PortalAppOptions{{}, 4, 0.001});
  std::string cookie, csrf;

  http::Response call(const std::string& method, const std::string& path, const std::string& address,
                      const std::vector<std::pair<std::string, std::string>>& headers, std::string body) {
    http::Request r;
    r.method = method;
    r.target = r.path = r.raw_path = path;
    r.remote_address = address;
    r.trace_id = "t";
    for (const auto& [k, v] : headers) r.headers.add(k, v);
    r.body = std::move(body);
    return app(r);
  }
  void open_session(const std::string& address) {
    auto session = call("GET", "/api/session", address, {}, "");
    cookie = std::string(session.headers.get_or("Set-Cookie", ""));
    cookie = cookie.substr(0, cookie.find(';'));
    csrf = json::parse(session.body)["csrfToken"];
  }
  // What the portal's own page sends.
  http::Response genuine(const std::string& path, const std::string& address, const json& body) {
    return call("POST", path, address,
                {{"Cookie", cookie},
                 {"Origin", origin},
                 {"X-CSRF-Token", csrf},
                 {"Content-Type", "application/json"}},
                body.dump());
  }
  std::string tbs(const std::string& purpose, const std::string& address) {
    auto r = genuine("/api/auth/challenge", address, {{"purpose", purpose}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? json::parse(r.body)["tbs"].get<std::string>() : "";
  }
};

TEST_F(BudgetFixture, AuthEndpointsAreRateLimitedPerAddress) {
  const std::string address = "192.0.2.1";
  open_session(address);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(genuine("/api/auth/challenge", address, {{"purpose", "login"}}).status, 200);
  auto limited = genuine("/api/auth/challenge", address, {{"purpose", "login"}});
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(json::parse(limited.body)["code"], "RATE_LIMITED");
  EXPECT_TRUE(limited.headers.has("Retry-After"));
  open_session("192.0.2.2");
  EXPECT_EQ(genuine("/api/auth/challenge", "192.0.2.2", {{"purpose", "login"}}).status,
            200);  // another address has its own bucket
}

TEST_F(BudgetFixture, ForeignPagesCannotSpendAnOfficesLoginBudget) {
  // A page on another site makes browsers behind the office's address send simple cross-site POSTs: no
  // CSRF header, text/plain (no preflight), its own Origin, or none. 200 of them, then a real login.
  const std::string office = "192.0.2.1";
  t.add_person(kId);
  open_session(office);
  const std::string evil = "https://evil.example";
  int refused = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string path = i % 2 ? "/api/auth/certificate" : "/api/auth/challenge";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string expected;
    switch (i % 4) {
      case 0:
        headers = {{"Origin", evil}, {"Content-Type", "text/plain"}};
        expected = "ORIGIN_MISMATCH";
        break;
      case 1:
        headers = {{"Content-Type", "text/plain"}};
        expected = "ORIGIN_MISMATCH";
        break;
      case 2:
        headers = {{"Origin", origin}, {"Cookie", cookie}, {"Content-Type", "text/plain"}};
        expected = "CSRF_MISSING";
        break;
      default:
        headers = {
            {"Origin", origin}, {"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Content-Type", "text/plain"}};
        expected = "BAD_REQUEST";
        break;
    }
    auto r = call("POST", path, office, headers, R"({"purpose":"login"})");
    EXPECT_NE(r.status, 429) << i;
    if (json::parse(r.body)["code"] == expected) ++refused;
  }
  EXPECT_EQ(refused, 200);

  json bind = Browser::package_json(testing::sign_package(card(), tbs("bind", office)));
  bind["nationalId"] = kId;
  auto bound = genuine("/api/auth/bind", office, bind);
  ASSERT_EQ(bound.status, 200) << bound.body;
  auto login = genuine("/api/auth/certificate", office,
                       Browser::package_json(testing::sign_package(card(), tbs("login", office))));
  EXPECT_EQ(login.status, 200) << login.body;
  // The budget itself still holds: that was 4 of 4.
  EXPECT_EQ(genuine("/api/auth/challenge", office, {{"purpose", "login"}}).status, 429);
}

TEST_F(AppFixture, BodiesWithDuplicateMembersAreRefused) {
  Browser b{*this, "", ""};
  b.open_session();
  http::ClientRequest r;
  r.method = "POST";
  r.url = server->url() + "/api/auth/challenge";
  r.headers.add("Cookie", std::string(kSessionCookie) + "=" + b.cookie);
  r.headers.add("Origin", origin);
  r.headers.add("X-CSRF-Token", b.csrf);
  r.headers.add("Content-Type", "application/json");
  r.body = R"({"purpose":"login","route":"citizen"})";
  EXPECT_EQ(client.send(r).status, 200);
  for (std::string body : {R"({"purpose":"login","route":"citizen","route":"agency"})",
                           R"({"purpose":"bind","purpose":"login"})",
                           R"({"purpose":"login","\u0072oute":"x","route":"citizen"})"}) {
    r.body = body;
    auto answer = client.send(r);
    EXPECT_EQ(answer.status, 400) << body;
    EXPECT_EQ(code(answer), "BAD_REQUEST") << body;
  }
  EXPECT_EQ(t.count("auth_nonces"), 1);  // the refused ones wrote nothing
}

}  // namespace
}  // namespace ecpa::portal

namespace ecpa::portal {
namespace {

// Behind a reverse proxy, driven in-process so the test can be any socket peer it likes.
struct ProxyFixture : AppFixture {
  http::Handler app =
      make_portal_handler(PortalAppDeps{sessions,
                                        {&certificate_room},
                                        t.people,
                                        t.todos,
                                        clock,
                                        log::Logger::to_stderr("test", log::Level::Error)},
                          PortalAppOptions{{}, 2, 0.001, http::TrustedProxies({"127.0.0.1", "10.0.0.0/8"})});

  http::Request request(const std::string& method, const std::string& path, const std::string& peer,
                        const std::vector<std::string>& forwarded_for) {
    http::Request r;
    r.method = method;
    r.target = r.path = r.raw_path = path;
    r.remote_address = peer;
    r.trace_id = "trace-proxy";
    for (const auto& f : forwarded_for) r.headers.add("X-Forwarded-For", f);
    return r;
  }
  // A failed certificate login (ACCOUNT_NOT_BOUND) from `peer`; returns the client address the audit
  // trail recorded for it.
  std::string audited_address(const std::string& peer, const std::vector<std::string>& forwarded_for) {
    auto session = app(request("GET", "/api/session", peer, forwarded_for));
    std::string cookie(session.headers.get_or("Set-Cookie", ""));
    cookie = cookie.substr(0, cookie.find(';'));
    const std::string csrf = json::parse(session.body)["csrfToken"];
    auto post = [&](const std::string& path, const json& body) {
      http::Request r = request("POST", path, peer, forwarded_for);
      r.headers.add("Cookie", cookie);
      r.headers.add("Origin", origin);
      r.headers.add("X-CSRF-Token", csrf);
      r.headers.add("Content-Type", "application/json");
      r.body = body.dump();
      return app(r);
    };
    auto challenge = post("/api/auth/challenge", {{"purpose", "login"}});
    EXPECT_EQ(challenge.status, 200) << challenge.body;
    auto login =
        post("/api/auth/certificate", Browser::package_json(testing::sign_package(
                                          card(), json::parse(challenge.body)["tbs"].get<std::string>())));
    EXPECT_EQ(json::parse(login.body)["code"], "ACCOUNT_NOT_BOUND");
    auto records = t.audit.read(0, 1000);
    return records.empty() ? "" : records.back().event.client_addr;
  }
};

TEST_F(ProxyFixture, TheAuditNamesTheClientBehindATrustedProxy) {
  EXPECT_EQ(audited_address("127.0.0.1", {"203.0.113.9"}), "203.0.113.9");
  // Whatever the client wrote itself comes first and is never believed.
  EXPECT_EQ(audited_address("127.0.0.1", {"198.51.100.1, 203.0.113.10, 10.0.0.7"}), "203.0.113.10");
}

TEST_F(ProxyFixture, ASpoofedHeaderFromAnUntrustedPeerIsIgnored) {
  EXPECT_EQ(audited_address("192.0.2.50", {"203.0.113.9"}), "192.0.2.50");
  EXPECT_EQ(audited_address("192.0.2.51", {"127.0.0.1"}), "192.0.2.51");
}

TEST_F(ProxyFixture, RateLimitsCountClientsNotTheProxy) {
  auto challenge = [&](const std::string& peer, const std::string& forwarded_for) {
    http::Request r = request("POST", "/api/auth/challenge", peer, {forwarded_for});
    // Passes the checks that come before the budget: Origin, a CSRF header, JSON.
    r.headers.add("Origin", origin);
    r.headers.add("X-CSRF-Token", "no-session-has-this");
    r.headers.add("Content-Type", "application/json");
    r.body = "{}";
    return app(r).status;
  };
  // Two clients behind the one proxy have a bucket each (burst 2).
  EXPECT_NE(challenge("127.0.0.1", "203.0.113.9"), 429);
  EXPECT_NE(challenge("127.0.0.1", "203.0.113.9"), 429);
  EXPECT_EQ(challenge("127.0.0.1", "203.0.113.9"), 429);
  EXPECT_NE(challenge("127.0.0.1", "203.0.113.10"), 429);
  // A client talking to the portal directly cannot escape its bucket by naming a new address each time.
  EXPECT_NE(challenge("192.0.2.50", "198.51.100.1"), 429);
  EXPECT_NE(challenge("192.0.2.50", "198.51.100.2"), 429);
  EXPECT_EQ(challenge("192.0.2.50", "198.51.100.3"), 429);
}

TEST_F(AppFixture, WithoutTrustedProxiesTheHeaderIsNeverRead) {
  http::Handler h = make_portal_handler(PortalAppDeps{sessions,
                                                      {&certificate_room},
                                                      t.people,
                                                      t.todos,
                                                      clock,
                                                      log::Logger::to_stderr("test", log::Level::Error)},
                                        PortalAppOptions{{}, 1, 0.001});
  auto post = [&](const std::string& forwarded_for) {
    http::Request r;
    r.method = "POST";
    r.target = r.path = r.raw_path = "/api/auth/challenge";
    r.remote_address = "127.0.0.1";
    r.trace_id = "t";
    r.headers.add("X-Forwarded-For", forwarded_for);
    r.headers.add("Origin", origin);  // passes the checks before the budget
    r.headers.add("X-CSRF-Token", "no-session-has-this");
    r.headers.add("Content-Type", "application/json");
    r.body = "{}";
    return h(r).status;
  };
  EXPECT_NE(post("203.0.113.9"), 429);
  EXPECT_EQ(post("203.0.113.10"), 429);
}

}  // namespace
}  // namespace ecpa::portal
