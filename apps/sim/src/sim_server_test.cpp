// `ecpa-sim serve` on 127.0.0.1, checked with independent clients: openssl ocsp, openssl verify
// -crl_check, curl; its SMTP sink with libs/http's mail client.
#include "sim_server.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/certificate_builder.hpp"
#include "ecpa/crypto/ocsp.hpp"
#include "ecpa/http/mail.hpp"
#include "ecpa/http/url.hpp"
#include "icsc_service.hpp"
#include "registry.hpp"
#include "sim_process.hpp"

namespace ecpa::sim {
namespace {

using crypto::testing::run_command;
using testing::field;
using testing::quote;
using testing::sim;

class Served : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new crypto::testing::TempDir();
    dir_ = (tmp_->path() / "s").string();
    ASSERT_EQ(sim({"pki", "init", "--dir", dir_, "--root-bits", "2048"}).exit_code, 0);
    auto r =
        sim({"card", "issue", "--dir", dir_, "--name", "王小明", "--id", "A123456789", "--pin", "123456"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    card_sn_ = field(r.output, "card_sn");
    auto reg = Registry(std::filesystem::path(dir_) / "registry.json").read();
    auto cert = crypto::Certificate::from_der(crypto::from_base64(reg.card(card_sn_)->certs[0].der_b64));
    leaf_ = tmp_->write("leaf.pem", cert.pem()).string();
    server_ = new testing::SimServer(dir_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete tmp_;
  }
  void TearDown() override { sim({"fault", "clear", "--dir", dir_}); }

  static std::string ca(const std::string& name) { return dir_ + "/ca/" + name + ".pem"; }
  static crypto::testing::CommandResult ocsp(const std::string& cert, const std::string& extra = "") {
    return run_command("openssl ocsp -issuer " + quote(ca("moica")) + " -cert " + quote(cert) + " -url " +
                       quote(server_->url() + "/ocsp/moica") + " -CAfile " + quote(ca("grca")) +
                       " -timeout 10 " + extra);
  }

  static crypto::testing::TempDir* tmp_;
  static testing::SimServer* server_;
  static std::string dir_, card_sn_, leaf_;
};
crypto::testing::TempDir* Served::tmp_ = nullptr;
testing::SimServer* Served::server_ = nullptr;
std::string Served::dir_, Served::card_sn_, Served::leaf_;

TEST_F(Served, OpensslOcspSaysGoodThenRevoked) {
  // A second card, so revoking it leaves the suite's card alone.
  auto r = sim({"card", "issue", "--dir", dir_, "--name", "李大華", "--id", "B120000008", "--pin", "123456"});
  ASSERT_EQ(r.exit_code, 0);
  auto reg = Registry(std::filesystem::path(dir_) / "registry.json").read();
  auto cert = crypto::Certificate::from_der(
      crypto::from_base64(reg.card(field(r.output, "card_sn"))->certs[0].der_b64));
  auto pem = tmp_->write("second.pem", cert.pem()).string();
  auto good = ocsp(pem);
  EXPECT_EQ(good.exit_code, 0) << good.output;
  EXPECT_NE(good.output.find("Response verify OK"), std::string::npos) << good.output;
  EXPECT_NE(good.output.find(pem + ": good"), std::string::npos) << good.output;
  ASSERT_EQ(sim({"card", "revoke", "--dir", dir_, cert.serial_hex(), "--reason", "keyCompromise"}).exit_code,
            0);
  auto revoked = ocsp(pem);
  EXPECT_NE(revoked.output.find(pem + ": revoked"), std::string::npos) << revoked.output;
  EXPECT_NE(revoked.output.find("Reason: keyCompromise"), std::string::npos) << revoked.output;

  // The served CRL agrees, by `openssl verify -crl_check`.
  auto crl = tmp_->path() / "moica.crl";
  ASSERT_EQ(
      run_command("curl -sf -o " + quote(crl.string()) + " " + server_->url() + "/crl/moica.crl").exit_code,
      0);
  auto chain =
      tmp_->write("chain.pem", run_command("cat " + quote(ca("grca")) + " " + quote(ca("moica"))).output);
  std::string verify = "openssl verify -crl_check -CAfile " + quote(chain.string()) + " -CRLfile " +
                       quote(crl.string()) + " -inform PEM ";
  auto crl_pem = run_command("openssl crl -inform DER -in " + quote(crl.string()) + " -out " +
                             quote(crl.string() + ".pem"));
  ASSERT_EQ(crl_pem.exit_code, 0) << crl_pem.output;
  verify = "openssl verify -crl_check -CAfile " + quote(chain.string()) + " -CRLfile " +
           quote(crl.string() + ".pem") + " ";
  auto bad = run_command(verify + quote(pem));
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("certificate revoked"), std::string::npos) << bad.output;
  auto ok = run_command(verify + quote(leaf_));
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
}

TEST_F(Served, OcspGetFormAndAnyCaEndpoint) {
  auto leaf = crypto::Certificate::from_pem(run_command("cat " + quote(leaf_)).output);
  auto moica = crypto::Certificate::from_pem(run_command("cat " + quote(ca("moica"))).output);
  auto id = crypto::make_cert_id(leaf, moica);
  auto req = crypto::OcspRequestBuilder().add(id).build();
  auto b64 = crypto::to_base64(req);
  auto out = tmp_->path() / "get.der";
  ASSERT_EQ(
      run_command("curl -sf -o " + quote(out.string()) + " " + quote(server_->url() + "/ocsp/moica/" + b64))
          .exit_code,
      0);
  std::ifstream in(out, std::ios::binary);
  crypto::Bytes der((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto resp = crypto::OcspResponse::from_der(der);
  ASSERT_TRUE(resp.successful());
  EXPECT_EQ(resp.find(id)->status, crypto::CertStatus::Good);
  // POST /ocsp (no CA in the path) finds the issuer itself.
  auto any = run_command("openssl ocsp -issuer " + quote(ca("moica")) + " -cert " + quote(leaf_) + " -url " +
                         quote(server_->url() + "/ocsp") + " -CAfile " + quote(ca("grca")));
  EXPECT_NE(any.output.find(": good"), std::string::npos) << any.output;
}

TEST_F(Served, BadRequestsGetOcspErrorStatuses) {
  auto junk = tmp_->write("junk.der", std::string("not ocsp"));
  auto out = tmp_->path() / "resp.der";
  ASSERT_EQ(
      run_command("curl -sf -H 'Content-Type: application/ocsp-request' --data-binary @" +
                  quote(junk.string()) + " -o " + quote(out.string()) + " " + server_->url() + "/ocsp/moica")
          .exit_code,
      0);
  std::ifstream in(out, std::ios::binary);
  crypto::Bytes der((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(crypto::OcspResponse::from_der(der).status(), crypto::OcspResponseStatus::MalformedRequest);
  // A certificate of another CA at the moica endpoint: unauthorized.
  auto r = run_command("openssl ocsp -issuer " + quote(ca("grca")) + " -cert " + quote(ca("moica")) +
                       " -url " + quote(server_->url() + "/ocsp/moica"));
  EXPECT_NE(r.output.find("unauthorized"), std::string::npos) << r.output;
  EXPECT_EQ(
      run_command("curl -s -o /dev/null -w '%{http_code}' -X POST " + server_->url() + "/ocsp/nosuch").output,
      "404");
  EXPECT_EQ(
      run_command("curl -s -o /dev/null -w '%{http_code}' " + server_->url() + "/crl/nosuch.crl").output,
      "404");
}

TEST_F(Served, FaultSwitches) {
  auto set = [&](const std::string& name, const std::string& value = "true") {
    ASSERT_EQ(sim({"fault", "set", "--dir", dir_, name, value}).exit_code, 0);
  };
  set("down");
  EXPECT_NE(ocsp(leaf_).exit_code, 0);
  sim({"fault", "clear", "--dir", dir_});

  set("garbage");
  auto garbage = ocsp(leaf_);
  EXPECT_NE(garbage.exit_code, 0);
  EXPECT_EQ(garbage.output.find(": good"), std::string::npos) << garbage.output;
  sim({"fault", "clear", "--dir", dir_});

  set("stale");
  auto stale = ocsp(leaf_);
  EXPECT_NE(stale.output.find("Status times invalid"), std::string::npos) << stale.output;
  sim({"fault", "clear", "--dir", dir_});

  set("wrong_signer");
  auto wrong = ocsp(leaf_);
  EXPECT_EQ(wrong.output.find("Response verify OK"), std::string::npos) << wrong.output;
  EXPECT_NE(wrong.output.find("Response Verify Failure"), std::string::npos) << wrong.output;
  sim({"fault", "clear", "--dir", dir_});

  set("no_nonce");
  auto no_nonce = ocsp(leaf_);
  EXPECT_NE(no_nonce.output.find("WARNING: no nonce in response"), std::string::npos) << no_nonce.output;
  sim({"fault", "clear", "--dir", dir_});

  set("try_later");
  auto later = ocsp(leaf_);
  EXPECT_NE(later.output.find("trylater"), std::string::npos) << later.output;
  sim({"fault", "clear", "--dir", dir_});

  set("slow_ms", "1500");
  auto start = std::chrono::steady_clock::now();
  auto slow = ocsp(leaf_);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
  EXPECT_NE(slow.output.find(": good"), std::string::npos) << slow.output;
  sim({"fault", "clear", "--dir", dir_});

  auto clean = ocsp(leaf_);
  EXPECT_NE(clean.output.find("Response verify OK"), std::string::npos) << clean.output;
  EXPECT_EQ(clean.output.find("WARNING"), std::string::npos) << clean.output;
}

TEST_F(Served, RepositoryAndStatusPage) {
  auto out = tmp_->path() / "moica.cer";
  ASSERT_EQ(run_command("curl -sf -o " + quote(out.string()) + " " + server_->url() + "/repository/moica.cer")
                .exit_code,
            0);
  std::ifstream in(out, std::ios::binary);
  crypto::Bytes der((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(crypto::Certificate::from_der(der),
            crypto::Certificate::from_pem(run_command("cat " + quote(ca("moica"))).output));
  auto page = run_command("curl -sf " + server_->url() + "/");
  EXPECT_NE(page.output.find(card_sn_), std::string::npos);
  EXPECT_NE(page.output.find("A12****789"), std::string::npos) << page.output;
  EXPECT_EQ(page.output.find("A123456789"), std::string::npos);
}

TEST_F(Served, IcscOverHttp) {
  // A relying party's client certificate, registered with the CLI.
  auto key = crypto::PrivateKey::generate_rsa(2048);
  auto gca_key = crypto::PrivateKey::load_pem_file(dir_ + "/ca/gca.key");
  auto gca = crypto::Certificate::from_pem(run_command("cat " + quote(ca("gca"))).output);
  auto now = std::chrono::system_clock::now();
  auto client = crypto::CertificateBuilder()
                    .subject(crypto::DistinguishedName({{"C", "TW"}, {"O", "人事服務網"}, {"CN", "rp"}}))
                    .public_key(key.public_key())
                    .validity(now - std::chrono::hours(1), now + std::chrono::hours(24))
                    .key_usage({.digital_signature = true})
                    .sign(gca, gca_key);
  auto pem = tmp_->write("client.pem", client.pem());
  auto reg_out = sim({"icsc", "register-client", "--dir", dir_, pem.string()});
  ASSERT_EQ(reg_out.exit_code, 0) << reg_out.output;
  std::string client_id = field(reg_out.output, "client_id");
  EXPECT_EQ(client_id, crypto::to_hex(crypto::sha1(client.der()), true));

  auto reg = Registry(std::filesystem::path(dir_) / "registry.json").read();
  std::string sn = reg.card(card_sn_)->person_sn;
  std::string icsreq = "<ICSReq><ClientID>" + client_id +
                       "</ClientID><Nonce>ABCDEFGHIJ12345</Nonce><ReqTime>" + icsc_time(now) +
                       "</ReqTime><TotalCount>1</TotalCount><Rec><ID>1</ID><SN>" + sn +
                       "</SN><SSID>A123456789</SSID></Rec></ICSReq>";
  auto sig = key.sign(crypto::DigestAlgorithm::Sha1, crypto::as_bytes(icsreq));
  std::string xml = "<ICSRequest>" + icsreq + "<ICSReqLength>" + std::to_string(icsreq.size()) +
                    "</ICSReqLength><Signature>" + crypto::to_hex(sig, true) + "</Signature></ICSRequest>";
  auto body = tmp_->write("icsc.txt", http::form_encode({{"ICSRequestXMLData", xml}}));
  auto r = run_command("curl -sf --data-binary @" + quote(body.string()) + " " + server_->url() + "/icsc");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("<SSID4>6789</SSID4><Code>0</Code>"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("<Nonce>ABCDEFGHIJ12345</Nonce>"), std::string::npos) << r.output;
}

TEST_F(Served, MailSentToTheSinkIsListedAsJsonAndOnTheStatusPage) {
  http::MailMessage m{.from = "noreply@ecpa.example",
                      .to = "served@agency.example",
                      .subject = "【人事服務網】重設密碼 <b>通知</b>",
                      .text_body = "請開啟:\nhttps://127.0.0.1:8443/reset#token=abc&x=<1>\n.\n"};
  http::send_mail({.smtp_url = server_->smtp_url(), .timeout = std::chrono::seconds(5)}, m);
  auto other = m;
  other.to = "someone-else@agency.example";
  other.subject = "另一封";
  http::send_mail({.smtp_url = server_->smtp_url(), .timeout = std::chrono::seconds(5)}, other);

  auto r = run_command("curl -sf " + quote(server_->url() + "/mail/messages?to=served%40agency.example"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j.at("messages").size(), 1U) << r.output;
  const auto& got = j["messages"][0];
  EXPECT_EQ(got.at("subject"), m.subject);
  EXPECT_EQ(got.at("body"), m.text_body);
  EXPECT_EQ(got.at("from"), "noreply@ecpa.example");
  EXPECT_EQ(got.at("to"), nlohmann::json::array({"served@agency.example"}));
  EXPECT_EQ(got.at("receivedAt").get<std::string>().size(), 20U);  // 2026-01-15T08:00:00Z
  EXPECT_FALSE(got.at("id").get<std::string>().empty());
  // And the file beside the registry, for a reader in another process.
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(dir_) / "mail" /
                                      (got["id"].get<std::string>() + ".eml")));

  auto all = nlohmann::json::parse(run_command("curl -sf " + server_->url() + "/mail/messages").output);
  ASSERT_GE(all.at("messages").size(), 2U);
  EXPECT_EQ(all["messages"][0].at("subject"), "另一封");  // newest first

  auto page = run_command("curl -sf " + server_->url() + "/").output;
  EXPECT_NE(page.find("收到的郵件 / Mail received"), std::string::npos) << page;
  EXPECT_NE(page.find("重設密碼 &lt;b&gt;通知&lt;/b&gt;"), std::string::npos) << page;
  EXPECT_NE(page.find("https://127.0.0.1:8443/reset#token=abc&amp;x=&lt;1&gt;"), std::string::npos) << page;
  EXPECT_EQ(page.find("<b>通知"), std::string::npos);
  EXPECT_LT(page.find("另一封"), page.find("重設密碼 &lt;b&gt;"));  // newest first here too
}

TEST_F(Served, WithoutTheSinkThereIsNoMailEndpoint) {
  SimService service(dir_, SystemClock::instance());
  http::Request req;
  req.method = "GET";
  req.target = req.path = req.raw_path = "/mail/messages";
  try {
    service.handler()(req);
    ADD_FAILURE() << "answered";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::NOT_FOUND);
  }
  auto page = service.handler();
  req.target = req.path = req.raw_path = "/";
  EXPECT_NE(page(req).body.find("SMTP sink off"), std::string::npos);
  EXPECT_EQ(sim({"serve", "--dir", dir_, "--smtp-port", "70000"}).exit_code, 2);
}

}  // namespace
}  // namespace ecpa::sim
