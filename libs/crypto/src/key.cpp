#include "ecpa/crypto/key.hpp"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "detail.hpp"
#include "ecpa/common/secret.hpp"
#include "ecpa/crypto/error.hpp"

namespace ecpa::crypto {

namespace {

std::shared_ptr<EVP_PKEY> share(EvpPkeyPtr key) {
  return std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);
}

void check_public_key(EVP_PKEY* key) {
  // We only ever deal with RSA (GPKI cards and CAs); refusing the rest keeps odd key types out of the
  // verification paths.
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) throw Error(codes::KEY_INVALID, "not an RSA key");
  if (EVP_PKEY_get_bits(key) < 1024) throw Error(codes::KEY_INVALID, "RSA key shorter than 1024 bits");
}

}  // namespace

PublicKey PublicKey::from_der(ByteView spki_der) {
  const unsigned char* p = spki_der.data();
  EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));
  if (!key) throw openssl_error(codes::KEY_INVALID, "d2i_PUBKEY");
  if (p != spki_der.data() + spki_der.size()) throw Error(codes::KEY_INVALID, "trailing bytes after key");
  check_public_key(key.get());
  return PublicKey(share(std::move(key)));
}

PublicKey PublicKey::from_pem(std::string_view pem) {
  auto bio = read_only_bio(pem.data(), pem.size());
  EvpPkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) throw openssl_error(codes::KEY_INVALID, "PEM_read_bio_PUBKEY");
  check_public_key(key.get());
  return PublicKey(share(std::move(key)));
}

PublicKey PublicKey::from_rsa(ByteView modulus, ByteView exponent) {
  if (modulus.empty() || exponent.empty() || exponent.size() > 8) {
    throw Error(codes::KEY_INVALID, "empty modulus or exponent, or exponent too long");
  }
  BignumPtr n(BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr));
  BignumPtr e(BN_bin2bn(exponent.data(), static_cast<int>(exponent.size()), nullptr));
  if (!n || !e) throw openssl_error(codes::CRYPTO_ERROR, "BN_bin2bn");
  if (BN_num_bits(n.get()) < 1024) throw Error(codes::KEY_INVALID, "RSA modulus shorter than 1024 bits");
  if (!BN_is_odd(e.get()) || BN_cmp(e.get(), BN_value_one()) <= 0 || BN_get_word(e.get()) == 1) {
    throw Error(codes::KEY_INVALID, "RSA exponent must be odd and greater than 1");
  }
  std::unique_ptr<OSSL_PARAM_BLD, OpenSslDeleter<OSSL_PARAM_BLD_free>> bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "OSSL_PARAM_BLD");
  }
  std::unique_ptr<OSSL_PARAM, OpenSslDeleter<OSSL_PARAM_free>> params(OSSL_PARAM_BLD_to_param(bld.get()));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    throw openssl_error(codes::KEY_INVALID, "EVP_PKEY_fromdata");
  }
  return PublicKey(share(EvpPkeyPtr(raw)));
}

PublicKey PublicKey::from_native(EVP_PKEY* key) {
  if (key == nullptr || EVP_PKEY_up_ref(key) != 1) throw Error(codes::KEY_INVALID, "no key");
  EvpPkeyPtr owned(key);
  check_public_key(owned.get());
  return PublicKey(share(std::move(owned)));
}

Bytes PublicKey::der() const {
  return detail::to_der(key_.get(), i2d_PUBKEY, codes::CRYPTO_ERROR, "i2d_PUBKEY");
}

std::string PublicKey::pem() const {
  auto bio = memory_bio();
  if (PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1)
    throw openssl_error(codes::CRYPTO_ERROR, "PEM_write_bio_PUBKEY");
  return detail::bio_text(bio.get());
}

int PublicKey::bits() const { return EVP_PKEY_get_bits(key_.get()); }
bool PublicKey::is_rsa() const { return EVP_PKEY_get_base_id(key_.get()) == EVP_PKEY_RSA; }

