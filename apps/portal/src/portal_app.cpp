#include "portal_app.hpp"

#include <fstream>
#include <sstream>

#include "dashboard.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/common/json.hpp"
#include "ecpa/http/header_policy.hpp"
#include "ecpa/http/rate_limit.hpp"
#include "ecpa/http/router.hpp"
#include "ecpa/http/static_files.hpp"
#include "ecpa/tw/roc_date.hpp"
#include "error_pages.hpp"

namespace ecpa::portal {
namespace {

using nlohmann::json;

// The agent's page and the official component both live here (REFERENCE §1).
constexpr std::string_view kComponentOrigin = "http://localhost:61161";

class PortalRoutes {
 public:
  explicit PortalRoutes(PortalAppDeps deps, double extends_per_minute)
      : d_(std::move(deps)),
        extend_limiter_(std::make_shared<http::TokenBucketLimiter>(
            http::TokenBucketLimiter::Options{.burst = 3, .per_second = extends_per_minute / 60.0},
            d_.clock)) {}

  std::int64_t seconds_left(const ActiveSession& s) const {
    return std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::seconds>(s.expires_at - d_.clock.now()).count());
  }

  http::Response session(const http::Request& request) {
    ActiveSession s = d_.sessions.current_or_new(request);
    json out = {{"authenticated", false},
                {"csrfToken", s.csrf_token},
                {"lang", lang_tag(http::request_lang(request))}};
    if (s.record.person_id) {
      if (auto person = d_.people.get(*s.record.person_id)) {
        out["authenticated"] = true;
        out["person"] = person_json(d_.people, *person, s.record.method);
        out["expiresInSeconds"] = seconds_left(s);
      }
    }
    http::Response r = api_json(out);
    if (s.created) r.headers.add("Set-Cookie", d_.sessions.cookie_for(s));
    return r;
  }

  // 延長登入: the dashboard's button before the idle timeout. Any state-changing call moves the idle window
  // (require_state_change touches the session); this one exists so the person can do it on purpose, and is
  // limited per session so a stuck script cannot hammer the store.
  http::Response extend(const http::Request& request) {
    // The limit is decided before anything touches the session: a refused call must not extend it.
    d_.sessions.refuse_cross_site(request);
    auto before = d_.sessions.peek(request);
    if (!before) throw Error(codes::SESSION_EXPIRED, "no valid session to extend");
    const auto id = before->record.id.bytes();
    const auto decision =
        extend_limiter_->take(std::string(reinterpret_cast<const char*>(id.data()), id.size()));
    if (!decision.allowed) {
      throw Error(codes::RATE_LIMITED, "session extend")
          .with("retry_after", std::to_string(decision.retry_after.count()));
    }
    ActiveSession s = d_.sessions.require_state_change(request);
    if (!s.record.person_id) throw Error(codes::NOT_LOGGED_IN, "pre-login session");
    return api_json({{"expiresInSeconds", seconds_left(s)}});
  }

  // What a page asks by itself (the dashboard's clock at its end, a help page's home link): whether the
  // session is still on and for how long, without moving its idle timeout or creating one. `ended`: the
  // browser still holds a cookie whose session is over (timed out), as opposed to none (logged out).
  http::Response status(const http::Request& request) {
    auto s = d_.sessions.peek(request);
    if (!s || !s->record.person_id)
      return api_json({{"authenticated", false}, {"ended", !s && SessionManager::has_cookie(request)}});
    return api_json({{"authenticated", true}, {"expiresInSeconds", seconds_left(*s)}});
  }

  http::Response logout(const http::Request& request) {
    ActiveSession s = d_.sessions.require_state_change(request);
    d_.sessions.end(s);
    http::Response r = http::Response::empty(204);
    r.headers.set("Cache-Control", "no-store");
    r.headers.add("Set-Cookie", SessionManager::clearing_cookie());
    return r;
  }

  // 最新公告 on the login page: the public announcements inside their window, ten a page (?page=1…).
  http::Response announcements(const http::Request& request) {
    const std::string page_text(request.query_param("page").value_or("1"));
    std::size_t page = 1;
    if (page_text.empty() || page_text.size() > 4 ||
        page_text.find_first_not_of("0123456789") != std::string::npos || (page = std::stoul(page_text)) == 0)
      throw Error(codes::BAD_REQUEST, "page must be 1–9999").with("field", "page");
    json list = json::array();
    if (d_.announcements) {
      for (const auto& a : d_.announcements->published("public", d_.clock.now(), 11, (page - 1) * 10)) {
        if (list.size() == 10) break;
        // The day it was published, in Taiwan (UTC+8).
        const auto day = std::chrono::floor<std::chrono::days>(a.publish_from + tw::kTaiwanUtcOffset);
        list.push_back({{"id", a.id}, {"title", a.title}, {"body", a.body}, {"published", iso_date(day)}});
      }
    }
    const bool more =
        d_.announcements && d_.announcements->published("public", d_.clock.now(), 1, page * 10).size() == 1;
    return api_json({{"announcements", std::move(list)}, {"page", page}, {"more", more}});
  }

