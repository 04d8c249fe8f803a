#include "token_rules.hpp"

#include <algorithm>
#include <cstdio>

namespace ecpa::cardmod {

CK_FLAGS with_pin_flags(CK_FLAGS underlying, const TokenState& token) {
  CK_FLAGS flags = underlying & ~(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED);
  if (token.retries_left < token.max_tries) flags |= CKF_USER_PIN_COUNT_LOW;
  if (token.retries_left == 1) flags |= CKF_USER_PIN_FINAL_TRY;
  if (token.retries_left <= 0) flags |= CKF_USER_PIN_LOCKED;
  return flags;
}

std::string default_reader(std::size_t slot_index) {
  char name[32];
  std::snprintf(name, sizeof name, "CASTLES EZ100PU %02zu 00", slot_index % 100);
  return name;
}

FaultPlan plan_faults(const State& state, const std::string& serial, std::string_view function) {
  FaultPlan plan;
  auto add = [&](const std::vector<Fault>& faults) {
    for (const auto& f : faults) {
      if (!f.matches(function)) continue;
      plan.delay_ms += f.delay_ms;
      if (plan.rv == CKR_OK) plan.rv = f.rv;
      plan.remove = plan.remove || f.remove;
      plan.consumes_once = plan.consumes_once || f.once;
    }
  };
  add(state.faults);
  if (auto it = state.tokens.find(serial); it != state.tokens.end()) add(it->second.faults);
  return plan;
}

bool consume_once(State& state, const std::string& serial, std::string_view function) {
  auto drop = [&](std::vector<Fault>& faults) {
    auto before = faults.size();
    std::erase_if(faults, [&](const Fault& f) { return f.once && f.matches(function); });
    return faults.size() != before;
  };
  bool changed = drop(state.faults);
  if (auto it = state.tokens.find(serial); it != state.tokens.end())
    changed = drop(it->second.faults) || changed;
  return changed;
}

bool count_login(TokenState& token, CK_RV rv) {
  if (rv == CKR_PIN_INCORRECT && token.retries_left > 0) {
    --token.retries_left;
    return true;
  }
  if (rv == CKR_OK && token.retries_left != token.max_tries) {
    token.retries_left = token.max_tries;
    return true;
  }
  return false;
}

}  // namespace ecpa::cardmod
