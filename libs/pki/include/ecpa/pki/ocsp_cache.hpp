#pragma once
#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "ecpa/crypto/ocsp.hpp"

namespace ecpa::pki {

// A good OCSP answer as remembered: when we asked (this node's clock), when the responder says it knew
// the status (its thisUpdate: one clock for every node) and until when it vouches for it.
struct GoodAnswer {
  std::chrono::system_clock::time_point checked_at;
  std::chrono::system_clock::time_point this_update;
  std::chrono::system_clock::time_point next_update;
};

// Where good OCSP answers are kept between logins. Whether a remembered answer may stand in for a fresh
// question is the RevocationChecker's decision (IssuerSettings::ocsp_reuse), not the cache's: the cache
// only drops an answer once its nextUpdate has passed, or when told that the certificate is revoked.
// The portal keeps these in its database (so that a revocation seen by one node reaches every node at
// once); OcspCache below is the in-process one. Implementations must be safe to share between threads.
class GoodAnswerCache {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~GoodAnswerCache() = default;
  // The answer held for `key` (good_answer_key) if its nextUpdate is after `now` and no revocation is
  // recorded for it.
  virtual std::optional<GoodAnswer> find(const std::string& key, TimePoint now) = 0;
  // Remembers a good answer, unless a revocation recorded for the key is not older than the answer's
  // this_update: a node that asked before the revocation and writes after it must not bring the good
  // answer back (an answer the responder gave after the revocation, a hold lifted, may).
  virtual void put(const std::string& key, const GoodAnswer& answer) = 0;
  // The certificate was found revoked (or unknown) at `seen_at`: the good answer goes, and the revocation
  // is remembered until the answer's nextUpdate would have passed.
  virtual void forget(const std::string& key, TimePoint seen_at) = 0;
};

// One certificate's cache key: every CertID field, separated, so two certificates never share an entry.
std::string good_answer_key(const crypto::CertId& id);

// Good OCSP answers in this process's memory. Bounded (least recently used goes first).
class OcspCache final : public GoodAnswerCache {
 public:
  explicit OcspCache(std::size_t capacity);

  std::optional<GoodAnswer> find(const std::string& key, TimePoint now) override;
  void put(const std::string& key, const GoodAnswer& answer) override;
  void forget(const std::string& key, TimePoint seen_at) override;
  std::size_t size() const;
  void clear();

 private:
  struct Entry {
    std::string key;
    GoodAnswer answer;
    std::optional<TimePoint> revoked_at;  // set: a tombstone, never handed out
  };
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace ecpa::pki
