#include "agent_service.hpp"

#include <cstdint>
#include <cstdio>
#include <map>

#include "ecpa/common/error.hpp"
#include "ecpa/common/utf8.hpp"
#include "ecpa/http/header_policy.hpp"
#include "ecpa/http/middleware.hpp"
#include "ecpa/http/router.hpp"
#include "ecpa/http/url.hpp"
#include "ret_code.hpp"

namespace ecpa::agent {

namespace {

using nlohmann::json;

std::string hex32(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%08llX", static_cast<unsigned long long>(v));
  return buf;
}

bool is_loopback(std::string_view address) {
  return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

// The form fields of a POST body (the page sends application/x-www-form-urlencoded, as the official
// samples do). The raw body may hold a PIN: the caller wipes it once the fields are read.
std::multimap<std::string, std::string> form_of(const http::Request& r) {
  if (r.method != "POST" || r.body.empty()) return {};
  return http::parse_form(r.body, 16);
}

// A field given twice is refused, not resolved: which tbsPackage (or origin) counts must not be a guess.
std::optional<std::string> take_field(std::multimap<std::string, std::string>& form,
                                      const std::string& name) {
  if (form.count(name) > 1) {
    throw Error(codes::AGENT_PARAMETER_INVALID, "form field given twice").with("field", name);
  }
  auto it = form.find(name);
  if (it == form.end()) return std::nullopt;
  std::string value = std::move(it->second);
  form.erase(it);
  return value;
}

void wipe_form(std::multimap<std::string, std::string>& form) {
  for (auto& [k, v] : form) secure_wipe(v);
}

// The request object belongs to the server, but its body is ours to scrub once read: a PIN in a
// form body should not outlive the request in freed memory. (Not declared const by the server.)
void wipe_body(const http::Request& r) { secure_wipe(const_cast<std::string&>(r.body)); }

// A short text preview for the PIN pad: only when the bytes are printable UTF-8-ish text.
std::string preview_of(const crypto::Bytes& tbs) {
  std::string out;
  for (std::uint8_t b : tbs) {
    if (out.size() >= 300) break;
    if (b < 0x20 && b != '\n' && b != '\t') return "";
    out.push_back(static_cast<char>(b));
  }
  const bool cut = tbs.size() > out.size();
  // Do not cut a UTF-8 sequence in half; bytes that are not UTF-8 text get no preview at all.
  while (cut && !out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (cut && !out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0xC0) out.pop_back();
  if (!valid_utf8(out)) return "";
  if (cut) out += "…";
  return out;
}

std::string_view func_name(Func f) {
  switch (f) {
    case Func::GetUserCert:
      return "GetUserCert";
    case Func::CheckEnvir:
      return "CheckEnvir";
    case Func::MakeSignature:
      return "MakeSignature";
    case Func::DecryptData:
      return "DecryptData";
  }
  return "";
}

enum class Endpoint { Info, Sign, Decrypt };

}  // namespace

struct AgentService::Impl {
  static json answer(AgentService& a, std::string_view func, WireCode wire) {
    return json{{"func", func},
                {"ret_code", wire.ret_code},
                {"last_error", wire.last_error},
                {"serverVersion", a.options_.server_version},
                {"agent", kAgentName}};
  }

  static json error_answer(AgentService& a, std::string_view func, const Error& e) {
    json j = answer(a, func, to_wire(e));
    j["code"] = std::string(e.code().value);
    j["message"] = e.message(Lang::ZhTW).message;
    j["message_en"] = e.message(Lang::En).message;
    return j;
  }

  // Who is asking. A browser sets Origin and a page cannot forge it. The agent's own popup page relays
  // the origin of the page that talks to it (MessageEvent.origin) in the form field `origin`; that
  // field is believed only when the request comes from the agent's own origin.
  static std::string caller(AgentService& a, const http::Request& r,
                            std::multimap<std::string, std::string>& form) {
    const auto header = r.headers.get("Origin");
    if (!header) {
      if (a.options_.allow_local_clients) return "local";
      throw Error(codes::AGENT_ORIGIN_NOT_ALLOWED, "request without Origin").with("origin", "(none)");
    }
    const auto origin = normalise_origin(*header);
    if (!origin) throw Error(codes::AGENT_ORIGIN_NOT_ALLOWED, "malformed Origin").with("origin", "(invalid)");
    std::string effective = *origin;
    if (a.origins_.is_self(*origin)) {
      if (auto relayed = take_field(form, "origin")) {
        const auto n = normalise_origin(*relayed);
        if (!n || a.origins_.is_self(*n)) {
          throw Error(codes::AGENT_ORIGIN_NOT_ALLOWED, "relayed origin invalid").with("origin", "(invalid)");
        }
        effective = *n;
      }
    }
    if (!a.origins_.allowed(effective)) {
      throw Error(codes::AGENT_ORIGIN_NOT_ALLOWED, "origin not on the allowlist").with("origin", effective);
    }
    return effective;
  }

  // The PIN for this operation: the one the page sent (pop-up mode, as HiPKI pages do), while the site is
  // within its signing rate; else the one the person types in the agent's window named by pinRequest.
  static SecretBuffer obtain_pin(AgentService& a, TbsPackage& p, const std::string& origin) {
    std::string reason;
    if (p.pin) {
      if (a.rate_.admit(origin)) return std::move(*p.pin);
      // Over the rate: a person must confirm, so the site's PIN is dropped (and wiped) unused.
      p.pin.reset();
      if (!p.pin_request) {
        throw Error(codes::AGENT_CONFIRMATION_REQUIRED,
                    "over " + std::to_string(a.rate_.per_minute()) + " operations a minute, no PIN pad")
            .with("origin", origin);
      }
      reason = "rate";
    }
    if (!p.pin_request) throw Error(codes::AGENT_PIN_MISSING, "no pin and no pinRequest");
    PinPrompt prompt{origin, std::string(func_name(p.func)),
                     p.func == Func::MakeSignature ? preview_of(p.tbs) : std::string(), reason};
    return a.broker_.wait_for_pin(*p.pin_request, std::move(prompt), a.options_.pin_timeout);
  }

  static bool from_own_page(AgentService& a, const http::Request& r) {
    const auto header = r.headers.get("Origin");
    const auto origin = header ? normalise_origin(*header) : std::nullopt;
    return origin && a.origins_.is_self(*origin);
  }

  static http::Response api(AgentService& a, const http::Request& r, Endpoint endpoint) {
    std::string func = endpoint == Endpoint::Sign      ? "sign"
                       : endpoint == Endpoint::Decrypt ? "decrypt"
                                                       : "pkcs11info";
    std::string origin = "(unknown)";
    std::string card;
    json out;
    try {
      auto form = form_of(r);
      wipe_body(r);
      struct FormWiper {
        std::multimap<std::string, std::string>& f;
        ~FormWiper() { wipe_form(f); }
      } form_wiper{form};
      origin = caller(a, r, form);
      if (endpoint == Endpoint::Info) {
        const bool with_cert = r.query_param("withcert").value_or("") == "true";
        out = answer(a, func, {});
        out["slots"] = a.cards_.slots(with_cert);
      } else {
        auto text = take_field(form, "tbsPackage");
        if (!text) throw Error(codes::AGENT_PACKAGE_JSON_INVALID, "no tbsPackage field");
        struct TextWiper {
          std::string& t;
          ~TextWiper() { secure_wipe(t); }
        } text_wiper{*text};
        TbsPackage package = parse_tbs_package(*text);
        const Func expected = endpoint == Endpoint::Sign ? Func::MakeSignature : Func::DecryptData;
        if (package.func != expected) {
          throw Error(codes::AGENT_PARAMETER_INVALID, "func does not match the endpoint")
              .with("field", "func");
        }
        const bool own_page = from_own_page(a, r);
        // Direct mode (a site's page fetching us itself) never needs the PIN: the person types it in the
        // agent's PIN pad. A page that sends one anyway has read it from the person, which is what this
        // mode exists to prevent, so it is refused rather than used. Local programs (no Origin) may.
        if (package.pin && !own_page && origin != "local") {
          package.pin.reset();
          throw Error(codes::AGENT_PIN_FROM_PAGE_REFUSED, "direct mode: the page sent a PIN")
              .with("field", "pin");
        }
        // The pop-up names itself as the PIN pad beside the package, which it forwards as the site wrote it.
        // Its id wins over any the package carries: the pop-up is the window the person is looking at, and
        // a site must not send the person's confirmation to a window of its choosing.
        if (own_page) {
          if (auto id = take_field(form, "pinRequest")) {
            if (!is_pin_request_id(*id)) {
              throw Error(codes::AGENT_PARAMETER_INVALID, "pinRequest").with("field", "pinRequest");
            }
            package.pin_request = std::move(*id);
          }
        }
        CardTarget target = a.cards_.target(package);
        card = target.card_serial;
        SecretBuffer pin = obtain_pin(a, package, origin);
        out = answer(a, func, {});
        if (endpoint == Endpoint::Sign) {
          SignOutput signed_output = a.cards_.sign(target, package, pin);
          out["signature"] = crypto::to_base64(signed_output.signature);
          out["certb64"] = crypto::to_base64(signed_output.certificate.der());
          out["cardSN"] = signed_output.card_serial;
        } else {
          crypto::Bytes plain = a.cards_.decrypt(target, package, pin);
          out["data"] = crypto::to_base64(plain);
          secure_wipe(plain.data(), plain.size());
        }
      }
      a.logger_.info("agent.api",
                     {{"path", r.path}, {"origin", origin}, {"card", card}, {"ret_code", "0x00000000"}});
    } catch (const Error& e) {
      out = error_answer(a, func, e);
      const WireCode wire = to_wire(e);
      a.logger_.warn("agent.api", {{"path", r.path},
                                   {"origin", origin},
                                   {"card", card},
                                   {"ret_code", hex32(wire.ret_code)},
                                   {"last_error", hex32(wire.last_error)},
                                   {"code", std::string(e.code().value)},
                                   {"cause", e.cause()}});
    } catch (const std::exception& e) {
      out = answer(a, func, unexpected_failure_wire());
      a.logger_.error("agent.api", {{"path", r.path}, {"origin", origin}, {"cause", e.what()}});
    }
    // HTTP 200 whatever happened, as the official component does: the result is in ret_code.
    http::Response resp = http::Response::json(out);
    if (out.value("ret_code", std::uint64_t{0}) == 0) {
      // An answer with card data is not for the route's cross-origin policy: the allowed site gets it
      // through CORS (which sets its own CORP), our own pages are same-origin, and a caller without an
      // Origin header (allow_local_clients) is a local program, which CORP does not concern, or a
      // browser's no-cors request from some site, which must not get to read it.
      resp.headers.set("Cross-Origin-Resource-Policy", "same-origin");
    }
    return resp;
  }

  static http::Response require_self(AgentService& a, const http::Request& r) {
    const auto header = r.headers.get("Origin");
    const auto origin = header ? normalise_origin(*header) : std::nullopt;
    if (!origin || !a.origins_.is_self(*origin)) {
      Error e(codes::AGENT_ORIGIN_NOT_ALLOWED, "agent page endpoint called from elsewhere");
      e.with("origin", origin.value_or("(none)"));
      return http::Response::json(error_answer(a, "pinpad", e), 403);
    }
    return http::Response::empty(200);
  }

  static http::Response pin_prompt(AgentService& a, const http::Request& r) {
    const auto id = r.query_param("req").value_or("");
    auto prompt = is_pin_request_id(id) ? a.broker_.prompt(id) : std::nullopt;
    if (!prompt) return http::Response::json(json{{"pending", false}});
    return http::Response::json(json{{"pending", true},
                                     {"origin", prompt->origin},
                                     {"func", prompt->func},
                                     {"preview", prompt->preview},
                                     {"reason", prompt->reason}});
  }

  static http::Response pin_submit(AgentService& a, const http::Request& r, bool cancel) {
    auto check = require_self(a, r);
    if (check.status != 200) {
      wipe_body(r);
      return check;
    }
    auto form = form_of(r);
    wipe_body(r);
    const auto id = take_field(form, "req").value_or("");
    bool ok = false;
    if (cancel) {
      ok = is_pin_request_id(id) && a.broker_.cancel(id);
    } else if (auto pin = take_field(form, "pin")) {
      if (!pin->empty() && pin->size() <= kMaxPinBytes && is_pin_request_id(id)) {
        ok = a.broker_.submit(id, SecretBuffer::take(*pin, kMaxPinBytes));
      }
      secure_wipe(*pin);
    }
    wipe_form(form);
    a.logger_.info(cancel ? "agent.pinpad.cancel" : "agent.pinpad.submit", {{"accepted", ok}});
    return http::Response::json(json{{"ok", ok}});
  }

  static http::Response approvals_list(AgentService& a) {
    return http::Response::json(json{{"configured", a.origins_.configured()},
                                     {"approved", a.origins_.approved()},
                                     {"askUnknownOrigins", a.options_.ask_unknown_origins},
                                     {"module", a.cards_.module_path()},
                                     {"agent", kAgentName},
                                     {"serverVersion", a.options_.server_version}});
  }

  static http::Response approvals_change(AgentService& a, const http::Request& r) {
    auto check = require_self(a, r);
    if (check.status != 200) return check;
    try {
      auto form = form_of(r);
      const auto origin = take_field(form, "origin").value_or("");
      const auto action = take_field(form, "action").value_or("");
      if (action == "allow") {
        if (!a.options_.ask_unknown_origins) {
          throw Error(codes::AGENT_ORIGIN_NOT_ALLOWED, "approvals disabled").with("origin", origin);
        }
        a.origins_.approve(origin);
      } else if (action == "revoke") {
        a.origins_.revoke(origin);
      } else {
        throw Error(codes::AGENT_PARAMETER_INVALID, "approvals action").with("field", "action");
      }
      a.logger_.info("agent.approval", {{"origin", origin}, {"action", action}});
      return approvals_list(a);
    } catch (const Error& e) {
      return http::Response::json(error_answer(a, "approvals", e), 400);
    }
  }

  static http::Response page(AgentService& a, const std::string& name) {
    http::Response resp = http::Response::file(a.options_.web_dir / name);
    resp.headers.set("Cache-Control", "no-store");
    resp.headers.set("X-Frame-Options", "DENY");
    return resp;
  }

  static bool is_api(std::string_view path) {
    return path == "/pkcs11info" || path == "/sign" || path == "/decrypt";
  }

  static void add_cors(http::Response& resp, const std::string& origin) {
    resp.headers.set("Access-Control-Allow-Origin", origin);
    resp.headers.set("Vary", "Origin");
    // CORP same-origin (the server's default) would also block the allowed site's fetch.
    resp.headers.set("Cross-Origin-Resource-Policy", "cross-origin");
  }

  // The API routes' header policy. Their answers to sites not on the allowlist are refusals (0x76000031)
  // carrying no card data, so they may be fetched cross-origin: a page's no-cors presence check then sees
  // that the component runs and can say "site not authorised" rather than "component not installed".
  // Answers that do carry card data override it (see the end of api()).
  static const http::HeaderPolicy& api_headers() {
    static const http::HeaderPolicy policy{{"Cross-Origin-Resource-Policy", "cross-origin"}};
    return policy;
  }

  static http::Response forbidden_host(AgentService& a, const http::Request& r) {
    Error e(codes::AGENT_HOST_FORBIDDEN, "Host header not ours");
    a.logger_.warn("agent.host_forbidden",
                   {{"host", std::string(r.headers.get_or("Host", "")).substr(0, 100)}});
    return http::Response::json(error_answer(a, "error", e), 403);
  }
};

AgentService::AgentService(AgentOptions options, log::Logger logger, const Clock& clock)
    : options_(std::move(options)),
      logger_(std::move(logger)),
      clock_(clock),
      origins_(options_.allowed_origins, options_.approvals_file, options_.port),
      broker_(4),
      rate_(options_.signatures_per_minute, clock_),
      cards_(CardService::Options{options_.module_path, options_.card_lock_timeout}, clock_) {}

AgentService::~AgentService() = default;

http::Handler AgentService::handler() {
  http::Router router;
  auto api = [this](Endpoint endpoint) {
    return http::with_headers(Impl::api_headers(), [this, endpoint](const http::Request& r) {
      return Impl::api(*this, r, endpoint);
    });
  };
  for (const char* method : {"GET", "POST"}) router.add(method, "/pkcs11info", api(Endpoint::Info));
  router.post("/sign", api(Endpoint::Sign));
  router.post("/decrypt", api(Endpoint::Decrypt));
  // The popup must keep window.opener to post its answer back (REFERENCE §1), so it cannot have the
  // default Cross-Origin-Opener-Policy: same-origin.
  router.get("/popupForm", http::with_coop("unsafe-none", [this](const http::Request&) {
               return Impl::page(*this, "popupForm.html");
             }));
  router.get("/popupForm.js", [this](const http::Request&) { return Impl::page(*this, "popupForm.js"); });
  // The PIN pad keeps COOP same-origin: the page that opened it loses its handle on it and so
  // cannot navigate it to a look-alike that collects PINs.
  router.get("/pinpad", [this](const http::Request&) { return Impl::page(*this, "pinpad.html"); });
  router.get("/pinpad.js", [this](const http::Request&) { return Impl::page(*this, "pinpad.js"); });
  router.get("/selfTest.htm", [this](const http::Request&) { return Impl::page(*this, "selfTest.htm"); });
  router.get("/selfTest.js", [this](const http::Request&) { return Impl::page(*this, "selfTest.js"); });
  router.get("/agent.css", [this](const http::Request&) { return Impl::page(*this, "agent.css"); });
  // The pages' icon; without one every agent window asks for /favicon.ico and logs a 404.
  router.get("/agent.svg", [this](const http::Request&) { return Impl::page(*this, "agent.svg"); });
  router.get("/favicon.ico", [this](const http::Request&) { return Impl::page(*this, "agent.svg"); });
  router.get("/pinpad/request", [this](const http::Request& r) { return Impl::pin_prompt(*this, r); });
  router.post("/pinpad/submit", [this](const http::Request& r) { return Impl::pin_submit(*this, r, false); });
  router.post("/pinpad/cancel", [this](const http::Request& r) { return Impl::pin_submit(*this, r, true); });
  router.get("/approvals", [this](const http::Request&) { return Impl::approvals_list(*this); });
  router.post("/approvals", [this](const http::Request& r) { return Impl::approvals_change(*this, r); });
  http::Handler routes = router.handler();

  return [this, routes](const http::Request& r) {
    if (!is_loopback(r.remote_address) || !origins_.host_allowed(r.headers.get_or("Host", ""))) {
      return Impl::forbidden_host(*this, r);
    }
    const auto header = r.headers.get("Origin");
    const auto origin = header ? normalise_origin(*header) : std::nullopt;
    const bool cors =
        origin && !origins_.is_self(*origin) && Impl::is_api(r.path) && origins_.allowed(*origin);
    if (r.method == "OPTIONS") {
      // A preflight from a site we do not know gets nothing it could use: no CORS headers at all.
      http::Response resp = http::Response::empty(cors ? 204 : 403);
      if (cors) {
        Impl::add_cors(resp, *origin);
        resp.headers.set("Access-Control-Allow-Methods", "GET, POST");
        resp.headers.set("Access-Control-Allow-Headers", "Content-Type");
        resp.headers.set("Access-Control-Max-Age", "600");
        if (r.headers.get_or("Access-Control-Request-Private-Network", "") == "true") {
          resp.headers.set("Access-Control-Allow-Private-Network", "true");
        }
      }
      return resp;
    }
    http::Response resp = routes(r);
    if (cors) Impl::add_cors(resp, *origin);
    return resp;
  };
}

}  // namespace ecpa::agent
