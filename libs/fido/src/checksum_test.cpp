#include "ecpa/fido/checksum.hpp"

#include <gtest/gtest.h>

#include <array>

#include "ecpa/crypto/aead.hpp"

namespace ecpa::fido {
namespace {

const crypto::Bytes kKey =
    crypto::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
// ATH-02's fields: transaction_id + sp_service_id + sp_ticket_id.
constexpr std::array<std::string_view, 3> kFields{"3f2a1c9e-7b4d-4e8a-9c1f-2d6e5a4b3c2d", "SP0001", "TKT-42"};

TEST(SpChecksum, IsTheIvThenTheSealedLowercaseDigest) {
  const crypto::Bytes iv(12, 0x07);
  const std::string c = make_checksum(kKey, kFields, iv);
  ASSERT_EQ(c.size(), 24u + 160u);
  EXPECT_EQ(c.substr(0, 24), "070707070707070707070707");
  // Built independently from the primitive: what the other end must be able to read.
  auto plain = crypto::aes256_gcm_open(kKey, iv, crypto::from_hex(c.substr(24)));
  ASSERT_TRUE(plain);
  EXPECT_EQ(
      std::string(crypto::as_chars(*plain)),
      crypto::to_hex(crypto::sha256(crypto::as_bytes("3f2a1c9e-7b4d-4e8a-9c1f-2d6e5a4b3c2dSP0001TKT-42"))));
  EXPECT_TRUE(checksum_valid(kKey, kFields, c));
}

TEST(SpChecksum, AnyIvIsAcceptedARandomOneIsSent) {
  const std::string zero_iv = make_checksum(kKey, kFields, crypto::Bytes(12, 0));
  EXPECT_TRUE(checksum_valid(kKey, kFields, zero_iv));
  const std::string a = make_checksum(kKey, kFields);
  const std::string b = make_checksum(kKey, kFields);
  EXPECT_NE(a.substr(0, 24), b.substr(0, 24));
  EXPECT_TRUE(checksum_valid(kKey, kFields, a));
  EXPECT_TRUE(checksum_valid(kKey, kFields, b));
}

TEST(SpChecksum, WrongFieldsKeyOrAnyCharacterIsRefused) {
  const std::string c = make_checksum(kKey, kFields);
  constexpr std::array<std::string_view, 3> other{"3f2a1c9e-7b4d-4e8a-9c1f-2d6e5a4b3c2d", "SP0001", "TKT-43"};
  EXPECT_FALSE(checksum_valid(kKey, other, c));
  // The fields' boundaries do not matter, their concatenation does (as the API defines it).
  constexpr std::array<std::string_view, 3> shifted{"3f2a1c9e-7b4d-4e8a-9c1f-2d6e5a4b3c2dSP", "0001",
                                                    "TKT-42"};
  EXPECT_TRUE(checksum_valid(kKey, shifted, c));
  crypto::Bytes other_key = kKey;
  other_key[31] ^= 1;
  EXPECT_FALSE(checksum_valid(other_key, kFields, c));
  for (std::size_t i : {std::size_t{0}, std::size_t{30}, c.size() - 1}) {
    std::string bad = c;
    bad[i] = bad[i] == '0' ? '1' : '0';
    EXPECT_FALSE(checksum_valid(kKey, kFields, bad)) << i;
  }
  EXPECT_FALSE(checksum_valid(kKey, kFields, ""));
  EXPECT_FALSE(checksum_valid(kKey, kFields, c.substr(1)));
  EXPECT_FALSE(checksum_valid(kKey, kFields, std::string(c.size(), 'g')));
  EXPECT_FALSE(checksum_valid(crypto::Bytes(16, 1), kFields, c));  // never throws for what a peer sends
}

}  // namespace
}  // namespace ecpa::fido
