#include "ecpa/p11/session.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <memory>

#include "ecpa/p11/error.hpp"
#include "ecpa/p11/testing/card.hpp"
#include "ecpa/p11/testing/softhsm_env.hpp"

namespace ecpa::p11 {
namespace {

const std::vector<std::uint8_t> kSignId = {0x53, 0x49, 0x47, 0x4e};  // "SIGN"
const std::vector<std::uint8_t> kKeyxId = {0x4b, 0x45, 0x59, 0x58};  // "KEYX"

// OpenSSL, in the test only, is the independent party that checks what the card produced.
std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> to_openssl(const RsaPublicKey& key) {
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(),
                                                                      OSSL_PARAM_BLD_free);
  BIGNUM* n = BN_bin2bn(key.modulus.data(), static_cast<int>(key.modulus.size()), nullptr);
  BIGNUM* e = BN_bin2bn(key.exponent.data(), static_cast<int>(key.exponent.size()), nullptr);
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n);
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld.get());
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  BN_free(n);
  BN_free(e);
  return {pkey, EVP_PKEY_free};
}

bool verifies(const RsaPublicKey& key, const char* digest, std::span<const std::uint8_t> data,
              std::span<const std::uint8_t> signature) {
  auto pkey = to_openssl(key);
  if (!pkey) return false;
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit_ex(md, nullptr, digest, nullptr, nullptr, pkey.get(), nullptr) == 1 &&
            EVP_DigestVerify(md, signature.data(), signature.size(), data.data(), data.size()) == 1;
  EVP_MD_CTX_free(md);
  return ok;
}

std::vector<std::uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

class SessionTest : public ::testing::Test {
 protected:
  testing::SoftHsmEnv env_;
  std::shared_ptr<Module> module_ = Module::load(testing::kSoftHsmModule);
  CK_SLOT_ID slot_ = testing::init_card(*module_, "card");

  Session logged_in() {
    Session s = module_->open(slot_, true);
    s.login_user(SecretBuffer::copy_of(testing::kUserPin));
    return s;
  }
};

TEST_F(SessionTest, SignsWithSha256RsaPkcsAndOpenSslVerifies) {
  Session s = logged_in();
  RsaPublicKey pub = s.generate_rsa_key_pair({.id = kSignId, .label = "sign", .bits = 2048});
  EXPECT_EQ(pub.modulus.size(), 256U);
  EXPECT_EQ(pub.exponent, (std::vector<std::uint8_t>{1, 0, 1}));
  auto tbs = bytes_of("openecpa login nonce 1234");
  auto sig = s.sign(kSignId, Mechanism::Sha256RsaPkcs, tbs);
  EXPECT_EQ(sig.size(), 256U);
  EXPECT_TRUE(verifies(pub, "SHA256", tbs, sig));
  auto other = bytes_of("openecpa login nonce 1235");
  EXPECT_FALSE(verifies(pub, "SHA256", other, sig)) << "the check can fail";
}

TEST_F(SessionTest, RawRsaPkcsOverDigestInfoEqualsTheHashingMechanism) {
  Session s = logged_in();
  RsaPublicKey pub = s.generate_rsa_key_pair({.id = kSignId, .label = "sign"});
  auto tbs = bytes_of("same data");
  std::uint8_t hash[SHA256_DIGEST_LENGTH];
  SHA256(tbs.data(), tbs.size(), hash);
  auto raw = s.sign(kSignId, Mechanism::RsaPkcs, digest_info(HashAlgorithm::Sha256, hash));
  EXPECT_TRUE(verifies(pub, "SHA256", tbs, raw));
  // PKCS#1 v1.5 is deterministic: both routes give the same bytes.
  EXPECT_EQ(raw, s.sign(kSignId, Mechanism::Sha256RsaPkcs, tbs));
}

