#pragma once
// 自然人憑證's room (DESIGN §4.2): a citizen card is bound to the person whose 身分證字號 was typed beside
// the PIN, once its last four digits match the certificate's SDA and MOICA's identity check (ICSC) says the
// certificate belongs to that ID number. People are HR's records; this never creates one.

#include "auth/certificate/card_binding.hpp"
#include "identity_check.hpp"

namespace ecpa::portal {

class CitizenBinding final : public CardBinding {
 public:
  // `identity` may be null: binding then answers IDENTITY_CHECK_UNAVAILABLE.
  CitizenBinding(const IdentityCheck* identity, store::PeopleStore& people)
      : identity_(identity), people_(people) {}

  Route route() const override { return Route::Citizen; }
  void check_typed(std::string_view national_id) const override;
  store::Person owner(const CertificateFacts& facts, std::string_view national_id) override;
  void check_login(const CertificateFacts&, const store::Person&) override {}

 private:
  const IdentityCheck* identity_;
  store::PeopleStore& people_;
};

// The catalogue code for a malformed ID number.
ErrorCode national_id_code(tw::NationalIdError e);

}  // namespace ecpa::portal
