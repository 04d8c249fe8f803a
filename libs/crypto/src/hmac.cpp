#include "ecpa/crypto/hmac.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <climits>

#include "detail.hpp"
#include "ecpa/crypto/error.hpp"

namespace ecpa::crypto {

Bytes hmac(DigestAlgorithm alg, ByteView key, ByteView data) {
  if (key.size() > static_cast<std::size_t>(INT_MAX))
    throw Error(codes::CRYPTO_ARGUMENT_INVALID, "HMAC key too long");
  // An empty span may carry a null pointer, which OpenSSL reads as "no key given" rather than "the empty
  // key"; point at a real (unread) byte instead.
  static const unsigned char kNothing = 0;
  const unsigned char* key_ptr = key.empty() ? &kNothing : key.data();
  const unsigned char* data_ptr = data.empty() ? &kNothing : data.data();
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  if (HMAC(evp_md(alg), key_ptr, static_cast<int>(key.size()), data_ptr, data.size(), out.data(), &n) ==
      nullptr)
    throw openssl_error(codes::CRYPTO_ERROR, "HMAC");
  out.resize(n);
  return out;
}

}  // namespace ecpa::crypto
