#pragma once
// Builds each CA's CRL from the registry. A CRL is kept until the registry changes (a revocation) or
// it is an hour old, so every fetch in between gets the same bytes (clients may cache by them) and a
// revocation shows in the next fetch. The CRL number grows with both.
#include <chrono>
#include <map>
#include <mutex>

#include "ecpa/common/clock.hpp"
#include "ecpa/crypto/crl.hpp"
#include "registry.hpp"
#include "sim_pki.hpp"

namespace ecpa::sim {

class CrlPublisher {
 public:
  CrlPublisher(const SimPki& pki, const Clock& clock, std::chrono::seconds validity = std::chrono::hours(24))
      : pki_(pki), clock_(clock), validity_(validity) {}

  // DER of the CRL of the CA `ca` (an issuing CA or grca). Throws SIM_ARGUMENT_INVALID for others.
  crypto::Bytes crl_der(const std::string& ca, const RegistryData& registry);

 private:
  struct Cached {
    std::uint64_t revision = 0;
    crypto::TimePoint made{};
    crypto::Bytes der;
  };
  const SimPki& pki_;
  const Clock& clock_;
  std::chrono::seconds validity_;
  std::mutex mutex_;
  std::map<std::string, Cached> cache_;
};

}  // namespace ecpa::sim
