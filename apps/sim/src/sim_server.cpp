#include "sim_server.hpp"

#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "card_issuer.hpp"
#include "crl_publisher.hpp"
#include "ecpa/cardstate/card_state.hpp"
#include "ecpa/crypto/bytes.hpp"
#include "ecpa/http/router.hpp"
#include "ecpa/http/url.hpp"
#include "ecpa/icsc/codec.hpp"
#include "ecpa/tw/national_id.hpp"
#include "faults.hpp"
#include "icsc_service.hpp"
#include "ocsp_responder.hpp"
#include "registry.hpp"

namespace ecpa::sim {

namespace fs = std::filesystem;

struct SimContext {
  SimContext(fs::path d, const Clock& c, std::shared_ptr<const Mailbox> m)
      : dir(std::move(d)),
        clock(c),
        mailbox(std::move(m)),
        pki(SimPki::load(dir)),
        registry(dir / "registry.json"),
        ocsp(pki, clock),
        crls(pki, clock),
        icsc(clock) {}
  fs::path dir;
  const Clock& clock;
  std::shared_ptr<const Mailbox> mailbox;
  SimPki pki;
  Registry registry;
  OcspResponder ocsp;
  CrlPublisher crls;
  IcscService icsc;
};

namespace {

http::Response binary(const crypto::Bytes& der, std::string_view type) {
  http::Response r;
  r.body.assign(der.begin(), der.end());
  r.headers.set("Content-Type", type);
  return r;
}

// "moica.crl" → "moica" when the suffix matches and the CA exists.
std::optional<std::string> ca_of(const SimContext& ctx, std::string_view file, std::string_view suffix) {
  if (file.size() <= suffix.size() || file.substr(file.size() - suffix.size()) != suffix) return std::nullopt;
  std::string name(file.substr(0, file.size() - suffix.size()));
  if (ctx.pki.find(name) == nullptr) return std::nullopt;
  return name;
}

http::Response ocsp_answer(const SimContext& ctx, crypto::ByteView request, std::string_view ca) {
  Faults faults = read_faults(ctx.dir / "faults.json");
  if (faults.slow_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(faults.slow_ms));
  if (faults.down) return http::Response::text("OCSP responder down (fault)", 503);
  auto der = ctx.ocsp.respond(request, ctx.registry.read(), faults, ca);
  return binary(der, "application/ocsp-response");
}

// Newest first. A body is shown as text, links included: making links of a message's text would mean
// deciding which of its URLs are safe to follow (javascript:…); a person copies the link, a test reads it
// from GET /mail/messages.
std::string mail_section(const SimContext& ctx) {
  std::string out = "<h2>收到的郵件 / Mail received</h2>";
  if (!ctx.mailbox) return out + "<p>SMTP sink off (ecpa-sim serve --smtp-port N)</p>";
  auto messages = ctx.mailbox->list();
  if (messages.empty()) return out + "<p>none yet</p>";
  out += "<table border=\"1\"><tr><th>received</th><th>to</th><th>subject</th><th>body</th></tr>";
  for (const auto& m : messages) {
    std::string to;
    for (const auto& r : m.envelope_to) to += http::escape_html(r) + "<br>";
    out += "<tr><td>" + http::escape_html(to_iso8601(m.received_at)) + "</td><td>" + to + "</td><td>" +
           http::escape_html(m.subject) + "</td><td><pre>" + http::escape_html(m.body) + "</pre></td></tr>";
  }
  return out + "</table>";
}

nlohmann::json mail_json(const std::vector<ReceivedMail>& messages) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& m : messages) {
    list.push_back({{"id", m.id},
                    {"receivedAt", to_iso8601(m.received_at)},
                    {"from", m.envelope_from},
                    {"to", m.envelope_to},
                    {"subject", m.subject},
                    {"body", m.body}});
  }
  return {{"messages", list}};
}

