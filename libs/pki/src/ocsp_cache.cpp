#include "ecpa/pki/ocsp_cache.hpp"

namespace ecpa::pki {

OcspCache::OcspCache(std::size_t capacity) : capacity_(capacity) {}

std::string OcspCache::key_of(const crypto::CertId& id) {
  // Every CertID field goes into the key, separated, so two certificates can never share an entry.
  std::string key(crypto::digest_name(id.hash));
  key.push_back('|');
  key += crypto::to_hex(id.issuer_name_hash);
  key.push_back('|');
  key += crypto::to_hex(id.issuer_key_hash);
  key.push_back('|');
  key += id.serial_hex;
  return key;
}

bool OcspCache::is_good(const crypto::CertId& id, TimePoint now) {
  auto key = key_of(id);
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) return false;
  if (now >= it->second->valid_until) {
    lru_.erase(it->second);
    index_.erase(it);
    return false;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return true;
}

void OcspCache::put_good(const crypto::CertId& id, TimePoint valid_until) {
  if (capacity_ == 0) return;
  auto key = key_of(id);
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    it->second->valid_until = valid_until;
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front({key, valid_until});
  index_.emplace(std::move(key), lru_.begin());
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
