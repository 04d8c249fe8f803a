#pragma once
// Test support: make a "card" (an initialised token with a user PIN) in any module.
#include <stdexcept>
#include <string>

#include "ecpa/p11/module.hpp"
#include "ecpa/p11/session.hpp"

namespace ecpa::p11::testing {

inline constexpr const char* kSoPin = "87654321";
inline constexpr const char* kUserPin = "123456";

// Returns the slot of the new token (SoftHSM2 gives it a new slot ID after initialisation).
inline CK_SLOT_ID init_card(Module& module, const std::string& label, const std::string& pin = kUserPin) {
  auto free_slot = module.first_uninitialized_token_slot();
  if (!free_slot) throw std::runtime_error("no free slot");
  module.init_token(*free_slot, SecretBuffer::copy_of(kSoPin), label);
  auto slot = module.slot_with_label(label);
  if (!slot) throw std::runtime_error("initialised token not found");
  Session so = module.open(*slot, true);
  so.login_so(SecretBuffer::copy_of(kSoPin));
  so.init_pin(SecretBuffer::copy_of(pin));
  so.logout();
  return *slot;
}

}  // namespace ecpa::p11::testing
