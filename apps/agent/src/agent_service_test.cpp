// The agent's HTTP API over real sockets, with cards in the cardmod simulator over SoftHSM2: every
// ret_code of REFERENCE §1 that can happen, the PKCS7 output checked by the openssl CLI, CORS/PNA,
// Host and origin checks, the PIN pad.
#include "agent_service.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "agent_env.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"
#include "ecpa/http/client.hpp"
#include "ecpa/http/server.hpp"
#include "ecpa/http/url.hpp"
#include "ecpa/testkit/net.hpp"
#include "ret_code.hpp"

namespace ecpa::agent {
namespace {

using nlohmann::json;
using testing::env;
using namespace std::chrono_literals;

const std::string kPortal = "https://portal.example.gov.tw";
const std::string kEvil = "https://evil.example";

using testkit::free_loopback_port;

class AgentApi : public ::testing::Test {
 protected:
  void SetUp() override { start(ECPA_CARDMOD_PATH); }

  void start(const std::string& module) {
    env();  // the token store and state file must exist before the module loads
    server_.reset();
    service_.reset();
    AgentOptions o;
    o.module_path = module;
    o.port = free_loopback_port();
    o.allowed_origins = {kPortal};
    o.approvals_file = dir_.path() / "approved.txt";
    o.web_dir = ECPA_AGENT_WEB_DIR;
    o.pin_timeout = 3s;
    service_ = std::make_unique<AgentService>(o, log::Logger::to_stream("agent", log_));
    http::ServerOptions so;
    so.address = "127.0.0.1";
    so.port = o.port;
    so.handler_threads = 8;
    server_ = std::make_unique<http::Server>(so, service_->handler());
    base_ = "http://127.0.0.1:" + std::to_string(o.port);
    host_ = "127.0.0.1:" + std::to_string(o.port);
  }

  http::ClientResponse call(const std::string& method, const std::string& path, const std::string& body,
                            const std::string& origin, const std::string& host = "") {
    http::ClientRequest r;
    r.method = method;
    r.url = base_ + path;
    r.body = body;
    if (!body.empty()) r.headers.set("Content-Type", "application/x-www-form-urlencoded");
    if (!origin.empty()) r.headers.set("Origin", origin);
    r.headers.set("Host", host.empty() ? host_ : host);
    return http::Client().send(r);
  }

  // A package that carries a PIN goes as the pop-up sends it (from the agent's own page, naming the site
  // it relays for): direct mode refuses PINs. One without goes straight from the site (direct mode).
  json api(const std::string& path, const json& package, const std::string& origin = kPortal,
           const std::string& extra = "") {
    const bool with_pin = package.contains("pin") && !package["pin"].is_null();
    const std::string body = "tbsPackage=" + http::percent_encode(package.dump()) + extra +
                             (with_pin ? "&origin=" + http::percent_encode(origin) : "");
    auto r = call("POST", path, body, with_pin ? self_origin() : origin);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }

  static json sign_package(const testing::Card& card, json extra = json::object()) {
    json p{{"func", "MakeSignature"},       {"signatureType", "PKCS7"},  {"tbs", "登入 openecpa nonce=42"},
           {"tbsEncoding", "NONE"},         {"hashAlgorithm", "SHA256"}, {"withCardSN", "true"},
           {"pin", p11::testing::kUserPin}, {"nonce", "n0nce-123"},      {"slotDescription", card.reader}};
    for (auto& [k, v] : extra.items()) {
      if (v.is_null()) {
        p.erase(k);
      } else {
        p[k] = v;
      }
    }
    return p;
  }

  std::string self_origin() const { return "http://" + host_; }

  // What the PIN pad page shows for request `id`, once the agent has registered it (or its last "not
  // pending" answer after about two seconds).
  json pin_prompt(const std::string& id) {
    json prompt;
    for (int i = 0; i < 200; ++i) {
      prompt = json::parse(call("GET", "/pinpad/request?req=" + id, "", "").body);
      if (prompt["pending"] == true) break;
      std::this_thread::sleep_for(10ms);
    }
    return prompt;
  }

