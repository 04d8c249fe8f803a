#include "portal_config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include "ecpa/common/error.hpp"
#include "ecpa/http/forwarded.hpp"
#include "ecpa/pki/login_text.hpp"

namespace ecpa::portal {
namespace {

[[noreturn]] void invalid(const std::string& source, const std::string& what) {
  throw Error(codes::CONFIG_INVALID, source + ": " + what);
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& value) {
  if (value.empty()) return {};
  std::filesystem::path p(value);
  return p.is_absolute() ? p : base / p;
}

std::chrono::seconds seconds_in(const Config& c, std::string_view key, std::int64_t min, std::int64_t max,
                                std::chrono::seconds fallback) {
  return std::chrono::seconds(c.integer_in(key, min, max, fallback.count()));
}

void parse_listen(const std::string& source, const std::string& listen, PortalConfig& out) {
  // "127.0.0.1:8443" or "[::1]:8443": the address must be explicit, never a wildcard (http::Server refuses
  // those too, but the message is clearer here).
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) invalid(source, "portal.listen: expected address:port");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::string_view port_text = std::string_view(listen).substr(colon + 1);
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || port > 65535 || port_text.empty())
    invalid(source, "portal.listen: bad port in '" + listen + "'");
  out.listen_address = host;
  out.listen_port = static_cast<std::uint16_t>(port);
}

IssuerSettings parse_issuer(const Config& c, const std::filesystem::path& base, const std::string& source,
                            const std::string& name) {
  c.require_known_keys({"kind", "certificate", "ocsp_url", "ocsp_responder_certificate", "require_ocsp_nonce",
                        "ocsp_reuse_seconds", "reuse_on_outage", "fail_open", "policies"});
  IssuerSettings s;
  s.kind = c.string_or("kind", "citizen");
  if (s.kind != "citizen" && s.kind != "agency")
    invalid(source, "trust.issuers." + name + ".kind: expected \"citizen\" or \"agency\"");
  s.certificate = resolve(base, c.string_or("certificate", ""));
  s.ocsp_url = c.string_or("ocsp_url", "");
  s.ocsp_responder_certificate = resolve(base, c.string_or("ocsp_responder_certificate", ""));
  s.require_ocsp_nonce = c.boolean_or("require_ocsp_nonce", true);
  // An hour at most: past that the window stops being "short" and a revoked card logs in for longer than
  // anybody would accept.
  s.ocsp_reuse = seconds_in(c, "ocsp_reuse_seconds", 0, 3600, s.ocsp_reuse);
  s.reuse_on_outage = c.boolean_or("reuse_on_outage", false);
  s.fail_open = c.boolean_or("fail_open", false);
  if (c.has("policies")) s.policies = c.string_list("policies");
  return s;
}

}  // namespace

std::string normalise_origin(const std::string& origin) {
  std::string lower = origin;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  std::string_view scheme;
  if (lower.starts_with("https://")) {
    scheme = "https://";
  } else if (lower.starts_with("http://")) {
    scheme = "http://";
  } else {
    throw Error(codes::CONFIG_INVALID,
                "portal.public_origin must start with https:// (or http://): " + origin);
  }
  std::string rest = lower.substr(scheme.size());
  if (rest.empty() || rest.find_first_of("/?#@ \\") != std::string::npos)
    throw Error(codes::CONFIG_INVALID, "portal.public_origin must be scheme://host[:port] only: " + origin);
  return std::string(scheme) + rest;
}

namespace {

// X-Forwarded-For is believed only from these peers, so a mistake here lets clients pick the address that
// rate limits and the audit log see: refused unless the portal really sits behind a proxy, and never a
// block that trusts every address.
void check_trusted_proxies(const std::string& source, const PortalConfig& c) {
  if (c.trusted_proxies.empty()) return;
  if (!c.behind_proxy) invalid(source, "portal.trusted_proxies is only for behind_proxy = true");
  for (const auto& entry : c.trusted_proxies) {
    if (entry.ends_with("/0"))
      invalid(source, "portal.trusted_proxies: '" + entry + "' would trust everyone");
  }
  try {
    (void)http::TrustedProxies(c.trusted_proxies);
  } catch (const std::invalid_argument& e) {
    invalid(source, std::string("portal.trusted_proxies: ") + e.what());
  }
}

}  // namespace

