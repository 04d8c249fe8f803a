#pragma once
// PIN entry in the agent's own window. A request that arrives without a PIN names a PIN pad window
// (`pinRequest`, an id the page chose and opened /pinpad?req=<id> with, from the person's click).
// The request waits here until the person types the PIN in that window, presses 取消, or time runs
// out. The page never sees the PIN: it travels from the agent's own page to the agent only.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "ecpa/common/secret.hpp"

namespace ecpa::agent {

// What the PIN pad shows the person before they type: who asks, and for what.
struct PinPrompt {
  std::string origin;
  std::string func;     // "MakeSignature" | "DecryptData"
  std::string preview;  // the start of the text to sign, when it is text
  // Why the agent asks although the site sent a PIN: "rate" (over its signing rate); empty otherwise.
  std::string reason{};
};

class PinBroker {
 public:
  explicit PinBroker(std::size_t max_pending = 4) : max_pending_(max_pending) {}

  // Registers the request and blocks until the PIN arrives. Throws AGENT_PARAMETER_INVALID when the
  // id is malformed or already waiting, AGENT_BUSY when too many wait, AGENT_CANCELLED when the
  // person cancels, AGENT_TIMEOUT when `timeout` passes.
  SecretBuffer wait_for_pin(const std::string& id, PinPrompt prompt, std::chrono::milliseconds timeout);

  // For the PIN pad page. nullopt: no such request (yet).
  std::optional<PinPrompt> prompt(std::string_view id) const;
  // False when nobody waits under this id (the page may retry until the request shows up).
  bool submit(std::string_view id, SecretBuffer pin);
  bool cancel(std::string_view id);
  // Ends every wait as cancelled and refuses new ones (the agent is stopping: no handler may hold up
  // the shutdown for minutes).
  void shut_down();
  std::size_t pending() const;

 private:
  struct Pending {
    PinPrompt prompt;
    std::optional<SecretBuffer> pin;
    bool cancelled = false;
  };
  std::size_t max_pending_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, Pending, std::less<>> pending_;
  bool shut_down_ = false;
};

}  // namespace ecpa::agent
