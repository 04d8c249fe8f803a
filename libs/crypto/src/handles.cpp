#include "ecpa/crypto/handles.hpp"

#include <climits>

#include "ecpa/crypto/error.hpp"

namespace ecpa::crypto {

BioPtr read_only_bio(const void* data, std::size_t size) {
  if (size > static_cast<std::size_t>(INT_MAX)) {
    throw Error(codes::CRYPTO_ARGUMENT_INVALID, "input larger than 2 GiB");
  }
  // BIO_new_mem_buf reads the caller's buffer in place; an empty span may have a null pointer, which
  // OpenSSL treats as "strlen", so give it a valid empty string instead.
  const void* p = size == 0 ? "" : data;
  BioPtr bio(BIO_new_mem_buf(p, static_cast<int>(size)));
  if (!bio) throw openssl_error(codes::CRYPTO_ERROR, "BIO_new_mem_buf");
  return bio;
}

BioPtr memory_bio() {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) throw openssl_error(codes::CRYPTO_ERROR, "BIO_new");
  return bio;
}

}  // namespace ecpa::crypto
