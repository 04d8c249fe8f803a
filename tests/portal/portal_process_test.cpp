// ecpa-portal as people meet it: the built program on 127.0.0.1, talking to a real `ecpa-sim serve` (OCSP,
// CRL, ICSC) over loopback, with packages signed by card keys in SoftHSM2 tokens the simulator issued.
// Every error a person can meet through the API is checked for its code, its catalogue entry, and that
// no session or binding was created (by reading the portal's SQLite file).
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "ecpa/common/messages.hpp"
#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/cms_sign.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"
#include "ecpa/p11/module.hpp"
#include "ecpa/p11/session.hpp"
#include "ecpa/store/database.hpp"
#include "ecpa/tw/roc_date.hpp"
#include "portal_process.hpp"
#include "registry.hpp"

namespace ecpa::portal::it {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::string kOrigin = "https://ecpa.test";
const std::string kPin = "123456";

struct Card {
  std::string card_sn, token_serial, serial_hex;
  crypto::Certificate cert;
};

// Everything the suite shares: one simulator with its cards, one relying party registered for ICSC.
struct World {
  crypto::testing::TempDir tmp;
  fs::path sim_dir = tmp.path() / "sim";
  std::unique_ptr<Process> sim;
  std::map<std::string, Card> cards;  // by holder's ID number (and "renewed")
  fs::path rp_cert, rp_key;

  World() {
    auto init = run(ECPA_SIM_PATH, {"pki", "init", "--dir", sim_dir.string(), "--root-bits", "2048"});
    if (init.exit_code != 0) throw std::runtime_error("sim pki init: " + init.output);
    ::setenv("SOFTHSM2_CONF", (sim_dir / "softhsm2.conf").c_str(), 1);
    for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{{"A123456789", "王小明"},
                                                                                   {"G111156789", "周小六"},
                                                                                   {"B123456780", "李小華"},
                                                                                   {"C222256789", "陳撤銷"}})
      cards.insert_or_assign(id, issue(id, name));
    // A relying party for ICSC: any key pair with a certificate; the simulator learns its ClientID.
    auto root = crypto::testing::make_root("Relying Party CA");
    auto rp = crypto::testing::make_issuing_ca(root, "openecpa portal");
    rp_cert = tmp.write("rp.pem", rp.cert.pem());
    rp_key = tmp.path() / "rp.key";
    rp.key.save_pem_file(rp_key);
    auto reg = run(ECPA_SIM_PATH, {"icsc", "register-client", "--dir", sim_dir.string(), rp_cert.string()});
    if (reg.exit_code != 0) throw std::runtime_error("register-client: " + reg.output);
    auto revoke = run(ECPA_SIM_PATH, {"card", "revoke", "--dir", sim_dir.string(),
                                      cards.at("C222256789").serial_hex, "--reason", "keyCompromise"});
    if (revoke.exit_code != 0) throw std::runtime_error("revoke: " + revoke.output);
    sim = std::make_unique<Process>(
        ECPA_SIM_PATH,
        std::vector<std::string>{"serve", "--dir", sim_dir.string(), "--listen", "127.0.0.1:0"},
        tmp.path() / "sim.log");
  }

  Card card_from_registry(const std::string& card_sn) {
    auto data = sim::Registry(sim_dir / "registry.json").read();
    const auto* c = data.card(card_sn);
    if (!c) throw std::runtime_error("no card " + card_sn);
    for (const auto& issued : c->certs)
      if (issued.usage == "sign") {
        auto cert = crypto::Certificate::from_der(crypto::from_base64(issued.der_b64));
        return Card{card_sn, c->token_serial, cert.serial_hex(), cert};
      }
    throw std::runtime_error("no signing certificate on " + card_sn);
  }
  Card issue(const std::string& id, const std::string& name, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"card", "issue", "--dir", sim_dir.string(), "--name",
                                  name,   "--id",  id,      "--pin",          kPin};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run(ECPA_SIM_PATH, args);
    if (r.exit_code != 0) throw std::runtime_error("card issue: " + r.output);
    return card_from_registry(field(r.output, "card_sn"));
  }
  Card renew(const Card& old) {
    auto r = run(ECPA_SIM_PATH, {"card", "renew", "--dir", sim_dir.string(), old.card_sn, "--pin", kPin});
    if (r.exit_code != 0) throw std::runtime_error("card renew: " + r.output);
    return card_from_registry(field(r.output, "card_sn"));
  }
};