  crypto::testing::TempDir dir_;
  std::ostringstream log_;
  std::unique_ptr<AgentService> service_;
  std::unique_ptr<http::Server> server_;
  std::string base_, host_;
};

std::uint32_t ret_of(const json& j) { return j.at("ret_code").get<std::uint32_t>(); }
std::uint64_t last_of(const json& j) { return j.at("last_error").get<std::uint64_t>(); }

TEST_F(AgentApi, Pkcs7SignatureVerifiesWithOpensslAndCarriesTheAttributes) {
  auto card = env().new_card({.label = "pkcs7"});
  auto answer = api("/sign", sign_package(card));
  ASSERT_EQ(ret_of(answer), 0u) << answer.dump();
  EXPECT_EQ(answer["func"], "sign");
  EXPECT_EQ(answer["cardSN"], card.serial);
  EXPECT_EQ(answer["serverVersion"], "1.3.4.103328");
  EXPECT_EQ(answer["agent"], kAgentName);
  EXPECT_EQ(crypto::from_base64(answer["certb64"].get<std::string>()), card.signing_cert->der());

  // Against the sim's own CA files (`ecpa-sim pki init`'s grca.pem and moica.pem); then the signer
  // certificate the CMS carries is checked to chain to the sim's root alone.
  const auto sig = dir_.write("sig.der", crypto::from_base64(answer["signature"].get<std::string>()));
  const auto content = dir_.path() / "content.txt";
  const auto signer = dir_.path() / "signer.pem";
  auto verify =
      crypto::testing::run_command("openssl cms -verify -inform DER -in " + sig.string() + " -CAfile " +
                                   env().write_ca_chain(dir_.path()).string() + " -signer " +
                                   signer.string() + " -out " + content.string() + " 2>&1");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  auto chain = crypto::testing::run_command("openssl verify " + env().openssl_root_args() + " " +
                                            signer.string() + " 2>&1");
  EXPECT_EQ(chain.exit_code, 0) << chain.output;
  std::ifstream in(content);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "登入 openecpa nonce=42");

  auto print = crypto::testing::run_command("openssl cms -cmsout -print -inform DER -in " + sig.string());
  ASSERT_EQ(print.exit_code, 0) << print.output;
  EXPECT_NE(print.output.find("contentType"), std::string::npos);
  EXPECT_NE(print.output.find("signingTime"), std::string::npos);
  EXPECT_NE(print.output.find("messageDigest"), std::string::npos);
  EXPECT_NE(print.output.find("sha256"), std::string::npos);
  // The nonce (pkcs-9-at-randomNonce) and the card serial attributes, with their values.
  const bool nonce_oid = print.output.find("1.2.840.113549.1.9.25.3") != std::string::npos ||
                         print.output.find("randomNonce") != std::string::npos;
  EXPECT_TRUE(nonce_oid) << print.output;
  EXPECT_NE(print.output.find("n0nce-123"), std::string::npos);
  EXPECT_NE(print.output.find("2.16.886.1.100.2.204"), std::string::npos);
  EXPECT_NE(print.output.find(card.serial), std::string::npos);

