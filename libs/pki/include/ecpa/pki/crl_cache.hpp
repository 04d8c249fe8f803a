#pragma once
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/crl.hpp"
#include "ecpa/pki/fetcher.hpp"

namespace ecpa::pki {

// The revoked serial numbers of one verified CRL, nothing else: MOICA's full CRL has ≈ 412,000
// entries in ≈ 20 MB of DER, which OpenSSL holds as ≈ 100+ MB of objects; this keeps 22 bytes per
// entry (≈ 9 MB), sorted, looked up by binary search.
class RevokedSerials {
 public:
  // Verifies and compacts a DER CRL: signed by `issuer`'s key with `issuer`'s name, thisUpdate not
  // in the future (beyond `skew`), nextUpdate present and not passed. Throws CRL_INVALID.
  static std::shared_ptr<const RevokedSerials> from_crl(crypto::ByteView der,
                                                        const crypto::Certificate& issuer,
                                                        crypto::TimePoint now, std::chrono::seconds skew);

  bool contains(std::string_view serial_hex) const;
  std::size_t size() const { return serials_.size(); }
  crypto::TimePoint this_update() const { return this_update_; }
  crypto::TimePoint next_update() const { return next_update_; }
  const crypto::Bytes& issuer_der() const { return issuer_der_; }

  // Sign, length, up to 20 magnitude bytes (RFC 5280 caps serials at 20 octets).
  using Key = std::array<std::uint8_t, 22>;

 private:
  std::vector<Key> serials_;
  crypto::TimePoint this_update_{};
  crypto::TimePoint next_update_{};
  crypto::Bytes issuer_der_;
};

// Verified CRLs by URL, reused until their nextUpdate; at most `capacity` held (the oldest fetched
// goes first). Safe to share between threads.
class CrlCache {
 public:
  explicit CrlCache(std::size_t capacity) : capacity_(capacity) {}

  // The verified CRL at `url` for certificates of `issuer`, fetched when not held or expired, and asked
  // for again when the held one was fetched `refetch_after` ago or more (a newer one may be out; if the
  // distribution point does not answer then, the held one is returned).
  // Throws CRL_UNAVAILABLE when the fetch fails, CRL_INVALID when what came back does not verify.
  std::shared_ptr<const RevokedSerials> get(
      RevocationFetcher& fetcher, const std::string& url, const crypto::Certificate& issuer,
      crypto::TimePoint now, std::chrono::seconds skew, std::chrono::milliseconds timeout,
      std::size_t max_bytes, std::chrono::seconds refetch_after = std::chrono::hours(24 * 365));
  // Whether a CRL already held (none is fetched), of `issuer`, still current at `now` and issued after
  // `since` (a good OCSP answer's thisUpdate), lists the serial: news that overrules that answer.
  bool lists_since(const crypto::Certificate& issuer, std::string_view serial_hex, crypto::TimePoint since,
                   crypto::TimePoint now, std::chrono::seconds skew) const;
  std::size_t size() const;

 private:
  struct Held {
    std::shared_ptr<const RevokedSerials> crl;
    std::uint64_t fetched_seq = 0;
    crypto::TimePoint fetched_at{};
  };
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::uint64_t seq_ = 0;
  std::unordered_map<std::string, Held> by_url_;
};

}  // namespace ecpa::pki
