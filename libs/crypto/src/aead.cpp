#include "ecpa/crypto/aead.hpp"

#include <openssl/evp.h>

#include <climits>
#include <memory>

#include "detail.hpp"
#include "ecpa/crypto/error.hpp"

namespace ecpa::crypto {
namespace {

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const noexcept { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

void check_sizes(ByteView key, ByteView iv, ByteView data, ByteView aad) {
  if (key.size() != kAesGcmKeySize)
    throw Error(codes::CRYPTO_ARGUMENT_INVALID, "AES-256-GCM key must be 32 bytes");
  if (iv.size() != kAesGcmIvSize) throw Error(codes::CRYPTO_ARGUMENT_INVALID, "AES-GCM IV must be 12 bytes");
  if (data.size() > static_cast<std::size_t>(INT_MAX) || aad.size() > static_cast<std::size_t>(INT_MAX))
    throw Error(codes::CRYPTO_ARGUMENT_INVALID, "AES-GCM input too long");
}

Ctx start(ByteView key, ByteView iv, bool encrypt) {
  Ctx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) throw openssl_error(codes::CRYPTO_ERROR, "EVP_CIPHER_CTX_new");
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), iv.data(), encrypt ? 1 : 0) != 1)
    throw openssl_error(codes::CRYPTO_ERROR, "AES-256-GCM init");
  return ctx;
}

void feed_aad(EVP_CIPHER_CTX* ctx, ByteView aad) {
  int n = 0;
  if (!aad.empty() && EVP_CipherUpdate(ctx, nullptr, &n, aad.data(), static_cast<int>(aad.size())) != 1)
    throw openssl_error(codes::CRYPTO_ERROR, "AES-GCM AAD");
}

}  // namespace

Bytes aes256_gcm_seal(ByteView key, ByteView iv, ByteView plaintext, ByteView aad) {
  check_sizes(key, iv, plaintext, aad);
  Ctx ctx = start(key, iv, true);
  feed_aad(ctx.get(), aad);
  Bytes out(plaintext.size() + kAesGcmTagSize);
  int n = 0;
  if (!plaintext.empty() &&
      EVP_CipherUpdate(ctx.get(), out.data(), &n, plaintext.data(), static_cast<int>(plaintext.size())) != 1)
    throw openssl_error(codes::CRYPTO_ERROR, "AES-GCM encrypt");
  int tail = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + n, &tail) != 1)
    throw openssl_error(codes::CRYPTO_ERROR, "AES-GCM final");
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kAesGcmTagSize),
                          out.data() + plaintext.size()) != 1)
    throw openssl_error(codes::CRYPTO_ERROR, "AES-GCM tag");
  return out;
}

std::optional<Bytes> aes256_gcm_open(ByteView key, ByteView iv, ByteView sealed, ByteView aad) {
  check_sizes(key, iv, sealed, aad);
  if (sealed.size() < kAesGcmTagSize) return std::nullopt;
  const std::size_t length = sealed.size() - kAesGcmTagSize;
  Ctx ctx = start(key, iv, false);
  feed_aad(ctx.get(), aad);
  Bytes out(length);
  int n = 0;
  if (length > 0 && EVP_CipherUpdate(ctx.get(), out.data(), &n, sealed.data(), static_cast<int>(length)) != 1)
    throw openssl_error(codes::CRYPTO_ERROR, "AES-GCM decrypt");
  // The tag is OpenSSL's to compare (in constant time) at EVP_CipherFinal_ex.
  Bytes tag(sealed.begin() + static_cast<std::ptrdiff_t>(length), sealed.end());
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAesGcmTagSize), tag.data()) != 1)
    throw openssl_error(codes::CRYPTO_ERROR, "AES-GCM set tag");
  int tail = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + n, &tail) != 1) {
    (void)drain_openssl_errors();  // a failed tag leaves nothing for the next caller to misread
    return std::nullopt;
  }
  return out;
}

}  // namespace ecpa::crypto
