#include "signing_rate.hpp"

namespace ecpa::agent {

bool SigningRate::admit(const std::string& origin) {
  const auto now = clock_.now();
  std::lock_guard lock(mutex_);
  // Forget windows that have ended, so the table holds only the sites used this minute (and only allowed
  // sites get this far).
  for (auto it = recent_.begin(); it != recent_.end();) {
    auto& times = it->second;
    while (!times.empty() && now - times.front() >= kWindow) times.pop_front();
    it = times.empty() ? recent_.erase(it) : std::next(it);
  }
  auto& times = recent_[origin];
  if (times.size() >= per_minute_) {
    if (times.empty()) recent_.erase(origin);
    return false;
  }
  times.push_back(now);
  return true;
}

}  // namespace ecpa::agent
