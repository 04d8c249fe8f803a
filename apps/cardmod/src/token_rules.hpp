#pragma once
// The card behaviour cardmod adds on top of the real module, as pure functions of the state file, so it
// can be tested without a module.
#include <cstddef>
#include <string>
#include <string_view>

#include "ecpa/cardstate/card_state.hpp"
#include "ecpa/p11/pkcs11.hpp"

namespace ecpa::cardmod {

// The token's CK_TOKEN_INFO.flags with the PIN flags SoftHSM2 cannot know replaced by ours.
CK_FLAGS with_pin_flags(CK_FLAGS underlying, const TokenState& token);

// How a real reader names itself: "CASTLES EZ100PU 00 00", "CASTLES EZ100PU 01 00", … by slot index.
std::string default_reader(std::size_t slot_index);

// What the faults that apply to one call of `function` on card `serial` add up to.
struct FaultPlan {
  unsigned delay_ms = 0;
  CK_RV rv = CKR_OK;  // the first failing fault's CKR
  bool remove = false;
  bool consumes_once = false;  // some matching fault is `once`: drop it with consume_once
  bool any() const { return delay_ms || rv != CKR_OK || remove; }
};
FaultPlan plan_faults(const State& state, const std::string& serial, std::string_view function);
// Drops the `once` faults that matched; true when something changed.
bool consume_once(State& state, const std::string& serial, std::string_view function);

// The counter after a C_Login answered `rv` (CKR_PIN_INCORRECT takes a try, CKR_OK restores them all);
// true when the token changed.
bool count_login(TokenState& token, CK_RV rv);

}  // namespace ecpa::cardmod
