#include "ecpa/pki/crl_cache.hpp"

#include <algorithm>

#include "ecpa/common/error.hpp"

namespace ecpa::pki {

namespace {

[[noreturn]] void invalid(std::string cause) { throw Error(codes::CRL_INVALID, std::move(cause)); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// serial_hex as Certificate::serial_hex() writes it → Key; false when it cannot be one.
bool to_key(std::string_view hex, RevokedSerials::Key& key) {
  key.fill(0);
  if (!hex.empty() && hex.front() == '-') {
    key[0] = 1;
    hex.remove_prefix(1);
  }
  while (hex.size() > 1 && hex.front() == '0') hex.remove_prefix(1);
  if (hex.empty()) return false;
  std::size_t bytes = (hex.size() + 1) / 2;
  if (bytes > 20) return false;
  key[1] = static_cast<std::uint8_t>(bytes);
  std::size_t pos = 0;
  if (hex.size() % 2 == 1) {
    int v = hex_value(hex[0]);
    if (v < 0) return false;
    key[2] = static_cast<std::uint8_t>(v);
    pos = 1;
  }
  for (std::size_t i = hex.size() % 2; i < hex.size(); i += 2) {
    int hi = hex_value(hex[i]);
    int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    key[2 + pos++] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

}  // namespace

std::shared_ptr<const RevokedSerials> RevokedSerials::from_crl(crypto::ByteView der,
                                                               const crypto::Certificate& issuer,
                                                               crypto::TimePoint now,
                                                               std::chrono::seconds skew) {
  auto crl = [&] {
    try {
      return crypto::Crl::from_der(der);
    } catch (const Error& e) {
      invalid("CRL unreadable: " + e.cause());
    }
  }();
  if (crl.issuer_der() != issuer.subject_der()) invalid("CRL of another issuer");
  if (!crl.signed_by(issuer.public_key())) invalid("CRL signature not made by the issuer's key");
  if (crl.this_update() > now + skew) invalid("CRL thisUpdate in the future");
  // A CRL without nextUpdate cannot be judged stale, so it cannot be relied on.
  if (!crl.next_update()) invalid("CRL without nextUpdate");
  if (*crl.next_update() + skew < now) invalid("CRL expired (nextUpdate passed)");

  auto out = std::make_shared<RevokedSerials>();
  out->this_update_ = crl.this_update();
  out->next_update_ = *crl.next_update();
  out->issuer_der_ = crl.issuer_der();
  out->serials_.reserve(crl.size());
  for (const auto& entry : crl.entries()) {
    Key key;
    if (!to_key(entry.serial_hex, key)) invalid("CRL entry with an unusable serial");
    out->serials_.push_back(key);
  }
  std::sort(out->serials_.begin(), out->serials_.end());
  out->serials_.shrink_to_fit();
  return out;
}

bool RevokedSerials::contains(std::string_view serial_hex) const {
  Key key;
  if (!to_key(serial_hex, key)) return false;
  return std::binary_search(serials_.begin(), serials_.end(), key);
}

std::shared_ptr<const RevokedSerials> CrlCache::get(RevocationFetcher& fetcher, const std::string& url,
                                                    const crypto::Certificate& issuer, crypto::TimePoint now,
                                                    std::chrono::seconds skew,
                                                    std::chrono::milliseconds timeout, std::size_t max_bytes,
                                                    std::chrono::seconds refetch_after) {
  std::shared_ptr<const RevokedSerials> held_before;
  {
    std::lock_guard lock(mutex_);
    auto it = by_url_.find(url);
    if (it != by_url_.end()) {
      const auto& held = it->second.crl;
      if (held->issuer_der() == issuer.subject_der() && now <= held->next_update() + skew) {
        if (now - it->second.fetched_at < refetch_after) return held;
        held_before = held;
      } else {
        by_url_.erase(it);
      }
    }
  }
  // Fetch and verify outside the lock: a slow distribution point must not stall other logins.
  crypto::Bytes der;
  try {
    der = fetcher.fetch_crl(url, timeout, max_bytes);
  } catch (const std::exception& e) {
    if (held_before) return held_before;  // still valid; the caller judges its age
    throw Error(codes::CRL_UNAVAILABLE, "CRL fetch " + url + ": " + e.what());
  }
  if (der.size() > max_bytes) {
    if (held_before) return held_before;
    throw Error(codes::CRL_UNAVAILABLE, "CRL larger than allowed: " + url);
  }
  auto crl = RevokedSerials::from_crl(der, issuer, now, skew);

  std::lock_guard lock(mutex_);
  if (capacity_ == 0) return crl;
  by_url_[url] = Held{crl, ++seq_, now};
  while (by_url_.size() > capacity_) {
    auto oldest = std::min_element(by_url_.begin(), by_url_.end(), [](const auto& a, const auto& b) {
      return a.second.fetched_seq < b.second.fetched_seq;
    });
    by_url_.erase(oldest);
  }
  return crl;
}

bool CrlCache::lists_since(const crypto::Certificate& issuer, std::string_view serial_hex,
                           crypto::TimePoint since, crypto::TimePoint now, std::chrono::seconds skew) const {
  // `since` is the good answer's thisUpdate, so both times come from the CA's side.
  std::lock_guard lock(mutex_);
  for (const auto& [url, held] : by_url_) {
    const auto& crl = *held.crl;
    if (crl.issuer_der() == issuer.subject_der() && crl.this_update() > since &&
        now <= crl.next_update() + skew && crl.contains(serial_hex))
      return true;
  }
  return false;
}

std::size_t CrlCache::size() const {
  std::lock_guard lock(mutex_);
  return by_url_.size();
}

}  // namespace ecpa::pki
