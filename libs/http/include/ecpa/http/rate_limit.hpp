#pragma once
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ecpa/common/clock.hpp"

namespace ecpa::http {

// A token bucket per key (client address, account name, …): `burst` requests at once, refilled at
// `per_second`. Thread-safe. Keys whose buckets are full again are forgotten when the table grows
// past `max_keys`; if it is still full after that, new keys are refused (fail closed) rather than
// letting a flood of addresses grow memory without bound.
class TokenBucketLimiter {
 public:
  struct Options {
    double burst = 10;
    double per_second = 1;
    std::size_t max_keys = 100000;
  };
  struct Decision {
    bool allowed = false;
    std::chrono::seconds retry_after{0};  // when refused: until one token is back (at least 1 s)
  };

  explicit TokenBucketLimiter(Options options, const ecpa::Clock& clock = ecpa::SystemClock::instance());

  Decision take(std::string_view key, double tokens = 1);
  // Whether take(key, tokens) would be allowed now, taking nothing: for a budget spent only by some
  // outcomes (failed passwords), checked before the attempt and taken after it.
  Decision would_allow(std::string_view key, double tokens = 1);
  // Gives back what a take() spent (never above the burst): for a budget taken before an attempt whose
  // outcome decides whether it counted (a right password costs nothing).
  void refund(std::string_view key, double tokens = 1);
  std::size_t tracked_keys() const;

 private:
  struct Bucket {
    double tokens;
    ecpa::Clock::time_point updated;
  };
  double refill(Bucket& bucket, ecpa::Clock::time_point now) const;
  void sweep(ecpa::Clock::time_point now);

  Options options_;
  const ecpa::Clock& clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace ecpa::http
