#pragma once
// What differs between the card login methods (自然人憑證, 機關憑證) inside the one certificate flow: whose
// account a card is bound to at its first login, from what the person typed beside the PIN, and whether a
// bound card still speaks for its person at each login. Each method's room (auth/citizen, auth/agency)
// implements it; the flow itself (challenge, signature, validation, audit, session) is CertificateLogin's.

#include <string_view>

#include "certificate_check.hpp"
#include "ecpa/store/people_store.hpp"

namespace ecpa::portal {

class CardBinding {
 public:
  virtual ~CardBinding() = default;
  virtual Route route() const = 0;
  // Checks of what was typed (the ID number, the agency code) that need no card: run before the challenge
  // is spent, so that a typing mistake costs the person nothing.
  virtual void check_typed(std::string_view typed) const = 0;
  // The person whose account this validated card is to be bound to. Typed refusals (ecpa::Error).
  virtual store::Person owner(const CertificateFacts& facts, std::string_view typed) = 0;
  // At every login through an active binding: refuses (ecpa::Error) when the card no longer speaks for
  // the person it is bound to.
  virtual void check_login(const CertificateFacts& facts, const store::Person& person) = 0;
  // After a binding was committed: what the method does about it (the agency room tells the officer).
  virtual void bound(const CertificateFacts&, const store::Person&, bool /*renewed*/) {}
};

}  // namespace ecpa::portal
