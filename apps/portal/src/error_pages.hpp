#pragma once
// Pages, not JSON, for people: a browser that asks for a page that does not exist, or meets a server error,
// gets the site's error page (web/error.html, built with the others) with the right status, the catalogue's
// message and next step in the request's language, and a link home. /api/ and clients that do not ask for
// HTML keep the JSON error (docs/login-api.md).

#include <string>
#include <string_view>

#include "ecpa/http/message.hpp"

namespace ecpa::portal {

// What fills the page's %%ECPA_…%% tokens (HTML-escaped here).
struct ErrorPageFields {
  int status = 500;
  std::string code, message, action, trace_id, lang;  // lang: "zh-TW" | "en"
};

// The template with every token replaced; text is escaped, so nothing in a message can become markup.
std::string render_error_page(std::string_view page_template, const ErrorPageFields& fields);

// Whether the request is a person's browser asking for a page: GET or HEAD, not under /api/, and an Accept
// header that names text/html.
bool wants_html_page(const http::Request& request);

// Turns JSON error answers (status >= 400) to such requests into the page; everything else passes as it is.
// An empty template leaves every answer as it is (a portal without web_root).
http::Middleware browser_error_pages(std::string page_template);

}  // namespace ecpa::portal
