#pragma once
// ecpa-portal's configuration file (TOML), read once at startup. Every table refuses unknown keys, so a
// typo in a production file stops the start instead of silently running with a default.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ecpa/common/config.hpp"
#include "ecpa/common/log.hpp"

namespace ecpa::portal {

// One certificate authority whose end-entity certificates may log in (for the validator, libs/pki).
struct IssuerSettings {
  std::string kind;  // "citizen" | "agency"
  std::filesystem::path certificate;
  std::string ocsp_url;                              // overrides the certificate's AIA when set
  std::filesystem::path ocsp_responder_certificate;  // pinned responder, optional
  bool require_ocsp_nonce = true;
  // How long a good OCSP answer for one of this issuer's cards is reused before asking again: the longest
  // a card revoked at the CA can still log in here. 0 = ask on every login (docs/portal.md).
  std::chrono::seconds ocsp_reuse{60};
  // After that window, with OCSP and CRLs unreachable: accept the last good answer until its nextUpdate
  // (audited) instead of failing closed. Off by default.
  bool reuse_on_outage = false;
  // Accept a login when neither OCSP nor CRL answers. Off by default (fail closed); audited when used.
  bool fail_open = false;
  std::vector<std::string> policies;  // certificate policy allow-list; empty: the validator's default
};

struct TrustSettings {
  std::vector<std::filesystem::path> anchors;        // PEM files: GRCA
  std::vector<std::filesystem::path> intermediates;  // PEM files: MOICA, GCA, XCA …
  std::map<std::string, IssuerSettings> issuers;     // by a name of the operator's choosing
  std::chrono::seconds max_clock_skew{300};
  std::chrono::seconds ocsp_timeout{5};
  std::chrono::seconds ocsp_max_age{7 * 24 * 3600};
};

struct IcscSettings {
  std::string url;                           // empty: binding is unavailable (IDENTITY_CHECK_UNAVAILABLE)
  std::filesystem::path client_certificate;  // the relying party's certificate (ClientID, signature)
  std::filesystem::path client_key;
  bool mutual_tls = false;        // also present the certificate in the TLS handshake
  std::filesystem::path ca_file;  // trust anchors for an https URL; empty: the system store
  std::chrono::seconds timeout{10};
};

// 帳號密碼登入 (docs/security.md): the policy, lockout and Argon2id cost. Defaults: Taiwan's baseline.
struct PasswordConfig {
  std::size_t min_length = 12;
  int min_classes = 3;
  std::size_t history = 3;
  int max_age_days = 90;
  int min_age_days = 1;
  int lock_after = 5;
  std::chrono::seconds lock_for{15 * 60};
  // Failed passwords one client address may spend (burst, then one per refill) before its attempts are
  // refused without counting against any account.
  int address_failure_burst = 10;
  std::chrono::seconds address_failure_refill{90};
  // OWASP's recommended minimum for Argon2id (docs/security.md has the login rate it gives).
  std::uint64_t argon2_ops = 2;
  std::size_t argon2_memory_kib = std::size_t{19} * 1024;
  std::chrono::minutes reset_link{30};
};

// Outgoing mail (password-reset links). No smtp_url: 忘記密碼 answers MAIL_UNAVAILABLE.
struct MailConfig {
  std::string smtp_url;  // smtp://host:port or smtps://host:port
  std::string from = "no-reply@openecpa.invalid";
  std::chrono::seconds timeout{10};
};

struct PortalConfig {
  std::filesystem::path source;  // the file this came from, for messages
  std::string listen_address;    // "127.0.0.1"
  std::uint16_t listen_port = 0;
  // The origin people use ("https://ecpa.example.gov.tw"): written into every text to sign and compared
  // with the Origin header of state-changing requests.
  std::string public_origin;
  bool behind_proxy = false;  // plain HTTP allowed only then
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_key;
  std::string trusted_trace_header;
  // With behind_proxy: addresses or CIDR blocks of the proxies whose X-Forwarded-For names the client
  // (see http::client_address). Empty: the socket peer is the client for rate limits and audit.
  std::vector<std::string> trusted_proxies;
  unsigned handler_threads = 8;
  std::filesystem::path web_root;

  std::string database_url;
  std::filesystem::path id_key_file;
  std::filesystem::path session_key_file;  // keys the CSRF tokens

  std::chrono::seconds session_idle{15 * 60};
  std::chrono::seconds session_absolute{8 * 3600};
  std::chrono::seconds nonce_ttl{5 * 60};

  double auth_rate_burst = 10;
  double auth_rate_per_second = 0.5;

  TrustSettings trust;
  IcscSettings icsc;
  PasswordConfig password;
  MailConfig mail;

  log::Level log_level = log::Level::Info;
  std::filesystem::path log_file;  // empty: standard error
};

// Reads and checks the file. Relative paths are resolved against the file's directory, so a config can
// travel with its keys. Throws ecpa::Error CONFIG_INVALID naming the key at fault.
PortalConfig load_portal_config(const std::filesystem::path& path);
PortalConfig parse_portal_config(const Config& config, const std::filesystem::path& base_dir);

// "https://host[:port]" with no path, query, fragment or user info; lowercase scheme and host. Throws
// CONFIG_INVALID otherwise (the origin is compared byte for byte with what browsers send).
std::string normalise_origin(const std::string& origin);

}  // namespace ecpa::portal
