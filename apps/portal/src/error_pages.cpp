#include "error_pages.hpp"

#include <nlohmann/json.hpp>

#include "ecpa/http/middleware.hpp"

namespace ecpa::portal {
namespace {

void replace_all(std::string& text, std::string_view token, const std::string& value) {
  for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
    text.replace(at, token.size(), value);
}

}  // namespace

std::string render_error_page(std::string_view page_template, const ErrorPageFields& f) {
  std::string page(page_template);
  // Values first escaped, then put in: a value can never contain a token, so the order does not matter.
  replace_all(page, "%%ECPA_STATUS%%", std::to_string(f.status));
  replace_all(page, "%%ECPA_CODE%%", http::escape_html(f.code));
  replace_all(page, "%%ECPA_MESSAGE%%", http::escape_html(f.message));
  replace_all(page, "%%ECPA_ACTION%%", http::escape_html(f.action));
  replace_all(page, "%%ECPA_TRACE%%", http::escape_html(f.trace_id));
  replace_all(page, "%%ECPA_LANG%%", f.lang == "en" ? "en" : "zh-Hant-TW");
  return page;
}

bool wants_html_page(const http::Request& request) {
  if (request.method != "GET" && request.method != "HEAD") return false;
  if (request.path == "/api" || request.path.starts_with("/api/")) return false;
  return request.headers.get_or("Accept", "").find("text/html") != std::string_view::npos;
}

http::Middleware browser_error_pages(std::string page_template) {
  return [page_template = std::move(page_template)](http::Handler next) -> http::Handler {
    return [page_template, next = std::move(next)](const http::Request& request) {
      http::Response answer = next(request);
      if (page_template.empty() || answer.status < 400 || !wants_html_page(request)) return answer;
      if (!answer.headers.get_or("Content-Type", "").starts_with("application/json")) return answer;
      auto error = nlohmann::json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
      if (!error.is_object()) return answer;
      auto text = [&](const char* key) {
        auto it = error.find(key);
        return it != error.end() && it->is_string() ? it->get<std::string>() : std::string();
      };
      ErrorPageFields fields{answer.status,   text("code"),
                             text("message"), text("action"),
                             text("traceId"), std::string(lang_tag(http::request_lang(request)))};
      http::Response page = http::Response::html(render_error_page(page_template, fields), answer.status);
      page.headers.set("Cache-Control", "no-store");
      // What the JSON answer said beside its body (Retry-After, Allow …) still holds.
      for (const char* keep : {"Retry-After", "Allow", "X-Trace-Id"}) {
        if (auto v = answer.headers.get(keep)) page.headers.set(keep, std::string(*v));
      }
      return page;
    };
  };
}

}  // namespace ecpa::portal