PortalConfig parse_portal_config(const Config& config, const std::filesystem::path& base_dir) {
  const std::string& source = config.source_name();
  config.require_known_keys(
      {"portal", "database", "session", "rate_limit", "trust", "icsc", "password", "mail", "log"});
  PortalConfig out;
  out.source = source;

  const Config portal = config.section("portal");
  portal.require_known_keys({"listen", "public_origin", "behind_proxy", "tls_certificate", "tls_key",
                             "trusted_trace_header", "trusted_proxies", "handler_threads", "web_root"});
  parse_listen(source, portal.string("listen"), out);
  out.public_origin = normalise_origin(portal.string("public_origin"));
  if (!pki::is_valid_origin(out.public_origin))
    invalid(source, "portal.public_origin: https://host[:port] (http:// only for a loopback host)");
  out.behind_proxy = portal.boolean_or("behind_proxy", false);
  out.tls_certificate = resolve(base_dir, portal.string_or("tls_certificate", ""));
  out.tls_key = resolve(base_dir, portal.string_or("tls_key", ""));
  if (out.tls_certificate.empty() != out.tls_key.empty())
    invalid(source, "portal.tls_certificate and portal.tls_key go together");
  if (out.tls_certificate.empty() && !out.behind_proxy)
    invalid(source, "portal: TLS certificate and key are required unless behind_proxy = true");
  if (!out.public_origin.starts_with("https://") && !out.behind_proxy)
    invalid(source, "portal.public_origin must be https:// (http:// only for behind_proxy test setups)");
  out.trusted_trace_header = portal.string_or("trusted_trace_header", "");
  if (portal.has("trusted_proxies")) {
    out.trusted_proxies = portal.string_list("trusted_proxies");
    check_trusted_proxies(source, out);
  }
  out.handler_threads = static_cast<unsigned>(portal.integer_in("handler_threads", 1, 256, 8));
  out.web_root = resolve(base_dir, portal.string_or("web_root", ""));

  const Config db = config.section("database");
  db.require_known_keys({"url", "id_key_file"});
  out.database_url = db.string("url");
  out.id_key_file = resolve(base_dir, db.string("id_key_file"));

  if (config.has("session")) {
    const Config s = config.section("session");
    s.require_known_keys(
        {"idle_timeout_seconds", "absolute_timeout_seconds", "nonce_ttl_seconds", "key_file"});
    out.session_idle = seconds_in(s, "idle_timeout_seconds", 1, std::int64_t{24} * 3600, out.session_idle);
    out.session_absolute =
        seconds_in(s, "absolute_timeout_seconds", 1, std::int64_t{7} * 24 * 3600, out.session_absolute);
    out.nonce_ttl = seconds_in(s, "nonce_ttl_seconds", 1, 3600, out.nonce_ttl);
    out.session_key_file = resolve(base_dir, s.string_or("key_file", ""));
  }
  if (out.session_absolute < out.session_idle)
    invalid(source, "session.absolute_timeout_seconds must not be shorter than the idle timeout");
  if (out.session_key_file.empty()) {
    // Next to the ID key by default: both are the portal's secrets and live in the same protected place.
    out.session_key_file = out.id_key_file.parent_path() / "session.key";
  }

  if (config.has("rate_limit")) {
    const Config r = config.section("rate_limit");
    r.require_known_keys({"auth_burst", "auth_per_second"});
    out.auth_rate_burst = static_cast<double>(r.integer_in("auth_burst", 1, 100000, 10));
    out.auth_rate_per_second = r.has("auth_per_second") ? r.number("auth_per_second") : 0.5;
    if (!(out.auth_rate_per_second > 0)) invalid(source, "rate_limit.auth_per_second must be positive");
  }

  if (config.has("trust")) {
    const Config t = config.section("trust");
    t.require_known_keys({"anchors", "intermediates", "issuers", "max_clock_skew_seconds",
                          "ocsp_timeout_seconds", "ocsp_max_age_seconds"});
    if (t.has("anchors"))
      for (const auto& a : t.string_list("anchors")) out.trust.anchors.push_back(resolve(base_dir, a));
    if (t.has("intermediates"))
      for (const auto& a : t.string_list("intermediates"))
        out.trust.intermediates.push_back(resolve(base_dir, a));
    out.trust.max_clock_skew = seconds_in(t, "max_clock_skew_seconds", 0, 3600, out.trust.max_clock_skew);
    out.trust.ocsp_timeout = seconds_in(t, "ocsp_timeout_seconds", 1, 120, out.trust.ocsp_timeout);
    out.trust.ocsp_max_age =
        seconds_in(t, "ocsp_max_age_seconds", 60, std::int64_t{90} * 24 * 3600, out.trust.ocsp_max_age);
    if (t.has("issuers")) {
      const Config issuers = t.section("issuers");
      for (const auto& name : issuers.keys())
        out.trust.issuers.emplace(name, parse_issuer(issuers.section(name), base_dir, source, name));
    }
  }

  if (config.has("icsc")) {
    const Config i = config.section("icsc");
    i.require_known_keys(
        {"url", "client_certificate", "client_key", "mutual_tls", "ca_file", "timeout_seconds"});
    out.icsc.url = i.string_or("url", "");
    out.icsc.client_certificate = resolve(base_dir, i.string_or("client_certificate", ""));
    out.icsc.client_key = resolve(base_dir, i.string_or("client_key", ""));
    out.icsc.mutual_tls = i.boolean_or("mutual_tls", false);
    out.icsc.ca_file = resolve(base_dir, i.string_or("ca_file", ""));
    out.icsc.timeout = seconds_in(i, "timeout_seconds", 1, 120, out.icsc.timeout);
    if (!out.icsc.url.empty() && (out.icsc.client_certificate.empty() || out.icsc.client_key.empty()))
      invalid(source, "icsc: url needs client_certificate and client_key (the relying party's)");
  }

  if (config.has("password")) {
    const Config p = config.section("password");
    p.require_known_keys({"min_length", "min_classes", "history", "max_age_days", "min_age_days",
                          "lock_after", "lock_minutes", "address_failure_burst",
                          "address_failure_refill_seconds", "argon2_ops", "argon2_memory_kib",
                          "reset_link_minutes"});
    auto& pw = out.password;
    pw.min_length = static_cast<std::size_t>(p.integer_in("min_length", 8, 128, 12));
    pw.min_classes = static_cast<int>(p.integer_in("min_classes", 1, 4, 3));
    pw.history = static_cast<std::size_t>(p.integer_in("history", 1, 24, 3));
    pw.max_age_days = static_cast<int>(p.integer_in("max_age_days", 2, 3650, 90));
    pw.min_age_days = static_cast<int>(p.integer_in("min_age_days", 0, 30, 1));
    if (pw.min_age_days >= pw.max_age_days)
      invalid(source, "password.min_age_days must be below max_age_days");
    pw.lock_after = static_cast<int>(p.integer_in("lock_after", 1, 100, 5));
    pw.lock_for = std::chrono::minutes(p.integer_in("lock_minutes", 1, std::int64_t{24} * 60, 15));
    pw.address_failure_burst = static_cast<int>(p.integer_in("address_failure_burst", 1, 100000, 10));
    pw.address_failure_refill =
        seconds_in(p, "address_failure_refill_seconds", 1, 3600, pw.address_failure_refill);
    pw.argon2_ops = static_cast<std::uint64_t>(p.integer_in("argon2_ops", 1, 20, 2));
    pw.argon2_memory_kib = static_cast<std::size_t>(
        p.integer_in("argon2_memory_kib", 8, std::int64_t{1024} * 1024, std::int64_t{19} * 1024));
    pw.reset_link = std::chrono::minutes(p.integer_in("reset_link_minutes", 5, std::int64_t{24} * 60, 30));
  }

  if (config.has("mail")) {
    const Config m = config.section("mail");
    m.require_known_keys({"smtp_url", "from", "timeout_seconds"});
    out.mail.smtp_url = m.string_or("smtp_url", "");
    if (!out.mail.smtp_url.empty() && !out.mail.smtp_url.starts_with("smtp://") &&
        !out.mail.smtp_url.starts_with("smtps://"))
      invalid(source, "mail.smtp_url must start with smtp:// or smtps://");
    out.mail.from = m.string_or("from", out.mail.from);
    // A bare address (what the mail client sends as MAIL FROM and From:): checked here, at start, rather
    // than found wrong by every mail later in the outbox's thread.
    const auto at = out.mail.from.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == out.mail.from.size() ||
        out.mail.from.find_first_of(" <>\"\r\n\t,;") != std::string::npos ||
        out.mail.from.find('@', at + 1) != std::string::npos)
      invalid(source, "mail.from must be a bare e-mail address (no name, no <>)");
    out.mail.timeout = seconds_in(m, "timeout_seconds", 1, 120, out.mail.timeout);
  }

  if (config.has("log")) {
    const Config l = config.section("log");
    l.require_known_keys({"level", "file"});
    std::string level = l.string_or("level", "info");
    if (level != "debug" && level != "info" && level != "warn" && level != "error")
      invalid(source, "log.level: expected debug, info, warn or error");
    out.log_level = log::parse_level(level);
    out.log_file = resolve(base_dir, l.string_or("file", ""));
  }
  return out;
}

PortalConfig load_portal_config(const std::filesystem::path& path) {
  Config config = Config::load_file(path);
  std::filesystem::path base = std::filesystem::absolute(path).parent_path();
  return parse_portal_config(config, base);
}

}  // namespace ecpa::portal
