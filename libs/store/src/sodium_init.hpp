#pragma once
#include <sodium.h>

#include "ecpa/common/error.hpp"

namespace ecpa::store::detail {

// sodium_init() is thread-safe and idempotent; it fails only when the system has no randomness source,
// and then nothing secret may be made.
inline void ensure_sodium() {
  static const int rc = sodium_init();
  if (rc < 0) throw Error(codes::STORE_ERROR, "libsodium could not be initialised");
}

}  // namespace ecpa::store::detail
