#include "ecpa/http/middleware.hpp"

#include <chrono>

namespace ecpa::http {

ecpa::Lang request_lang(const Request& request) {
  if (auto lang = request.query_param("lang")) return ecpa::parse_lang(*lang);
  return ecpa::parse_lang(request.headers.get("Accept-Language").value_or(""));
}

Response error_response(const ecpa::Error& error, const Request& request) {
  ecpa::Message text = error.message(request_lang(request));
  nlohmann::json body = {{"code", std::string(error.code().value)},
                         {"message", std::move(text.message)},
                         {"action", std::move(text.action)},
                         {"traceId", request.trace_id}};
  // The values the message was filled with (seconds to wait, an unlock time), for a page that shows them
  // its own way. Only placeholders go here; the internal cause never leaves the server.
  if (!error.params().empty()) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [k, v] : error.params()) params[k] = v;
    body["params"] = std::move(params);
  }
  Response response = Response::json(body, error.http_status());
  // Error answers are about this one request; a shared cache must never keep them.
  response.headers.set("Cache-Control", "no-store");
  if (error.code() == ecpa::codes::RATE_LIMITED) {
    if (auto it = error.params().find("retry_after"); it != error.params().end()) {
      response.headers.set("Retry-After", it->second);
    }
  }
  return response;
}

Middleware catch_errors(ecpa::log::Logger logger) {
  return [logger = std::move(logger)](Handler next) -> Handler {
    return [logger, next = std::move(next)](const Request& request) -> Response {
      try {
        return next(request);
      } catch (const ecpa::Error& e) {
        Response response = error_response(e, request);
        nlohmann::json fields = {{"code", std::string(e.code().value)},
                                 {"cause", e.cause()},
                                 {"origin", e.origin()},
                                 {"path", request.path}};
        auto trace_logger = logger.with_trace(request.trace_id);
        if (response.status >= 500) {
          trace_logger.error("http.error", std::move(fields));
        } else {
          trace_logger.info("http.refused", std::move(fields));
        }
        return response;
      } catch (const std::exception& e) {
        logger.with_trace(request.trace_id)
            .error("http.exception", {{"cause", e.what()}, {"path", request.path}});
        return error_response(ecpa::Error(ecpa::codes::INTERNAL_ERROR, e.what()), request);
      }
    };
  };
}

Middleware access_log(ecpa::log::Logger logger) {
  return [logger = std::move(logger)](Handler next) -> Handler {
    return [logger, next = std::move(next)](const Request& request) -> Response {
      auto start = std::chrono::steady_clock::now();
      Response response = next(request);
      auto us =
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
      logger.with_trace(request.trace_id)
          .info("http.access", {{"method", request.method},
                                {"path", request.path},
                                {"status", response.status},
                                {"bytes", response.body.size()},
                                {"us", us.count()},
                                {"remote", request.remote_address}});
      return response;
    };
  };
}

void apply_security_headers(Response& response, const SecurityHeaders& config, bool tls) {
  auto put = [&](std::string_view name, const std::string& value) {
    if (!value.empty()) response.headers.set_default(name, value);
  };
  put("Content-Security-Policy", config.content_security_policy);
  if (tls) put("Strict-Transport-Security", config.strict_transport_security);
  put("X-Content-Type-Options", config.content_type_options);
  put("Referrer-Policy", config.referrer_policy);
  put("Cross-Origin-Opener-Policy", config.cross_origin_opener_policy);
  put("Cross-Origin-Resource-Policy", config.cross_origin_resource_policy);
}

Middleware security_headers(SecurityHeaders config) {
  return [config = std::move(config)](Handler next) -> Handler {
    return [config, next = std::move(next)](const Request& request) -> Response {
      Response response = next(request);
      apply_security_headers(response, config, request.tls);
      return response;
    };
  };
}

Handler with_coop(std::string_view policy, Handler handler) {
  return with_headers(HeaderPolicy{{"Cross-Origin-Opener-Policy", policy}}, std::move(handler));
}

Middleware rate_limit(std::shared_ptr<TokenBucketLimiter> limiter, KeyFunction key_of) {
  return [limiter = std::move(limiter), key_of = std::move(key_of)](Handler next) -> Handler {
    return [limiter, key_of, next = std::move(next)](const Request& request) -> Response {
      auto decision = limiter->take(key_of(request));
      if (!decision.allowed) {
        throw ecpa::Error(ecpa::codes::RATE_LIMITED, "rate limit for " + request.path)
            .with("retry_after", std::to_string(decision.retry_after.count()));
      }
      return next(request);
    };
  };
}

std::string client_address_key(const Request& request) { return request.remote_address; }

}  // namespace ecpa::http
