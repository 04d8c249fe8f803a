#include "pin_broker.hpp"

#include "ecpa/common/error.hpp"
#include "tbs_package.hpp"

namespace ecpa::agent {

SecretBuffer PinBroker::wait_for_pin(const std::string& id, PinPrompt prompt,
                                     std::chrono::milliseconds timeout) {
  if (!is_pin_request_id(id)) {
    throw Error(codes::AGENT_PARAMETER_INVALID, "pinRequest malformed").with("field", "pinRequest");
  }
  std::unique_lock lock(mutex_);
  if (shut_down_) throw Error(codes::AGENT_CANCELLED, "agent stopping");
  if (pending_.contains(id)) {
    throw Error(codes::AGENT_PARAMETER_INVALID, "pinRequest already waiting").with("field", "pinRequest");
  }
  if (pending_.size() >= max_pending_) throw Error(codes::AGENT_BUSY, "too many PIN requests waiting");
  auto& entry = pending_[id];
  entry.prompt = std::move(prompt);
  changed_.notify_all();
  const bool done =
      changed_.wait_for(lock, timeout, [&] { return entry.pin.has_value() || entry.cancelled; });
  const bool cancelled = entry.cancelled;
  std::optional<SecretBuffer> pin = std::move(entry.pin);
  pending_.erase(id);
  if (!done) throw Error(codes::AGENT_TIMEOUT, "no PIN typed in time");
  if (cancelled || !pin) throw Error(codes::AGENT_CANCELLED, "PIN pad cancelled");
  return std::move(*pin);
}

std::optional<PinPrompt> PinBroker::prompt(std::string_view id) const {
  std::lock_guard lock(mutex_);
  auto it = pending_.find(id);
  if (it == pending_.end() || it->second.pin || it->second.cancelled) return std::nullopt;
  return it->second.prompt;
}

bool PinBroker::submit(std::string_view id, SecretBuffer pin) {
  std::lock_guard lock(mutex_);
  auto it = pending_.find(id);
  // A second submit must not replace the first PIN: the first one may already be on its way.
  if (it == pending_.end() || it->second.pin || it->second.cancelled) return false;
  it->second.pin = std::move(pin);
  changed_.notify_all();
  return true;
}

bool PinBroker::cancel(std::string_view id) {
  std::lock_guard lock(mutex_);
  auto it = pending_.find(id);
  if (it == pending_.end() || it->second.pin) return false;
  it->second.cancelled = true;
  changed_.notify_all();
  return true;
}

void PinBroker::shut_down() {
  std::lock_guard lock(mutex_);
  shut_down_ = true;
  for (auto& [id, entry] : pending_) {
    if (!entry.pin) entry.cancelled = true;
  }
  changed_.notify_all();
}

std::size_t PinBroker::pending() const {
  std::lock_guard lock(mutex_);
  return pending_.size();
}

}  // namespace ecpa::agent
