#include "ecpa/crypto/handles.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ecpa::crypto {
namespace {

TEST(Handles, ReadOnlyBioReadsTheBytesInPlace) {
  std::string text = "hello";
  auto bio = read_only_bio(text.data(), text.size());
  char buf[16] = {};
  EXPECT_EQ(BIO_read(bio.get(), buf, sizeof buf), 5);
  EXPECT_EQ(std::string(buf, 5), "hello");
}

TEST(Handles, EmptyBioReadsNothing) {
  auto bio = read_only_bio(nullptr, 0);
  char buf[4];
  EXPECT_LE(BIO_read(bio.get(), buf, sizeof buf), 0);
}

TEST(Handles, MemoryBioGrows) {
  auto bio = memory_bio();
  EXPECT_EQ(BIO_write(bio.get(), "abc", 3), 3);
  EXPECT_EQ(BIO_pending(bio.get()), 3);
}

TEST(Handles, DeleterFreesOnScopeExit) {
  // Run under ASan/LeakSanitizer this fails if the deleter does not free.
  X509Ptr x(X509_new());
  ASSERT_NE(x, nullptr);
  X509CrlPtr crl(X509_CRL_new());
  ASSERT_NE(crl, nullptr);
}

}  // namespace
}  // namespace ecpa::crypto
