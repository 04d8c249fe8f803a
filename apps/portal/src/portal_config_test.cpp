#include "portal_config.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"

namespace ecpa::portal {
namespace {

const std::string kMinimal = R"(
[portal]
listen = "127.0.0.1:8443"
public_origin = "https://Ecpa.Example.gov.tw"
tls_certificate = "tls/cert.pem"
tls_key = "tls/key.pem"
web_root = "web"
[database]
url = "sqlite:///var/lib/ecpa/portal.db"
id_key_file = "keys/id.key"
)";

PortalConfig parse(const std::string& text) {
  return parse_portal_config(Config::parse(text, "test.toml"), "/etc/ecpa");
}

ErrorCode code_of(const std::string& text) {
  try {
    parse(text);
  } catch (const Error& e) {
    return e.code();
  }
  return codes::INTERNAL_ERROR;
}

TEST(PortalConfig, ReadsAMinimalFileWithDefaults) {
  PortalConfig c = parse(kMinimal);
  EXPECT_EQ(c.listen_address, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8443);
  EXPECT_EQ(c.public_origin, "https://ecpa.example.gov.tw");
  EXPECT_EQ(c.tls_certificate, "/etc/ecpa/tls/cert.pem");
  EXPECT_EQ(c.id_key_file, "/etc/ecpa/keys/id.key");
  EXPECT_EQ(c.session_key_file, "/etc/ecpa/keys/session.key");
  EXPECT_EQ(c.session_idle, std::chrono::minutes(15));
  EXPECT_EQ(c.session_absolute, std::chrono::hours(8));
  EXPECT_EQ(c.nonce_ttl, std::chrono::minutes(5));
  EXPECT_TRUE(c.icsc.url.empty());
}

TEST(PortalConfig, ReadsEverySection) {
  PortalConfig c = parse(kMinimal + R"(
[session]
idle_timeout_seconds = 60
absolute_timeout_seconds = 120
nonce_ttl_seconds = 2
[rate_limit]
auth_burst = 3
auth_per_second = 0.25
[trust]
anchors = ["grca.pem"]
intermediates = ["moica.pem"]
[trust.issuers.moica]
kind = "citizen"
certificate = "moica.pem"
ocsp_url = "http://moica.nat.gov.tw/cgi-bin/OCSP/ocsp_server.exe"
policies = ["2.16.886.101.0.3.3"]
[icsc]
url = "https://icsc.example/ics"
client_certificate = "rp.pem"
client_key = "rp.key"
[log]
level = "debug"
file = "/var/log/ecpa/portal.log"
)");
  EXPECT_EQ(c.session_idle, std::chrono::seconds(60));
  EXPECT_EQ(c.nonce_ttl, std::chrono::seconds(2));
  EXPECT_EQ(c.auth_rate_burst, 3);
  EXPECT_EQ(c.trust.anchors.at(0), "/etc/ecpa/grca.pem");
  ASSERT_EQ(c.trust.issuers.count("moica"), 1u);
  EXPECT_EQ(c.trust.issuers.at("moica").kind, "citizen");
  EXPECT_TRUE(c.trust.issuers.at("moica").require_ocsp_nonce);
  EXPECT_FALSE(c.trust.issuers.at("moica").fail_open);
  EXPECT_EQ(c.icsc.client_key, "/etc/ecpa/rp.key");
  EXPECT_EQ(c.log_level, log::Level::Debug);
}

TEST(PortalConfig, RefusesTyposAndUnsafeSettings) {
  EXPECT_EQ(code_of(kMinimal + "[sesion]\nidle_timeout_seconds = 5\n"), codes::CONFIG_INVALID);
  EXPECT_EQ(code_of(kMinimal + "[session]\nidle_timeout = 5\n"), codes::CONFIG_INVALID);
  EXPECT_EQ(code_of(kMinimal + "[session]\nidle_timeout_seconds = 100\nabsolute_timeout_seconds = 50\n"),
            codes::CONFIG_INVALID);
  EXPECT_EQ(code_of(kMinimal + "[icsc]\nurl = \"https://icsc\"\n"), codes::CONFIG_INVALID);
  EXPECT_EQ(code_of(kMinimal + "[trust.issuers.x]\nkind = \"company\"\n"), codes::CONFIG_INVALID);
  // No TLS and not behind a proxy: refused.
  EXPECT_EQ(code_of(R"([portal]
listen = "127.0.0.1:80"
public_origin = "https://a.gov.tw"
[database]
url = "sqlite::memory:"
id_key_file = "id.key"
)"),
            codes::CONFIG_INVALID);
  EXPECT_EQ(code_of(R"([portal]
listen = "127.0.0.1:99999"
public_origin = "https://a.gov.tw"
behind_proxy = true
[database]
url = "sqlite::memory:"
id_key_file = "id.key"
)"),
            codes::CONFIG_INVALID);
}

TEST(PortalConfig, PasswordAndMailSections) {
  PortalConfig d = parse(kMinimal);
  EXPECT_EQ(d.password.min_length, 12u);
  EXPECT_EQ(d.password.lock_after, 5);
  EXPECT_EQ(d.password.lock_for, std::chrono::minutes(15));
  EXPECT_EQ(d.password.max_age_days, 90);
  EXPECT_EQ(d.password.argon2_ops, 2u);
  EXPECT_EQ(d.password.argon2_memory_kib, 19u * 1024);
  EXPECT_TRUE(d.mail.smtp_url.empty());
  PortalConfig c = parse(kMinimal + R"(
[password]
min_length = 10
min_classes = 4
history = 5
max_age_days = 60
min_age_days = 2
lock_after = 3
lock_minutes = 30
argon2_ops = 3
argon2_memory_kib = 65536
reset_link_minutes = 20
[mail]
smtp_url = "smtp://127.0.0.1:2525"
from = "ecpa@example.gov.tw"
)");
  EXPECT_EQ(c.password.min_length, 10u);
  EXPECT_EQ(c.password.min_classes, 4);
  EXPECT_EQ(c.password.history, 5u);
  EXPECT_EQ(c.password.lock_after, 3);
  EXPECT_EQ(c.password.lock_for, std::chrono::minutes(30));
  EXPECT_EQ(c.password.argon2_memory_kib, 65536u);
  EXPECT_EQ(c.password.argon2_ops, 3u);
  EXPECT_EQ(c.password.reset_link, std::chrono::minutes(20));
  EXPECT_EQ(c.mail.smtp_url, "smtp://127.0.0.1:2525");
  EXPECT_EQ(c.mail.from, "ecpa@example.gov.tw");
  // Under the baseline, or nonsense: refused at start.
  EXPECT_EQ(code_of(kMinimal + "[password]\nmin_length = 6\n"), codes::CONFIG_INVALID);
  EXPECT_EQ(code_of(kMinimal + "[password]\nmin_age_days = 10\nmax_age_days = 5\n"), codes::CONFIG_INVALID);
  EXPECT_EQ(code_of(kMinimal + "[password]\nlockout = 5\n"), codes::CONFIG_INVALID);
  EXPECT_EQ(code_of(kMinimal + "[mail]\nsmtp_url = \"http://x\"\n"), codes::CONFIG_INVALID);
  EXPECT_EQ(code_of(kMinimal + "[mail]\nfrom = \"Portal <p@example.gov.tw>\"\n"), codes::CONFIG_INVALID);
}

TEST(PortalConfig, PlainHttpOnlyBehindAProxy) {
  PortalConfig c = parse(R"([portal]
listen = "127.0.0.1:0"
public_origin = "http://127.0.0.1:8080"
behind_proxy = true
[database]
url = "sqlite::memory:"
id_key_file = "id.key"
)");
  EXPECT_TRUE(c.behind_proxy);
  EXPECT_TRUE(c.tls_certificate.empty());
}

TEST(PortalConfig, TrustedProxiesOnlyBehindAProxyAndNeverEveryone) {
  const std::string behind = R"([portal]
listen = "127.0.0.1:0"
public_origin = "http://127.0.0.1:8080"
behind_proxy = true
)";
  const std::string db = "[database]\nurl = \"sqlite::memory:\"\nid_key_file = \"id.key\"\n";
  PortalConfig c = parse(behind + "trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\", \"fd00::/8\"]\n" + db);
  EXPECT_EQ(c.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "10.0.0.0/8", "fd00::/8"}));
  EXPECT_TRUE(parse(behind + db).trusted_proxies.empty());

  for (const char* bad :
       {"[\"proxy.example\"]", "[\"10.0.0.0/40\"]", "[\"0.0.0.0/0\"]", "[\"::/0\"]", "\"127.0.0.1\""}) {
    std::string text = behind;
    text.append("trusted_proxies = ").append(bad).append("\n").append(db);
    EXPECT_EQ(code_of(text), codes::CONFIG_INVALID) << bad;
  }
  // With TLS on the portal itself there is no proxy whose word could count.
  std::string with_tls = kMinimal;
  with_tls.insert(with_tls.find("[database]"), "trusted_proxies = [\"127.0.0.1\"]\n");
  EXPECT_EQ(code_of(with_tls), codes::CONFIG_INVALID);
}

TEST(PortalConfig, OriginsAreSchemeHostPortOnly) {
  EXPECT_EQ(normalise_origin("HTTPS://A.gov.tw:8443"), "https://a.gov.tw:8443");
  EXPECT_THROW(normalise_origin("https://a.gov.tw/login"), Error);
  EXPECT_THROW(normalise_origin("https://user@a.gov.tw"), Error);
  EXPECT_THROW(normalise_origin("ftp://a.gov.tw"), Error);
  EXPECT_THROW(normalise_origin("https://"), Error);
}

}  // namespace
}  // namespace ecpa::portal
