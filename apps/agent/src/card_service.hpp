#pragma once
// Everything the agent does with cards, through libs/p11: list slots and certificates, sign, decrypt.
// One operation at a time per card (a per-token lock), because PKCS#11 login state is shared by every
// session of the process on a token: a second request must never sign under someone else's login.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ecpa/common/clock.hpp"
#include "ecpa/common/secret.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/p11/module.hpp"
#include "tbs_package.hpp"

namespace ecpa::agent {

// CKA_ID of a citizen card's signing and encryption keys and certificates (REFERENCE §1).
inline const crypto::Bytes kSignKeyId{0x53, 0x49, 0x47, 0x4e};     // "SIGN"
inline const crypto::Bytes kEncryptKeyId{0x4b, 0x45, 0x59, 0x58};  // "KEYX"

// The card and certificate an operation will use, found (and checked) before the PIN is asked for,
// so the person is never asked for a PIN a card cannot use.
struct CardTarget {
  CK_SLOT_ID slot = 0;
  std::string slot_description;
  std::string card_serial;
  crypto::Certificate certificate;
};

struct SignOutput {
  crypto::Bytes signature;  // CMS DER (PKCS7) or the raw RSA signature (PKCS1)
  crypto::Certificate certificate;
  std::string card_serial;
};

class CardService {
 public:
  struct Options {
    std::string module_path;
    // How long an operation waits for another one on the same card to finish.
    std::chrono::milliseconds card_lock_timeout{30'000};
  };
  CardService(Options options, const Clock& clock);

  // The `slots` array of a pkcs11info answer. Throws (module not loadable, no reader).
  nlohmann::json slots(bool with_certs);

  // Slot + certificate for a sign (SIGN) or decrypt (KEYX) package; checks the certificate's validity
  // now. Throws CARD_MODULE_LOAD_FAILED, AGENT_NO_READER, CARD_NOT_PRESENT, AGENT_CERT_NOT_FOUND,
  // CERT_EXPIRED, CERT_NOT_YET_VALID.
  CardTarget target(const TbsPackage& package);

  // Throws P11Error (wrong PIN, locked, removed…), CARD_KEY_NOT_FOUND, CARD_NOT_PRESENT when another
  // card is in the reader now.
  SignOutput sign(const CardTarget& target, const TbsPackage& package, const SecretBuffer& pin);
  crypto::Bytes decrypt(const CardTarget& target, const TbsPackage& package, const SecretBuffer& pin);

  // For /selfTest.htm: the module path and whether it loaded.
  const std::string& module_path() const { return options_.module_path; }

 private:
  std::shared_ptr<p11::Module> module();
  std::unique_lock<std::timed_mutex> lock_card(const std::string& serial);
  template <typename Operation>
  auto with_logged_in_card(const CardTarget& target, const SecretBuffer& pin, Operation op);

  Options options_;
  const Clock& clock_;
  std::mutex module_mutex_;
  std::shared_ptr<p11::Module> module_;
  std::mutex locks_mutex_;
  std::map<std::string, std::unique_ptr<std::timed_mutex>> card_locks_;
};

}  // namespace ecpa::agent