TEST_F(SessionTest, Sha512AndSha1MechanismsWork) {
  Session s = logged_in();
  RsaPublicKey pub = s.generate_rsa_key_pair({.id = kSignId, .label = "sign"});
  auto tbs = bytes_of("x");
  EXPECT_TRUE(verifies(pub, "SHA512", tbs, s.sign(kSignId, Mechanism::Sha512RsaPkcs, tbs)));
  EXPECT_TRUE(verifies(pub, "SHA1", tbs, s.sign(kSignId, Mechanism::Sha1RsaPkcs, tbs)));
}

TEST_F(SessionTest, DecryptsWhatOpenSslEncryptedToTheCardKey) {
  Session s = logged_in();
  RsaPublicKey pub =
      s.generate_rsa_key_pair({.id = kKeyxId, .label = "keyx", .sign = false, .decrypt = true});
  auto pkey = to_openssl(pub);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pkey.get(), nullptr);
  ASSERT_EQ(EVP_PKEY_encrypt_init(ctx), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), 1);
  auto secret = bytes_of("session key 0123456789abcdef");
  std::vector<std::uint8_t> ct(512);
  size_t ct_len = ct.size();
  ASSERT_EQ(EVP_PKEY_encrypt(ctx, ct.data(), &ct_len, secret.data(), secret.size()), 1);
  EVP_PKEY_CTX_free(ctx);
  ct.resize(ct_len);
  EXPECT_EQ(s.decrypt(kKeyxId, ct), secret);
  // A decryption-only key must not sign: the card enforces the uses asked for.
  try {
    s.sign(kKeyxId, Mechanism::Sha256RsaPkcs, secret);
    FAIL() << "signed with a decrypt-only key";
  } catch (const P11Error& e) {
    EXPECT_EQ(e.ckr(), CKR_KEY_FUNCTION_NOT_PERMITTED);
    EXPECT_EQ(e.code(), codes::CARD_ERROR);
  }
}

TEST_F(SessionTest, ImportsAndListsCertificatesWithoutLogin) {
  {
    Session s = logged_in();
    auto der = bytes_of("\x30\x03\x02\x01\x01");
    auto subject = bytes_of("\x30\x00");
    s.import_certificate(kSignId, "sign cert", der, subject);
    s.import_certificate(kKeyxId, "keyx cert", bytes_of("\x30\x01\x00"), subject);
  }
  Session anonymous = module_->open(slot_, false);
  auto certs = anonymous.certificates();
  ASSERT_EQ(certs.size(), 2U);
  bool seen_sign = false;
  for (const auto& c : certs) {
    if (c.id == kSignId) {
      seen_sign = true;
      EXPECT_EQ(c.label, "sign cert");
      EXPECT_EQ(c.der, bytes_of("\x30\x03\x02\x01\x01"));
    }
  }
  EXPECT_TRUE(seen_sign);
}

TEST_F(SessionTest, PrivateKeysAreFoundByIdOnlyAfterLogin) {
  {
    Session s = logged_in();
    s.generate_rsa_key_pair({.id = kSignId, .label = "sign"});
    EXPECT_TRUE(s.has_private_key(kSignId));
    EXPECT_FALSE(s.has_private_key(kKeyxId));
  }
  Session anonymous = module_->open(slot_, false);
  EXPECT_FALSE(anonymous.has_private_key(kSignId)) << "private objects are hidden before the PIN";
}

TEST_F(SessionTest, WrongPinIsCardPinIncorrectWithCkrA0) {
  Session s = module_->open(slot_, false);
  try {
    s.login_user(SecretBuffer::copy_of("000000"));
    FAIL() << "wrong PIN accepted";
  } catch (const P11Error& e) {
    EXPECT_EQ(e.code(), codes::CARD_PIN_INCORRECT);
    EXPECT_EQ(e.ckr(), 0xA0UL);
    EXPECT_TRUE(e.retriable());
    EXPECT_EQ(e.function(), "C_Login");
  }
  EXPECT_NO_THROW(s.login_user(SecretBuffer::copy_of(testing::kUserPin)));
}

