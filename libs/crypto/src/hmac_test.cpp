#include "ecpa/crypto/hmac.hpp"

#include <gtest/gtest.h>

namespace ecpa::crypto {
namespace {

Bytes repeated(std::uint8_t byte, std::size_t n) { return Bytes(n, byte); }

struct Rfc4231Case {
  const char* name;
  Bytes key;
  Bytes data;
  const char* sha256_hex;  // test case 5 gives only the first 128 bits
};

// RFC 4231 §4.2–4.8.
const std::vector<Rfc4231Case>& rfc4231() {
  static const std::vector<Rfc4231Case> cases = {
      {"1", repeated(0x0b, 20), to_bytes("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"2 (key shorter than the tag)", to_bytes("Jefe"), to_bytes("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"3", repeated(0xaa, 20), repeated(0xdd, 50),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"4", from_hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), repeated(0xcd, 50),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"5 (truncated)", repeated(0x0c, 20), to_bytes("Test With Truncation"),
       "a3b6167473100ee06e0c796c2955552b"},
      {"6 (key longer than a block)", repeated(0xaa, 131),
       to_bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"7 (key and data longer than a block)", repeated(0xaa, 131),
       to_bytes(
           "This is a test using a larger than block-size key and a larger than block-size data. The key "
           "needs to be hashed before being used by the HMAC algorithm."),
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  return cases;
}

TEST(Hmac, Sha256MatchesRfc4231) {
  for (const auto& c : rfc4231()) {
    Bytes tag = hmac_sha256(c.key, c.data);
    ASSERT_EQ(tag.size(), 32u) << c.name;
    std::string expected = c.sha256_hex;
    EXPECT_EQ(to_hex(tag).substr(0, expected.size()), expected) << "test case " << c.name;
  }
}

TEST(Hmac, OtherDigestsMatchRfc4231) {
  const auto& c1 = rfc4231()[0];
  EXPECT_EQ(to_hex(hmac(DigestAlgorithm::Sha512, c1.key, c1.data)),
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
            "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
  const auto& c2 = rfc4231()[1];
  EXPECT_EQ(to_hex(hmac(DigestAlgorithm::Sha512, c2.key, c2.data)),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
            "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
  EXPECT_EQ(hmac(DigestAlgorithm::Sha384, c1.key, c1.data).size(), 48u);
}

TEST(Hmac, EmptyKeyAndEmptyDataAreValidInputs) {
  // HMAC-SHA256("", ""), from the RFC 2104 construction; an empty span must not read as "no key".
  EXPECT_EQ(to_hex(hmac_sha256({}, {})), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(Hmac, IsNotTheHashOfKeyAndData) {
  // The reason to have it: SHA-256(key‖data) is open to length extension, HMAC is not.
  Bytes key = repeated(0x42, 32), data = to_bytes("openecpa");
  Bytes both = key;
  both.insert(both.end(), data.begin(), data.end());
  EXPECT_NE(hmac_sha256(key, data), sha256(both));
}

TEST(Hmac, EveryKeyBitAndDataBitCounts) {
  Bytes key = repeated(0x42, 32), data = to_bytes("session-token");
  Bytes tag = hmac_sha256(key, data);
  Bytes other_key = key;
  other_key[31] ^= 0x01;
  Bytes other_data = data;
  other_data[0] ^= 0x01;
  EXPECT_NE(hmac_sha256(other_key, data), tag);
  EXPECT_NE(hmac_sha256(key, other_data), tag);
  EXPECT_TRUE(equal_constant_time(hmac_sha256(key, data), tag));
}

}  // namespace
}  // namespace ecpa::crypto
