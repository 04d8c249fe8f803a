#include "auth/citizen/citizen_binding.hpp"

#include "ecpa/common/error.hpp"

namespace ecpa::portal {
namespace {

tw::NationalId parse_id(std::string_view typed) {
  if (typed.size() > 64) throw Error(codes::NATIONAL_ID_FORMAT, "ID number field too long");
  auto id = tw::NationalId::parse(typed);
  if (!id) throw Error(national_id_code(id.error()), std::string(id.reason()));
  return *id;
}

}  // namespace

ErrorCode national_id_code(tw::NationalIdError e) {
  switch (e) {
    case tw::NationalIdError::Empty:
      return codes::NATIONAL_ID_EMPTY;
    case tw::NationalIdError::Format:
      return codes::NATIONAL_ID_FORMAT;
    case tw::NationalIdError::Letter:
      return codes::NATIONAL_ID_LETTER;
    case tw::NationalIdError::Checksum:
      return codes::NATIONAL_ID_CHECKSUM;
  }
  return codes::NATIONAL_ID_FORMAT;
}

void CitizenBinding::check_typed(std::string_view national_id) const { (void)parse_id(national_id); }

store::Person CitizenBinding::owner(const CertificateFacts& facts, std::string_view national_id) {
  const tw::NationalId id = parse_id(national_id);
  if (facts.id_last4.size() != 4 || facts.id_last4 != id.last4())
    throw Error(codes::ID_LAST4_MISMATCH, "SDA last 4 digits differ from the ID number entered");
  if (!identity_) throw Error(codes::IDENTITY_CHECK_UNAVAILABLE, "no identity check service configured");
  switch (identity_->check(facts.subject_serial, id)) {
    case IdentityVerdict::Match:
      break;
    case IdentityVerdict::NoMatch:
      throw Error(codes::IDENTITY_CHECK_FAILED, "ICSC code 1");
    case IdentityVerdict::NotActivated:
      throw Error(codes::IDENTITY_CHECK_FAILED, "ICSC code 2");
  }
  auto person = people_.find_by_national_id(id);
  if (!person || !person->active)
    throw Error(codes::PERSON_NOT_FOUND, "no active person with this ID number");
  return *person;
}

}  // namespace ecpa::portal