  // A CA the signature does not chain to is refused by the same command: the check can fail.
  crypto::testing::TempDir other;
  auto stranger = crypto::testing::make_root("Stranger");
  const auto stranger_pem = other.write("s.pem", stranger.cert.pem());
  auto refused = crypto::testing::run_command("openssl cms -verify -inform DER -in " + sig.string() +
                                              " -CAfile " + stranger_pem.string() + " -out /dev/null 2>&1");
  EXPECT_NE(refused.exit_code, 0);
}

TEST_F(AgentApi, WithoutNonceOrCardSnTheAttributesAreAbsent) {
  auto card = env().new_card({.label = "plain7"});
  auto answer =
      api("/sign",
          sign_package(
              card,
              {{"nonce", nullptr}, {"withCardSN", "false"}, {"tbs", "AAECAw=="}, {"tbsEncoding", "base64"}}));
  ASSERT_EQ(ret_of(answer), 0u) << answer.dump();
  const auto sig = dir_.write("sig2.der", crypto::from_base64(answer["signature"].get<std::string>()));
  auto print = crypto::testing::run_command("openssl cms -cmsout -print -inform DER -in " + sig.string());
  EXPECT_EQ(print.output.find("2.16.886.1.100.2.204"), std::string::npos);
  EXPECT_EQ(print.output.find("1.2.840.113549.1.9.25.3"), std::string::npos);
  EXPECT_NE(print.output.find("00 01 02 03"), std::string::npos) << print.output;
}

TEST_F(AgentApi, Pkcs1WithEveryHash) {
  auto card = env().new_card({.label = "pkcs1"});
  const std::pair<const char*, crypto::DigestAlgorithm> hashes[] = {
      {"SHA1", crypto::DigestAlgorithm::Sha1},
      {"SHA256", crypto::DigestAlgorithm::Sha256},
      {"SHA384", crypto::DigestAlgorithm::Sha384},
      {"SHA512", crypto::DigestAlgorithm::Sha512}};
  for (const auto& [name, alg] : hashes) {
    auto answer = api("/sign", sign_package(card, {{"signatureType", "PKCS1"}, {"hashAlgorithm", name}}));
    ASSERT_EQ(ret_of(answer), 0u) << answer.dump();
    const auto signature = crypto::from_base64(answer["signature"].get<std::string>());
    EXPECT_TRUE(crypto::verify_signature(card.signing_cert->public_key(), alg,
                                         crypto::to_bytes("登入 openecpa nonce=42"), signature))
        << name;
  }
}

TEST_F(AgentApi, Pkcs11InfoWithAndWithoutCertificates) {
  auto card = env().new_card({.label = "info"});
  auto r = call("POST", "/pkcs11info?withcert=true", "", kPortal);
  auto answer = json::parse(r.body);
  ASSERT_EQ(ret_of(answer), 0u) << r.body;
  EXPECT_EQ(answer["func"], "pkcs11info");
  bool seen = false;
  for (const auto& s : answer["slots"]) {
    if (s["slotDescription"] != card.reader) continue;
    seen = true;
    EXPECT_EQ(s["token"]["serialNumber"], card.serial);
    EXPECT_EQ(s["token"]["certs"].size(), 4u);  // signing, encryption, and the card's two CA certificates
  }
  EXPECT_TRUE(seen);
  auto plain = json::parse(call("GET", "/pkcs11info", "", kPortal).body);
  ASSERT_EQ(ret_of(plain), 0u);
  for (const auto& s : plain["slots"]) {
    if (s["token"].is_object()) {
      EXPECT_FALSE(s["token"].contains("certs"));
    }
  }
}

TEST_F(AgentApi, WrongPinsCountDownFromTheTokenFlagsThenLock) {
  auto card = env().new_card({.label = "pin"});
  auto wrong = sign_package(card, {{"pin", "000000"}});
  auto a1 = api("/sign", wrong);
  EXPECT_EQ(ret_of(a1), ret::kLoginFailed);
  EXPECT_EQ(last_of(a1), 0x80000002u) << a1.dump();
  auto a2 = api("/sign", wrong);
  EXPECT_EQ(ret_of(a2), ret::kLoginFailed);
  EXPECT_EQ(last_of(a2), 0x80000001u) << a2.dump();
  auto a3 = api("/sign", wrong);
  EXPECT_EQ(ret_of(a3), ret::kLoginFailed);
  EXPECT_EQ(last_of(a3), 0xA4u) << a3.dump();
  // Locked: even the right PIN is refused now.
  auto a4 = api("/sign", sign_package(card));
  EXPECT_EQ(ret_of(a4), ret::kLoginFailed);
  EXPECT_EQ(last_of(a4), 0xA4u);
}

TEST_F(AgentApi, OneWrongPinThenTheRightOneRestoresTheTries) {
  auto card = env().new_card({.label = "pinok"});
  EXPECT_EQ(last_of(api("/sign", sign_package(card, {{"pin", "000000"}}))), 0x80000002u);
  EXPECT_EQ(ret_of(api("/sign", sign_package(card))), 0u);
  EXPECT_EQ(last_of(api("/sign", sign_package(card, {{"pin", "000000"}}))), 0x80000002u);
}

TEST_F(AgentApi, RequestErrors) {
  auto card = env().new_card({.label = "req"});
  EXPECT_EQ(ret_of(api("/sign", sign_package(card, {{"pin", nullptr}}))), ret::kNoPin);
  auto bad_json = json::parse(call("POST", "/sign", "tbsPackage=%7Bnot%20json", kPortal).body);
  EXPECT_EQ(ret_of(bad_json), ret::kBadJson);
  auto missing = json::parse(call("POST", "/sign", "other=1", kPortal).body);
  EXPECT_EQ(ret_of(missing), ret::kBadJson);
  auto bad_param = api("/sign", sign_package(card, {{"hashAlgorithm", "MD5"}}));
  EXPECT_EQ(ret_of(bad_param), ret::kBadParameter);
  EXPECT_EQ(bad_param["code"], "AGENT_PARAMETER_INVALID");
  EXPECT_EQ(ret_of(api("/sign", json{{"func", "FormatCard"}})), ret::kUnsupportedFunction);
  EXPECT_EQ(ret_of(api("/sign", json{{"func", "DecryptData"}, {"cipher", "AAAA"}})), ret::kBadParameter);
  auto malformed_form = json::parse(call("POST", "/sign", "tbsPackage=%zz", kPortal).body);
  EXPECT_EQ(ret_of(malformed_form), ret::kBadParameter);
}

TEST_F(AgentApi, CardStateErrors) {
  auto removed = env().new_card({.label = "gone"});
  env().cards.set_removed(removed.serial, true);
  EXPECT_EQ(ret_of(api("/sign", sign_package(removed))), ret::kNoCard);
  env().cards.set_removed(removed.serial, false);
  EXPECT_EQ(ret_of(api("/sign", sign_package(removed))), 0u);

  auto no_cert = env().new_card({.label = "nocert", .signing_cert = false});
  EXPECT_EQ(ret_of(api("/sign", sign_package(no_cert))), ret::kCertNotFound);
  auto no_key = env().new_card({.label = "nokey", .signing_key = false});
  EXPECT_EQ(ret_of(api("/sign", sign_package(no_key))), ret::kKeyNotFound);
  auto expired =
      env().new_card({.label = "old", .valid_from = -800 * testing::kDay, .valid_until = -1 * testing::kDay});
  EXPECT_EQ(ret_of(api("/sign", sign_package(expired))), ret::kCertExpired);
  auto future =
      env().new_card({.label = "new", .valid_from = 2 * testing::kDay, .valid_until = 700 * testing::kDay});
  EXPECT_EQ(ret_of(api("/sign", sign_package(future))), ret::kCertNotYetValid);
}

TEST_F(AgentApi, CardPulledMidSignatureAndModuleFaultsLeaveTheAgentRunning) {
  auto card = env().new_card({.label = "pull"});
  env().cards.add_fault(card.serial, {.function = "C_Sign", .delay_ms = 50, .remove = true, .once = true});
  auto pulled = api("/sign", sign_package(card));
  EXPECT_EQ(ret_of(pulled), ret::kNoCard) << pulled.dump();
  EXPECT_EQ(last_of(pulled), CKR_DEVICE_REMOVED);
  env().cards.set_removed(card.serial, false);
  env().cards.add_fault(card.serial, {.function = "C_Sign", .rv = CKR_DEVICE_ERROR});
  auto faulty = api("/sign", sign_package(card));
  EXPECT_EQ(ret_of(faulty), ret::kSignFailed) << faulty.dump();
  EXPECT_EQ(last_of(faulty), CKR_DEVICE_ERROR);
  env().cards.clear_faults(card.serial);
  EXPECT_EQ(ret_of(api("/sign", sign_package(card))), 0u);
}

TEST_F(AgentApi, ForbiddenHostIs403) {
  const std::string port = host_.substr(host_.find(':') + 1);
  for (const std::string& host :
       std::vector<std::string>{"evil.example:" + port, "localhost:1", "localhost"}) {
    auto r = call("POST", "/pkcs11info", "", kPortal, host);
    EXPECT_EQ(r.status, 403) << host;
    EXPECT_EQ(ret_of(json::parse(r.body)), ret::kForbiddenHost);
  }
  auto ok = call("POST", "/pkcs11info", "", kPortal, "localhost:" + host_.substr(host_.find(':') + 1));
  EXPECT_EQ(ok.status, 200);
}

TEST_F(AgentApi, UnknownSitesGetNothingTheyCanRead) {
  auto card = env().new_card({.label = "evil"});
  auto r = call("POST", "/sign", "tbsPackage=" + http::percent_encode(sign_package(card).dump()), kEvil);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(ret_of(json::parse(r.body)), ret::kOriginNotAllowed);
  EXPECT_FALSE(r.headers.has("Access-Control-Allow-Origin"));
  EXPECT_FALSE(json::parse(r.body).contains("signature"));
  // The refusal itself may be seen cross-origin (a page's presence check), and it holds no card data.
  auto info = call("GET", "/pkcs11info?withcert=true", "", kEvil);
  EXPECT_EQ(ret_of(json::parse(info.body)), ret::kOriginNotAllowed);
  EXPECT_FALSE(json::parse(info.body).contains("slots"));
  EXPECT_EQ(info.headers.get_or("Cross-Origin-Resource-Policy", ""), "cross-origin");
  EXPECT_FALSE(info.headers.has("Access-Control-Allow-Origin"));
  // No Origin (a local program): refused unless configured.
  EXPECT_EQ(ret_of(json::parse(call("POST", "/pkcs11info", "", "").body)), ret::kOriginNotAllowed);
  EXPECT_EQ(ret_of(json::parse(call("POST", "/pkcs11info", "", "null").body)), ret::kOriginNotAllowed);

  http::ClientRequest pre;
  pre.method = "OPTIONS";
  pre.url = base_ + "/sign";
  pre.headers.set("Host", host_);
  pre.headers.set("Origin", kEvil);
  pre.headers.set("Access-Control-Request-Method", "POST");
  pre.headers.set("Access-Control-Request-Private-Network", "true");
  auto denied = http::Client().send(pre);
  EXPECT_EQ(denied.status, 403);
  EXPECT_FALSE(denied.headers.has("Access-Control-Allow-Origin"));
  EXPECT_FALSE(denied.headers.has("Access-Control-Allow-Private-Network"));

  pre.headers.set("Origin", kPortal);
  auto allowed = http::Client().send(pre);
  EXPECT_EQ(allowed.status, 204);
  EXPECT_EQ(allowed.headers.get_or("Access-Control-Allow-Origin", ""), kPortal);
  EXPECT_EQ(allowed.headers.get_or("Access-Control-Allow-Private-Network", ""), "true");
  EXPECT_NE(allowed.headers.get_or("Access-Control-Allow-Methods", "").find("POST"), std::string::npos);

  auto good = call("POST", "/pkcs11info", "", kPortal);
  EXPECT_EQ(good.headers.get_or("Access-Control-Allow-Origin", ""), kPortal);
  EXPECT_EQ(ret_of(json::parse(good.body)), 0u);
}

TEST_F(AgentApi, DirectModeRefusesAPinFromThePage) {
  auto card = env().new_card({.label = "direct-pin"});
  // An allowed site fetching /sign itself with the PIN in the package: refused, and the card untouched.
  for (const char* pin : {"000000", p11::testing::kUserPin}) {
    auto r = call("POST", "/sign",
                  "tbsPackage=" + http::percent_encode(sign_package(card, {{"pin", pin}}).dump()), kPortal);
    auto answer = json::parse(r.body);
    EXPECT_EQ(ret_of(answer), ret::kBadParameter) << answer.dump();
    EXPECT_EQ(answer["code"], "AGENT_PIN_FROM_PAGE_REFUSED");
    EXPECT_FALSE(answer.contains("signature"));
    EXPECT_EQ(r.headers.get_or("Access-Control-Allow-Origin", ""), kPortal);  // the site can read why
  }
  // The wrong PIN above never reached the card: the right one works with all tries left.
  auto ok = api("/sign", sign_package(card));
  EXPECT_EQ(ret_of(ok), 0u) << ok.dump();
  EXPECT_EQ(ret_of(api("/sign", sign_package(card, {{"pin", "000000"}}))), ret::kLoginFailed);
  EXPECT_EQ(last_of(api("/sign", sign_package(card, {{"pin", "000000"}}))), 0x80000001u);
}

TEST_F(AgentApi, BulkSigningWithThePagesPinStopsAtTheRate) {
  // An allowed site sending the PIN through the pop-up asks for 30 signatures at once: 10 are made, the
  // rest need a person (the page named no PIN pad, so they are refused).
  auto card = env().new_card({.label = "bulk"});
  std::vector<std::future<json>> calls;
  calls.reserve(30);
  for (int i = 0; i < 30; ++i) {
    calls.push_back(std::async(std::launch::async, [&, i] {
      return api("/sign", sign_package(card, {{"tbs", "text " + std::to_string(i)}}));
    }));
  }
  int signed_count = 0, confirm = 0;
  for (auto& c : calls) {
    json answer = c.get();
    if (ret_of(answer) == 0u) ++signed_count;
    if (answer.value("code", "") == "AGENT_CONFIRMATION_REQUIRED") {
      ++confirm;
      EXPECT_EQ(ret_of(answer), ret::kNoPin);
      EXPECT_FALSE(answer.contains("signature"));
    }
  }
  EXPECT_EQ(signed_count, 10);
  EXPECT_EQ(confirm, 20);
}

TEST_F(AgentApi, BeyondTheRateThePersonConfirmsInTheAgentsWindow) {
  auto card = env().new_card({.label = "rate"});
  for (int i = 0; i < 10; ++i) ASSERT_EQ(ret_of(api("/sign", sign_package(card))), 0u) << i;
  // The 11th from the pop-up, which names itself as the PIN pad beside the package: the site's PIN is not
  // used; the pad shows why it asks, and the person's PIN signs.
  const std::string id = "0123456789abcdef0123456789abcdef";
  auto pending = std::async(std::launch::async, [&] {
    return api("/sign", sign_package(card, {{"pin", "000000"}}), kPortal, "&pinRequest=" + id);
  });
  json prompt = pin_prompt(id);
  ASSERT_EQ(prompt["pending"], true);
  EXPECT_EQ(prompt["reason"], "rate");
  EXPECT_EQ(prompt["origin"], kPortal);
  call("POST", "/pinpad/submit", "req=" + id + "&pin=" + p11::testing::kUserPin, self_origin());
  auto answer = pending.get();
  EXPECT_EQ(ret_of(answer), 0u) << answer.dump();  // the site's wrong PIN was never tried
  // Only the agent's own page may name the pad beside the package.
  auto foreign = call("POST", "/sign",
                      "tbsPackage=" + http::percent_encode(sign_package(card, {{"pin", nullptr}}).dump()) +
                          "&pinRequest=" + id,
                      kPortal);
  EXPECT_EQ(ret_of(json::parse(foreign.body)), ret::kNoPin);
}

TEST_F(AgentApi, ThePopupsOwnPadWinsOverOneThePackageNames) {
  auto card = env().new_card({.label = "padwins"});
  for (int i = 0; i < 10; ++i) ASSERT_EQ(ret_of(api("/sign", sign_package(card))), 0u) << i;
  const std::string popup_id = "0123456789abcdef0123456789abcdef";
  const std::string site_id = "fedcba9876543210fedcba9876543210";
  auto pending = std::async(std::launch::async, [&] {
    return api("/sign", sign_package(card, {{"pinRequest", site_id}}), kPortal, "&pinRequest=" + popup_id);
  });
  json prompt = pin_prompt(popup_id);
  ASSERT_EQ(prompt["pending"], true);
  EXPECT_EQ(json::parse(call("GET", "/pinpad/request?req=" + site_id, "", "").body)["pending"], false);
  call("POST", "/pinpad/cancel", "req=" + popup_id, self_origin());
  EXPECT_EQ(ret_of(pending.get()), ret::kCancelled);
}

TEST_F(AgentApi, FormFieldsGivenTwiceAreRefused) {
  auto card = env().new_card({.label = "twice"});
  const std::string package = "tbsPackage=" + http::percent_encode(sign_package(card).dump());
  const std::string portal = "&origin=" + http::percent_encode(kPortal);
  const std::string evil = "&origin=" + http::percent_encode(kEvil);
  std::string two_packages = package;
  two_packages.append("&").append(package).append(portal);
  std::string two_origins = package;
  two_origins.append(portal).append(evil);
  for (const std::string& body : {two_packages, two_origins}) {
    auto answer = json::parse(call("POST", "/sign", body, self_origin()).body);
    EXPECT_EQ(ret_of(answer), ret::kBadParameter) << answer.dump();
    EXPECT_FALSE(answer.contains("signature"));
  }
}

TEST_F(AgentApi, PackagesWithDuplicateNamesAreRefused) {
  auto card = env().new_card({.label = "dup"});
  std::string text = sign_package(card).dump();
  text.insert(text.size() - 1, R"(,"tbs":"something else")");
  auto r = call("POST", "/sign",
                "tbsPackage=" + http::percent_encode(text) + "&origin=" + http::percent_encode(kPortal),
                self_origin());
  auto answer = json::parse(r.body);
  EXPECT_EQ(ret_of(answer), ret::kBadJson) << answer.dump();
  EXPECT_EQ(answer["code"], "AGENT_PACKAGE_JSON_INVALID");
  EXPECT_FALSE(answer.contains("signature"));
}

TEST_F(AgentApi, ThePopupRelaysTheCallersOriginAndOnlyItMay) {
  auto card = env().new_card({.label = "relay"});
  const std::string body = "tbsPackage=" + http::percent_encode(sign_package(card).dump());
  EXPECT_EQ(ret_of(json::parse(
                call("POST", "/sign", body + "&origin=" + http::percent_encode(kEvil), self_origin()).body)),
            ret::kOriginNotAllowed);
  EXPECT_EQ(
      ret_of(json::parse(
          call("POST", "/sign", body + "&origin=" + http::percent_encode(kPortal), self_origin()).body)),
      0u);
  // A foreign page cannot claim another origin through the field.
  EXPECT_EQ(ret_of(json::parse(
                call("POST", "/sign", body + "&origin=" + http::percent_encode(kPortal), kEvil).body)),
            ret::kOriginNotAllowed);
}

TEST_F(AgentApi, CardDataIsReadableCrossOriginOnlyByTheAllowedSite) {
  // The API routes' header policy lets refusals be read cross-origin; answers with card data say
  // same-origin unless CORS hands them to the allowed site.
  auto card = env().new_card({.label = "corp"});
  auto allowed = call("POST", "/pkcs11info?withcert=true", "", kPortal);
  EXPECT_EQ(ret_of(json::parse(allowed.body)), 0u);
  EXPECT_EQ(allowed.headers.get_or("Cross-Origin-Resource-Policy", ""), "cross-origin");
  EXPECT_EQ(allowed.headers.get_all("Cross-Origin-Resource-Policy").size(), 1u);
  const std::string body = "tbsPackage=" + http::percent_encode(sign_package(card).dump());
  auto relayed = call("POST", "/sign", body + "&origin=" + http::percent_encode(kPortal), self_origin());
  EXPECT_EQ(ret_of(json::parse(relayed.body)), 0u);
  EXPECT_EQ(relayed.headers.get_or("Cross-Origin-Resource-Policy", ""), "same-origin");
  auto refused = call("POST", "/sign", body, kEvil);
  EXPECT_EQ(refused.headers.get_or("Cross-Origin-Resource-Policy", ""), "cross-origin");
  // Not an API route: the server's default.
  EXPECT_EQ(call("GET", "/selfTest.htm", "", "").headers.get_or("Cross-Origin-Resource-Policy", ""),
            "same-origin");
}

TEST_F(AgentApi, ApprovalsAreMadeOnlyFromTheAgentsOwnPages) {
  auto card = env().new_card({.label = "approve"});
  const std::string site = "https://new.example";
  auto foreign = call("POST", "/approvals", "origin=" + http::percent_encode(site) + "&action=allow", site);
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(ret_of(api("/sign", sign_package(card), site)), ret::kOriginNotAllowed);
  auto own =
      call("POST", "/approvals", "origin=" + http::percent_encode(site) + "&action=allow", self_origin());
  EXPECT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(ret_of(api("/sign", sign_package(card), site)), 0u);
  call("POST", "/approvals", "origin=" + http::percent_encode(site) + "&action=revoke", self_origin());
  EXPECT_EQ(ret_of(api("/sign", sign_package(card), site)), ret::kOriginNotAllowed);
}

TEST_F(AgentApi, PinPadDeliversThePinAndCancels) {
  auto card = env().new_card({.label = "pad"});
  const std::string id = "00112233445566778899aabbccddeeff";
  auto pending = std::async(std::launch::async, [&] {
    return api("/sign", sign_package(card, {{"pin", nullptr}, {"pinRequest", id}}));
  });
  json prompt = pin_prompt(id);
  ASSERT_EQ(prompt["pending"], true);
  EXPECT_EQ(prompt["origin"], kPortal);
  EXPECT_EQ(prompt["preview"], "登入 openecpa nonce=42");
  // A page of another site cannot type into someone's PIN pad.
  auto foreign = call("POST", "/pinpad/submit", "req=" + id + "&pin=123456", kEvil);
  EXPECT_EQ(foreign.status, 403);
  auto typed = call("POST", "/pinpad/submit", std::string("req=") + id + "&pin=" + p11::testing::kUserPin,
                    self_origin());
  EXPECT_EQ(json::parse(typed.body)["ok"], true);
  auto answer = pending.get();
  EXPECT_EQ(ret_of(answer), 0u) << answer.dump();

  auto cancelled = std::async(std::launch::async, [&] {
    return api("/sign", sign_package(card, {{"pin", nullptr}, {"pinRequest", id}}));
  });
  for (int i = 0; i < 200 && service_->pin_broker().pending() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(json::parse(call("POST", "/pinpad/cancel", "req=" + id, self_origin()).body)["ok"], true);
  EXPECT_EQ(ret_of(cancelled.get()), ret::kCancelled);

  // Nobody types: the request ends by itself.
  auto timed_out = api("/sign", sign_package(card, {{"pin", nullptr}, {"pinRequest", id}}));
  EXPECT_EQ(ret_of(timed_out), ret::kExecutionError);
}

TEST_F(AgentApi, BinaryDataThroughThePinPadHasNoPreviewAndStillSigns) {
  auto card = env().new_card({.label = "binpad"});
  const std::string id = "ffeeddccbbaa99887766554433221100";
  std::string binary;
  for (int b = 0x80; b <= 0xFF; ++b) binary.push_back(static_cast<char>(b));
  auto pending = std::async(std::launch::async, [&] {
    return api("/sign", sign_package(card, {{"pin", nullptr},
                                            {"pinRequest", id},
                                            {"tbs", crypto::to_base64(crypto::to_bytes(binary))},
                                            {"tbsEncoding", "base64"}}));
  });
  json prompt = pin_prompt(id);
  ASSERT_EQ(prompt["pending"], true);
  EXPECT_EQ(prompt["preview"], "");
  call("POST", "/pinpad/submit", "req=" + id + "&pin=" + p11::testing::kUserPin, self_origin());
  auto answer = pending.get();
  EXPECT_EQ(ret_of(answer), 0u) << answer.dump();
}

TEST_F(AgentApi, DecryptsWithTheEncryptionKey) {
  auto card = env().new_card({.label = "dec"});
  const auto cert = dir_.write("keyx.pem", card.encryption_cert->pem());
  const auto plain = dir_.write("plain.bin", std::string("session key 0123456789"));
  const auto cipher = dir_.path() / "cipher.bin";
  auto enc = crypto::testing::run_command("openssl pkeyutl -encrypt -certin -inkey " + cert.string() +
                                          " -in " + plain.string() + " -out " + cipher.string() + " 2>&1");
  ASSERT_EQ(enc.exit_code, 0) << enc.output;
  std::ifstream in(cipher, std::ios::binary);
  crypto::Bytes bytes((std::istreambuf_iterator<char>(in)), {});
  auto answer = api("/decrypt", json{{"func", "DecryptData"},
                                     {"cipher", crypto::to_base64(bytes)},
                                     {"pin", p11::testing::kUserPin},
                                     {"slotDescription", card.reader}});
  ASSERT_EQ(ret_of(answer), 0u) << answer.dump();
  EXPECT_EQ(answer["func"], "decrypt");
  EXPECT_EQ(crypto::as_chars(crypto::from_base64(answer["data"].get<std::string>())),
            "session key 0123456789");
}

TEST_F(AgentApi, LogsNeverHoldPinsIdsOrSignatures) {
  auto card = env().new_card({.label = "log"});
  auto answer = api("/sign", sign_package(card, {{"pin", "135790"}, {"tbs", "A123456789 login"}}));
  api("/sign", sign_package(card, {{"pin", "246802"}}));
  auto good = api("/sign", sign_package(card));
  ASSERT_EQ(ret_of(good), 0u);
  const std::string log = log_.str();
  EXPECT_NE(log.find("agent.api"), std::string::npos);
  for (const std::string& secret :
       {std::string("135790"), std::string("246802"), std::string(p11::testing::kUserPin),
        std::string("A123456789"), good["signature"].get<std::string>().substr(0, 40)}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
  }
}

class AgentWithoutCards : public AgentApi {
 protected:
  void SetUp() override {}
};

TEST_F(AgentWithoutCards, ModuleNotLoadable) {
  start("/nonexistent/libhicos.so");
  auto answer = json::parse(call("POST", "/pkcs11info", "", kPortal).body);
  EXPECT_EQ(ret_of(answer), ret::kModuleLoadFailed);
  EXPECT_EQ(ret_of(api("/sign", json{{"func", "MakeSignature"}, {"tbs", "x"}, {"pin", "1"}})),
            ret::kModuleLoadFailed);
}

TEST_F(AgentWithoutCards, NoReaderWithOpenScAndNoReadersAttached) {
  const std::string opensc = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";
  if (!std::filesystem::exists(opensc)) GTEST_SKIP() << "OpenSC not installed";
  start(opensc);
  auto answer = json::parse(call("POST", "/pkcs11info", "", kPortal).body);
  // OpenSC lists one slot per PC/SC reader: on a machine with a reader plugged in there is nothing to test.
  if (ret_of(answer) == 0 && !answer["slots"].empty()) GTEST_SKIP() << "a card reader is attached";
  EXPECT_EQ(ret_of(answer), ret::kNoReader) << answer.dump();
  EXPECT_EQ(ret_of(api("/sign", json{{"func", "MakeSignature"}, {"tbs", "x"}, {"pin", "1"}})),
            ret::kNoReader);
}

}  // namespace
}  // namespace ecpa::agent
