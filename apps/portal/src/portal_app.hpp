#pragma once
// The portal's HTTP surface (docs/login-api.md): routes, body parsing, cookies, headers, rate limits, and the
// static front end. Login endpoints are the login methods' (auth/); this file only assembles and translates.

#include <filesystem>
#include <memory>
#include <optional>

#include <vector>

#include "auth/login_door.hpp"
#include "ecpa/http/forwarded.hpp"
#include "ecpa/http/message.hpp"
#include "ecpa/http/middleware.hpp"
#include "ecpa/store/announcement_store.hpp"
#include "ecpa/store/people_store.hpp"
#include "ecpa/store/todo_store.hpp"
#include "session_manager.hpp"

namespace ecpa::portal {

struct PortalAppOptions {
  std::filesystem::path web_root;  // empty: no static files (API only)
  double auth_rate_burst = 10;
  double auth_rate_per_second = 0.5;
  // Behind a reverse proxy: the proxies whose X-Forwarded-For names the client for rate limits, audit
  // records and the access log (rightmost untrusted hop). Empty: the socket peer, header never read.
  http::TrustedProxies trusted_proxies{};
};

struct PortalAppDeps {
  SessionManager& sessions;
  // The login page's doors (auth/): each installs its own endpoints.
  std::vector<LoginMethod*> login_methods;
  store::PeopleStore& people;
  store::TodoStore& todos;
  const Clock& clock;
  log::Logger logger;
  // 最新公告; null: GET /api/announcements answers an empty list.
  store::AnnouncementStore* announcements = nullptr;
};

// The whole request handler, middlewares included (access log, error mapping).
http::Handler make_portal_handler(PortalAppDeps deps, const PortalAppOptions& options);

// Security headers for every response: the CSP lets pages talk to the local card component and nothing else.
http::SecurityHeaders portal_security_headers();

}  // namespace ecpa::portal
