#pragma once
// Test PKI and an in-process certificate authority service for the validator's tests. The
// authority answers OCSP and CRL requests with real signed structures built by libs/crypto (the
// same builders ecpa-sim uses); its knobs produce the faults a real responder or network can show.
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "ecpa/crypto/cms_sign.hpp"
#include "ecpa/crypto/crl.hpp"
#include "ecpa/crypto/ocsp.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"
#include "ecpa/pki/fetcher.hpp"
#include "ecpa/pki/login_text.hpp"
#include "ecpa/pki/trust_config.hpp"

namespace ecpa::pki::testing {

using crypto::testing::KeyAndCert;
using crypto::testing::kPinnedNow;

inline constexpr const char* kOcspUrl = "http://127.0.0.1:1/ocsp";
inline constexpr const char* kCrlUrl = "http://127.0.0.1:1/crl/moica.crl";
inline constexpr const char* kOrigin = "https://ecpa.example.gov.tw";

struct CardOptions {
  std::string name = "王小明";
  std::string id_last4 = "6789";
  CertificateKind kind = CertificateKind::Citizen;
  crypto::KeyUsage key_usage{.digital_signature = true};
  std::vector<std::string> policies{std::string(crypto::oids::kGpkiClass3Policy)};
  std::chrono::seconds starts{-30 * 86400};  // relative to kPinnedNow
  std::chrono::seconds ends{730 * 86400};
  int bits = 2048;
};

// Root → issuing CA (MOICA-like) → cards; keys are generated once per process (RSA key generation
// is the slow part) and certificates minted per test.
struct Hierarchy {
  KeyAndCert root;
  KeyAndCert moica;  // citizen issuer
  KeyAndCert gca;    // agency issuer
  KeyAndCert stranger_root;
  KeyAndCert stranger_ca;
  static const Hierarchy& shared();
};

KeyAndCert make_card(const KeyAndCert& ca, const CardOptions& options = {});
// A freshly generated 2048-bit key (from a small pool reused across tests to keep them fast).
const crypto::PrivateKey& pooled_key(int index);

crypto::Bytes random_nonce();
std::string login_tbs(const crypto::Bytes& nonce, LoginPurpose purpose = LoginPurpose::Login);
// The component's PKCS7 answer, base64 as it arrives.
std::string sign_pkcs7(const KeyAndCert& card, std::string_view content,
                       crypto::DigestAlgorithm digest = crypto::DigestAlgorithm::Sha256,
                       std::optional<std::string> card_serial = "TP03200302000536");

// A TrustConfig with the shared hierarchy: MOICA as citizen issuer, GCA as agency issuer.
TrustConfig default_trust();

class Authority : public RevocationFetcher {
 public:
  enum class Signer { Issuer, Delegated, Undelegated, Pinned };
  enum class Nonce { Echo, Omit, Other };
  enum class Transport { Ok, Refused, NotFound, Timeout, Garbage, TryLater };

  explicit Authority(const KeyAndCert& ca);

  // --- OCSP knobs ---
  std::set<std::string> revoked, unknown;
  Signer signer = Signer::Issuer;
  Nonce nonce = Nonce::Echo;
  bool corrupt_signature = false;
  bool two_responses = false;
  bool answer_for_other_serial = false;
  std::chrono::seconds this_update_offset{-60};
  std::optional<std::chrono::seconds> next_update_offset{std::chrono::hours(4)};
  std::map<std::string, Transport> ocsp_transport;  // by URL; default Ok
  // --- CRL knobs ---
  std::optional<std::chrono::seconds> crl_next_update{std::chrono::hours(24)};
  std::chrono::seconds crl_this_update_offset{-3600};  // CRLs are dated an hour back unless a test says so
  bool crl_signed_by_stranger = false;
  std::map<std::string, Transport> crl_transport;

  std::atomic<int> ocsp_calls{0}, crl_calls{0};
  crypto::TimePoint now = kPinnedNow;

  const KeyAndCert& delegated_responder() const { return delegated_; }
  const KeyAndCert& pinned_responder() const { return pinned_; }

  crypto::Bytes fetch(const std::string& url, crypto::ByteView request_der,
                      std::chrono::milliseconds timeout) override;
  crypto::Bytes fetch_crl(const std::string& url, std::chrono::milliseconds timeout,
                          std::size_t max_bytes) override;

 private:
  const KeyAndCert& ca_;
  KeyAndCert delegated_, undelegated_, pinned_;
};

}  // namespace ecpa::pki::testing
