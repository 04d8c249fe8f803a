#pragma once
// The simulator's own records (DIR/registry.json): which cards it issued, to whom (the full ID number,
// which the ICSC identity check needs and real CAs keep too), their certificates and revocations, and
// the relying parties registered for ICSC. One small JSON file, replaced whole (temp file + rename)
// under an exclusive flock on "<file>.lock", so `ecpa-sim card revoke` and a running `ecpa-sim serve`
// never see half a file and never lose each other's updates. The file is mode 0600: it holds ID numbers.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ecpa/crypto/crl.hpp"
#include "ecpa/crypto/time.hpp"

namespace ecpa::sim {

using crypto::TimePoint;

struct IssuedCert {
  std::string serial_hex;
  std::string ca;     // "moica", "gca", "xca"
  std::string usage;  // "sign" | "keyx"
  TimePoint not_before{}, not_after{};
  std::optional<TimePoint> revoked_at{};
  std::optional<crypto::RevocationReason> reason{};
  std::string der_b64;
};

struct Card {
  std::string card_sn;  // 2 letters + 14 digits
  std::string kind;     // "citizen" | "gca" | "xca"
  std::string name;
  std::string id_number;   // full national ID (citizen) or agency code
  std::string person_sn;   // the subject serialNumber (16 digits), what ICSC requests name
  std::string agency_oid;  // gca/xca only
  std::string token_label;
  std::string token_serial;  // CK_TOKEN_INFO.serialNumber (SoftHSM2's); the cardmod state key
  std::string so_pin;        // the simulator keeps the SO PIN to unlock/renew; test material only
  TimePoint issued_at{};
  std::string renewed_by;  // card_sn of the card that replaced this one
  std::vector<IssuedCert> certs;
};

struct IcscClient {
  std::string client_id;  // uppercase hex SHA-1 of the client certificate DER
  std::string cert_pem;
};

struct RegistryData {
  std::uint64_t revision = 0;  // +1 on every change: the CRL number
  std::string base_url;
  std::vector<Card> cards;
  std::vector<IcscClient> icsc_clients;

  const Card* card(std::string_view card_sn) const;
  Card* card(std::string_view card_sn);
  // The certificate with this serial issued by `ca` (any CA when empty).
  const IssuedCert* cert(std::string_view serial_hex, std::string_view ca = {}) const;
};

class Registry {
 public:
  explicit Registry(std::filesystem::path file);
  const std::filesystem::path& file() const { return file_; }

  // Throws SIM_STATE_INVALID when the file is missing or malformed.
  RegistryData read() const;
  // Read-modify-write under the lock; writes (revision + 1) only when `change` returns true.
  RegistryData update(const std::function<bool(RegistryData&)>& change);
  // Creates the file (refuses to replace one).
  void create(const RegistryData& initial);

 private:
  std::filesystem::path file_;
};

// Replaces `file` whole with `text` (a temp file beside it, fsync, rename), mode 0600, so that a reader in
// another process sees the old file or the new one, never half of one. Throws SIM_STATE_INVALID.
void write_private_file(const std::filesystem::path& file, const std::string& text);

std::string to_iso8601(TimePoint t);
// "2026-01-15", "2026-01-15T08:00:00Z"; throws SIM_ARGUMENT_INVALID otherwise.
TimePoint parse_iso8601(std::string_view text);

}  // namespace ecpa::sim
