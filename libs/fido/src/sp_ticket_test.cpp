#include "ecpa/fido/sp_ticket.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/bytes.hpp"

namespace ecpa::fido {
namespace {

const SpTicket kTicket{"3f2a1c9e-7b4d-4e8a-9c1f-2d6e5a4b3c2d", "TKT-42", "1764835200000",
                       "a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3"};

TEST(SpTicketTest, RoundTripsAndIsTwoUrlSafeParts) {
  const std::string text = encode_sp_ticket(kTicket);
  EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
  const auto dot = text.find('.');
  ASSERT_NE(dot, std::string::npos);
  // The second part is the SHA-256 of the first part's text, computed here independently.
  EXPECT_EQ(*from_base64url(text.substr(dot + 1)),
            std::string(crypto::as_chars(crypto::sha256(crypto::as_bytes(text.substr(0, dot))))));
  auto back = decode_sp_ticket(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->transaction_id, kTicket.transaction_id);
  EXPECT_EQ(back->sp_ticket_id, kTicket.sp_ticket_id);
  EXPECT_EQ(back->expiration_time, kTicket.expiration_time);
  EXPECT_EQ(back->hashed_id_num, kTicket.hashed_id_num);
}

TEST(SpTicketTest, AChangedOrMalformedTicketIsRefused) {
  const std::string text = encode_sp_ticket(kTicket);
  std::string changed = text;
  changed[5] = changed[5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(decode_sp_ticket(changed));
  EXPECT_FALSE(decode_sp_ticket(text.substr(0, text.find('.'))));
  EXPECT_FALSE(decode_sp_ticket(text + ".x"));
  EXPECT_FALSE(decode_sp_ticket(""));
  EXPECT_FALSE(decode_sp_ticket(std::string(9000, 'a') + ".b"));
  // Well hashed but not the four members, or a duplicate one.
  auto forged = [](const std::string& json) {
    const std::string first = base64url(json);
    return first + "." + base64url(crypto::as_chars(crypto::sha256(crypto::as_bytes(first))));
  };
  EXPECT_FALSE(
      decode_sp_ticket(forged(R"({"transaction_id":"t","sp_ticket_id":"s","expiration_time":"1"})")));
  EXPECT_FALSE(decode_sp_ticket(forged(
      R"({"transaction_id":"t","transaction_id":"u","sp_ticket_id":"s","expiration_time":"1","hashed_id_num":"h"})")));
  EXPECT_FALSE(decode_sp_ticket(forged("[1,2]")));
  // A numeric expiration_time, as some IdPs write it, is read as its decimal text.
  auto numeric = decode_sp_ticket(forged(
      R"({"transaction_id":"t","sp_ticket_id":"s","expiration_time":1764835200,"hashed_id_num":"h"})"));
  ASSERT_TRUE(numeric);
  EXPECT_EQ(numeric->expiration_time, "1764835200");
}

TEST(Base64Url, StrictBothWays) {
  EXPECT_EQ(base64url("\xfb\xff"), "-_8");
  EXPECT_EQ(from_base64url("-_8"), std::string("\xfb\xff"));
  EXPECT_FALSE(from_base64url("+/8"));   // the other alphabet
  EXPECT_FALSE(from_base64url("-_8="));  // padding
  EXPECT_FALSE(from_base64url("A"));     // impossible length
  EXPECT_FALSE(from_base64url("-_9"));   // stray bits: another spelling of the same bytes
}

}  // namespace
}  // namespace ecpa::fido
