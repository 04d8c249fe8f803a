#pragma once
// Test support: the cards the agent's tests use, described by what a test needs of them. They are issued
// by ecpa-sim (apps/sim's CardIssuer, the code behind `ecpa-sim card issue`) into SoftHSM2 tokens and
// read through the cardmod forwarding module, so they carry the sim's full GPKI certificate profile and
// chain to the sim's GRCA-like root.
#include <chrono>
#include <optional>
#include <string>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/p11/pkcs11.hpp"
#include "ecpa/p11/testing/card.hpp"

namespace ecpa::agent::testing {

using namespace std::chrono_literals;
inline constexpr auto kDay = std::chrono::hours(24);

// A valid national ID whose last four digits (6789) the certificates carry in SDA 2.16.886.1.100.2.51.
inline constexpr const char* kHolderId = "A123456789";
inline constexpr const char* kHolderName = "王小明";

struct CardSpec {
  std::string label;  // names the card's reader: "Reader <label>-<n>"
  std::string pin = p11::testing::kUserPin;
  // Validity of the card's certificates, relative to now.
  std::chrono::system_clock::duration valid_from = -30 * kDay;
  std::chrono::system_clock::duration valid_until = 700 * kDay;
  // A damaged card (`ecpa-sim card issue --defect …`): the signing key pair or its certificate missing.
  bool signing_key = true;
  bool signing_cert = true;
};

struct Card {
  CK_SLOT_ID slot = 0;
  std::string serial;  // the card serial the token reports (TP + 14 digits)
  std::string reader;  // the slot description
  std::optional<crypto::Certificate> signing_cert;
  std::optional<crypto::Certificate> encryption_cert;
};

}  // namespace ecpa::agent::testing
