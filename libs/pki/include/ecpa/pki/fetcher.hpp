#pragma once
#include <chrono>
#include <string>

#include "ecpa/crypto/bytes.hpp"

namespace ecpa::pki {

// How the validator reaches OCSP responders and CRL distribution points. The portal implements it
// with libs/http's curl client; tests with a real ecpa-sim or an in-process authority. The validator
// never does I/O itself, so it stays testable and free of HTTP.
//
// Both calls return the body of a 200 answer and throw (any exception; an ecpa::Error such as
// UPSTREAM_UNAVAILABLE / UPSTREAM_TIMEOUT / UPSTREAM_TOO_LARGE preferred) for everything else:
// connection refused, timeout, non-200 status, a body over the limit. The validator treats every
// throw as "this source did not answer" and moves to the next one.
class RevocationFetcher {
 public:
  virtual ~RevocationFetcher() = default;
  // POST application/ocsp-request to `url`.
  virtual crypto::Bytes fetch(const std::string& url, crypto::ByteView request_der,
                              std::chrono::milliseconds timeout) = 0;
  // GET a DER CRL; at most `max_bytes`.
  virtual crypto::Bytes fetch_crl(const std::string& url, std::chrono::milliseconds timeout,
                                  std::size_t max_bytes) = 0;
};

}  // namespace ecpa::pki
