#include "auth/login_door.hpp"

#include "dashboard.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/http/middleware.hpp"

namespace ecpa::portal {
namespace {

void require_json_type(const http::Request& request) {
  // Only JSON: a cross-site HTML form cannot send application/json, one more wall behind the CSRF token.
  auto type = request.headers.get_or("Content-Type", "");
  if (!type.starts_with("application/json"))
    throw Error(codes::BAD_REQUEST, "Content-Type must be application/json");
}

}  // namespace

http::Response api_json(const nlohmann::json& value, int status) {
  http::Response r = http::Response::json(value, status);
  r.headers.set("Cache-Control", "no-store");
  return r;
}

nlohmann::json parse_json_body(const http::Request& request) {
  require_json_type(request);
  // Strict: a body with two "route" members means one thing to us and maybe another to whatever read it
  // before us, so it means nothing.
  StrictJson parsed = parse_json_strict(request.body);
  if (!parsed.value)
    throw Error(codes::BAD_REQUEST, "body refused: " + std::string(to_string(parsed.refusal)));
  if (!parsed.value->is_object()) throw Error(codes::BAD_REQUEST, "body is not a JSON object");
  return std::move(*parsed.value);
}

std::string LoginCall::text(const char* name, bool required) const {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) throw Error(codes::BAD_REQUEST, std::string("missing field ") + name).with("field", name);
    return {};
  }
  if (!it->is_string())
    throw Error(codes::BAD_REQUEST, std::string("field is not a string: ") + name).with("field", name);
  return it->get<std::string>();
}

LoginDoor::LoginDoor(http::Router& router, SessionManager& sessions, store::PeopleStore& people,
                     std::shared_ptr<http::TokenBucketLimiter> per_address,
                     std::shared_ptr<http::TokenBucketLimiter> reads)
    : router_(router),
      sessions_(sessions),
      people_(people),
      per_address_(std::move(per_address)),
      reads_(std::move(reads)) {}

void LoginDoor::post(std::string_view path, Step step) {
  // The per-address login budget is spent only by requests that could log someone in. A page on another
  // site can make a victim's browser send simple POSTs (text/plain, no custom header) to these routes; if
  // they counted, it could keep the victim, and everyone behind the same office address, from logging in.
  // So what such a page cannot pass (Origin, the CSRF header, a JSON body) is refused before counting.
  SessionManager* sessions = &sessions_;
  http::Handler inner = [sessions, step = std::move(step)](const http::Request& request) {
    ActiveSession s = sessions->require_state_change(request);
    LoginCall call{request, parse_json_body(request), std::move(s),
                   ClientInfo{request.remote_address, request.trace_id}, http::request_lang(request)};
    return step(call);
  };
  http::Handler counted = http::rate_limit(per_address_, http::client_address_key)(std::move(inner));
  router_.post(path, [sessions, counted](const http::Request& request) {
    sessions->refuse_cross_site(request);
    require_json_type(request);
    return counted(request);
  });
}

void LoginDoor::get(std::string_view path, http::Handler handler) {
  router_.get(path, http::rate_limit(reads_, http::client_address_key)(std::move(handler)));
}

http::Response LoginDoor::logged_in(const ActiveSession& rotated, const store::Person& person,
                                    std::string_view method) {
  http::Response r = api_json({{"person", person_json(people_, person, method)},
                               {"redirect", "/dashboard.html"},
                               {"csrfToken", rotated.csrf_token}});
  r.headers.add("Set-Cookie", sessions_.cookie_for(rotated));
  return r;
}

}  // namespace ecpa::portal
