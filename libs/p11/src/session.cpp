#include "ecpa/p11/session.hpp"

#include <array>
#include <utility>

#include "call.hpp"
#include "ecpa/p11/error.hpp"

namespace ecpa::p11 {
namespace {

// A module that answers with absurd sizes must not make us allocate gigabytes: no object a card holds
// (certificate, modulus, signature) comes near this.
constexpr CK_ULONG kMaxAttributeSize = 1 << 20;
constexpr CK_ULONG kMaxOutputSize = CK_ULONG{64} * 1024;

CK_UTF8CHAR_PTR pin_bytes(const SecretBuffer& pin) {
  // PKCS#11 2.x takes a non-const pointer; modules do not write through it.
  return reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(pin.reveal().data()));
}

void* bytes(std::span<const std::uint8_t> s) { return const_cast<std::uint8_t*>(s.data()); }
CK_BYTE_PTR bytes_ptr(std::span<const std::uint8_t> s) { return const_cast<std::uint8_t*>(s.data()); }

// A single-part operation: its Init and its one call, with their names for errors. C_Sign and C_Decrypt
// have the same C type, as do their Inits, so one description fits both.
struct SinglePart {
  const char* init_name;
  CK_C_SignInit CK_FUNCTION_LIST::*init;
  const char* name;
  CK_C_Sign CK_FUNCTION_LIST::*run;
};
// The names come from the members called, as in ECPA_P11_CALL, so an error cannot name another function.
#define ECPA_P11_SINGLE_PART(init, run) \
  SinglePart { #init, &CK_FUNCTION_LIST::init, #run, &CK_FUNCTION_LIST::run }

// Init, then one call with a buffer big enough for any RSA key a card holds, so the operation always ends
// (the size-query form would leave it active if we then failed to make the second call).
std::vector<std::uint8_t> single_part(CK_FUNCTION_LIST* fns, CK_SESSION_HANDLE session, const SinglePart& op,
                                      CK_MECHANISM_TYPE mechanism, CK_OBJECT_HANDLE key,
                                      std::span<const std::uint8_t> data) {
  CK_MECHANISM mech{mechanism, nullptr, 0};
  detail::call(op.init_name, fns->*op.init, SourceSite::here(), session, &mech, key);
  std::vector<std::uint8_t> out(kMaxOutputSize);
  CK_ULONG len = out.size();
  detail::call(op.name, fns->*op.run, SourceSite::here(), session, bytes_ptr(data), CK_ULONG(data.size()),
               out.data(), &len);
  out.resize(std::min<CK_ULONG>(len, out.size()));
  return out;
}

CK_MECHANISM_TYPE mechanism_type(Mechanism m) {
  switch (m) {
    case Mechanism::RsaPkcs:
      return CKM_RSA_PKCS;
    case Mechanism::Sha1RsaPkcs:
      return CKM_SHA1_RSA_PKCS;
    case Mechanism::Sha256RsaPkcs:
      return CKM_SHA256_RSA_PKCS;
    case Mechanism::Sha384RsaPkcs:
      return CKM_SHA384_RSA_PKCS;
    case Mechanism::Sha512RsaPkcs:
      return CKM_SHA512_RSA_PKCS;
  }
  throw Error(codes::BAD_REQUEST, "unknown signing mechanism");
}

// RAII for C_FindObjectsInit … C_FindObjectsFinal, so a failed search never leaves the session busy.
class FindOperation {
 public:
  FindOperation(CK_FUNCTION_LIST* fns, CK_SESSION_HANDLE h, CK_ATTRIBUTE* templ, CK_ULONG count)
      : fns_(fns), h_(h) {
    ECPA_P11_CALL(fns_, C_FindObjectsInit, h_, templ, count);
  }
  ~FindOperation() { fns_->C_FindObjectsFinal(h_); }
  FindOperation(const FindOperation&) = delete;
  FindOperation& operator=(const FindOperation&) = delete;

  std::vector<CK_OBJECT_HANDLE> all() {
    std::vector<CK_OBJECT_HANDLE> out;
    std::array<CK_OBJECT_HANDLE, 16> batch{};
    for (;;) {
      CK_ULONG got = 0;
      ECPA_P11_CALL(fns_, C_FindObjects, h_, batch.data(), CK_ULONG(batch.size()), &got);
      if (got == 0 || got > batch.size()) break;
      out.insert(out.end(), batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(got));
      if (out.size() > 10000) break;  // a card holds a handful; a runaway module must not loop forever
    }
    return out;
  }

 private:
  CK_FUNCTION_LIST* fns_;
  CK_SESSION_HANDLE h_;
};

}  // namespace

std::vector<std::uint8_t> digest_info(HashAlgorithm algorithm, std::span<const std::uint8_t> hash) {
  // The fixed DER prefixes of RFC 8017 §9.2, note 1.
  static constexpr std::uint8_t kSha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                           0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
  static constexpr std::uint8_t kSha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                             0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
  static constexpr std::uint8_t kSha384[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                             0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
  static constexpr std::uint8_t kSha512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                             0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};
  std::span<const std::uint8_t> prefix;
  std::size_t size = 0;
  switch (algorithm) {
    case HashAlgorithm::Sha1:
      prefix = kSha1, size = 20;
      break;
    case HashAlgorithm::Sha256:
      prefix = kSha256, size = 32;
      break;
    case HashAlgorithm::Sha384:
      prefix = kSha384, size = 48;
      break;
    case HashAlgorithm::Sha512:
      prefix = kSha512, size = 64;
      break;
  }
  if (hash.size() != size) {
    throw Error(codes::BAD_REQUEST,
                "hash of " + std::to_string(hash.size()) + " bytes, expected " + std::to_string(size));
  }
  std::vector<std::uint8_t> out(prefix.begin(), prefix.end());
  out.insert(out.end(), hash.begin(), hash.end());
  return out;
}

Session::Session(std::shared_ptr<Module> module, CK_SLOT_ID slot, CK_SESSION_HANDLE handle)
    : module_(std::move(module)), slot_(slot), handle_(handle) {}

Session::Session(Session&& other) noexcept
    : module_(std::move(other.module_)),
      slot_(other.slot_),
      handle_(std::exchange(other.handle_, CK_INVALID_HANDLE)) {}

Session& Session::operator=(Session&& other) noexcept {
  if (this != &other) {
    close();
    module_ = std::move(other.module_);
    slot_ = other.slot_;
    handle_ = std::exchange(other.handle_, CK_INVALID_HANDLE);
  }
  return *this;
}

Session::~Session() { close(); }

void Session::close() noexcept {
  // A pulled card has closed the session already; there is nothing more to do about an error here.
  if (handle_ != CK_INVALID_HANDLE && module_) module_->fns_->C_CloseSession(handle_);
  handle_ = CK_INVALID_HANDLE;
}

void Session::login(CK_USER_TYPE user, const SecretBuffer& pin, const char* what) {
  CK_FUNCTION_LIST* fns = module_->fns_;
  CK_RV rv = fns->C_Login(handle_, user, pin_bytes(pin), CK_ULONG(pin.size()));
  if (rv == CKR_USER_ALREADY_LOGGED_IN) {
    // Login state is shared by every session of this process on the token. Accepting "already logged
    // in" would let a wrong PIN sign after someone else's right one, so log out and check this PIN.
    fns->C_Logout(handle_);
    rv = fns->C_Login(handle_, user, pin_bytes(pin), CK_ULONG(pin.size()));
  }
  if (rv == CKR_OK) return;
  P11Error error(what, rv);
  if (rv == CKR_PIN_INCORRECT && user == CKU_USER) {
    // The card's flags tell how close it is to locking; the person must know before the next try.
    try {
      TokenInfo t = module_->token(slot_);
      if (t.pin_locked) {
        error = P11Error(codes::CARD_PIN_LOCKED, what, rv);
        error.set_tries_left(0);
      } else if (t.pin_final_try) {
        error = P11Error(codes::CARD_PIN_FINAL_TRY, what, rv);
        error.set_tries_left(1);
      }
    } catch (const P11Error&) {
      // The card went away after the wrong PIN: the wrong PIN is still the news.
    }
  }
  throw error;
}

void Session::login_user(const SecretBuffer& pin) { login(CKU_USER, pin, "C_Login"); }
void Session::login_so(const SecretBuffer& so_pin) { login(CKU_SO, so_pin, "C_Login"); }

void Session::logout() { ECPA_P11_CALL(module_->fns_, C_Logout, handle_); }

void Session::init_pin(const SecretBuffer& pin) {
  ECPA_P11_CALL(module_->fns_, C_InitPIN, handle_, pin_bytes(pin), CK_ULONG(pin.size()));
}

RsaPublicKey Session::generate_rsa_key_pair(const KeyPairSpec& spec) {
  if (spec.bits < 1024 || spec.bits > 8192) throw Error(codes::BAD_REQUEST, "RSA key size out of range");
  CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
  CK_BBOOL sign = spec.sign ? CK_TRUE : CK_FALSE, decrypt = spec.decrypt ? CK_TRUE : CK_FALSE;
  CK_ULONG bits = spec.bits;
  CK_BYTE exponent[] = {0x01, 0x00, 0x01};
  CK_OBJECT_CLASS pub_class = CKO_PUBLIC_KEY, priv_class = CKO_PRIVATE_KEY;
  CK_KEY_TYPE rsa = CKK_RSA;
  void* label = const_cast<char*>(spec.label.data());
  CK_ATTRIBUTE pub[] = {
      {CKA_CLASS, &pub_class, sizeof pub_class},
      {CKA_KEY_TYPE, &rsa, sizeof rsa},
      {CKA_TOKEN, &yes, sizeof yes},
      {CKA_PRIVATE, &no, sizeof no},
      {CKA_VERIFY, &sign, sizeof sign},
      {CKA_ENCRYPT, &decrypt, sizeof decrypt},
      {CKA_MODULUS_BITS, &bits, sizeof bits},
      {CKA_PUBLIC_EXPONENT, exponent, sizeof exponent},
      {CKA_ID, bytes(spec.id), spec.id.size()},
      {CKA_LABEL, label, spec.label.size()},
  };
  // The private key never leaves the card: sensitive, not extractable, and only the uses asked for.
  CK_ATTRIBUTE priv[] = {
      {CKA_CLASS, &priv_class, sizeof priv_class},
      {CKA_KEY_TYPE, &rsa, sizeof rsa},
      {CKA_TOKEN, &yes, sizeof yes},
      {CKA_PRIVATE, &yes, sizeof yes},
      {CKA_SENSITIVE, &yes, sizeof yes},
      {CKA_EXTRACTABLE, &no, sizeof no},
      {CKA_SIGN, &sign, sizeof sign},
      {CKA_DECRYPT, &decrypt, sizeof decrypt},
      {CKA_ID, bytes(spec.id), spec.id.size()},
      {CKA_LABEL, label, spec.label.size()},
  };
  CK_MECHANISM mech{CKM_RSA_PKCS_KEY_PAIR_GEN, nullptr, 0};
  CK_OBJECT_HANDLE pub_key = CK_INVALID_HANDLE, priv_key = CK_INVALID_HANDLE;
  ECPA_P11_CALL(module_->fns_, C_GenerateKeyPair, handle_, &mech, pub, CK_ULONG(std::size(pub)), priv,
                CK_ULONG(std::size(priv)), &pub_key, &priv_key);
  return {attribute(pub_key, CKA_MODULUS), attribute(pub_key, CKA_PUBLIC_EXPONENT)};
}

void Session::import_certificate(std::span<const std::uint8_t> id, std::string_view label,
                                 std::span<const std::uint8_t> der,
                                 std::span<const std::uint8_t> subject_der) {
  CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
  CK_CERTIFICATE_TYPE type = CKC_X_509;
  CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
  CK_ATTRIBUTE templ[] = {
      {CKA_CLASS, &cls, sizeof cls},
      {CKA_CERTIFICATE_TYPE, &type, sizeof type},
      {CKA_TOKEN, &yes, sizeof yes},
      {CKA_PRIVATE, &no, sizeof no},  // certificates are public: readable before the PIN is entered
      {CKA_ID, bytes(id), id.size()},
      {CKA_LABEL, const_cast<char*>(label.data()), label.size()},
      {CKA_SUBJECT, bytes(subject_der), subject_der.size()},
      {CKA_VALUE, bytes(der), der.size()},
  };
  CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
  ECPA_P11_CALL(module_->fns_, C_CreateObject, handle_, templ, CK_ULONG(std::size(templ)), &object);
}

std::vector<CertificateObject> Session::certificates() {
  CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
  CK_ATTRIBUTE templ[] = {{CKA_CLASS, &cls, sizeof cls}};
  std::vector<CertificateObject> out;
  for (CK_OBJECT_HANDLE h : find_all(templ, 1)) {
    auto label = attribute(h, CKA_LABEL);
    out.push_back({attribute(h, CKA_ID), std::string(label.begin(), label.end()), attribute(h, CKA_VALUE)});
  }
  return out;
}

bool Session::has_private_key(std::span<const std::uint8_t> id) {
  return find_one(CKO_PRIVATE_KEY, id) != CK_INVALID_HANDLE;
}

std::vector<std::uint8_t> Session::sign(std::span<const std::uint8_t> key_id, Mechanism mechanism,
                                        std::span<const std::uint8_t> data) {
  return single_part(module_->fns_, handle_, ECPA_P11_SINGLE_PART(C_SignInit, C_Sign),
                     mechanism_type(mechanism), private_key(key_id), data);
}

std::vector<std::uint8_t> Session::decrypt(std::span<const std::uint8_t> key_id,
                                           std::span<const std::uint8_t> data) {
  return single_part(module_->fns_, handle_, ECPA_P11_SINGLE_PART(C_DecryptInit, C_Decrypt), CKM_RSA_PKCS,
                     private_key(key_id), data);
}

CK_OBJECT_HANDLE Session::private_key(std::span<const std::uint8_t> id) {
  CK_OBJECT_HANDLE key = find_one(CKO_PRIVATE_KEY, id);
  if (key == CK_INVALID_HANDLE)
    throw Error(codes::CARD_KEY_NOT_FOUND, "no private key with the given CKA_ID");
  return key;
}

CK_OBJECT_HANDLE Session::find_one(CK_OBJECT_CLASS cls, std::span<const std::uint8_t> id) {
  CK_ATTRIBUTE templ[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_ID, bytes(id), id.size()}};
  auto found = find_all(templ, 2);
  return found.empty() ? CK_INVALID_HANDLE : found.front();
}

std::vector<CK_OBJECT_HANDLE> Session::find_all(CK_ATTRIBUTE* templ, CK_ULONG count) {
  FindOperation op(module_->fns_, handle_, templ, count);
  return op.all();
}

std::vector<std::uint8_t> Session::attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) {
  CK_ATTRIBUTE a{type, nullptr, 0};
  ECPA_P11_CALL(module_->fns_, C_GetAttributeValue, handle_, object, &a, CK_ULONG(1));
  if (a.ulValueLen == CK_UNAVAILABLE_INFORMATION || a.ulValueLen > kMaxAttributeSize) {
    throw P11Error("C_GetAttributeValue", CKR_ATTRIBUTE_SENSITIVE);
  }
  std::vector<std::uint8_t> value(a.ulValueLen);
  a.pValue = value.data();
  ECPA_P11_CALL(module_->fns_, C_GetAttributeValue, handle_, object, &a, CK_ULONG(1));
  value.resize(std::min<CK_ULONG>(a.ulValueLen, value.size()));
  return value;
}

}  // namespace ecpa::p11
