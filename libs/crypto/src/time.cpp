#include "ecpa/crypto/time.hpp"

#include <ctime>

#include "ecpa/crypto/error.hpp"

namespace ecpa::crypto {

std::int64_t to_unix_seconds(TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

TimePoint from_unix_seconds(std::int64_t s) { return TimePoint(std::chrono::seconds(s)); }

TimePoint from_asn1_time(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "ASN1_TIME_to_tm");
  }
  return from_unix_seconds(static_cast<std::int64_t>(timegm(&tm)));
}

Asn1TimePtr to_asn1_time(TimePoint t) {
  // ASN1_TIME_set picks UTCTime for 1950–2049 and GeneralizedTime otherwise, as RFC 5280 requires.
  Asn1TimePtr out(ASN1_TIME_set(nullptr, static_cast<time_t>(to_unix_seconds(t))));
  if (!out) throw openssl_error(codes::CRYPTO_ARGUMENT_INVALID, "ASN1_TIME_set");
  return out;
}

}  // namespace ecpa::crypto
