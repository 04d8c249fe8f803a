#pragma once
#include <string>
#include <string_view>

#include "ecpa/common/error.hpp"

namespace ecpa::crypto {

// The one place where OpenSSL's error queue becomes an ecpa::Error. The queue's text (library,
// reason, file:line of every entry) goes into the internal cause together with `context` (what we
// were doing), and the queue is emptied, so a stale entry can never be blamed on a later call.
// The code tells the caller what kind of failure it was (CERT_MALFORMED, CRYPTO_ERROR, …).
Error openssl_error(ErrorCode code, std::string_view context, SourceSite where = SourceSite::here());

// Drains the queue and returns its text ("" when empty).
std::string drain_openssl_errors();

}  // namespace ecpa::crypto
