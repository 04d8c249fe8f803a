#pragma once
#include <memory>
#include <vector>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/crypto/time.hpp"

namespace ecpa::crypto {

// A configured set of trust anchors and candidate intermediates, parsed and indexed once so that
// each login pays only for X509_verify_cert (never for re-reading the CA certificates). Never the
// operating system's trust store: only what the configuration names. Safe to share between threads.
class TrustStore {
 public:
  // Anchors are trusted as given (their own signature is not a reason to trust them).
  // Intermediates are only candidates: one is used only when it chains to an anchor.
  TrustStore(std::vector<Certificate> anchors, std::vector<Certificate> intermediates);

  // The path from `leaf` to an anchor, leaf first, checked at time `at` (signatures, CA flags,
  // path length, validity of every CA certificate, X.509 strict mode). The leaf's own validity
  // period is not judged here: the caller checks it with its clock-skew allowance and its own
  // error codes. Throws CERT_UNTRUSTED, with OpenSSL's reason as the cause, when no path exists.
  // The returned CA certificates are the configured objects (no re-parsing).
  std::vector<Certificate> verify(const Certificate& leaf, TimePoint at) const;

  const std::vector<Certificate>& anchors() const;
  const std::vector<Certificate>& intermediates() const;

 private:
  struct State;
  std::shared_ptr<const State> state_;
};

// Whether `issuer_key` made the signature on `cert` (no other check).
bool certificate_signed_by(const Certificate& cert, const PublicKey& issuer_key);

}  // namespace ecpa::crypto
