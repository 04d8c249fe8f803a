#include "crl_publisher.hpp"

namespace ecpa::sim {

using namespace std::chrono_literals;

namespace {
// Registry revision in the high half, seconds in the low half: grows with every revocation and with
// every hourly reissue, as RFC 5280 §5.2.3 wants.
std::uint64_t crl_number(std::uint64_t revision, crypto::TimePoint now) {
  return (revision << 32) | (static_cast<std::uint64_t>(crypto::to_unix_seconds(now)) & 0xffffffffu);
}
}  // namespace

crypto::Bytes CrlPublisher::crl_der(const std::string& ca_name, const RegistryData& registry) {
  const SimCa& ca = pki_.ca(ca_name);
  auto now = clock_.now();
  std::lock_guard lock(mutex_);
  auto it = cache_.find(ca_name);
  if (it != cache_.end() && it->second.revision == registry.revision && now - it->second.made < 1h &&
      now >= it->second.made) {
    return it->second.der;
  }
  crypto::CrlBuilder builder;
  builder.this_update(now).next_update(now + validity_).crl_number(crl_number(registry.revision, now));
  for (const auto& card : registry.cards) {
    for (const auto& cert : card.certs) {
      if (cert.ca == ca_name && cert.revoked_at)
        builder.add({cert.serial_hex, *cert.revoked_at, cert.reason});
    }
  }
  auto der = builder.sign(ca.cert, ca.key).der();
  cache_[ca_name] = Cached{registry.revision, now, der};
  return der;
}

}  // namespace ecpa::sim
