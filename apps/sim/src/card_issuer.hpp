#pragma once
// Cards: each one a SoftHSM2 token (DIR/tokens, configured by DIR/softhsm2.conf) holding what a
// citizen or agency card holds (REFERENCE §1–2): a signing key pair with CKA_ID 5349474e ("SIGN") and
// its certificate (digitalSignature), an encryption key pair 4b455958 ("KEYX") and its certificate
// (keyEncipherment|dataEncipherment), and the CA certificates. Keys are generated on the token; the
// certificates are issued from the public keys the token reports. The token label is the card serial.
// Removal/insertion and PIN lockout go through the cardmod state file DIR/cards.json.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/common/clock.hpp"
#include "ecpa/crypto/crl.hpp"
#include "registry.hpp"
#include "sim_pki.hpp"

namespace ecpa::sim {

// A damaged card, for testing what a card component does with one (a real card can lose objects to a
// faulty personalisation or a careless tool, and the component must give its "not found" codes):
//   NoSignKey   the signing certificate is on the card but its private key is not
//   NoSignCert  the signing key pair is on the card but its certificate is not (and is not recorded)
enum class CardDefect { None, NoSignKey, NoSignCert };
// "none" | "no-sign-key" | "no-sign-cert"; nullopt for anything else.
std::optional<CardDefect> card_defect_from_name(std::string_view name);

struct IssueRequest {
  std::string kind = "citizen";  // citizen | gca | xca
  std::string name;
  std::string id_number;   // citizen: national ID; gca/xca: the agency's code (kept for ICSC-like checks)
  std::string pin;         // 6–8 digits, like a real card's
  std::string agency_oid;  // gca/xca: dotted OID
  std::optional<crypto::TimePoint> not_before{}, not_after{};
  std::string person_sn{};  // the subject serialNumber to reuse (renewal); empty = a new one
  CardDefect defect = CardDefect::None;
};

// Writes DIR/softhsm2.conf (tokens in DIR/tokens) if absent and points SOFTHSM2_CONF at it. Must run
// before SoftHSM2 is loaded in this process.
std::filesystem::path prepare_softhsm(const std::filesystem::path& dir);
// DIR/cards.json: the state file of apps/cardmod.
std::filesystem::path card_state_file(const std::filesystem::path& dir);

class CardIssuer {
 public:
  CardIssuer(std::filesystem::path dir, const SimPki& pki, Registry& registry, const Clock& clock,
             std::string module_path = "/usr/lib/softhsm/libsofthsm2.so");

  // Creates the token and the certificates and records the card. Throws SIM_ARGUMENT_INVALID for bad
  // input (nothing is created then); a failure half-way removes the token again.
  Card issue(const IssueRequest& request);
  // A new card for the holder of `card_sn` (new card serial, keys and certificate serials); the old
  // card is marked renewed_by and stays valid until revoked, as in the seed's renewed-card case.
  Card renew(const std::string& card_sn, const std::string& pin);
  // Revokes one certificate (by serial) or every certificate of a card (by card serial). Returns the
  // serials revoked now. Throws SIM_CARD_NOT_FOUND.
  std::vector<std::string> revoke(const std::string& serial_or_card, crypto::RevocationReason reason);
  // Takes the card out of its reader / puts it back (cardmod state file).
  void set_inserted(const std::string& card_sn, bool inserted);

 private:
  std::filesystem::path dir_;
  const SimPki& pki_;
  Registry& registry_;
  const Clock& clock_;
  std::string module_path_;
};

}  // namespace ecpa::sim
