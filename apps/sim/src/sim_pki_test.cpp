#include "sim_pki.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "ecpa/crypto/oids.hpp"
#include "sim_test_support.hpp"

namespace ecpa::sim {
namespace {

using testing::shared_pki;

TEST(SimPki, GpkiShapedNames) {
  const auto& pki = shared_pki();
  EXPECT_EQ(pki.ca("moica").cert.subject().to_string(), "C=TW, O=行政院, OU=內政部憑證管理中心");
  EXPECT_EQ(pki.ca("gca").cert.subject().to_string(), "C=TW, O=行政院, OU=政府憑證管理中心");
  EXPECT_EQ(pki.ca("xca").cert.subject().to_string(), "C=TW, O=行政院, OU=組織及團體憑證管理中心");
  EXPECT_TRUE(pki.root().cert.self_issued());
  EXPECT_TRUE(pki.root().cert.is_ca());
  for (const auto& name : SimPki::issuing_ca_names()) {
    const auto& ca = pki.ca(name);
    EXPECT_EQ(ca.cert.issuer_der(), pki.root().cert.subject_der()) << name;
    EXPECT_EQ(ca.cert.authority_key_id(), pki.root().cert.subject_key_id()) << name;
    EXPECT_EQ(ca.cert.ca_issuer_urls(), std::vector<std::string>{"http://127.0.0.1:1/repository/grca.cer"});
    ASSERT_TRUE(ca.ocsp_cert) << name;
    EXPECT_EQ(ca.ocsp_cert->issuer_der(), ca.cert.subject_der());
    EXPECT_EQ(ca.ocsp_cert->ext_key_usage(),
              std::vector<std::string>{std::string(crypto::oids::kEkuOcspSigning)});
    EXPECT_FALSE(ca.ocsp_cert->is_ca());
  }
  EXPECT_THROW(pki.ca("nope"), Error);
}

TEST(SimPki, CreateWritesOwnerOnlyKeysAndLoadsBack) {
  crypto::testing::TempDir dir;
  auto made = SimPki::create(dir.path(), "http://127.0.0.1:2", testing::kPinnedNow, 2048);
  for (const char* f : {"grca.key", "moica.key", "moica-ocsp.key", "rogue.key"}) {
    struct stat st {};
    ASSERT_EQ(::stat((dir.path() / "ca" / f).c_str(), &st), 0) << f;
    EXPECT_EQ(st.st_mode & 0777, 0600) << f;
  }
  auto loaded = SimPki::load(dir.path());
  for (const auto& [name, ca] : made.all()) {
    EXPECT_EQ(loaded.ca(name).cert, ca.cert) << name;
    EXPECT_TRUE(loaded.ca(name).key.public_key() == ca.cert.public_key()) << name;
  }
  EXPECT_EQ(loaded.rogue_cert(), made.rogue_cert());
  try {
    SimPki::create(dir.path(), "http://127.0.0.1:2", testing::kPinnedNow, 2048);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::SIM_ALREADY_INITIALISED);
  }
}

TEST(SimPki, LoadFromEmptyDirIsTyped) {
  crypto::testing::TempDir dir;
  try {
    SimPki::load(dir.path());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::SIM_STATE_INVALID);
  }
}

}  // namespace
}  // namespace ecpa::sim
