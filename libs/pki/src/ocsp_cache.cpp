#include "ecpa/pki/ocsp_cache.hpp"

namespace ecpa::pki {

std::string good_answer_key(const crypto::CertId& id) {
  std::string key(crypto::digest_name(id.hash));
  key.push_back('|');
  key += crypto::to_hex(id.issuer_name_hash);
  key.push_back('|');
  key += crypto::to_hex(id.issuer_key_hash);
  key.push_back('|');
  key += id.serial_hex;
  return key;
}

OcspCache::OcspCache(std::size_t capacity) : capacity_(capacity) {}

std::optional<GoodAnswer> OcspCache::find(const std::string& key, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  if (now >= it->second->answer.next_update) {
    lru_.erase(it->second);
    index_.erase(it);
    return std::nullopt;
  }
  if (it->second->revoked_at) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->answer;
}

void OcspCache::put(const std::string& key, const GoodAnswer& answer) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    Entry& e = *it->second;
    if (e.revoked_at && *e.revoked_at >= answer.this_update) return;  // asked before the revocation
    e.answer = answer;
    e.revoked_at.reset();
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front({key, answer, std::nullopt});
  index_.emplace(key, lru_.begin());
  while (lru_.size() > capacity_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

void OcspCache::forget(const std::string& key, TimePoint seen_at) {
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    it->second->revoked_at = seen_at;
    return;
  }
  // Nothing held: a tombstone until the longest an answer given now could last is not known here, so it
  // lasts a day (a late put of an answer from before `seen_at` is all it guards against).
  if (capacity_ == 0) return;
  lru_.push_front({key, GoodAnswer{seen_at, seen_at, seen_at + std::chrono::hours(24)}, seen_at});
  index_.emplace(key, lru_.begin());
  while (lru_.size() > capacity_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

std::size_t OcspCache::size() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

void OcspCache::clear() {
  std::lock_guard lock(mutex_);
  lru_.clear();
  index_.clear();
}

}  // namespace ecpa::pki
