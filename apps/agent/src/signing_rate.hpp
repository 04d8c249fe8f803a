#pragma once
// How many card operations each site has had with a PIN it supplied itself, over the last minute. Within
// the budget a page written for the official component (which sends the PIN in its package through the
// pop-up) works as it always did; beyond it the agent stops taking the page's word for the person and
// asks the person in its own window (docs/agent-protocol.md, "Signing rate"). Without this, a site the
// person once allowed could have the card sign any number of texts in a second.
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "ecpa/common/clock.hpp"

namespace ecpa::agent {

class SigningRate {
 public:
  // `per_minute` operations per site in any 60 s; 0 = the page's PIN is never enough.
  SigningRate(std::size_t per_minute, const Clock& clock) : per_minute_(per_minute), clock_(clock) {}

  // Counts one operation for `origin` and says whether it is within the budget. An operation over the
  // budget is not counted (the person confirms it, or it does not happen).
  bool admit(const std::string& origin);
  std::size_t per_minute() const { return per_minute_; }

 private:
  static constexpr std::chrono::seconds kWindow{60};

  std::size_t per_minute_;
  const Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, std::deque<Clock::time_point>, std::less<>> recent_;
};

}  // namespace ecpa::agent