std::string status_page(const SimContext& ctx) {
  auto registry = ctx.registry.read();
  auto tokens = cardmod::CardState(card_state_file(ctx.dir)).list();
  std::string rows;
  for (const auto& card : registry.cards) {
    auto t = tokens.find(card.token_serial);
    bool removed = t != tokens.end() && t->second.removed;
    int tries = t != tokens.end() ? t->second.retries_left : cardmod::kDefaultMaxTries;
    std::string id = card.id_number;
    if (card.kind == "citizen") {
      auto parsed = tw::NationalId::parse(id);
      id = parsed ? parsed->masked() : "?";
    }
    std::string certs;
    for (const auto& c : card.certs) {
      certs +=
          http::escape_html(c.usage + " " + c.serial_hex + (c.revoked_at ? " revoked" : " good")) + "<br>";
    }
    rows += "<tr><td>" + http::escape_html(card.card_sn) + "</td><td>" + http::escape_html(card.kind) +
            "</td><td>" + http::escape_html(card.name) + "</td><td>" + http::escape_html(id) + "</td><td>" +
            (removed ? "removed" : "inserted") + "</td><td>" + std::to_string(tries) + "</td><td>" + certs +
            "</td><td>" + http::escape_html(card.renewed_by) + "</td></tr>";
  }
  return "<!doctype html><html lang=\"zh-Hant-TW\"><meta charset=\"utf-8\"><title>ecpa-sim</title>"
         "<h1>ecpa-sim (TEST ONLY)</h1><p>Registry revision " +
         std::to_string(registry.revision) +
         "</p><table border=\"1\"><tr><th>card</th><th>kind</th><th>name</th><th>ID</th><th>reader</th>"
         "<th>PIN tries</th><th>certificates</th><th>renewed by</th></tr>" +
         rows + "</table>" + mail_section(ctx) + "</html>";
}

}  // namespace

SimService::SimService(fs::path dir, const Clock& clock, std::shared_ptr<const Mailbox> mailbox)
    : ctx_(std::make_shared<SimContext>(std::move(dir), clock, std::move(mailbox))) {}
SimService::~SimService() = default;

http::Handler SimService::handler() const {
  auto ctx = ctx_;
  http::Router router;
  auto post_ocsp = [ctx](const http::Request& req, std::string_view ca) {
    return ocsp_answer(*ctx, crypto::as_bytes(req.body), ca);
  };
  router.post("/ocsp", [post_ocsp](const http::Request& req) { return post_ocsp(req, ""); });
  router.post("/ocsp/{ca}", [ctx, post_ocsp](const http::Request& req) {
    if (ctx->pki.find(req.param("ca")) == nullptr || req.param("ca") == "grca") {
      return http::Response::text("no such CA", 404);
    }
    return post_ocsp(req, req.param("ca"));
  });
  // GET: /ocsp/{ca}/{base64}. The base64 text may itself hold '/', so take the whole rest of the path.
  router.prefix("GET", "/ocsp", [ctx](const http::Request& req) {
    std::string rest = req.param("*");
    if (!rest.empty() && rest[0] == '/') rest.erase(0, 1);
    auto slash = rest.find('/');
    std::string ca = slash == std::string::npos ? "" : rest.substr(0, slash);
    std::string b64 = slash == std::string::npos ? rest : rest.substr(slash + 1);
    if (ctx->pki.find(ca) == nullptr) {
      ca.clear();
      b64 = rest;
    }
    crypto::Bytes der;
    try {
      der = crypto::from_base64(b64);
    } catch (const Error&) {
      der.clear();  // answered as malformedRequest below
    }
    return ocsp_answer(*ctx, der, ca);
  });
  router.get("/crl/{file}", [ctx](const http::Request& req) {
    auto ca = ca_of(*ctx, req.param("file"), ".crl");
    if (!ca) return http::Response::text("no such CRL", 404);
    return binary(ctx->crls.crl_der(*ca, ctx->registry.read()), "application/pkix-crl");
  });
  router.get("/repository/{file}", [ctx](const http::Request& req) {
    if (auto ca = ca_of(*ctx, req.param("file"), ".cer")) {
      return binary(ctx->pki.ca(*ca).cert.der(), "application/pkix-cert");
    }
    if (auto ca = ca_of(*ctx, req.param("file"), ".pem")) {
      auto r = http::Response::text(ctx->pki.ca(*ca).cert.pem());
      r.headers.set("Content-Type", "application/x-pem-file");
      return r;
    }
    return http::Response::text("no such certificate", 404);
  });
  router.post("/icsc", [ctx](const http::Request& req) {
    auto form = http::parse_form(req.body);
    auto it = form.find("ICSRequestXMLData");
    std::string xml = it == form.end() ? std::string() : it->second;
    std::string answer;
    try {
      answer = ctx->icsc.handle(xml, ctx->registry.read());
    } catch (const Error&) {
      // The registry could not be read: the service's "database error, retry" answer.
      icsc::Refusal retry_later;
      retry_later.err_id = icsc::err_id::kDatabaseError;
      answer = icsc::build_refusal(retry_later);
    }
    auto r = http::Response::text(answer);
    r.headers.set("Content-Type", "application/xml; charset=utf-8");
    return r;
  });
  router.get("/mail/messages", [ctx](const http::Request& req) {
    if (!ctx->mailbox) throw Error(codes::NOT_FOUND, "serve runs without --smtp-port");
    return http::Response::json(mail_json(ctx->mailbox->list(req.query_param("to").value_or(""))));
  });
  router.get("/", [ctx](const http::Request&) { return http::Response::html(status_page(*ctx)); });
  return router.handler();
}

}  // namespace ecpa::sim
