#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/common/secret.hpp"
#include "ecpa/p11/module.hpp"
#include "ecpa/p11/pkcs11.hpp"

namespace ecpa::p11 {

enum class Mechanism {
  RsaPkcs,        // CKM_RSA_PKCS: the data is a DigestInfo the caller built (see digest_info)
  Sha1RsaPkcs,    // CKM_SHA1_RSA_PKCS: the card hashes
  Sha256RsaPkcs,  // CKM_SHA256_RSA_PKCS, what citizen cards use
  Sha384RsaPkcs,
  Sha512RsaPkcs,
};

enum class HashAlgorithm { Sha1, Sha256, Sha384, Sha512 };

// The DER DigestInfo (RFC 8017 §9.2) around a hash, to sign with Mechanism::RsaPkcs. Throws
// ecpa::Error BAD_REQUEST when the hash has the wrong length for the algorithm.
std::vector<std::uint8_t> digest_info(HashAlgorithm algorithm, std::span<const std::uint8_t> hash);

struct RsaPublicKey {
  std::vector<std::uint8_t> modulus, exponent;  // big-endian, as PKCS#11 gives them
};

struct CertificateObject {
  std::vector<std::uint8_t> id;
  std::string label;
  std::vector<std::uint8_t> der;
};

struct KeyPairSpec {
  std::span<const std::uint8_t> id;  // CKA_ID, e.g. "SIGN" = 5349474e for a citizen card's signing key
  std::string_view label;
  unsigned bits = 2048;
  bool sign = true;      // CKA_SIGN on the private key
  bool decrypt = false;  // CKA_DECRYPT on the private key
};

// An open session with one token. The only way to talk to a card; closed on destruction. Move-only.
class Session {
 public:
  Session(Session&& other) noexcept;
  Session& operator=(Session&& other) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  CK_SLOT_ID slot() const noexcept { return slot_; }

  // A wrong PIN throws P11Error CARD_PIN_INCORRECT, or CARD_PIN_FINAL_TRY / CARD_PIN_LOCKED when the
  // token's flags say so, with tries_left() when known.
  void login_user(const SecretBuffer& pin);
  void login_so(const SecretBuffer& so_pin);
  void logout();
  // As the security officer: sets the user PIN (and, on cardmod, unlocks the card).
  void init_pin(const SecretBuffer& pin);

  // On the token: the private key is sensitive and never extractable.
  RsaPublicKey generate_rsa_key_pair(const KeyPairSpec& spec);
  void import_certificate(std::span<const std::uint8_t> id, std::string_view label,
                          std::span<const std::uint8_t> der, std::span<const std::uint8_t> subject_der);
  std::vector<CertificateObject> certificates();
  bool has_private_key(std::span<const std::uint8_t> id);

  // Throws ecpa::Error CARD_KEY_NOT_FOUND when there is no private key with this CKA_ID.
  std::vector<std::uint8_t> sign(std::span<const std::uint8_t> key_id, Mechanism mechanism,
                                 std::span<const std::uint8_t> data);
  // CKM_RSA_PKCS.
  std::vector<std::uint8_t> decrypt(std::span<const std::uint8_t> key_id, std::span<const std::uint8_t> data);

 private:
  friend class Module;
  Session(std::shared_ptr<Module> module, CK_SLOT_ID slot, CK_SESSION_HANDLE handle);
  void login(CK_USER_TYPE user, const SecretBuffer& pin, const char* what);
  CK_OBJECT_HANDLE find_one(CK_OBJECT_CLASS cls, std::span<const std::uint8_t> id);
  // The private key with this CKA_ID; throws CARD_KEY_NOT_FOUND when the card has none.
  CK_OBJECT_HANDLE private_key(std::span<const std::uint8_t> id);
  std::vector<CK_OBJECT_HANDLE> find_all(CK_ATTRIBUTE* templ, CK_ULONG count);
  std::vector<std::uint8_t> attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type);
  void close() noexcept;

  std::shared_ptr<Module> module_;
  CK_SLOT_ID slot_ = 0;
  CK_SESSION_HANDLE handle_ = CK_INVALID_HANDLE;
};

}  // namespace ecpa::p11
