#include "ecpa/http/router.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "ecpa/common/error.hpp"
#include "ecpa/http/middleware.hpp"
#include "ecpa/http/url.hpp"

namespace ecpa::http {
namespace {

struct Segment {
  bool is_param = false;
  std::string text;  // literal text, or the parameter's name
};

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  // The leading '/' is checked by the caller; every later '/' starts a segment (maybe empty).
  std::size_t pos = 1;
  while (true) {
    std::size_t slash = path.find('/', pos);
    out.push_back(path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return out;
}

std::vector<Segment> parse_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/'");
  std::vector<Segment> out;
  std::set<std::string, std::less<>> names;
  for (auto seg : split_path(pattern)) {
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      std::string name(seg.substr(1, seg.size() - 2));
      if (name.empty() || name.find_first_of("{}/") != std::string::npos || !names.insert(name).second) {
        throw std::invalid_argument("bad or repeated parameter in route pattern: " + std::string(pattern));
      }
      out.push_back({true, std::move(name)});
    } else {
      if (seg.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("parameters must fill a whole segment: " + std::string(pattern));
      }
      out.push_back({false, std::string(seg)});
    }
  }
  return out;
}

}  // namespace

struct Router::Impl {
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    bool prefix = false;
    Handler handler;
  };
  std::vector<Route> routes;

  // Match quality: one entry per segment, 2 for a literal and 1 for a parameter; prefix routes get a
  // trailing 0 so that any full match beats them. Compared lexicographically.
  using Score = std::vector<int>;

  static std::optional<Score> match(const Route& route, const std::vector<std::string>& decoded,
                                    const std::vector<std::string_view>& raw,
                                    std::map<std::string, std::string, std::less<>>& params) {
    const auto& segs = route.segments;
    if (route.prefix ? raw.size() < segs.size() : raw.size() != segs.size()) return std::nullopt;
    Score score;
    std::map<std::string, std::string, std::less<>> found;
    for (std::size_t i = 0; i < segs.size(); ++i) {
      if (segs[i].is_param) {
        if (decoded[i].empty()) return std::nullopt;
        found[segs[i].text] = decoded[i];
        score.push_back(1);
      } else {
        if (decoded[i] != segs[i].text) return std::nullopt;
        score.push_back(2);
      }
    }
    if (route.prefix) {
      std::string rest;
      for (std::size_t i = segs.size(); i < raw.size(); ++i) {
        if (i > segs.size()) rest.push_back('/');
        rest += raw[i];
      }
      found["*"] = std::move(rest);
      score.push_back(0);
    }
    params = std::move(found);
    return score;
  }
};

Router::Router() : impl_(std::make_shared<Impl>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

Router& Router::add(std::string_view method, std::string_view pattern, Handler handler) {
  if (method.empty() || !handler) throw std::invalid_argument("route needs a method and a handler");
  for (const auto& r : impl_->routes) {
    if (r.method == method && r.pattern == pattern && !r.prefix) {
      throw std::invalid_argument("duplicate route: " + std::string(method) + " " + std::string(pattern));
    }
  }
  impl_->routes.push_back(
      {std::string(method), std::string(pattern), parse_pattern(pattern), false, std::move(handler)});
  return *this;
}

Router& Router::prefix(std::string_view method, std::string_view prefix, Handler handler) {
  std::string p(prefix);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  if (!handler) throw std::invalid_argument("route needs a handler");
  auto segments = p == "/" ? std::vector<Segment>{} : parse_pattern(p);
  impl_->routes.push_back({std::string(method), p, std::move(segments), true, std::move(handler)});
  return *this;
}

Response Router::dispatch(const Request& request) const {
  std::string_view raw_path = request.raw_path.empty() ? std::string_view(request.path) : request.raw_path;
  if (raw_path.empty() || raw_path.front() != '/') {
    return error_response(ecpa::Error(ecpa::codes::NOT_FOUND, "path does not start with '/'"), request);
  }
  auto raw = split_path(raw_path);
  std::vector<std::string> decoded;
  decoded.reserve(raw.size());
  for (auto seg : raw) {
    auto d = percent_decode(seg, false);
    // A decoded '/' inside a segment would make "/a%2Fb" match "/a/{x}/…" differently from what a
    // proxy in front sees; refuse it with the malformed escapes.
    if (!d || d->find('/') != std::string::npos || d->find('\0') != std::string::npos) {
      return error_response(ecpa::Error(ecpa::codes::NOT_FOUND, "undecodable path segment"), request);
    }
    decoded.push_back(std::move(*d));
  }

  auto find_best = [&](std::string_view method,
                       std::map<std::string, std::string, std::less<>>& best_params) {
    const Impl::Route* best = nullptr;
    Impl::Score best_score;
    for (const auto& route : impl_->routes) {
      if (route.method != method) continue;
      std::map<std::string, std::string, std::less<>> params;
      auto score = Impl::match(route, decoded, raw, params);
      if (score && (!best || *score > best_score)) {
        best = &route;
        best_score = std::move(*score);
        best_params = std::move(params);
      }
    }
    return best;
  };

  std::map<std::string, std::string, std::less<>> params;
  const Impl::Route* route = find_best(request.method, params);
  if (!route && request.method == "HEAD") route = find_best("GET", params);
  if (route) {
    request.path_params = std::move(params);
    return route->handler(request);
  }

  std::set<std::string> allowed;
  for (const auto& r : impl_->routes) {
    std::map<std::string, std::string, std::less<>> ignored;
    if (Impl::match(r, decoded, raw, ignored)) allowed.insert(r.method);
  }
  if (allowed.empty()) {
    return error_response(ecpa::Error(ecpa::codes::NOT_FOUND, "no route for " + request.path), request);
  }
  if (allowed.contains("GET")) allowed.insert("HEAD");
  std::string allow;
  for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
  Response response = error_response(
      ecpa::Error(ecpa::codes::METHOD_NOT_ALLOWED, request.method + " not allowed on " + request.path),
      request);
  response.headers.set("Allow", allow);
  return response;
}

Handler Router::handler() const {
  Router shared;
  shared.impl_ = impl_;
  return [router = std::make_shared<Router>(std::move(shared))](const Request& r) {
    return router->dispatch(r);
  };
}

}  // namespace ecpa::http
