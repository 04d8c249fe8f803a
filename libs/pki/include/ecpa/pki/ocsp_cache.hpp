#pragma once
#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "ecpa/crypto/ocsp.hpp"

namespace ecpa::pki {

// Good OCSP answers, remembered until their nextUpdate, so a card that logs in many times a day
// costs one OCSP round trip per responder period instead of one per login. Only "good" is cached:
// a revoked or unknown card is asked about again (it may have been a mistake being corrected, and
// a refusal needs no speed). Bounded (least recently used goes first) and safe to share between
// threads.
class OcspCache {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  explicit OcspCache(std::size_t capacity);

  // Whether a good answer for `id` is held and still current at `now`. Expired entries are dropped.
  bool is_good(const crypto::CertId& id, TimePoint now);
  // Remembers a good answer until `valid_until` (its nextUpdate).
  void put_good(const crypto::CertId& id, TimePoint valid_until);
  std::size_t size() const;
  void clear();

 private:
  static std::string key_of(const crypto::CertId& id);
  struct Entry {
    std::string key;
    TimePoint valid_until;
  };
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace ecpa::pki
