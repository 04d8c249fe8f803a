// Issue 3's "done when": OpenSC's pkcs11-tool, an independent PKCS#11 client in its own process, signs
// through libecpa_cardmod.so, and a third wrong PIN locks the card for good.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <fstream>
#include <iterator>

#include "cardmod_env.hpp"
#include "ecpa/cardstate/card_state.hpp"
#include "ecpa/p11/module.hpp"
#include "ecpa/p11/session.hpp"
#include "ecpa/p11/testing/card.hpp"
#include "ecpa/testkit/process.hpp"
#include "ecpa/testkit/sanitizers.hpp"

namespace ecpa::cardmod {
namespace {

using testkit::RunResult;

// pkcs11-tool through /usr/bin/env, which finds it on PATH and adds what a sanitized build needs for a
// tool we did not build to load our module (nothing otherwise).
RunResult run_tool(std::vector<std::string> args) {
  std::vector<std::string> argv = testkit::sanitizer_env();
  argv.emplace_back("pkcs11-tool");
  argv.insert(argv.end(), args.begin(), args.end());
  return testkit::run("/usr/bin/env", argv);
}

bool verifies(const p11::RsaPublicKey& key, const std::string& data, const std::string& signature) {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  BIGNUM* n = BN_bin2bn(key.modulus.data(), static_cast<int>(key.modulus.size()), nullptr);
  BIGNUM* e = BN_bin2bn(key.exponent.data(), static_cast<int>(key.exponent.size()), nullptr);
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = pkey != nullptr &&
            EVP_DigestVerifyInit_ex(md, nullptr, "SHA256", nullptr, nullptr, pkey, nullptr) == 1 &&
            EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                             reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(pkey);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(n);
  BN_free(e);
  return ok;
}

class Pkcs11ToolTest : public ::testing::Test {
 protected:
  // pkcs11-tool inherits the environment, so its own copy of the module sees the same tokens and state.
  testing::CardmodEnv env_;
  std::filesystem::path input_ = env_.dir() / "tbs.txt";
  std::filesystem::path output_ = env_.dir() / "sig.bin";
  p11::RsaPublicKey key_;
  std::string serial_;

  void SetUp() override {
    auto module = p11::Module::load(ECPA_CARDMOD_PATH);
    CK_SLOT_ID slot = p11::testing::init_card(*module, "citizen");
    serial_ = module->token(slot).serial;
    p11::Session s = module->open(slot, true);
    s.login_user(SecretBuffer::copy_of(p11::testing::kUserPin));
    const std::vector<std::uint8_t> id = {0x53, 0x49, 0x47, 0x4e};
    key_ = s.generate_rsa_key_pair({.id = id, .label = "sign"});
    std::ofstream(input_) << "openecpa challenge 0123456789";
  }

  RunResult sign_with(const std::string& pin) {
    return run_tool({"--module", ECPA_CARDMOD_PATH, "--token-label", "citizen", "--login", "--pin", pin,
                     "--sign", "--id", "5349474e", "-m", "SHA256-RSA-PKCS", "--input-file", input_.string(),
                     "--output-file", output_.string()});
  }

  std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
};

TEST_F(Pkcs11ToolTest, SignsAndOpenSslVerifies) {
  RunResult r = sign_with(p11::testing::kUserPin);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::string sig = read(output_);
  EXPECT_EQ(sig.size(), 256U);
  EXPECT_TRUE(verifies(key_, read(input_), sig));
  EXPECT_FALSE(verifies(key_, read(input_) + "!", sig)) << "the check can fail";
}

TEST_F(Pkcs11ToolTest, ThirdWrongPinLocksTheCardForGood) {
  for (int attempt = 1; attempt <= 3; ++attempt) {
    RunResult r = sign_with("000000");
    EXPECT_NE(r.exit_code, 0) << "attempt " << attempt;
    const char* expected = attempt < 3 ? "CKR_PIN_INCORRECT" : "CKR_PIN_LOCKED";
    EXPECT_NE(r.output.find(expected), std::string::npos) << "attempt " << attempt << ": " << r.output;
  }
  RunResult right = sign_with(p11::testing::kUserPin);
  EXPECT_NE(right.exit_code, 0) << right.output;
  EXPECT_NE(right.output.find("CKR_PIN_LOCKED"), std::string::npos) << right.output;
  EXPECT_FALSE(std::filesystem::exists(output_) && read(output_).size() == 256U) << "no signature made";
  EXPECT_EQ(CardState(env_.state_path()).list().at(serial_).retries_left, 0);
}

}  // namespace
}  // namespace ecpa::cardmod
