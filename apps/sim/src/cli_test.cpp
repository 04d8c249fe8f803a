#include "cli.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/oids.hpp"
#include "registry.hpp"
#include "sim_process.hpp"

namespace ecpa::sim {
namespace {

using testing::field;
using testing::sim;

class Cli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new crypto::testing::TempDir();
    auto r = sim({"pki", "init", "--dir", (dir_->path() / "s").string(), "--root-bits", "2048"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string d() { return (dir_->path() / "s").string(); }
  static crypto::testing::TempDir* dir_;
};
crypto::testing::TempDir* Cli::dir_ = nullptr;

TEST_F(Cli, InitRefusesToRunTwiceWithoutForce) {
  auto again = sim({"pki", "init", "--dir", d(), "--root-bits", "2048"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("SIM_ALREADY_INITIALISED"), std::string::npos) << again.output;
}

TEST_F(Cli, ForceRecreatesEverything) {
  crypto::testing::TempDir other;
  auto dir = (other.path() / "x").string();
  ASSERT_EQ(sim({"pki", "init", "--dir", dir, "--root-bits", "2048"}).exit_code, 0);
  auto before =
      crypto::Certificate::from_pem(crypto::testing::run_command("cat " + dir + "/ca/grca.pem").output);
  auto r = sim({"pki", "init", "--dir", dir, "--root-bits", "2048", "--force"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto after =
      crypto::Certificate::from_pem(crypto::testing::run_command("cat " + dir + "/ca/grca.pem").output);
  EXPECT_NE(before, after);
}

TEST_F(Cli, IssuePrintsCardSerialCertSerialsAndLabel) {
  auto r = sim({"card", "issue", "--dir", d(), "--kind", "citizen", "--name", "王小明", "--id", "A123456789",
                "--pin", "123456"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::string card_sn = field(r.output, "card_sn");
  EXPECT_TRUE(std::regex_match(card_sn, std::regex("TP[0-9]{14}"))) << card_sn;
  EXPECT_EQ(field(r.output, "token_label"), card_sn);
  std::string sign_serial = field(r.output, "sign_cert_serial");
  EXPECT_FALSE(sign_serial.empty());
  EXPECT_FALSE(field(r.output, "keyx_cert_serial").empty());

  auto list = sim({"card", "list", "--dir", d()});
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_NE(list.output.find(card_sn), std::string::npos);
  EXPECT_EQ(list.output.find("A123456789"), std::string::npos) << "full ID numbers stay out of listings";

  // The certificate as issued: GPKI subject, SDA with the last 4 ID digits, OCSP/CRL URLs.
  auto reg = Registry(dir_->path() / "s" / "registry.json").read();
  const Card* card = reg.card(card_sn);
  ASSERT_NE(card, nullptr);
  EXPECT_EQ(card->id_number, "A123456789");
  auto cert = crypto::Certificate::from_der(crypto::from_base64(card->certs[0].der_b64));
  EXPECT_EQ(cert.serial_hex(), sign_serial);
  EXPECT_EQ(cert.subject().to_string(), "C=TW, CN=王小明, serialNumber=" + card->person_sn);
  EXPECT_EQ(cert.issuer().to_string(), "C=TW, O=行政院, OU=內政部憑證管理中心");
  EXPECT_EQ(cert.sda().id_last4, "6789");
  EXPECT_EQ(cert.sda().subject_type, std::string(crypto::oids::kSubjectTypeNaturalPerson));
  EXPECT_EQ(cert.key_usage()->to_string(), "digitalSignature");
  EXPECT_EQ(cert.ocsp_urls(), std::vector<std::string>{"http://127.0.0.1:8480/ocsp/moica"});
  EXPECT_EQ(cert.crl_urls(), std::vector<std::string>{"http://127.0.0.1:8480/crl/moica.crl"});
  auto keyx = crypto::Certificate::from_der(crypto::from_base64(card->certs[1].der_b64));
  EXPECT_EQ(keyx.key_usage()->to_string(), "keyEncipherment|dataEncipherment");

  // `openssl x509 -text` shows the extension.
  crypto::testing::TempDir tmp;
  auto pem = tmp.write("leaf.pem", cert.pem());
  auto text = crypto::testing::run_command("openssl x509 -noout -text -in " + pem.string());
  EXPECT_NE(text.output.find("Subject Directory Attributes"), std::string::npos) << text.output;
  auto der = crypto::testing::run_command("openssl asn1parse -in " + pem.string());
  EXPECT_NE(der.output.find("Subject Directory Attributes"), std::string::npos);
}

TEST_F(Cli, AgencyCardCarriesTheAgencyOid) {
  auto r = sim({"card", "issue", "--dir", d(), "--kind", "gca", "--name", "人事行政總處", "--id",
                "A17000000J", "--pin", "654321", "--agency-oid", "2.16.886.101.20003.20065"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::regex_match(field(r.output, "card_sn"), std::regex("GC[0-9]{14}")));
  auto reg = Registry(dir_->path() / "s" / "registry.json").read();
  auto cert = crypto::Certificate::from_der(
      crypto::from_base64(reg.card(field(r.output, "card_sn"))->certs[0].der_b64));
  EXPECT_EQ(cert.sda().agency_oid, "2.16.886.101.20003.20065");
  EXPECT_EQ(cert.issuer().first("OU"), "政府憑證管理中心");
}

TEST_F(Cli, BadInputIsATypedErrorAndChangesNothing) {
  auto before = Registry(dir_->path() / "s" / "registry.json").read();
  struct Case {
    std::vector<std::string> args;
    std::string code;
  };
  std::vector<Case> cases = {
      {{"card", "issue", "--dir", d(), "--name", "x", "--id", "A123456780", "--pin", "123456"},
       "SIM_ARGUMENT_INVALID"},
      {{"card", "issue", "--dir", d(), "--name", "x", "--id", "A123456789", "--pin", "12"},
       "SIM_ARGUMENT_INVALID"},
      {{"card", "issue", "--dir", d(), "--kind", "gca", "--name", "x", "--id", "X", "--pin", "123456"},
       "SIM_ARGUMENT_INVALID"},
      {{"card", "issue", "--dir", d(), "--name", "x", "--id", "A123456789", "--pin", "123456", "--not-before",
        "yesterday"},
       "SIM_ARGUMENT_INVALID"},
      {{"card", "revoke", "--dir", d(), "abcdef0123"}, "SIM_CARD_NOT_FOUND"},
      {{"card", "revoke", "--dir", d(), "abcdef0123", "--reason", "bored"}, "SIM_ARGUMENT_INVALID"},
      {{"card", "remove", "--dir", d(), "TP00000000000000"}, "SIM_CARD_NOT_FOUND"},
      {{"card", "list", "--dir", (dir_->path() / "nothing").string()}, "SIM_STATE_INVALID"},
      {{"serve", "--dir", d(), "--listen", "0.0.0.0:8480"}, "SIM_ARGUMENT_INVALID"},
      {{"fault", "set", "--dir", d(), "explode"}, "SIM_ARGUMENT_INVALID"},
  };
  for (const auto& c : cases) {
    auto r = sim(c.args);
    EXPECT_EQ(r.exit_code, 1) << c.args[1] << r.output;
    EXPECT_NE(r.output.find("error: " + c.code), std::string::npos) << r.output;
  }
  auto after = Registry(dir_->path() / "s" / "registry.json").read();
  EXPECT_EQ(after.cards.size(), before.cards.size());
}

TEST_F(Cli, RenewGivesANewCardForTheSamePerson) {
  auto first =
      sim({"card", "issue", "--dir", d(), "--name", "李大華", "--id", "B120000008", "--pin", "111111"});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  auto old_sn = field(first.output, "card_sn");
  auto renewed = sim({"card", "renew", "--dir", d(), old_sn, "--pin", "222222"});
  ASSERT_EQ(renewed.exit_code, 0) << renewed.output;
  auto new_sn = field(renewed.output, "card_sn");
  EXPECT_NE(new_sn, old_sn);
  EXPECT_NE(field(renewed.output, "sign_cert_serial"), field(first.output, "sign_cert_serial"));
  auto reg = Registry(dir_->path() / "s" / "registry.json").read();
  EXPECT_EQ(reg.card(old_sn)->renewed_by, new_sn);
  EXPECT_EQ(reg.card(old_sn)->person_sn, reg.card(new_sn)->person_sn);
  EXPECT_EQ(reg.card(new_sn)->id_number, "B120000008");
}

TEST_F(Cli, RevokeByCardSerialRevokesBothCertificates) {
  auto r = sim({"card", "issue", "--dir", d(), "--name", "陳小華", "--id", "A123456789", "--pin", "123456"});
  auto card_sn = field(r.output, "card_sn");
  auto rev = sim({"card", "revoke", "--dir", d(), card_sn, "--reason", "superseded"});
  ASSERT_EQ(rev.exit_code, 0) << rev.output;
  EXPECT_NE(rev.output.find("revoked: " + field(r.output, "sign_cert_serial")), std::string::npos);
  EXPECT_NE(rev.output.find("revoked: " + field(r.output, "keyx_cert_serial")), std::string::npos);
  auto list = sim({"card", "list", "--dir", d()});
  for (auto line_start = list.output.find(card_sn); line_start != std::string::npos;) {
    auto begin = list.output.rfind('\n', line_start);
    auto end = list.output.find('\n', line_start);
    auto j = nlohmann::json::parse(
        list.output.substr(begin == std::string::npos ? 0 : begin + 1, end - begin - 1));
    for (const auto& c : j["certs"]) EXPECT_EQ(c["status"], "revoked");
    break;
  }
}

}  // namespace
}  // namespace ecpa::sim