World& world() {
  // Destroyed at exit, which stops the simulator and removes its directory: nothing else would, and a
  // leaked `ecpa-sim serve` outlives the test run.
  static World w;
  return w;
}

// What the component does for MakeSignature: CMS over the tbs with the card's signing key (CKA_ID "SIGN").
json signed_body(const Card& card, const std::string& tbs, json extra = json::object()) {
  // Loaded per signature: SoftHSM2 reads its token directory at initialisation, and cards are issued (and
  // renewed) while the suite runs.
  std::shared_ptr<p11::Module> module = p11::Module::load("/usr/lib/softhsm/libsofthsm2.so");
  auto slot = module->slot_with_serial(card.token_serial);
  if (!slot) throw std::runtime_error("token not found: " + card.token_serial);
  p11::Session session = module->open(*slot, false);
  session.login_user(SecretBuffer::copy_of(kPin));
  static const std::uint8_t kSignId[] = {0x53, 0x49, 0x47, 0x4e};
  crypto::CmsSignOptions o;
  o.signing_time = std::chrono::system_clock::now();
  o.card_serial = card.card_sn;
  auto der = crypto::cms_sign_attached(
      crypto::as_bytes(tbs), card.cert,
      [&](crypto::DigestAlgorithm, crypto::ByteView data) {
        return session.sign(kSignId, p11::Mechanism::Sha256RsaPkcs, data);
      },
      o);
  json body = {{"route", "citizen"},
               {"signature", crypto::to_base64(der)},
               {"certb64", crypto::to_base64(card.cert.der())},
               {"cardSN", card.card_sn}};
  for (auto& [k, v] : extra.items()) body[k] = v;
  return body;
}

struct PortalSettings {
  int idle_seconds = 900;
  int nonce_seconds = 300;
  bool icsc_reachable = true;
  int auth_burst = 1000;
  double auth_per_second = 100;
  std::string trusted_proxies{};  // TOML array text, e.g. ["127.0.0.1"]; empty: the key is left out
};

// One ecpa-portal with its own database, configured to use the simulator.
struct Portal {
  crypto::testing::TempDir dir;
  fs::path db_file = dir.path() / "portal.db";
  fs::path config = dir.path() / "portal.toml";
  std::unique_ptr<Process> process;

  explicit Portal(const PortalSettings& s = {}) {
    World& w = world();
    fs::create_directories(dir.path() / "web");
    std::ofstream(dir.path() / "web" / "index.html") << "<!doctype html><title>人事服務網</title>";
    std::ofstream(config) << "[portal]\nlisten = \"127.0.0.1:0\"\npublic_origin = \"" << kOrigin
                          << "\"\nbehind_proxy = true\nweb_root = \"web\"\nhandler_threads = 4\n"
                          << (s.trusted_proxies.empty() ? ""
                                                        : "trusted_proxies = " + s.trusted_proxies + "\n")
                          << "[database]\nurl = \"sqlite://" << db_file.string()
                          << "\"\nid_key_file = \"id.key\"\n"
                          << "[session]\nidle_timeout_seconds = " << s.idle_seconds
                          << "\nnonce_ttl_seconds = " << s.nonce_seconds << "\n"
                          << "[rate_limit]\nauth_burst = " << s.auth_burst
                          << "\nauth_per_second = " << s.auth_per_second << "\n"
                          << "[trust]\nanchors = [\"" << (w.sim_dir / "ca/grca.pem").string() << "\"]\n"
                          << "intermediates = [\"" << (w.sim_dir / "ca/moica.pem").string() << "\"]\n"
                          << "[trust.issuers.moica]\nkind = \"citizen\"\ncertificate = \""
                          << (w.sim_dir / "ca/moica.pem").string() << "\"\nocsp_url = \"" << w.sim->url()
                          << "/ocsp/moica\"\n"
                          << "[icsc]\nurl = \"" << (s.icsc_reachable ? w.sim->url() : "http://127.0.0.1:1")
                          << "/icsc\"\nclient_certificate = \"" << w.rp_cert.string() << "\"\nclient_key = \""
                          << w.rp_key.string() << "\"\ntimeout_seconds = 3\n"
                          << "[log]\nlevel = \"debug\"\n";
    const std::string csv =
        "身分證字號,姓名,機關代碼,機關名稱,職稱,電子郵件\n"
        "A123456789,王小明,A01,行政院人事行政總處,科員,wang@example.gov.tw\n"
        "G111156789,周小六,A01,行政院人事行政總處,專員,\n"
        "C222256789,陳撤銷,A01,行政院人事行政總處,專員,\n";
    auto csv_file = dir.write("people.csv", csv);
    auto imported =
        run(ECPA_PORTAL_PATH, {"admin", "import-people", "--config", config.string(), csv_file.string()});
    if (imported.exit_code != 0) throw std::runtime_error("import-people: " + imported.output);
    process = std::make_unique<Process>(ECPA_PORTAL_PATH,
                                        std::vector<std::string>{"serve", "--config", config.string()},
                                        dir.path() / "portal.log");
  }

