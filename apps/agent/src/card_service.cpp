#include "card_service.hpp"

#include <algorithm>
#include <ctime>

#include "ecpa/common/error.hpp"
#include "ecpa/common/utf8.hpp"
#include "ecpa/crypto/cms_sign.hpp"
#include "ecpa/p11/error.hpp"
#include "ecpa/p11/session.hpp"

namespace ecpa::agent {

namespace {

std::string iso_time(crypto::TimePoint t) {
  const std::time_t s = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string usage_name(const crypto::Certificate& cert) {
  auto ku = cert.key_usage();
  return ku ? ku->to_string() : std::string();
}

p11::Mechanism mechanism_for(crypto::DigestAlgorithm alg) {
  switch (alg) {
    case crypto::DigestAlgorithm::Sha1:
      return p11::Mechanism::Sha1RsaPkcs;
    case crypto::DigestAlgorithm::Sha256:
      return p11::Mechanism::Sha256RsaPkcs;
    case crypto::DigestAlgorithm::Sha384:
      return p11::Mechanism::Sha384RsaPkcs;
    case crypto::DigestAlgorithm::Sha512:
      return p11::Mechanism::Sha512RsaPkcs;
  }
  return p11::Mechanism::Sha256RsaPkcs;
}

nlohmann::json cert_json(const p11::CertificateObject& object, const crypto::Certificate& cert) {
  nlohmann::json j{{"label", to_valid_utf8(object.label)},
                   {"usage", usage_name(cert)},
                   {"subjectDN", cert.subject().to_string()},
                   {"issuerDN", cert.issuer().to_string()},
                   {"sn", cert.serial_hex()},
                   {"certb64", crypto::to_base64(cert.der())},
                   {"notBefore", iso_time(cert.not_before())},
                   {"notAfter", iso_time(cert.not_after())}};
  if (cert.sda().id_last4) j["subjectID"] = *cert.sda().id_last4;
  return j;
}

// Citizen cards lock after 3 wrong PINs (REFERENCE §1). PKCS#11 gives no counter, only flags: the p11
// layer reports the final try and the lock; "count low but not final" on a 3-try card means 2 left,
// which HiCOS reports as 0x80000002 and pages show to the person.
constexpr int kCitizenCardTries = 3;

void add_tries_left(p11::Module& module, CK_SLOT_ID slot, p11::P11Error& e) {
  if (e.code() != codes::CARD_PIN_INCORRECT || e.tries_left()) return;
  try {
    const p11::TokenInfo t = module.token(slot);
    if (t.pin_count_low && !t.pin_final_try && !t.pin_locked) e.set_tries_left(kCitizenCardTries - 1);
  } catch (const p11::P11Error&) {
    // Pulled out right after the wrong PIN: the wrong PIN is still the news.
  }
}

}  // namespace

CardService::CardService(Options options, const Clock& clock) : options_(std::move(options)), clock_(clock) {}

std::shared_ptr<p11::Module> CardService::module() {
  // Loaded on first use and retried after a failure, so a driver installed while the agent runs is
  // picked up without a restart.
  std::lock_guard lock(module_mutex_);
  if (!module_) module_ = p11::Module::load(options_.module_path);
  return module_;
}

std::unique_lock<std::timed_mutex> CardService::lock_card(const std::string& serial) {
  std::timed_mutex* m = nullptr;
  {
    std::lock_guard lock(locks_mutex_);
    auto& slot = card_locks_[serial];
    if (!slot) slot = std::make_unique<std::timed_mutex>();
    m = slot.get();
  }
  std::unique_lock card_lock(*m, std::defer_lock);
  if (!card_lock.try_lock_for(options_.card_lock_timeout)) {
    throw Error(codes::AGENT_TIMEOUT, "card busy with another operation");
  }
  return card_lock;
}

nlohmann::json CardService::slots(bool with_certs) {
  auto mod = module();
  auto all = mod->slots(false);
  if (all.empty()) throw Error(codes::AGENT_NO_READER, "the module lists no slot");
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : all) {
    nlohmann::json slot{{"slotDescription", to_valid_utf8(s.description)}};
    if (!s.token_present) {
      slot["token"] = nullptr;
      out.push_back(std::move(slot));
      continue;
    }
    try {
      const p11::TokenInfo info = mod->token(s.id);
      nlohmann::json token{{"serialNumber", to_valid_utf8(info.serial)},
                           {"label", to_valid_utf8(info.label)},
                           {"pinLocked", info.pin_locked},
                           {"pinFinalTry", info.pin_final_try},
                           {"pinCountLow", info.pin_count_low}};
      if (with_certs && info.initialized) {
        auto lock = lock_card(info.serial);
        p11::Session session = mod->open(s.id, false);
        nlohmann::json certs = nlohmann::json::array();
        for (const auto& object : session.certificates()) {
          try {
            certs.push_back(cert_json(object, crypto::Certificate::from_der(object.der)));
          } catch (const Error&) {
            // One unreadable certificate must not hide the others; it is simply not offered.
          }
        }
        token["certs"] = std::move(certs);
      }
      slot["token"] = std::move(token);
    } catch (const p11::P11Error&) {
      // Pulled out while we looked: report the reader as empty rather than failing the whole list.
      slot["token"] = nullptr;
    }
    out.push_back(std::move(slot));
  }
  return out;
}

CardTarget CardService::target(const TbsPackage& package) {
  auto mod = module();
  auto all = mod->slots(false);
  if (all.empty()) throw Error(codes::AGENT_NO_READER, "the module lists no slot");
  std::optional<p11::SlotInfo> chosen;
  std::optional<p11::TokenInfo> info;
  for (const auto& s : all) {
    if (package.slot_description && to_valid_utf8(s.description) != *package.slot_description) continue;
    if (!s.token_present) continue;
    auto t = mod->token(s.id);
    // A blank token (SoftHSM2 always offers one) is no card to sign with.
    if (!t.initialized) continue;
    chosen = s;
    info = std::move(t);
    break;
  }
  if (!chosen || !info) throw Error(codes::CARD_NOT_PRESENT, "no card in the chosen reader");

  const crypto::Bytes& id = package.func == Func::DecryptData ? kEncryptKeyId : kSignKeyId;
  auto lock = lock_card(to_valid_utf8(info->serial));
  p11::Session session = mod->open(chosen->id, false);
  for (const auto& object : session.certificates()) {
    if (object.id != id) continue;
    crypto::Certificate cert = crypto::Certificate::from_der(object.der);
    const auto now = clock_.now();
    if (now < cert.not_before()) throw Error(codes::CERT_NOT_YET_VALID, "card certificate not yet valid");
    if (now > cert.not_after()) throw Error(codes::CERT_EXPIRED, "card certificate expired");
    return CardTarget{chosen->id, chosen->description, to_valid_utf8(info->serial), std::move(cert)};
  }
  throw Error(codes::AGENT_CERT_NOT_FOUND, "no certificate with the key's CKA_ID on the card");
}

template <typename Operation>
auto CardService::with_logged_in_card(const CardTarget& target, const SecretBuffer& pin, Operation op) {
  auto mod = module();
  auto lock = lock_card(target.card_serial);
  // The card may have been swapped while the person typed the PIN.
  if (to_valid_utf8(mod->token(target.slot).serial) != target.card_serial) {
    throw Error(codes::CARD_NOT_PRESENT, "another card is in the reader now");
  }
  p11::Session session = mod->open(target.slot, false);
  try {
    session.login_user(pin);
  } catch (p11::P11Error& e) {
    add_tries_left(*mod, target.slot, e);
    throw;
  }
  struct Logout {
    p11::Session& s;
    ~Logout() {
      try {
        s.logout();
      } catch (const Error&) {
        // A pulled card has no login left to end.
      }
    }
  } logout{session};
  return op(session);
}

SignOutput CardService::sign(const CardTarget& target, const TbsPackage& package, const SecretBuffer& pin) {
  return with_logged_in_card(target, pin, [&](p11::Session& session) {
    if (!session.has_private_key(kSignKeyId)) throw Error(codes::CARD_KEY_NOT_FOUND, "no SIGN private key");
    auto card_sign = [&](crypto::DigestAlgorithm alg, crypto::ByteView data) {
      return session.sign(kSignKeyId, mechanism_for(alg), data);
    };
    SignOutput out{{}, target.certificate, target.card_serial};
    if (package.signature_type == SignatureType::Pkcs1) {
      out.signature = card_sign(package.hash, package.tbs);
    } else {
      crypto::CmsSignOptions options;
      options.digest = package.hash;
      options.signing_time = clock_.now();
      if (package.nonce) options.nonce = crypto::to_bytes(*package.nonce);
      if (package.with_card_sn) options.card_serial = target.card_serial;
      out.signature = crypto::cms_sign_attached(package.tbs, target.certificate, card_sign, options);
    }
    return out;
  });
}

crypto::Bytes CardService::decrypt(const CardTarget& target, const TbsPackage& package,
                                   const SecretBuffer& pin) {
  return with_logged_in_card(target, pin, [&](p11::Session& session) {
    if (!session.has_private_key(kEncryptKeyId))
      throw Error(codes::CARD_KEY_NOT_FOUND, "no KEYX private key");
    return session.decrypt(kEncryptKeyId, package.cipher);
  });
}

}  // namespace ecpa::agent
