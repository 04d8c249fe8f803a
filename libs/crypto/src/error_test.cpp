#include "ecpa/crypto/error.hpp"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/x509.h>

namespace ecpa::crypto {
namespace {

TEST(OpenSslError, CarriesQueueTextAndEmptiesTheQueue) {
  const unsigned char junk[] = {0x30, 0x03, 0x02, 0x01};
  const unsigned char* p = junk;
  ASSERT_EQ(d2i_X509(nullptr, &p, sizeof junk), nullptr);
  ASSERT_NE(ERR_peek_error(), 0u);
  Error e = openssl_error(codes::CERT_MALFORMED, "parsing test input");
  EXPECT_EQ(e.code(), codes::CERT_MALFORMED);
  EXPECT_NE(e.cause().find("parsing test input: "), std::string::npos);
  EXPECT_NE(e.cause().find("asn1"), std::string::npos) << e.cause();
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(OpenSslError, EmptyQueueGivesContextOnly) {
  ERR_clear_error();
  Error e = openssl_error(codes::CRYPTO_ERROR, "nothing queued");
  EXPECT_EQ(e.cause(), "nothing queued");
  EXPECT_EQ(e.http_status(), 500);
}

TEST(OpenSslError, DrainReturnsEmptyWhenClean) {
  ERR_clear_error();
  EXPECT_EQ(drain_openssl_errors(), "");
}

}  // namespace
}  // namespace ecpa::crypto