  Browser browser() const { return Browser{process->url(), kOrigin, "", "", http::Client{}}; }
  std::int64_t count(const std::string& sql) {
    auto db = store::Database::open("sqlite://" + db_file.string());
    return db->with_connection([&](store::Connection& c) { return c.query_one(sql)->i64(0); });
  }
  std::int64_t sessions() { return count("SELECT count(*) FROM sessions"); }
  std::int64_t logged_in_sessions() {
    return count("SELECT count(*) FROM sessions WHERE person_id IS NOT NULL");
  }
  std::int64_t bindings() { return count("SELECT count(*) FROM cert_bindings"); }
};

std::string challenge(Browser& b, const std::string& purpose) {
  auto r = b.send("POST", "/api/auth/challenge", {{"purpose", purpose}, {"route", "citizen"}});
  if (r.status != 200) throw std::runtime_error("challenge: " + r.body);
  return json::parse(r.body)["tbs"];
}

// The error's code, after checking the answer's shape and that the catalogue knows the code.
std::string error_code(const http::ClientResponse& r) {
  auto j = json::parse(r.body);
  std::string code = j.value("code", "");
  const auto* entry = MessageCatalogue::builtin().find(code);
  EXPECT_NE(entry, nullptr) << code;
  if (entry) {
    EXPECT_EQ(entry->status, r.status) << code;
  }
  EXPECT_FALSE(j.value("message", "").empty()) << code;
  EXPECT_FALSE(j.value("action", "").empty()) << code;
  EXPECT_FALSE(j.value("traceId", "").empty()) << code;
  return code;
}

json bind_body(const Card& card, const std::string& tbs, const std::string& id) {
  return signed_body(card, tbs, {{"nationalId", id}});
}

class PortalProcess : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { portal_ = new Portal(); }
  static void TearDownTestSuite() {
    delete portal_;
    portal_ = nullptr;
  }
  static Portal* portal_;
};
Portal* PortalProcess::portal_ = nullptr;

