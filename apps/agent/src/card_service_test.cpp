#include "card_service.hpp"

#include <gtest/gtest.h>

#include <future>
#include <set>

#include "agent_env.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/p11/error.hpp"

namespace ecpa::agent {
namespace {

using testing::env;

TbsPackage sign_package(const std::string& reader, SignatureType type = SignatureType::Pkcs1) {
  TbsPackage p;
  p.func = Func::MakeSignature;
  p.signature_type = type;
  p.tbs = crypto::to_bytes("card service test");
  p.slot_description = reader;
  return p;
}

CardService service() {
  env();  // the token store and state file must exist before the module loads
  return CardService({ECPA_CARDMOD_PATH, std::chrono::milliseconds(5000)}, SystemClock::instance());
}

TEST(CardService, ListsReadersTokensAndCertificates) {
  auto card = env().new_card({.label = "list"});
  auto cards = service();
  auto slots = cards.slots(true);
  const nlohmann::json* found = nullptr;
  for (const auto& s : slots) {
    if (s["slotDescription"] == card.reader) found = &s;
  }
  ASSERT_NE(found, nullptr) << slots.dump();
  const auto& token = (*found)["token"];
  EXPECT_EQ(token["serialNumber"], card.serial);
  // As a real citizen card: the holder's two certificates, and the CA chain the sim puts on every card.
  ASSERT_EQ(token["certs"].size(), 4u) << token.dump();
  std::multiset<std::string> usages;
  std::set<std::string> ca_subjects;
  for (const auto& c : token["certs"]) {
    const auto usage = c["usage"].get<std::string>();
    usages.insert(usage);
    if (usage == "keyCertSign|cRLSign") {
      ca_subjects.insert(c["subjectDN"].get<std::string>());
      continue;
    }
    EXPECT_EQ(c["subjectID"], "6789");
    EXPECT_EQ(c["issuerDN"], env().citizen_ca().subject().to_string());
  }
  EXPECT_EQ(usages, (std::multiset<std::string>{"digitalSignature", "keyEncipherment|dataEncipherment",
                                                "keyCertSign|cRLSign", "keyCertSign|cRLSign"}));
  EXPECT_EQ(ca_subjects, (std::set<std::string>{env().citizen_ca().subject().to_string(),
                                                env().pki.root().cert.subject().to_string()}));
  // Without certificates: no "certs" key at all.
  for (const auto& s : cards.slots(false)) {
    if (s["token"].is_object()) {
      EXPECT_FALSE(s["token"].contains("certs"));
    }
  }
}

TEST(CardService, SignsWithTheCardsKey) {
  auto card = env().new_card({.label = "sign"});
  auto cards = service();
  auto package = sign_package(card.reader);
  auto target = cards.target(package);
  EXPECT_EQ(target.card_serial, card.serial);
  auto out = cards.sign(target, package, SecretBuffer::copy_of(p11::testing::kUserPin));
  EXPECT_TRUE(crypto::verify_signature(card.signing_cert->public_key(), crypto::DigestAlgorithm::Sha256,
                                       package.tbs, out.signature));
  EXPECT_FALSE(crypto::verify_signature(card.signing_cert->public_key(), crypto::DigestAlgorithm::Sha256,
                                        crypto::to_bytes("other"), out.signature));
}

TEST(CardService, TargetErrorsComeBeforeThePin) {
  auto cards = service();
  auto package = sign_package("Reader nobody");
  try {
    cards.target(package);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::CARD_NOT_PRESENT);
  }
  auto no_cert = env().new_card({.label = "nocert", .signing_cert = false});
  try {
    cards.target(sign_package(no_cert.reader));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code().value, codes::AGENT_CERT_NOT_FOUND.value) << e.cause() << cards.slots(false).dump();
  }
}

TEST(CardService, OneOperationAtATimePerCard) {
  auto card = env().new_card({.label = "serial"});
  env().cards.add_fault(card.serial, {.function = "C_Sign", .delay_ms = 300});
  auto cards = service();
  auto package = sign_package(card.reader);
  auto target = cards.target(package);
  auto run = [&] {
    auto start = std::chrono::steady_clock::now();
    auto out = cards.sign(target, package, SecretBuffer::copy_of(p11::testing::kUserPin));
    EXPECT_TRUE(crypto::verify_signature(card.signing_cert->public_key(), crypto::DigestAlgorithm::Sha256,
                                         package.tbs, out.signature));
    return std::chrono::steady_clock::now() - start;
  };
  auto a = std::async(std::launch::async, run);
  auto b = std::async(std::launch::async, run);
  const auto longest = std::max(a.get(), b.get());
  // Serialised: the second waited for the first's 300 ms signature.
  EXPECT_GE(longest, std::chrono::milliseconds(590));
  env().cards.clear_faults(card.serial);
}

TEST(CardService, UnloadableModuleIsTypedAndRetried) {
  env();
  CardService cards({"/nonexistent/libnothing.so", std::chrono::milliseconds(100)}, SystemClock::instance());
  for (int i = 0; i < 2; ++i) {
    try {
      cards.slots(false);
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), codes::CARD_MODULE_LOAD_FAILED);
    }
  }
}

}  // namespace
}  // namespace ecpa::agent
