#pragma once

// Which certificate logs in as which person (DESIGN §4.2). A person has at most one active binding per
// method; binding a renewed card replaces the earlier one, which stays as history. A certificate ever
// bound to one person is never bound to another.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/store/database.hpp"

namespace ecpa::store {

enum class BindingMethod { Citizen, Agency };
std::string_view to_string(BindingMethod m) noexcept;  // "citizen" | "agency"

struct NewBinding {
  BindingMethod method = BindingMethod::Citizen;
  std::string issuer_dn;   // as the PKI layer renders it; compared exactly
  std::string serial_hex;  // any case, leading zeros allowed; stored uppercase without them
  std::optional<std::string> card_sn;
  std::optional<std::string> subject_serial;  // the certificate subject's serialNumber
};

struct CertificateBinding {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  BindingMethod method = BindingMethod::Citizen;
  std::string issuer_dn;
  std::string serial_hex;
  std::optional<std::string> card_sn;
  std::optional<std::string> subject_serial;
  Clock::time_point bound_at;
  std::optional<Clock::time_point> replaced_at;  // nullopt while active
};

struct BindResult {
  CertificateBinding binding;
  std::optional<CertificateBinding> replaced;  // the earlier active binding now kept as history
  bool unchanged = false;                      // the certificate was already this person's active one
};

class BindingStore {
 public:
  virtual ~BindingStore() = default;
  virtual std::optional<CertificateBinding> find_active(std::string_view issuer_dn,
                                                        std::string_view serial_hex) = 0;
  // Card SN is a secondary key (a card holds two certificates): every active binding on that card.
  virtual std::vector<CertificateBinding> find_active_by_card(std::string_view card_sn) = 0;
  // In one transaction. CERT_ALREADY_BOUND if the certificate is or was bound to someone else;
  // NOT_FOUND if the person does not exist; BAD_REQUEST for malformed fields.
  virtual BindResult bind(std::int64_t person_id, const NewBinding& binding, Clock::time_point now) = 0;
  // Every binding of the person, oldest first.
  virtual std::vector<CertificateBinding> history(std::int64_t person_id) = 0;
};

class SqlBindingStore final : public BindingStore {
 public:
  explicit SqlBindingStore(Database& db) : db_(db) {}
  std::optional<CertificateBinding> find_active(std::string_view issuer_dn,
                                                std::string_view serial_hex) override;
  std::vector<CertificateBinding> find_active_by_card(std::string_view card_sn) override;
  BindResult bind(std::int64_t person_id, const NewBinding& binding, Clock::time_point now) override;
  std::vector<CertificateBinding> history(std::int64_t person_id) override;

 private:
  Database& db_;
};

// Uppercase hex without leading zeros ("0" for zero); nullopt if not hex or longer than 64 digits.
std::optional<std::string> normalize_serial_hex(std::string_view serial);

}  // namespace ecpa::store
