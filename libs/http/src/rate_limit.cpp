#include "ecpa/http/rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ecpa::http {

TokenBucketLimiter::TokenBucketLimiter(Options options, const ecpa::Clock& clock)
    : options_(options), clock_(clock) {
  if (!(options_.burst >= 1) || !(options_.per_second > 0) || options_.max_keys == 0) {
    throw std::invalid_argument("rate limiter needs burst >= 1, per_second > 0 and max_keys > 0");
  }
}

double TokenBucketLimiter::refill(Bucket& bucket, ecpa::Clock::time_point now) const {
  // A clock that steps back must not mint tokens; it simply adds none.
  if (now > bucket.updated) {
    double secs = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(options_.burst, bucket.tokens + secs * options_.per_second);
    bucket.updated = now;
  }
  return bucket.tokens;
}

void TokenBucketLimiter::sweep(ecpa::Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = refill(it->second, now) >= options_.burst ? buckets_.erase(it) : std::next(it);
  }
}

TokenBucketLimiter::Decision TokenBucketLimiter::take(std::string_view key, double tokens) {
  auto now = clock_.now();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_keys) sweep(now);
    if (buckets_.size() >= options_.max_keys) return {false, std::chrono::seconds(1)};
    it = buckets_.emplace(std::string(key), Bucket{options_.burst, now}).first;
  }
  Bucket& bucket = it->second;
  refill(bucket, now);
  if (bucket.tokens >= tokens) {
    bucket.tokens -= tokens;
    return {true, std::chrono::seconds(0)};
  }
  double missing = tokens - bucket.tokens;
  auto wait = static_cast<long long>(std::ceil(missing / options_.per_second));
  return {false, std::chrono::seconds(std::max<long long>(1, wait))};
}

TokenBucketLimiter::Decision TokenBucketLimiter::would_allow(std::string_view key, double tokens) {
  auto now = clock_.now();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  const double have = it == buckets_.end() ? options_.burst : refill(it->second, now);
  if (have >= tokens) return {true, std::chrono::seconds(0)};
  auto wait = static_cast<long long>(std::ceil((tokens - have) / options_.per_second));
  return {false, std::chrono::seconds(std::max<long long>(1, wait))};
}

void TokenBucketLimiter::refund(std::string_view key, double tokens) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it != buckets_.end()) it->second.tokens = std::min(options_.burst, it->second.tokens + tokens);
}

std::size_t TokenBucketLimiter::tracked_keys() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace ecpa::http
