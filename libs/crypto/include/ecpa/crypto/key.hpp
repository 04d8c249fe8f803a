#pragma once
#include <filesystem>
#include <string>
#include <string_view>

#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/handles.hpp"

namespace ecpa::crypto {

// A public key (the SubjectPublicKeyInfo of a certificate, or a card's key). Cheap to copy:
// copies share the immutable EVP_PKEY.
class PublicKey {
 public:
  // From DER SubjectPublicKeyInfo; throws KEY_INVALID.
  static PublicKey from_der(ByteView spki_der);
  static PublicKey from_pem(std::string_view pem);
  // A card's RSA key as PKCS#11 reports it (CKA_MODULUS, CKA_PUBLIC_EXPONENT: unsigned big-endian).
  // Throws KEY_INVALID for a modulus under 1024 bits, an even or tiny exponent.
  static PublicKey from_rsa(ByteView modulus, ByteView exponent);
  // Takes a reference on an existing key (the key inside a certificate).
  static PublicKey from_native(EVP_PKEY* key);

  Bytes der() const;  // SubjectPublicKeyInfo
  std::string pem() const;
  int bits() const;
  bool is_rsa() const;
  EVP_PKEY* native() const { return key_.get(); }

  friend bool operator==(const PublicKey& a, const PublicKey& b);

 private:
  explicit PublicKey(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}
  std::shared_ptr<EVP_PKEY> key_;
};

// A private key held in memory (the simulator's CA keys, test keys). Keys on cards never become
// a PrivateKey: they sign through a callback instead (see cms_sign.hpp). Move-only so that a key
// is never duplicated by accident.
class PrivateKey {
 public:
  // RSA with public exponent 65537; bits is 2048, 3072 or 4096 (anything else: CRYPTO_ARGUMENT_INVALID).
  static PrivateKey generate_rsa(int bits);
  // Unencrypted PKCS#8 or traditional PEM. Throws KEY_INVALID.
  static PrivateKey from_pem(std::string_view pem);
  // Reads a PEM file; throws KEY_FILE_ERROR if it cannot be read, KEY_INVALID if it is not a key.
  static PrivateKey load_pem_file(const std::filesystem::path& path);

  PrivateKey(PrivateKey&&) noexcept = default;
  PrivateKey& operator=(PrivateKey&&) noexcept = default;

  // Unencrypted PKCS#8 PEM. The caller owns a secret: wipe it (ecpa::secure_wipe) when done.
  std::string pem() const;
  // Writes the PEM to `path` with mode 0600, atomically (temporary file + rename), so a crash never
  // leaves a half-written or world-readable key. Refuses to replace an existing file unless
  // `overwrite`. Throws KEY_FILE_ERROR.
  void save_pem_file(const std::filesystem::path& path, bool overwrite = false) const;

  PublicKey public_key() const;
  int bits() const;
  // RSA PKCS#1 v1.5 signature over `data` hashed with `alg` (what CKM_SHA256_RSA_PKCS does on a card).
  Bytes sign(DigestAlgorithm alg, ByteView data) const;
  EVP_PKEY* native() const { return key_.get(); }

 private:
  explicit PrivateKey(EvpPkeyPtr key) : key_(std::move(key)) {}
  EvpPkeyPtr key_;
};

// Checks an RSA PKCS#1 v1.5 signature; false on mismatch (never throws for a bad signature).
bool verify_signature(const PublicKey& key, DigestAlgorithm alg, ByteView data, ByteView signature);

}  // namespace ecpa::crypto
