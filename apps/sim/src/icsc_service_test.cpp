#include "icsc_service.hpp"

#include <gtest/gtest.h>

#include "sim_test_support.hpp"

namespace ecpa::sim {
namespace {

using namespace std::chrono_literals;
using testing::kPinnedNow;
using testing::shared_pki;

struct Client {
  crypto::PrivateKey key = crypto::PrivateKey::generate_rsa(2048);
  crypto::Certificate cert =
      crypto::CertificateBuilder()
          .subject(crypto::DistinguishedName({{"C", "TW"}, {"O", "人事服務網"}, {"CN", "rp"}}))
          .public_key(key.public_key())
          .validity(kPinnedNow - 24h, kPinnedNow + 24h)
          .key_usage({.digital_signature = true})
          .sign(shared_pki().ca("gca").cert, shared_pki().ca("gca").key);
  std::string id() const { return crypto::to_hex(crypto::sha1(cert.der()), true); }
};

struct Fixture {
  Client client;
  testing::SoftCard active = testing::soft_citizen(shared_pki().ca("moica"), "1111222233334444");
  testing::SoftCard future =
      testing::soft_citizen(shared_pki().ca("moica"), "5555666677778888", kPinnedNow + 48h);
  RegistryData registry;
  Fixture() {
    registry.cards.push_back(testing::card_with("TP1", "A123456789", "1111222233334444", active.cert));
    registry.cards.push_back(testing::card_with("TP2", "A123456789", "5555666677778888", future.cert));
    registry.icsc_clients.push_back({client.id(), client.cert.pem()});
  }
};
const Fixture& fx() {
  static Fixture f;
  return f;
}

struct Rec {
  std::string sn, ssid;
};

std::string icsreq(const std::string& client_id, const std::string& nonce, const std::string& time,
                   const std::vector<Rec>& recs, const std::string& total = "") {
  std::string s = "<ICSReq><ClientID>" + client_id + "</ClientID><Nonce>" + nonce + "</Nonce><ReqTime>" +
                  time + "</ReqTime><TotalCount>" + (total.empty() ? std::to_string(recs.size()) : total) +
                  "</TotalCount>";
  int i = 1;
  for (const auto& r : recs) {
    s += "<Rec><ID>" + std::to_string(i++) + "</ID><SN>" + r.sn + "</SN><SSID>" + r.ssid + "</SSID></Rec>";
  }
  return s + "</ICSReq>";
}

std::string wrap(const std::string& req, const crypto::PrivateKey& key, const std::string& length = "") {
  auto sig = key.sign(crypto::DigestAlgorithm::Sha1, crypto::as_bytes(req));
  return "<ICSRequest>" + req + "<ICSReqLength>" + (length.empty() ? std::to_string(req.size()) : length) +
         "</ICSReqLength><Signature>" + crypto::to_hex(sig, true) + "</Signature></ICSRequest>";
}

std::string ask(const std::string& xml) {
  ManualClock clock(kPinnedNow);
  return IcscService(clock).handle(xml, fx().registry);
}

std::string good_request(const std::vector<Rec>& recs) {
  return wrap(icsreq(fx().client.id(), "ABCDEFGHIJ12345", icsc_time(kPinnedNow), recs), fx().client.key);
}

TEST(Icsc, CodesPerRecord) {
  auto out = ask(good_request({{"1111222233334444", "A123456789"},
                               {"1111222233334444", "B123456780"},
                               {"5555666677778888", "a123456789"},
                               {"9999999999999999", "A123456789"}}));
  EXPECT_EQ(
      out.rfind("<ICSResponse><ClientID>" + fx().client.id() + "</ClientID><Nonce>ABCDEFGHIJ12345</Nonce>",
                0),
      0u)
      << out;
  EXPECT_NE(out.find("<TotalCount>4</TotalCount>"), std::string::npos);
  EXPECT_NE(out.find("<Rec><ID>1</ID><SN>1111222233334444</SN><SSID4>6789</SSID4><Code>0</Code></Rec>"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<Rec><ID>2</ID><SN>1111222233334444</SN><SSID4>6780</SSID4><Code>1</Code></Rec>"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<ID>3</ID><SN>5555666677778888</SN><SSID4>6789</SSID4><Code>2</Code>"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<ID>4</ID><SN>9999999999999999</SN><SSID4>6789</SSID4><Code>1</Code>"),
            std::string::npos)
      << out;
}

TEST(Icsc, RevokedCertificateIsCode1) {
  Fixture f;
  f.registry.cards[0].certs[0].revoked_at = kPinnedNow - 1h;
  ManualClock clock(kPinnedNow);
  auto out = IcscService(clock).handle(wrap(icsreq(f.client.id(), "ABCDEFGHIJ12345", icsc_time(kPinnedNow),
                                                   {{"1111222233334444", "A123456789"}}),
                                            f.client.key),
                                       f.registry);
  EXPECT_NE(out.find("<Code>1</Code>"), std::string::npos) << out;
}

void expect_err(const std::string& xml, int err) {
  auto out = ask(xml);
  EXPECT_NE(out.find("<ErrID>" + std::to_string(err) + "</ErrID>"), std::string::npos) << out;
  EXPECT_EQ(out.find("<Code>"), std::string::npos) << out;
}

TEST(Icsc, RefusalsHaveErrIds) {
  const Rec ok{"1111222233334444", "A123456789"};
  const std::string now = icsc_time(kPinnedNow);
  const auto& key = fx().client.key;
  expect_err("", 1001);
  expect_err("<ICSRequest>", 1001);
  expect_err("<ICSRequest><ICSReq><ClientID>&amp;</ClientID></ICSReq></ICSRequest>", 1001);
  expect_err(good_request({ok}) + "<extra/>", 1001);
  expect_err(wrap(icsreq(fx().client.id(), "ABCDEFGHIJ12345", now, {ok}), key, "3"), 1002);
  expect_err(wrap(icsreq(fx().client.id(), "short", now, {ok}), key), 1003);
  expect_err(wrap(icsreq(fx().client.id(), "ABCDEFGHIJ12345", icsc_time(kPinnedNow - 1h), {ok}), key), 1004);
  expect_err(wrap(icsreq(fx().client.id(), "ABCDEFGHIJ12345", "2026011", {ok}), key), 1004);
  expect_err(wrap(icsreq(fx().client.id(), "ABCDEFGHIJ12345", now, {ok}, "2"), key), 1005);
  expect_err(wrap(icsreq(fx().client.id(), "ABCDEFGHIJ12345", now, {}), key), 1005);
  expect_err(wrap(icsreq(fx().client.id(), "ABCDEFGHIJ12345", now, {{"12", "A123456789"}}), key), 1006);
  expect_err(wrap(icsreq(std::string(40, 'A'), "ABCDEFGHIJ12345", now, {ok}), key), 1020);
  auto other = crypto::PrivateKey::generate_rsa(2048);
  expect_err(wrap(icsreq(fx().client.id(), "ABCDEFGHIJ12345", now, {ok}), other), 1021);
  // One changed byte after signing (the SSID) must break the signature.
  auto tampered = good_request({ok});
  tampered.replace(tampered.find("A123456789"), 10, "A123456780");
  expect_err(tampered, 1021);
}

TEST(Icsc, ExpiredClientCertificate) {
  ManualClock clock(kPinnedNow + 72h);
  auto xml = wrap(icsreq(fx().client.id(), "ABCDEFGHIJ12345", icsc_time(kPinnedNow + 72h),
                         {{"1111222233334444", "A123456789"}}),
                  fx().client.key);
  auto out = IcscService(clock).handle(xml, fx().registry);
  EXPECT_NE(out.find("<ErrID>1023</ErrID>"), std::string::npos) << out;
}

TEST(Icsc, UpToAThousandRecords) {
  std::vector<Rec> recs(1000, {"1111222233334444", "A123456789"});
  auto out = ask(good_request(recs));
  EXPECT_NE(out.find("<TotalCount>1000</TotalCount>"), std::string::npos);
  recs.push_back(recs[0]);
  expect_err(good_request(recs), 1005);
}

TEST(Icsc, TimeIsTaiwanTime) { EXPECT_EQ(icsc_time(kPinnedNow), "20260115080000"); }

}  // namespace
}  // namespace ecpa::sim