TEST_F(PortalProcess, ServesThePageWithItsSecurityHeaders) {
  Browser b = portal_->browser();
  auto page = b.send("GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("人事服務網"), std::string::npos);
  EXPECT_EQ(page.headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin-allow-popups");
  auto csp = page.headers.get_or("Content-Security-Policy", "");
  EXPECT_NE(csp.find("connect-src 'self' http://localhost:61161"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(page.headers.get_or("X-Content-Type-Options", ""), "nosniff");
  auto session = b.send("GET", "/api/session");
  EXPECT_EQ(session.headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin");
  auto cookie = std::string(session.headers.get("Set-Cookie").value_or(""));
  EXPECT_NE(cookie.find("__Host-ecpa-session="), std::string::npos);
  EXPECT_NE(cookie.find("Secure"), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
}

TEST_F(PortalProcess, TheSeedsFlowFromUnboundToDashboardAndLogout) {
  const Card& card = world().cards.at("A123456789");
  Browser b = portal_->browser();
  b.open_session();
  const std::string pre = b.cookie;
  const auto bindings_before = portal_->bindings();

  auto unbound = b.send("POST", "/api/auth/certificate", signed_body(card, challenge(b, "login")));
  EXPECT_EQ(unbound.status, 404);
  EXPECT_EQ(error_code(unbound), "ACCOUNT_NOT_BOUND");
  EXPECT_EQ(json::parse(unbound.body)["message"], "帳號資訊不存在 若是您最近更新卡片,請依網頁導引更新憑證");
  EXPECT_EQ(b.cookie, pre);
  EXPECT_EQ(portal_->logged_in_sessions(), 0);

  auto bound = b.send("POST", "/api/auth/bind", bind_body(card, challenge(b, "bind"), "A123456789"));
  ASSERT_EQ(bound.status, 200) << bound.body;
  EXPECT_EQ(json::parse(bound.body)["bound"], true);
  EXPECT_EQ(portal_->bindings(), bindings_before + 1);

  auto login = b.send("POST", "/api/auth/certificate", signed_body(card, challenge(b, "login")));
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(json::parse(login.body)["person"]["maskedId"], "A12****789");
  EXPECT_NE(b.cookie, pre);  // session rotation
  auto session = b.open_session();
  EXPECT_EQ(session["authenticated"], true);
  EXPECT_EQ(session["person"]["agency"], "行政院人事行政總處");

  // The pre-login cookie is dead.
  Browser old = portal_->browser();
  old.cookie = pre;
  EXPECT_EQ(error_code(old.send("GET", "/api/dashboard")), "SESSION_EXPIRED");

  auto dashboard = b.send("GET", "/api/dashboard");
  ASSERT_EQ(dashboard.status, 200) << dashboard.body;
  auto d = json::parse(dashboard.body);
  auto today = tw::RocDate::today(std::chrono::system_clock::now());
  EXPECT_EQ(d["days"][0]["rocDate"], today.to_chinese());
  EXPECT_EQ(d["days"][0]["label"], "今天");
  EXPECT_EQ(d["days"][0]["weekday"], std::string(today.weekday_zh()));
  EXPECT_EQ(d["menu"].size(), 7u);

  auto out = b.send("POST", "/api/auth/logout");
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(error_code(b.send("GET", "/api/dashboard")), "NOT_LOGGED_IN");
  EXPECT_EQ(portal_->logged_in_sessions(), 0);
}

TEST_F(PortalProcess, EveryBindingErrorHasItsCodeAndWritesNothing) {
  Browser b = portal_->browser();
  b.open_session();
  const auto sessions = portal_->sessions();
  const auto bindings = portal_->bindings();
  const Card& wang = world().cards.at("A123456789");
  struct Case {
    const Card* card;
    std::string id, code;
  };
  const std::vector<Case> cases{
      {&wang, "", "NATIONAL_ID_EMPTY"},
      {&wang, "A12345", "NATIONAL_ID_FORMAT"},
      {&wang, "A123456788", "NATIONAL_ID_CHECKSUM"},
      {&wang, "B123456780", "ID_LAST4_MISMATCH"},
      // Same last 4 digits as the card, but the CA says the certificate is not this person's.
      {&wang, "G111156789", "IDENTITY_CHECK_FAILED"},
      // The CA confirms the ID, but HR never provisioned this person.
      {&world().cards.at("B123456780"), "B123456780", "PERSON_NOT_FOUND"},
      // Revoked at the CA: the validator refuses it before anyone is asked about the ID.
      {&world().cards.at("C222256789"), "C222256789", "CERT_REVOKED"},
  };
  for (const auto& c : cases) {
    auto r = b.send("POST", "/api/auth/bind", bind_body(*c.card, challenge(b, "bind"), c.id));
    EXPECT_EQ(error_code(r), c.code) << r.body;
  }
  EXPECT_EQ(portal_->sessions(), sessions);
  EXPECT_EQ(portal_->bindings(), bindings);
  auto revoked_login = b.send("POST", "/api/auth/certificate",
                              signed_body(world().cards.at("C222256789"), challenge(b, "login")));
  EXPECT_EQ(error_code(revoked_login), "CERT_REVOKED");
  EXPECT_EQ(portal_->logged_in_sessions(), 0);
}

TEST_F(PortalProcess, ValidatorRefusalsReachThePersonWithTheirCodes) {
  World& w = world();
  Browser b = portal_->browser();
  b.open_session();
  const auto bindings = portal_->bindings();
  auto login = [&](const json& body) { return error_code(b.send("POST", "/api/auth/certificate", body)); };

  Card expired = w.issue("A123456789", "王小明", {"--not-before", "2024-01-01", "--not-after", "2025-01-01"});
  EXPECT_EQ(login(signed_body(expired, challenge(b, "login"))), "CERT_EXPIRED");
  Card early = w.issue("A123456789", "王小明", {"--not-before", "2030-01-01", "--not-after", "2031-01-01"});
  EXPECT_EQ(login(signed_body(early, challenge(b, "login"))), "CERT_NOT_YET_VALID");

  // A card from a CA the portal does not trust, signed with a software key in the same CMS shape.
  auto stranger_root = crypto::testing::make_root("Stranger Root");
  auto stranger_ca = crypto::testing::make_issuing_ca(stranger_root);
  auto stranger = crypto::testing::make_citizen(stranger_ca);
  crypto::CmsSignOptions o;
  o.signing_time = std::chrono::system_clock::now();
  auto der = crypto::cms_sign_attached(crypto::as_bytes(challenge(b, "login")), stranger.cert,
                                       crypto::software_signer(stranger.key), o);
  EXPECT_EQ(login({{"route", "citizen"}, {"signature", crypto::to_base64(der)}}), "CERT_UNTRUSTED");

  // Signed for another site (a phishing relay): the text does not match what this portal rebuilds.
  std::string tbs = challenge(b, "login");
  std::string foreign = tbs;
  foreign.replace(foreign.find(kOrigin), kOrigin.size(), "https://ecpa-login.example");
  EXPECT_EQ(login(signed_body(w.cards.at("A123456789"), foreign)), "TBS_MISMATCH");
  EXPECT_EQ(login({{"route", "citizen"}, {"signature", "bm90IGEgQ01T"}}), "PACKAGE_MALFORMED");
  EXPECT_EQ(login({{"route", "citizen"}, {"signature", std::string(40000, 'A')}}), "PACKAGE_TOO_LARGE");

  // The revocation service answers with a signature nobody authorised: refused, never skipped.
  ASSERT_EQ(run(ECPA_SIM_PATH, {"fault", "set", "--dir", w.sim_dir.string(), "wrong_signer"}).exit_code, 0);
  Card fresh = w.issue("G111156789", "周小六");
  EXPECT_EQ(login(signed_body(fresh, challenge(b, "login"))), "OCSP_RESPONDER_UNAUTHORISED");
  ASSERT_EQ(run(ECPA_SIM_PATH, {"fault", "clear", "--dir", w.sim_dir.string()}).exit_code, 0);

  EXPECT_EQ(portal_->logged_in_sessions(), 0);
  EXPECT_EQ(portal_->bindings(), bindings);
}

TEST_F(PortalProcess, NoncesAreSingleUseAndBoundToTheirSession) {
  // A card nobody bound, so no attempt logs in (a login would rotate the session under the test).
  const Card& card = world().cards.at("G111156789");
  Browser b = portal_->browser();
  b.open_session();
  auto body = signed_body(card, challenge(b, "login"));
  (void)b.send("POST", "/api/auth/certificate", body);  // any outcome spends it
  Browser again = portal_->browser();
  again.cookie = b.cookie;
  again.csrf = b.csrf;
  EXPECT_EQ(error_code(again.send("POST", "/api/auth/certificate", body)), "NONCE_INVALID");

  Browser mallory = portal_->browser();
  mallory.open_session();
  auto stolen = signed_body(card, challenge(b, "login"));
  EXPECT_EQ(error_code(mallory.send("POST", "/api/auth/certificate", stolen)), "NONCE_INVALID");

  auto for_bind = bind_body(card, challenge(mallory, "bind"), "A123456789");
  EXPECT_EQ(error_code(mallory.send("POST", "/api/auth/certificate", for_bind)), "NONCE_INVALID");
  EXPECT_EQ(portal_->logged_in_sessions(), 0);
}

TEST_F(PortalProcess, CsrfAndOriginAreChecked) {
  Browser b = portal_->browser();
  b.open_session();
  const auto nonces = portal_->count("SELECT count(*) FROM auth_nonces");
  EXPECT_EQ(error_code(b.send("POST", "/api/auth/challenge", {{"purpose", "login"}}, /*with_csrf=*/false)),
            "CSRF_MISSING");
  Browser forged = b;
  forged.csrf = std::string(43, 'A');
  EXPECT_EQ(error_code(forged.send("POST", "/api/auth/challenge", {{"purpose", "login"}})), "CSRF_INVALID");
  EXPECT_EQ(
      error_code(b.send("POST", "/api/auth/challenge", {{"purpose", "login"}}, true, "https://evil.example")),
      "ORIGIN_MISMATCH");
  EXPECT_EQ(error_code(b.send("POST", "/api/auth/logout", nullptr, false)), "CSRF_MISSING");
  EXPECT_EQ(portal_->count("SELECT count(*) FROM auth_nonces"), nonces);
}

TEST_F(PortalProcess, ARenewedCardReplacesTheBindingAndTheOldOneIsHistory) {
  World& w = world();
  Card first = w.issue("A123456789", "王小明");
  Browser b = portal_->browser();
  b.open_session();
  ASSERT_EQ(b.send("POST", "/api/auth/bind", bind_body(first, challenge(b, "bind"), "A123456789")).status,
            200);
  Card renewed = w.renew(first);
  auto r = b.send("POST", "/api/auth/bind", bind_body(renewed, challenge(b, "bind"), "A123456789"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(portal_->count("SELECT count(*) FROM cert_bindings WHERE serial_hex = upper('" +
                           first.serial_hex + "') AND replaced_at IS NOT NULL"),
            1);
  EXPECT_EQ(portal_->count("SELECT count(*) FROM cert_bindings WHERE serial_hex = upper('" +
                           renewed.serial_hex + "') AND replaced_at IS NULL"),
            1);
  // The new card logs in; the old one (now revoked by the renewal, or at least unbound) does not.
  EXPECT_EQ(b.send("POST", "/api/auth/certificate", signed_body(renewed, challenge(b, "login"))).status, 200);
  Browser other = portal_->browser();
  other.open_session();
  auto old_login = other.send("POST", "/api/auth/certificate", signed_body(first, challenge(other, "login")));
  EXPECT_NE(old_login.status, 200);
}

TEST_F(PortalProcess, StopsCleanlyOnSigterm) {
  Portal own;
  EXPECT_EQ(own.browser().send("GET", "/api/health").status, 200);
  int status = own.process->stop();
  EXPECT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(PortalShortTimeouts, ExpiredNonceIdleSessionAndUnreachableIdentityCheck) {
  Portal p(PortalSettings{.idle_seconds = 3, .nonce_seconds = 1, .icsc_reachable = false});
  const Card& card = world().cards.at("A123456789");
  Browser b = p.browser();
  b.open_session();
  auto body = bind_body(card, challenge(b, "bind"), "A123456789");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(error_code(b.send("POST", "/api/auth/bind", body)), "NONCE_EXPIRED");

  auto r = b.send("POST", "/api/auth/bind", bind_body(card, challenge(b, "bind"), "A123456789"));
  EXPECT_EQ(error_code(r), "IDENTITY_CHECK_UNAVAILABLE");
  EXPECT_EQ(p.bindings(), 0);

  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  EXPECT_EQ(error_code(b.send("POST", "/api/auth/challenge", {{"purpose", "login"}})), "SESSION_EXPIRED");
}

// Behind a proxy, the rate limits key on the client the trusted proxy names in X-Forwarded-For, and
// only then: a portal without trusted_proxies ignores the header (anyone could write it).
int auth_status_as(const Portal& p, const std::string& forwarded_for) {
  http::ClientRequest r;
  r.method = "POST";
  r.url = p.process->url() + "/api/auth/challenge";
  r.headers.add("Origin", kOrigin);
  // Passes the checks that come before the budget (a script, not a browser on another site, sends it).
  r.headers.add("X-CSRF-Token", "no-session-has-this");
  r.headers.add("Content-Type", "application/json");
  r.headers.add("X-Forwarded-For", forwarded_for);
  r.body = R"({"purpose":"login","route":"citizen"})";
  return http::Client{}.send(r).status;
}

TEST(PortalBehindProxy, RateLimitsFollowTheClientATrustedProxyNames) {
  Portal trusted(
      PortalSettings{.auth_burst = 2, .auth_per_second = 0.001, .trusted_proxies = R"(["127.0.0.1"])"});
  EXPECT_NE(auth_status_as(trusted, "203.0.113.7"), 429);
  EXPECT_NE(auth_status_as(trusted, "203.0.113.7"), 429);
  EXPECT_EQ(auth_status_as(trusted, "203.0.113.7"), 429);
  EXPECT_NE(auth_status_as(trusted, "203.0.113.8"), 429);  // another citizen behind the same proxy

  Portal untrusting(PortalSettings{.auth_burst = 2, .auth_per_second = 0.001});
  EXPECT_NE(auth_status_as(untrusting, "203.0.113.7"), 429);
  EXPECT_NE(auth_status_as(untrusting, "203.0.113.7"), 429);
  EXPECT_EQ(auth_status_as(untrusting, "203.0.113.7"), 429);
  EXPECT_EQ(auth_status_as(untrusting, "203.0.113.8"), 429);  // the header is not believed: same peer
}

TEST(PortalAdmin, ImportRefusesTheWholeFileAndMasksIdsInTheReport) {
  Portal p;
  const auto people = p.count("SELECT count(*) FROM people");
  auto csv = p.dir.write("bad.csv", std::string("E123456783,新人,A01,行政院人事行政總處,科員,\n"
                                                "E123456789,打錯,A01,行政院人事行政總處,科員,\n"));
  auto r = run(ECPA_PORTAL_PATH, {"admin", "import-people", "--config", p.config.string(), csv.string()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("line 2\tE12****789\tnational_id_checksum"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("E123456789"), std::string::npos) << r.output;
  EXPECT_EQ(p.count("SELECT count(*) FROM people"), people);  // not even the good first row

  auto todo = run(ECPA_PORTAL_PATH, {"admin", "add-todo", "--config", p.config.string(), "--national-id",
                                     "A123456789", "--date", "+1", "--title", "填寫問卷"});
  EXPECT_EQ(todo.exit_code, 0) << todo.output;
  EXPECT_EQ(p.count("SELECT count(*) FROM todos"), 1);
}

TEST(PortalTls, ServesHttpsWithHsts) {
  crypto::testing::TempDir dir;
  auto made = crypto::testing::run_command(
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext "
      "subjectAltName=IP:127.0.0.1 "
      "-keyout " +
      quote((dir.path() / "key.pem").string()) + " -out " + quote((dir.path() / "cert.pem").string()));
  ASSERT_EQ(made.exit_code, 0) << made.output;
  auto config = dir.write("tls.toml",
                          "[portal]\nlisten = \"127.0.0.1:0\"\npublic_origin = \"https://ecpa.test\"\n"
                          "tls_certificate = \"cert.pem\"\ntls_key = \"key.pem\"\n"
                          "[database]\nurl = \"sqlite://" +
                              (dir.path() / "p.db").string() + "\"\nid_key_file = \"id.key\"\n");
  Process portal(ECPA_PORTAL_PATH, {"serve", "--config", config.string()}, dir.path() / "portal.log");
  ASSERT_EQ(portal.url().rfind("https://", 0), 0u) << portal.url();
  http::ClientOptions o;
  o.ca_file = dir.path() / "cert.pem";
  auto r = http::Client(o).get(portal.url() + "/api/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.headers.get_or("Strict-Transport-Security", "").find("max-age="), std::string::npos);
  // Certificate login without any [trust] issuer is switched off, said plainly.
  Browser b{portal.url(), "https://ecpa.test", "", "", http::Client(o)};
  b.open_session();
  auto login = b.send("POST", "/api/auth/certificate", {{"signature", "AAAA"}});
  EXPECT_EQ(error_code(login), "VALIDATOR_UNAVAILABLE");
}

TEST(PortalStartup, ClearErrorsForBadConfiguration) {
  crypto::testing::TempDir dir;
  auto typo = dir.write(
      "typo.toml", std::string("[portal]\nlisten = \"127.0.0.1:0\"\npublic_origin = \"https://a.test\"\n"
                               "behind_proxy = true\nlisten_port = 5\n[database]\nurl = \"sqlite::memory:\"\n"
                               "id_key_file = \"id.key\"\n"));
  auto r = run(ECPA_PORTAL_PATH, {"serve", "--config", typo.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("CONFIG_INVALID"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("listen_port"), std::string::npos) << r.output;

  auto no_tls = dir.write(
      "notls.toml", std::string("[portal]\nlisten = \"127.0.0.1:0\"\npublic_origin = \"https://a.test\"\n"
                                "[database]\nurl = \"sqlite::memory:\"\nid_key_file = \"id.key\"\n"));
  r = run(ECPA_PORTAL_PATH, {"serve", "--config", no_tls.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("TLS"), std::string::npos) << r.output;

  r = run(ECPA_PORTAL_PATH, {"serve", "--config", (dir.path() / "missing.toml").string()});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace ecpa::portal::it
