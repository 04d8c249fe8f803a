#pragma once
// 機關憑證's room (DESIGN §4.4, REFERENCE §2, §4): an agency card (GCA/XCA) names its agency by OID in its
// SDA 2.16.886.1.100.2.102. At its first login the person types the 機關代碼; when that agency's OID is the
// card's, the card is bound to the agency's personnel-officer account. A renewed card rebinds (the old
// binding stays as history). At every later login the card's OID must still be the officer's agency's,
// and the person it is bound to still that agency's officer.

#include <string>

#include "auth/certificate/card_binding.hpp"
#include "mail_outbox.hpp"

namespace ecpa::portal {

class AgencyBinding final : public CardBinding {
 public:
  // `outbox` may be null (no mail configured): then the officer is not told of a new binding.
  explicit AgencyBinding(store::PeopleStore& people, MailOutbox* outbox = nullptr)
      : people_(people), outbox_(outbox) {}

  Route route() const override { return Route::Agency; }
  void check_typed(std::string_view agency_code) const override;
  store::Person owner(const CertificateFacts& facts, std::string_view agency_code) override;
  void check_login(const CertificateFacts& facts, const store::Person& person) override;
  // Mails the officer: whoever holds any card of the agency can bind it to the officer's account (that is
  // the rule: the card speaks for the agency), so the officer must hear of every binding at once.
  void bound(const CertificateFacts& facts, const store::Person& officer, bool renewed) override;

 private:
  store::PeopleStore& people_;
  MailOutbox* outbox_;
};

// An agency code as typed → its stored form (trimmed, ASCII uppercase); AGENCY_CODE_INVALID unless 2–32
// ASCII letters and digits.
std::string fold_agency_code(std::string_view typed);

}  // namespace ecpa::portal