TEST_F(SessionTest, WrongPinIsCheckedEvenWhenAlreadyLoggedIn) {
  Session first = logged_in();
  Session second = module_->open(slot_, false);
  EXPECT_THROW(second.login_user(SecretBuffer::copy_of("999999")), P11Error);
  EXPECT_NO_THROW(second.login_user(SecretBuffer::copy_of(testing::kUserPin)));
}

TEST_F(SessionTest, MissingKeyIsCardKeyNotFound) {
  Session s = logged_in();
  try {
    s.sign(kSignId, Mechanism::Sha256RsaPkcs, bytes_of("data"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::CARD_KEY_NOT_FOUND);
  }
  try {
    s.decrypt(kKeyxId, bytes_of("data"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::CARD_KEY_NOT_FOUND);
  }
}

TEST_F(SessionTest, SigningWithoutLoginFindsNoKey) {
  {
    Session s = logged_in();
    s.generate_rsa_key_pair({.id = kSignId, .label = "sign"});
  }
  Session anonymous = module_->open(slot_, false);
  EXPECT_THROW(anonymous.sign(kSignId, Mechanism::Sha256RsaPkcs, bytes_of("x")), Error);
}

TEST_F(SessionTest, MovedSessionKeepsWorkingAndTheSourceIsInert) {
  Session a = logged_in();
  a.generate_rsa_key_pair({.id = kSignId, .label = "sign"});
  Session b = std::move(a);
  EXPECT_NO_THROW(b.sign(kSignId, Mechanism::Sha256RsaPkcs, bytes_of("x")));
}

TEST_F(SessionTest, FailedSignLeavesNoOperationActive) {
  Session s = logged_in();
  s.generate_rsa_key_pair({.id = kSignId, .label = "sign"});
  // Too much data for raw RSA-2048: the card refuses, and the next sign must not find a stale operation.
  std::vector<std::uint8_t> too_long(300, 0x11);
  EXPECT_THROW(s.sign(kSignId, Mechanism::RsaPkcs, too_long), P11Error);
  EXPECT_NO_THROW(s.sign(kSignId, Mechanism::Sha256RsaPkcs, bytes_of("x")));
}

// The agent reports the failing function; sign and decrypt share one code path, so check that each step
// is named as itself.
TEST_F(SessionTest, ErrorsNameTheStepThatFailed) {
  Session s = logged_in();
  s.generate_rsa_key_pair({.id = kSignId, .label = "sign", .sign = true, .decrypt = false});
  s.generate_rsa_key_pair({.id = kKeyxId, .label = "keyx", .sign = false, .decrypt = true});
  auto failing_function = [](auto&& call) -> std::string {
    try {
      call();
    } catch (const P11Error& e) {
      return e.function();
    }
    return "(no error)";
  };
  EXPECT_EQ(failing_function([&] { s.sign(kKeyxId, Mechanism::Sha256RsaPkcs, bytes_of("x")); }),
            "C_SignInit");
  EXPECT_EQ(failing_function([&] { s.sign(kSignId, Mechanism::RsaPkcs, std::vector<std::uint8_t>(300, 1)); }),
            "C_Sign");
  EXPECT_EQ(failing_function([&] { s.decrypt(kSignId, std::vector<std::uint8_t>(256, 1)); }),
            "C_DecryptInit");
  // Not a ciphertext for this key's 256-byte modulus.
  EXPECT_EQ(failing_function([&] { s.decrypt(kKeyxId, bytes_of("short")); }), "C_Decrypt");
}

TEST(DigestInfo, PrefixesTheHash) {
  std::vector<std::uint8_t> hash(32, 0xAB);
  auto di = digest_info(HashAlgorithm::Sha256, hash);
  ASSERT_EQ(di.size(), 19U + 32U);
  EXPECT_EQ(di[0], 0x30);
  EXPECT_EQ(di[18], 0x20);
  EXPECT_EQ(di.back(), 0xAB);
}

TEST(DigestInfo, WrongHashLengthIsBadRequest) {
  std::vector<std::uint8_t> hash(31, 0);
  try {
    digest_info(HashAlgorithm::Sha256, hash);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::BAD_REQUEST);
  }
}

}  // namespace
}  // namespace ecpa::p11
