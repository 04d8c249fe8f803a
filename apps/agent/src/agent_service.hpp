#pragma once
// The agent's HTTP face: the HiPKI-compatible API (/pkcs11info, /sign, /decrypt, /popupForm,
// /selfTest.htm) plus the safer parts (origin allowlist, CORS and Private Network Access for allowed
// sites, the PIN pad). Protocol: docs/agent-protocol.md. No Beast here: libs/http serves it.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "card_service.hpp"
#include "ecpa/common/clock.hpp"
#include "ecpa/common/log.hpp"
#include "ecpa/http/message.hpp"
#include "origin_policy.hpp"
#include "pin_broker.hpp"
#include "signing_rate.hpp"

namespace ecpa::agent {

inline constexpr const char* kAgentName = "ecpa-agent/0.1.0";

struct AgentOptions {
  std::string module_path;
  std::uint16_t port = 61161;
  std::vector<std::string> allowed_origins;
  std::filesystem::path approvals_file;  // empty: no remembered approvals
  std::filesystem::path web_dir;         // the agent's own pages (popupForm, pinpad, selfTest)
  // What `serverVersion` says. Some portals refuse components older than 1.3.4.103328 (Windows),
  // 1.3.4.13 (macOS) or 1.3.4.3 (Linux) by comparing this string; we implement that API level.
  std::string server_version = "1.3.4.103328";
  // Pages may offer to approve an unknown site in the popup (the person decides). Off: only the
  // configured and already approved sites work.
  bool ask_unknown_origins = true;
  // Requests with no Origin header come from local programs, not from web pages. Off by default:
  // a browser always sends Origin on the POSTs that sign.
  bool allow_local_clients = false;
  // Card operations a site may have each minute with a PIN it sent itself (pop-up mode, as HiPKI pages
  // do); beyond that the person confirms each one in the agent's window. 0: always the person.
  std::size_t signatures_per_minute = 10;
  std::chrono::milliseconds pin_timeout{120'000};
  std::chrono::milliseconds card_lock_timeout{30'000};
};

class AgentService {
 public:
  AgentService(AgentOptions options, log::Logger logger, const Clock& clock = SystemClock::instance());
  ~AgentService();

  // The whole request handler (host check, CORS, routes). Call with the real port set in options.
  http::Handler handler();

  PinBroker& pin_broker() { return broker_; }
  OriginPolicy& origins() { return origins_; }

 private:
  struct Impl;
  AgentOptions options_;
  log::Logger logger_;
  const Clock& clock_;
  OriginPolicy origins_;
  PinBroker broker_;
  SigningRate rate_;
  CardService cards_;
};

}  // namespace ecpa::agent
