#pragma once
#include <openssl/asn1.h>

#include <chrono>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/handles.hpp"

namespace ecpa::crypto {

using TimePoint = std::chrono::system_clock::time_point;

// ASN.1 UTCTime/GeneralizedTime → time point (seconds precision). Throws CRYPTO_ERROR on a value
// OpenSSL cannot read.
TimePoint from_asn1_time(const ASN1_TIME* t);
// Time point → ASN.1 time as RFC 5280 wants it: UTCTime up to 2049, GeneralizedTime from 2050.
// Sub-second parts are dropped.
Asn1TimePtr to_asn1_time(TimePoint t);
// Whole seconds since the epoch (truncating), the precision certificates carry.
std::int64_t to_unix_seconds(TimePoint t);
TimePoint from_unix_seconds(std::int64_t s);

}  // namespace ecpa::crypto
