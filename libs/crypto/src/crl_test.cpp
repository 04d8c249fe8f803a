#include "ecpa/crypto/crl.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/testing/files.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"

namespace ecpa::crypto {
namespace {

using namespace std::chrono_literals;
using testing::kPinnedNow;

const testing::CitizenPki& pki() { return testing::shared_pki(); }

Crl revoking_leaf(std::uint64_t number = 7) {
  return CrlBuilder()
      .this_update(kPinnedNow)
      .next_update(kPinnedNow + 24h)
      .crl_number(number)
      .add({pki().leaf.cert.serial_hex(), kPinnedNow - 1h, RevocationReason::KeyCompromise})
      .add({"abcdef", kPinnedNow - 2h, std::nullopt})
      .sign(pki().ca.cert, pki().ca.key);
}

TEST(Crl, BuiltCrlReadsBack) {
  auto crl = revoking_leaf();
  EXPECT_EQ(crl.issuer_der(), pki().ca.cert.subject_der());
  EXPECT_EQ(crl.this_update(), kPinnedNow);
  EXPECT_EQ(crl.next_update(), kPinnedNow + 24h);
  EXPECT_EQ(crl.crl_number_hex(), "7");
  EXPECT_EQ(crl.authority_key_id(), pki().ca.cert.subject_key_id());
  EXPECT_EQ(crl.size(), 2u);
  auto hit = crl.find(pki().leaf.cert.serial_hex());
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->reason, RevocationReason::KeyCompromise);
  EXPECT_EQ(hit->revoked_at, kPinnedNow - 1h);
  EXPECT_FALSE(crl.find(pki().other.cert.serial_hex()));
  EXPECT_FALSE(crl.find("not hex"));
  auto no_reason = crl.find("ABCDEF");
  ASSERT_TRUE(no_reason);
  EXPECT_FALSE(no_reason->reason);
  EXPECT_EQ(crl.entries().size(), 2u);
  EXPECT_TRUE(crl.signed_by(pki().ca.cert.public_key()));
  EXPECT_FALSE(crl.signed_by(pki().root.cert.public_key()));
}

TEST(Crl, EmptyCrlIsValid) {
  auto crl =
      CrlBuilder().this_update(kPinnedNow).next_update(kPinnedNow + 1h).sign(pki().ca.cert, pki().ca.key);
  EXPECT_EQ(crl.size(), 0u);
  EXPECT_EQ(crl.crl_number_hex(), "1");
}

TEST(Crl, DerAndPemRoundTrip) {
  auto crl = revoking_leaf();
  EXPECT_EQ(Crl::from_der(crl.der()).der(), crl.der());
  EXPECT_EQ(Crl::from_pem(crl.pem()).der(), crl.der());
}

TEST(Crl, BadInputIsCrlMalformed) {
  auto der = revoking_leaf().der();
  auto expect = [](auto&& fn) {
    try {
      fn();
      ADD_FAILURE();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), codes::CRL_MALFORMED) << e.what();
    }
  };
  expect([] { Crl::from_der(Bytes{}); });
  expect([&] { Crl::from_der(ByteView(der).first(der.size() / 2)); });
  expect([&] {
    auto d = der;
    d.push_back(0);
    Crl::from_der(d);
  });
  expect([] { Crl::from_pem("nope"); });
  for (std::size_t i = 0; i < der.size(); i += 5) {
    auto d = der;
    d[i] ^= 0x33;
    try {
      Crl::from_der(d);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), codes::CRL_MALFORMED) << i << e.what();
    }
  }
}

TEST(CrlBuilder, RefusesBadInput) {
  auto base = [] { return CrlBuilder().this_update(kPinnedNow).next_update(kPinnedNow + 1h); };
  EXPECT_THROW(CrlBuilder().sign(pki().ca.cert, pki().ca.key), Error);
  EXPECT_THROW(base().next_update(kPinnedNow - 1h).sign(pki().ca.cert, pki().ca.key), Error);
  EXPECT_THROW(base().add({"xyz", kPinnedNow, std::nullopt}).sign(pki().ca.cert, pki().ca.key), Error);
  EXPECT_THROW(base()
                   .add({"0a", kPinnedNow, std::nullopt})
                   .add({"A", kPinnedNow, std::nullopt})
                   .sign(pki().ca.cert, pki().ca.key),
               Error);
  EXPECT_THROW(base().sign(pki().ca.cert, pki().root.key), Error);
}

TEST(Crl, ReasonNames) {
  EXPECT_EQ(reason_name(RevocationReason::KeyCompromise), "keyCompromise");
  EXPECT_EQ(reason_from_name("superseded"), RevocationReason::Superseded);
  EXPECT_FALSE(reason_from_name("bogus"));
  EXPECT_FALSE(reason_from_code(7));
  EXPECT_EQ(reason_from_code(9), RevocationReason::PrivilegeWithdrawn);
}

TEST(Crl, OpensslVerifyCrlCheckAgrees) {
  // The independent client: `openssl verify -crl_check` with our CRL says revoked for the leaf and
  // OK for another certificate of the same CA.
  testing::TempDir dir;
  auto crl = revoking_leaf();
  auto chain = dir.write("chain.pem", pki().root.cert.pem() + pki().ca.cert.pem());
  auto crl_file = dir.write("ca.crl", crl.pem());
  auto leaf = dir.write("leaf.pem", pki().leaf.cert.pem());
  auto other = dir.write("other.pem", pki().other.cert.pem());
  std::string base = "openssl verify -attime " + std::to_string(to_unix_seconds(kPinnedNow + 1h)) +
                     " -crl_check -CAfile " + chain.string() + " -CRLfile " + crl_file.string() + " ";
  auto revoked = testing::run_command(base + leaf.string());
  EXPECT_NE(revoked.exit_code, 0);
  EXPECT_NE(revoked.output.find("certificate revoked"), std::string::npos) << revoked.output;
  auto good = testing::run_command(base + other.string());
  EXPECT_EQ(good.exit_code, 0) << good.output;
  // And `openssl crl` checks the signature with the CA's key.
  auto ca = dir.write("ca.pem", pki().ca.cert.pem());
  auto sig = testing::run_command("openssl crl -noout -in " + crl_file.string() + " -CAfile " + ca.string());
  EXPECT_EQ(sig.exit_code, 0) << sig.output;
  EXPECT_NE(sig.output.find("verify OK"), std::string::npos) << sig.output;
}

}  // namespace
}  // namespace ecpa::crypto
