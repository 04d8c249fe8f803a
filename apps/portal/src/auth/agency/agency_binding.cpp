#include "auth/agency/agency_binding.hpp"

#include "ecpa/common/error.hpp"

namespace ecpa::portal {

std::string fold_agency_code(std::string_view typed) {
  while (!typed.empty() && (typed.front() == ' ' || typed.front() == '\t')) typed.remove_prefix(1);
  while (!typed.empty() && (typed.back() == ' ' || typed.back() == '\t')) typed.remove_suffix(1);
  if (typed.size() < 2 || typed.size() > 32) throw Error(codes::AGENCY_CODE_INVALID, "agency code length");
  std::string out;
  for (char c : typed) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      throw Error(codes::AGENCY_CODE_INVALID, "agency code is letters and digits only");
    out.push_back(c);
  }
  return out;
}

void AgencyBinding::check_typed(std::string_view agency_code) const { (void)fold_agency_code(agency_code); }

store::Person AgencyBinding::owner(const CertificateFacts& facts, std::string_view agency_code) {
  const std::string code = fold_agency_code(agency_code);
  if (facts.agency_oid.empty())
    throw Error(codes::AGENCY_OID_MISSING, "agency certificate without SDA .2.102");
  auto agency = people_.agency(code);
  if (!agency) throw Error(codes::AGENCY_UNKNOWN, "no agency " + code);
  // Compared with the record HR imported, never with anything the page sent: the code only names the
  // agency; the card's own signed certificate says which agency it belongs to.
  if (agency->oid.empty() || agency->oid != facts.agency_oid)
    throw Error(codes::AGENCY_OID_MISMATCH,
                "certificate OID " + facts.agency_oid + " is not agency " + code + "'s");
  if (!agency->officer_person_id) throw Error(codes::AGENCY_NO_OFFICER, "agency " + code + " has no officer");
  auto person = people_.get(*agency->officer_person_id);
  if (!person || !person->active)
    throw Error(codes::PERSON_NOT_FOUND, "the agency's officer is gone or inactive");
  return *person;
}

void AgencyBinding::check_login(const CertificateFacts& facts, const store::Person& person) {
  // The officer may have moved to another agency since the card was bound: their old agency's card must
  // not log them in any more.
  auto agency = people_.agency(person.agency_code);
  if (facts.agency_oid.empty() || !agency || agency->oid != facts.agency_oid)
    throw Error(codes::AGENCY_OID_MISMATCH, "the card's agency is not the bound person's agency");
  // The card speaks for the agency's personnel officer: once HR names another, the old one's binding no
  // longer logs in (the new officer binds the card at its next first login).
  if (agency->officer_person_id != person.id)
    throw Error(codes::ACCOUNT_NOT_BOUND, "the bound person is no longer the agency's officer");
}

void AgencyBinding::bound(const CertificateFacts& facts, const store::Person& officer, bool renewed) {
  if (!outbox_ || officer.email.empty()) return;
  outbox_->post(OutgoingMail{
      officer.email, "人事服務網:機關憑證已綁定您的帳號 / openecpa: an agency card was bound to your account",
      officer.name + " 您好:\n\n" + (renewed ? "一張新的機關憑證已取代先前的機關憑證," : "一張機關憑證已") +
          "綁定您的人事服務網帳號(憑證序號 " + facts.serial_hex +
          ")。\n"
          "若這不是您或您機關同仁的操作,請立即聯絡系統管理者。\n\n----\n"
          "An agency card (serial " +
          facts.serial_hex + ") was " + (renewed ? "bound in place of the earlier one " : "bound ") +
          "to your account. If neither you nor a colleague of your agency did this, contact the "
          "administrator at once.\n"});
}

}  // namespace ecpa::portal
