#include "fido_service.hpp"

#include <gtest/gtest.h>

#include <array>

#include "ecpa/crypto/testing/test_pki.hpp"
#include "ecpa/fido/checksum.hpp"
#include "ecpa/fido/sp_ticket.hpp"

namespace ecpa::sim {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const crypto::Bytes kKey =
    crypto::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
constexpr std::string_view kSvc = "SP0001";
constexpr std::string_view kId = "A123456789";

struct FidoFixture : ::testing::Test {
  ManualClock clock{crypto::testing::kPinnedNow};
  crypto::testing::KeyAndCert idp = crypto::testing::make_root("TAIWAN FidO test IdP");
  FidoService fido{clock, FidoRelyingParty{std::string(kSvc), kKey}, std::move(idp.key), idp.cert};
  crypto::Certificate idp_cert = idp.cert;
  int txn_counter = 0;

  // What a relying party sends: the checksum made by libs/fido, as the portal will make it.
  json ath01(std::string_view id = kId, std::int64_t limit = 120, const crypto::Bytes& key = kKey) {
    const std::string txn = "txn-" + std::to_string(++txn_counter);
    const std::array<std::string_view, 7> fields{txn, kSvc, id, "ATH", "", "openecpa 登入", ""};
    return {{"transaction_id", txn},
            {"sp_service_id", kSvc},
            {"id_num", id},
            {"op_code", "ATH"},
            {"hint", "openecpa 登入"},
            {"time_limit", limit},
            {"sp_checksum", fido::make_checksum(key, fields)}};
  }
  json by_ticket(const std::string& txn, const std::string& ticket_id) {
    const std::array<std::string_view, 3> fields{txn, kSvc, ticket_id};
    return {{"transaction_id", txn},
            {"sp_service_id", kSvc},
            {"sp_ticket_id", ticket_id},
            {"sp_checksum", fido::make_checksum(kKey, fields)}};
  }
  // ATH-01 then ATH-03: a ticket pushed to the phone.
  std::pair<std::string, std::string> pushed() {
    json req = ath01();
    json answer = fido.get_sp_ticket(req);
    EXPECT_EQ(answer["error_code"], "0") << answer.dump();
    auto ticket = fido::decode_sp_ticket(answer["sp_ticket"].get<std::string>());
    EXPECT_TRUE(ticket);
    const std::string txn = req["transaction_id"];
    EXPECT_EQ(fido.request_push(by_ticket(txn, ticket->sp_ticket_id))["error_code"], "0");
    return {txn, ticket->sp_ticket_id};
  }
  void SetUp() override { fido.bind_device(std::string(kId)); }
};

TEST_F(FidoFixture, ApprovedOnThePhoneTheResultIsSignedAndCheckedOnce) {
  auto [txn, ticket] = pushed();
  auto pending = fido.pending_for(std::string(kId));
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].hint, "openecpa 登入");
  EXPECT_EQ(fido.get_result(by_ticket(txn, ticket))["error_code"], "9007");  // not answered yet
  ASSERT_TRUE(fido.answer(ticket, true));
  clock.advance(4s);
  json result = fido.get_result(by_ticket(txn, ticket));
  ASSERT_EQ(result["error_code"], "0") << result.dump();
  const json& r = result["result"];
  const std::string hashed = crypto::to_hex(crypto::sha256(crypto::as_bytes(kId)));
  EXPECT_EQ(r["hashed_id_num"], hashed);
  // The signature verifies with the certificate the answer carries, over the documented text.
  auto cert = crypto::Certificate::from_der(crypto::from_base64(r["cert"].get<std::string>()));
  EXPECT_TRUE(crypto::verify_signature(cert.public_key(), crypto::DigestAlgorithm::Sha256,
                                       crypto::as_bytes(txn + "|" + ticket + "|" + hashed),
                                       crypto::from_base64(r["signed_response"].get<std::string>())));
  const std::string sig = r["signed_response"];
  const std::array<std::string_view, 4> fields{txn, ticket, hashed, sig};
  EXPECT_TRUE(fido::checksum_valid(kKey, fields, r["idp_checksum"].get<std::string>()));
  // Redeemed: a second fetch is refused. The two polls were 4 s apart (a refused fetch is no poll).
  EXPECT_EQ(fido.get_result(by_ticket(txn, ticket))["error_code"], "1103");
  EXPECT_EQ(fido.shortest_poll_interval(), std::chrono::milliseconds(4000));
}

TEST_F(FidoFixture, CancelledExpiredAndUnboundEachHaveTheirCode) {
  auto [txn, ticket] = pushed();
  ASSERT_TRUE(fido.answer(ticket, false));
  EXPECT_FALSE(fido.answer(ticket, true));  // answered already
  EXPECT_EQ(fido.get_result(by_ticket(txn, ticket))["error_code"], "9015");

  auto [txn2, ticket2] = pushed();
  clock.advance(121s);
  EXPECT_EQ(fido.get_result(by_ticket(txn2, ticket2))["error_code"], "1101");
  EXPECT_FALSE(fido.answer(ticket2, true));
  EXPECT_TRUE(fido.pending_for(std::string(kId)).empty());

  EXPECT_EQ(fido.get_sp_ticket(ath01("B223456782"))["error_code"], "1051");  // no device bound
  EXPECT_EQ(fido.get_sp_ticket(ath01("A123456788"))["error_code"], "9006");  // not an ID number
}

TEST_F(FidoFixture, ChecksumsTransactionsAndParametersAreChecked) {
  crypto::Bytes other = kKey;
  other[0] ^= 1;
  EXPECT_EQ(fido.get_sp_ticket(ath01(kId, 120, other))["error_code"], "9004");
  json req = ath01();
  EXPECT_EQ(fido.get_sp_ticket(req)["error_code"], "0");
  EXPECT_EQ(fido.get_sp_ticket(req)["error_code"], "1074");  // the same transaction id again
  json tampered = ath01();
  tampered["id_num"] = "B223456782";  // the checksum was over another ID number
  EXPECT_EQ(fido.get_sp_ticket(tampered)["error_code"], "9004");
  EXPECT_EQ(fido.get_sp_ticket(ath01(kId, 10))["error_code"], "9001");   // time_limit under 30 s
  EXPECT_EQ(fido.get_sp_ticket(ath01(kId, 601))["error_code"], "9001");  // over 600 s
  EXPECT_EQ(fido.get_sp_ticket(json::array())["error_code"], "9001");
  json wrong_type = ath01();
  wrong_type["id_num"] = 7;
  EXPECT_EQ(fido.get_sp_ticket(wrong_type)["error_code"], "9001");
  // ATH-02 with a checksum over another ticket, or an unknown one.
  auto [txn, ticket] = pushed();
  json moved = by_ticket(txn, ticket);
  moved["sp_ticket_id"] = "0000";
  EXPECT_EQ(fido.get_result(moved)["error_code"], "9004");
  EXPECT_EQ(fido.get_result(by_ticket(txn, "0000"))["error_code"], "9007");
}

}  // namespace
}  // namespace ecpa::sim
