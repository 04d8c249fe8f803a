#pragma once
// Shared by the simulator's tests: a throw-away simulator directory with a small (2048-bit root) PKI,
// and software-issued certificates registered as if a card held them.
#include <gtest/gtest.h>

#include <chrono>

#include "ecpa/common/clock.hpp"
#include "ecpa/crypto/certificate_builder.hpp"
#include "ecpa/crypto/oids.hpp"
#include "ecpa/crypto/testing/files.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"
#include "registry.hpp"
#include "sim_pki.hpp"

namespace ecpa::sim::testing {

using crypto::testing::kPinnedNow;

struct SoftCard {
  crypto::PrivateKey key;
  crypto::Certificate cert;
};

// A citizen certificate from `ca` with a software key, valid kPinnedNow − 1 day … + 1 year.
inline SoftCard soft_citizen(const SimCa& ca, const std::string& person_sn = "1234567812345678",
                             crypto::TimePoint not_before = kPinnedNow - std::chrono::hours(24)) {
  auto key = crypto::PrivateKey::generate_rsa(2048);
  auto cert =
      crypto::CertificateBuilder()
          .subject(crypto::DistinguishedName({{"C", "TW"}, {"CN", "王小明"}, {"serialNumber", person_sn}}))
          .public_key(key.public_key())
          .validity(not_before, not_before + std::chrono::hours(24 * 365))
          .key_usage({.digital_signature = true})
          .subject_directory_attributes(
              {.subject_type = std::string(crypto::oids::kSubjectTypeNaturalPerson), .id_last4 = "6789"})
          .sign(ca.cert, ca.key);
  return {std::move(key), std::move(cert)};
}

inline Card card_with(const std::string& card_sn, const std::string& id_number, const std::string& person_sn,
                      const crypto::Certificate& cert, const std::string& ca = "moica") {
  Card c;
  c.card_sn = card_sn;
  c.kind = "citizen";
  c.name = "王小明";
  c.id_number = id_number;
  c.person_sn = person_sn;
  c.issued_at = kPinnedNow;
  c.certs.push_back(IssuedCert{cert.serial_hex(), ca, "sign", cert.not_before(), cert.not_after(),
                               std::nullopt, std::nullopt, crypto::to_base64(cert.der())});
  return c;
}

// One PKI per test binary (key generation is the slow part); each test gets its own registry data.
inline const SimPki& shared_pki() {
  static crypto::testing::TempDir dir;
  static SimPki pki =
      SimPki::create(dir.path(), "http://127.0.0.1:1", kPinnedNow - std::chrono::hours(48), 2048);
  return pki;
}

}  // namespace ecpa::sim::testing
