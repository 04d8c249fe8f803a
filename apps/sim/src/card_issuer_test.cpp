// Cards as other programs see them: OpenSC's pkcs11-tool through apps/cardmod's module over the
// SoftHSM2 tokens that `ecpa-sim card issue` made.
#include "card_issuer.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/testkit/sanitizers.hpp"
#include "registry.hpp"
#include "sim_process.hpp"

namespace ecpa::sim {
namespace {

using testing::field;
using testing::quote;
using testing::sim;

class CardOnToken : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (tmp_.path() / "s").string();
    ASSERT_EQ(sim({"pki", "init", "--dir", dir_, "--root-bits", "2048"}).exit_code, 0);
    auto r =
        sim({"card", "issue", "--dir", dir_, "--name", "王小明", "--id", "A123456789", "--pin", "123456"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    card_sn_ = field(r.output, "card_sn");
  }

  // pkcs11-tool on the card through the forwarding module, as the agent would load it.
  crypto::testing::CommandResult tool(const std::string& args) {
    return crypto::testing::run_command(
        testkit::sanitizer_env_prefix() + "SOFTHSM2_CONF=" + quote(dir_ + "/softhsm2.conf") +
        " ECPA_CARDMOD_STATE=" + quote(dir_ + "/cards.json") + " pkcs11-tool --module " +
        quote(ECPA_CARDMOD_PATH) + " --token-label " + card_sn_ + " " + args);
  }

  // `ecpa-sim card issue --defect <defect>` for another person; on success the fixture's card is that one.
  testkit::RunResult issue_damaged(const std::string& defect) {
    auto r = sim({"card", "issue", "--dir", dir_, "--name", "林小華", "--id", "B223456782", "--pin", "123456",
                  "--defect", defect});
    if (r.exit_code == 0) card_sn_ = field(r.output, "card_sn");
    return r;
  }

  nlohmann::json listed() {
    auto list = sim({"card", "list", "--dir", dir_});
    std::istringstream lines(list.output);
    std::string line;
    while (std::getline(lines, line)) {
      auto j = nlohmann::json::parse(line);
      if (j["card_sn"] == card_sn_) return j;
    }
    return {};
  }

  crypto::Certificate sign_cert() {
    auto reg = Registry(std::filesystem::path(dir_) / "registry.json").read();
    return crypto::Certificate::from_der(crypto::from_base64(reg.card(card_sn_)->certs[0].der_b64));
  }

  crypto::testing::TempDir tmp_;
  std::string dir_, card_sn_;
};

TEST_F(CardOnToken, HoldsKeysAndCertificatesLikeACitizenCard) {
  auto objects = tool("--list-objects");
  EXPECT_EQ(objects.exit_code, 0) << objects.output;
  for (const char* label : {"Signature Certificate", "Encryption Certificate", "CA moica", "CA grca"}) {
    EXPECT_NE(objects.output.find(label), std::string::npos) << label << "\n" << objects.output;
  }
  auto keys = tool("--login --pin 123456 --list-objects --type privkey");
  EXPECT_NE(keys.output.find("ID:         5349474e"), std::string::npos) << keys.output;
  EXPECT_NE(keys.output.find("ID:         4b455958"), std::string::npos) << keys.output;
}

TEST_F(CardOnToken, SignsWithTheSignKeyAndTheCertificateVerifies) {
  crypto::testing::TempDir io;
  auto tbs = io.write("tbs", std::string("login challenge"));
  auto sig = io.path() / "sig";
  auto r = tool("--login --pin 123456 --sign --id 5349474e -m SHA256-RSA-PKCS --input-file " + tbs.string() +
                " --output-file " + sig.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(sig, std::ios::binary);
  crypto::Bytes signature((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(crypto::verify_signature(sign_cert().public_key(), crypto::DigestAlgorithm::Sha256,
                                       crypto::as_bytes("login challenge"), signature));
}

TEST_F(CardOnToken, ThirdWrongPinLocksForGood) {
  for (int i = 0; i < 3; ++i) {
    auto r = tool("--login --pin 000000 --list-objects --type privkey");
    EXPECT_NE(r.exit_code, 0) << r.output;
  }
  EXPECT_EQ(listed()["pin_tries_left"], 0);
  auto right = tool("--login --pin 123456 --list-objects --type privkey");
  EXPECT_NE(right.exit_code, 0);
  EXPECT_NE(right.output.find("CKR_PIN_LOCKED"), std::string::npos) << right.output;
}

TEST_F(CardOnToken, RemoveAndInsert) {
  ASSERT_EQ(sim({"card", "remove", "--dir", dir_, card_sn_}).exit_code, 0);
  EXPECT_EQ(listed()["inserted"], false);
  EXPECT_NE(tool("--list-objects").exit_code, 0);
  ASSERT_EQ(sim({"card", "insert", "--dir", dir_, card_sn_}).exit_code, 0);
  EXPECT_EQ(listed()["inserted"], true);
  EXPECT_EQ(tool("--list-objects").exit_code, 0);
}

// The damaged cards a component must cope with: each misses exactly the one object its name says.
TEST_F(CardOnToken, DefectNoSignKeyKeepsTheCertificateButNotItsKey) {
  auto r = issue_damaged("no-sign-key");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto objects = tool("--list-objects --type cert");
  EXPECT_NE(objects.output.find("Signature Certificate"), std::string::npos) << objects.output;
  auto keys = tool("--login --pin 123456 --list-objects --type privkey");
  EXPECT_EQ(keys.output.find("ID:         5349474e"), std::string::npos) << keys.output;
  EXPECT_NE(keys.output.find("ID:         4b455958"), std::string::npos) << keys.output;
  EXPECT_EQ(listed()["certs"].size(), 2u);
}

TEST_F(CardOnToken, DefectNoSignCertKeepsTheKeyButNotItsCertificate) {
  auto r = issue_damaged("no-sign-cert");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(field(r.output, "sign_cert_serial"), "");
  auto objects = tool("--list-objects --type cert");
  EXPECT_EQ(objects.output.find("Signature Certificate"), std::string::npos) << objects.output;
  EXPECT_NE(objects.output.find("Encryption Certificate"), std::string::npos) << objects.output;
  auto keys = tool("--login --pin 123456 --list-objects --type privkey");
  EXPECT_NE(keys.output.find("ID:         5349474e"), std::string::npos) << keys.output;
  EXPECT_EQ(listed()["certs"].size(), 1u);
}

TEST_F(CardOnToken, UnknownDefectIsAUsageError) {
  auto r = issue_damaged("no-pin");
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

TEST(CardIssuer, PrepareSoftHsmPointsAtTheDirectory) {
  crypto::testing::TempDir dir;
  auto conf = prepare_softhsm(dir.path());
  EXPECT_TRUE(std::filesystem::exists(conf));
  EXPECT_TRUE(std::filesystem::is_directory(dir.path() / "tokens"));
  const char* env_conf = ::getenv("SOFTHSM2_CONF");
  ASSERT_NE(env_conf, nullptr);
  EXPECT_EQ(std::string(env_conf), std::filesystem::absolute(conf).string());
  EXPECT_EQ(card_state_file(dir.path()), dir.path() / "cards.json");
}

}  // namespace
}  // namespace ecpa::sim
