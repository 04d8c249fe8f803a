#include "ecpa/crypto/key.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace ecpa::crypto {
namespace {

namespace fs = std::filesystem;

class KeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ecpa-key-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

const PrivateKey& shared_key() {
  static PrivateKey key = PrivateKey::generate_rsa(2048);
  return key;
}

TEST_F(KeyTest, GeneratesRsaOfRequestedSize) {
  EXPECT_EQ(shared_key().bits(), 2048);
  EXPECT_TRUE(shared_key().public_key().is_rsa());
  EXPECT_THROW(PrivateKey::generate_rsa(1024), Error);
}

TEST_F(KeyTest, SavedFileIsOwnerOnlyAndLoadsBack) {
  auto path = dir_ / "ca.key";
  shared_key().save_pem_file(path);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto loaded = PrivateKey::load_pem_file(path);
  EXPECT_TRUE(loaded.public_key() == shared_key().public_key());
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(KeyTest, RefusesToOverwriteUnlessAsked) {
  auto path = dir_ / "ca.key";
  shared_key().save_pem_file(path);
  try {
    shared_key().save_pem_file(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::KEY_FILE_ERROR);
  }
  EXPECT_NO_THROW(shared_key().save_pem_file(path, true));
}

TEST_F(KeyTest, MissingAndGarbageFilesAreTypedErrors) {
  try {
    PrivateKey::load_pem_file(dir_ / "absent.key");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::KEY_FILE_ERROR);
  }
  std::ofstream(dir_ / "junk.key") << "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  try {
    PrivateKey::load_pem_file(dir_ / "junk.key");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::KEY_INVALID);
  }
}

TEST_F(KeyTest, PublicKeyFromModulusAndExponentMatches) {
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  ASSERT_EQ(EVP_PKEY_get_bn_param(shared_key().native(), OSSL_PKEY_PARAM_RSA_N, &n), 1);
  ASSERT_EQ(EVP_PKEY_get_bn_param(shared_key().native(), OSSL_PKEY_PARAM_RSA_E, &e), 1);
  Bytes nb(static_cast<std::size_t>(BN_num_bytes(n)));
  Bytes eb(static_cast<std::size_t>(BN_num_bytes(e)));
  BN_bn2bin(n, nb.data());
  BN_bn2bin(e, eb.data());
  BN_free(n);
  BN_free(e);
  auto pub = PublicKey::from_rsa(nb, eb);
  EXPECT_TRUE(pub == shared_key().public_key());
  EXPECT_EQ(pub.der(), shared_key().public_key().der());
  EXPECT_THROW(PublicKey::from_rsa(Bytes(64, 0xff), eb), Error);          // 512-bit modulus
  EXPECT_THROW(PublicKey::from_rsa(nb, Bytes{0x01, 0x00, 0x00}), Error);  // even exponent
  EXPECT_THROW(PublicKey::from_rsa(nb, Bytes{0x01}), Error);              // exponent 1
}

TEST_F(KeyTest, SignAndVerifyAllDigests) {
  auto pub = shared_key().public_key();
  for (auto alg :
       {DigestAlgorithm::Sha1, DigestAlgorithm::Sha256, DigestAlgorithm::Sha384, DigestAlgorithm::Sha512}) {
    auto sig = shared_key().sign(alg, as_bytes("tbs"));
    EXPECT_EQ(sig.size(), 256u);
    EXPECT_TRUE(verify_signature(pub, alg, as_bytes("tbs"), sig));
    EXPECT_FALSE(verify_signature(pub, alg, as_bytes("tbS"), sig));
    sig[10] ^= 1;
    EXPECT_FALSE(verify_signature(pub, alg, as_bytes("tbs"), sig));
  }
}

TEST_F(KeyTest, PemRoundTrips) {
  auto pub = shared_key().public_key();
  EXPECT_TRUE(PublicKey::from_pem(pub.pem()) == pub);
  EXPECT_TRUE(PublicKey::from_der(pub.der()) == pub);
  auto der = pub.der();
  der.push_back(0);
  EXPECT_THROW(PublicKey::from_der(der), Error);
  EXPECT_THROW(PrivateKey::from_pem("not a key"), Error);
}

}  // namespace
}  // namespace ecpa::crypto