  // 機關組織: the agencies and their units, from HR's data (public, as on the seed's login page).
  http::Response organization(const http::Request&) {
    json list = json::array();
    for (const auto& a : d_.people.agencies())
      list.push_back({{"code", a.code}, {"name", a.name}, {"nameEn", a.name_en}, {"parent", a.parent_code}});
    return api_json({{"agencies", std::move(list)}});
  }

  http::Response dashboard(const http::Request& request) {
    ActiveSession s = d_.sessions.require_login(request);
    auto person = d_.people.get(*s.record.person_id);
    if (!person || !person->active) throw Error(codes::NOT_LOGGED_IN, "session's person gone or inactive");
    return api_json(dashboard_json(d_.people, d_.todos, *person, s.record.method, d_.clock.now(),
                                   http::request_lang(request)));
  }

 private:
  PortalAppDeps d_;
  std::shared_ptr<http::TokenBucketLimiter> extend_limiter_;
};

}  // namespace

namespace {
// The built error page (web/error.html in web/dist), read once; none (an older web build): JSON stays.
std::string read_error_page(const std::filesystem::path& web_root) {
  std::ifstream in(web_root / "error.html", std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

http::SecurityHeaders portal_security_headers() {
  http::SecurityHeaders h;
  h.content_security_policy =
      "default-src 'self'; script-src 'self'; connect-src 'self' " + std::string(kComponentOrigin) +
      "; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
  return h;
}

http::Handler make_portal_handler(PortalAppDeps deps, const PortalAppOptions& options) {
  auto logger = deps.logger;
  SessionManager& sessions = deps.sessions;
  store::PeopleStore& people = deps.people;
  const std::vector<LoginMethod*> login_methods = deps.login_methods;
  auto routes = std::make_shared<PortalRoutes>(std::move(deps), 1.0);
  auto limiter = std::make_shared<http::TokenBucketLimiter>(http::TokenBucketLimiter::Options{
      .burst = options.auth_rate_burst, .per_second = options.auth_rate_per_second});
  auto bound = [routes](http::Response (PortalRoutes::*fn)(const http::Request&)) -> http::Handler {
    return [routes, fn](const http::Request& r) { return ((*routes).*fn)(r); };
  };

  http::Router router;
  // Each anonymous visit creates a pre-login session row: limited per address too, generously.
  auto session_limiter = std::make_shared<http::TokenBucketLimiter>(http::TokenBucketLimiter::Options{
      .burst = options.auth_rate_burst * 6, .per_second = options.auth_rate_per_second * 4});
  router.get("/api/session",
             http::rate_limit(session_limiter, http::client_address_key)(bound(&PortalRoutes::session)));
  // The login methods' endpoints, each installed by its room through the one door (auth/login_door.hpp).
  // The rooms keep a reference to the door for the life of the handler, which holds it.
  auto door = std::make_shared<LoginDoor>(router, sessions, people, limiter, session_limiter);
  for (LoginMethod* method : login_methods) method->install(*door);
  router.post("/api/auth/logout", bound(&PortalRoutes::logout));
  router.post("/api/session/extend", bound(&PortalRoutes::extend));
  router.get("/api/session/status",
             http::rate_limit(session_limiter, http::client_address_key)(bound(&PortalRoutes::status)));
  router.get("/api/dashboard", bound(&PortalRoutes::dashboard));
  router.get("/api/health", [](const http::Request&) { return api_json({{"ok", true}}); });
  router.get("/api/announcements", http::rate_limit(session_limiter, http::client_address_key)(
                                       bound(&PortalRoutes::announcements)));
  router.get("/api/organization",
             http::rate_limit(session_limiter, http::client_address_key)(bound(&PortalRoutes::organization)));

  if (!options.web_root.empty()) {
    // Pages may open the card component's pop-up, which needs window.opener (REFERENCE §1): HTML gets
    // same-origin-allow-popups, on its 304 too; everything else keeps the server's same-origin.
    http::StaticFiles::Options files_options;
    files_options.headers_by_type.emplace(
        "text/html", http::HeaderPolicy{{"Cross-Origin-Opener-Policy", "same-origin-allow-popups"}});
    auto files = std::make_shared<http::StaticFiles>(options.web_root, std::move(files_options));
    router.prefix("GET", "/", files->handler());
  }
  std::vector<http::Middleware> middlewares;
  // First of all, so that rate limits, audit records and the access log all name the client, not the proxy.
  if (!options.trusted_proxies.empty())
    middlewares.push_back(http::resolve_client_address(options.trusted_proxies));
  middlewares.push_back(http::access_log(logger));
  // Around catch_errors, so that a browser's 404 and 500 become the site's error page (error_pages.hpp).
  if (!options.web_root.empty())
    middlewares.push_back(browser_error_pages(read_error_page(options.web_root)));
  middlewares.push_back(http::catch_errors(logger));
  http::Handler chained = http::chain(middlewares, router.handler());
  return [door, chained](const http::Request& r) { return chained(r); };
}

}  // namespace ecpa::portal