bool operator==(const PublicKey& a, const PublicKey& b) { return EVP_PKEY_eq(a.native(), b.native()) == 1; }

PrivateKey PrivateKey::generate_rsa(int bits) {
  if (bits != 2048 && bits != 3072 && bits != 4096) {
    throw Error(codes::CRYPTO_ARGUMENT_INVALID, "RSA size must be 2048, 3072 or 4096");
  }
  EvpPkeyPtr key(EVP_RSA_gen(static_cast<unsigned int>(bits)));
  if (!key) throw openssl_error(codes::CRYPTO_ERROR, "EVP_RSA_gen");
  return PrivateKey(std::move(key));
}

PrivateKey PrivateKey::from_pem(std::string_view pem) {
  auto bio = read_only_bio(pem.data(), pem.size());
  // A null password callback with no default password makes encrypted keys fail instead of
  // prompting on the terminal.
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(
      bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
  if (!key) throw openssl_error(codes::KEY_INVALID, "PEM_read_bio_PrivateKey");
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) throw Error(codes::KEY_INVALID, "not an RSA key");
  return PrivateKey(std::move(key));
}

PrivateKey PrivateKey::load_pem_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(codes::KEY_FILE_ERROR, "cannot open " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  std::string pem = std::move(text).str();
  try {
    auto key = from_pem(pem);
    secure_wipe(pem);
    return key;
  } catch (...) {
    secure_wipe(pem);
    throw;
  }
}

std::string PrivateKey::pem() const {
  auto bio = memory_bio();
  if (PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "PEM_write_bio_PrivateKey");
  }
  std::string out = detail::bio_text(bio.get());
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  if (n > 0) OPENSSL_cleanse(data, static_cast<std::size_t>(n));
  return out;
}

void PrivateKey::save_pem_file(const std::filesystem::path& path, bool overwrite) const {
  auto fail = [&](const std::string& what) {
    return Error(codes::KEY_FILE_ERROR, what + " " + path.string() + ": " + std::strerror(errno));
  };
  if (!overwrite && std::filesystem::exists(path)) {
    errno = EEXIST;
    throw fail("refusing to replace");
  }
  std::string pem_text = pem();
  auto tmp = path;
  tmp += ".tmp" + to_hex(random_bytes(4));
  // O_EXCL|O_NOFOLLOW: never write through a planted symlink; mode 0600 from the first byte.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    secure_wipe(pem_text);
    throw fail("cannot create");
  }
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < pem_text.size()) {
    ssize_t n = ::write(fd, pem_text.data() + done, pem_text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  secure_wipe(pem_text);
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    Error e = fail("cannot write");
    ::unlink(tmp.c_str());
    throw e;
  }
}

PublicKey PrivateKey::public_key() const {
  // Round-trip through SubjectPublicKeyInfo so the public object holds no private material.
  return PublicKey::from_der(detail::to_der(key_.get(), i2d_PUBKEY, codes::CRYPTO_ERROR, "i2d_PUBKEY"));
}

int PrivateKey::bits() const { return EVP_PKEY_get_bits(key_.get()); }

Bytes PrivateKey::sign(DigestAlgorithm alg, ByteView data) const {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, evp_md(alg), nullptr, key_.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "EVP_DigestSignInit");
  }
  std::size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, data.data(), data.size()) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "EVP_DigestSign (size)");
  }
  Bytes sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, data.data(), data.size()) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "EVP_DigestSign");
  }
  sig.resize(len);
  return sig;
}

bool verify_signature(const PublicKey& key, DigestAlgorithm alg, ByteView data, ByteView signature) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, evp_md(alg), nullptr, key.native()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "EVP_DigestVerifyInit");
  }
  int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(), data.size());
  drain_openssl_errors();  // a bad signature leaves entries; they are not an error here
  return rc == 1;
}

}  // namespace ecpa::crypto
