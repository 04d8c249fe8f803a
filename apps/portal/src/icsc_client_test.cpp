#include "icsc_client.hpp"

#include <gtest/gtest.h>

#include <map>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"
#include "ecpa/http/server.hpp"
#include "ecpa/http/url.hpp"

namespace ecpa::portal {
namespace {

using crypto::testing::KeyAndCert;

const KeyAndCert& relying_party() {
  static const KeyAndCert rp = [] {
    static const KeyAndCert root = crypto::testing::make_root("RP Root");
    return crypto::testing::make_issuing_ca(root, "Relying Party");
  }();
  return rp;
}

tw::NationalId id(std::string_view text) { return tw::NationalId::parse(text).value(); }

std::string element(const std::string& xml, const std::string& tag) {
  auto a = xml.find("<" + tag + ">");
  auto b = xml.find("</" + tag + ">");
  if (a == std::string::npos || b == std::string::npos) return {};
  return xml.substr(a + tag.size() + 2, b - a - tag.size() - 2);
}

std::string client_id() { return crypto::to_hex(crypto::sha1(relying_party().cert.der()), true); }

TEST(IcscRequest, IsSignedOverTheExactIcsReqText) {
  ManualClock clock(crypto::testing::kPinnedNow);
  auto r = build_icsc_request(relying_party().cert, relying_party().key, "abcDEF123456789", clock.now(),
                              "0000000112345678", id("A123456789"));
  EXPECT_EQ(
      r.ics_req.rfind("<ICSReq><ClientID>" + client_id() + "</ClientID><Nonce>abcDEF123456789</Nonce>", 0),
      0u);
  // 2026-01-15T00:00:00Z is 08:00 in Taiwan.
  EXPECT_NE(r.ics_req.find("<ReqTime>20260115080000</ReqTime><TotalCount>1</TotalCount>"), std::string::npos);
  EXPECT_NE(r.ics_req.find("<Rec><ID>1</ID><SN>0000000112345678</SN><SSID>A123456789</SSID></Rec></ICSReq>"),
            std::string::npos);
  auto form = http::parse_form(r.body);
  ASSERT_EQ(form.count("ICSRequestXMLData"), 1u);
  const std::string xml = form.find("ICSRequestXMLData")->second;
  EXPECT_EQ(element(xml, "ICSReqLength"), std::to_string(r.ics_req.size()));
  auto sig = crypto::from_hex(element(xml, "Signature"));
  EXPECT_TRUE(crypto::verify_signature(relying_party().cert.public_key(), crypto::DigestAlgorithm::Sha1,
                                       crypto::as_bytes(r.ics_req), sig));
  EXPECT_FALSE(crypto::verify_signature(relying_party().cert.public_key(), crypto::DigestAlgorithm::Sha1,
                                        crypto::as_bytes(r.ics_req + " "), sig));
}

TEST(IcscRequest, RefusesASerialThatCouldInjectXml) {
  ManualClock clock(crypto::testing::kPinnedNow);
  try {
    (void)build_icsc_request(relying_party().cert, relying_party().key, "n", clock.now(), "1</SN><SSID>B1",
                             id("A123456789"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::IDENTITY_CHECK_FAILED);
  }
}

std::string answer(const std::string& cid, const std::string& nonce, const std::string& sn,
                   const std::string& code) {
  return "<ICSResponse><ClientID>" + cid + "</ClientID><Nonce>" + nonce +
         "</Nonce><ReqTime>20260115080000</ReqTime><TotalCount>1</TotalCount><Rec><ID>1</ID><SN>" + sn +
         "</SN><SSID4>6789</SSID4><Code>" + code + "</Code></Rec></ICSResponse>";
}

ErrorCode failure(const std::string& xml) {
  try {
    (void)parse_icsc_response(xml, "CID", "N1", "SN1");
  } catch (const Error& e) {
    return e.code();
  }
  return codes::INTERNAL_ERROR;
}

TEST(IcscResponse, MapsCodes) {
  EXPECT_EQ(parse_icsc_response(answer("CID", "N1", "SN1", "0"), "CID", "N1", "SN1"), IdentityVerdict::Match);
  EXPECT_EQ(parse_icsc_response(answer("CID", "N1", "SN1", "1"), "CID", "N1", "SN1"),
            IdentityVerdict::NoMatch);
  EXPECT_EQ(parse_icsc_response(answer("CID", "N1", "SN1", "2"), "CID", "N1", "SN1"),
            IdentityVerdict::NotActivated);
  EXPECT_EQ(failure(answer("CID", "N1", "SN1", "999")), codes::IDENTITY_CHECK_UNAVAILABLE);
}

TEST(IcscResponse, RefusesAnswersThatAreNotForThisRequest) {
  EXPECT_EQ(failure(answer("OTHER", "N1", "SN1", "0")), codes::IDENTITY_CHECK_UNAVAILABLE);
  EXPECT_EQ(failure(answer("CID", "N2", "SN1", "0")), codes::IDENTITY_CHECK_UNAVAILABLE);
  EXPECT_EQ(failure(answer("CID", "N1", "SN2", "0")), codes::IDENTITY_CHECK_UNAVAILABLE);
  EXPECT_EQ(failure("<ICSResponse><ErrID>1021</ErrID></ICSResponse>"), codes::IDENTITY_CHECK_UNAVAILABLE);
  EXPECT_EQ(failure("garbage"), codes::IDENTITY_CHECK_UNAVAILABLE);
  // Two Codes: never pick the friendlier one.
  EXPECT_EQ(failure(answer("CID", "N1", "SN1", "1") + "<Code>0</Code>"), codes::IDENTITY_CHECK_UNAVAILABLE);
}

// An ICSC responder on loopback that checks the request the way the service does (signature by the
// registered client certificate over the exact <ICSReq> text) and answers from a table of ID → code.
class IcscResponder {
 public:
  std::map<std::string, std::string> codes_by_id;
  std::string tamper;  // "nonce" | "status" to misbehave
  int requests = 0;

  IcscResponder() : server_(options(), [this](const http::Request& r) { return handle(r); }) {}
  std::string url() const { return server_.url() + "/ICSC/ics"; }

 private:
  static http::ServerOptions options() {
    http::ServerOptions o;
    o.address = "127.0.0.1";
    o.handler_threads = 0;
    return o;
  }
  http::Response handle(const http::Request& r) {
    ++requests;
    if (tamper == "status") return http::Response::text("down", 503);
    auto form = http::parse_form(r.body);
    auto it = form.find("ICSRequestXMLData");
    if (it == form.end()) return http::Response::text("<ICSResponse><ErrID>1001</ErrID></ICSResponse>");
    const std::string xml = it->second;
    const auto start = xml.find("<ICSReq>");
    const auto end = xml.find("</ICSReq>");
    const std::string ics_req = xml.substr(start, end + 9 - start);
    const bool signed_ok =
        crypto::verify_signature(relying_party().cert.public_key(), crypto::DigestAlgorithm::Sha1,
                                 crypto::as_bytes(ics_req), crypto::from_hex(element(xml, "Signature")));
    if (!signed_ok || element(xml, "ClientID") != client_id())
      return http::Response::text("<ICSResponse><ErrID>1021</ErrID></ICSResponse>");
    std::string nonce = element(xml, "Nonce");
    if (tamper == "nonce") nonce = "XXXXXXXXXXXXXXX";
    auto code = codes_by_id.find(element(xml, "SSID"));
    return http::Response::text(
        answer(client_id(), nonce, element(xml, "SN"), code == codes_by_id.end() ? "1" : code->second));
  }
  http::Server server_;
};

IcscClient client_for(const IcscResponder& responder, const Clock& clock) {
  auto key = crypto::PrivateKey::from_pem(relying_party().key.pem());
  return IcscClient(responder.url(), relying_party().cert, std::move(key), http::ClientOptions{}, clock,
                    log::Logger::to_stderr("test", log::Level::Error));
}

TEST(IcscClient, AsksTheServiceOverHttp) {
  IcscResponder responder;
  responder.codes_by_id = {{"A123456789", "0"}, {"B123456780", "2"}};
  ManualClock clock(crypto::testing::kPinnedNow);
  IcscClient client = client_for(responder, clock);
  EXPECT_EQ(client.check("0000000112345678", id("A123456789")), IdentityVerdict::Match);
  EXPECT_EQ(client.check("0000000112345678", id("B123456780")), IdentityVerdict::NotActivated);
  EXPECT_EQ(client.check("0000000112345678", id("A800000014")), IdentityVerdict::NoMatch);
  EXPECT_EQ(responder.requests, 3);
}

TEST(IcscClient, UnavailableWhenTheAnswerCannotBeTrusted) {
  IcscResponder responder;
  responder.codes_by_id = {{"A123456789", "0"}};
  ManualClock clock(crypto::testing::kPinnedNow);
  IcscClient client = client_for(responder, clock);
  for (std::string tamper : {"nonce", "status"}) {
    responder.tamper = tamper;
    try {
      (void)client.check("0000000112345678", id("A123456789"));
      ADD_FAILURE() << tamper;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), codes::IDENTITY_CHECK_UNAVAILABLE) << tamper;
    }
  }
}

TEST(IcscClient, UnavailableWhenNobodyAnswers) {
  ManualClock clock(crypto::testing::kPinnedNow);
  auto key = crypto::PrivateKey::from_pem(relying_party().key.pem());
  http::ClientOptions o;
  o.connect_timeout = std::chrono::milliseconds(500);
  IcscClient client("http://127.0.0.1:1/ics", relying_party().cert, std::move(key), o, clock,
                    log::Logger::to_stderr("test", log::Level::Error));
  try {
    (void)client.check("0000000112345678", id("A123456789"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::IDENTITY_CHECK_UNAVAILABLE);
  }
}

TEST(IcscClient, RefusesAKeyThatIsNotTheCertificates) {
  ManualClock clock(crypto::testing::kPinnedNow);
  EXPECT_THROW(IcscClient("http://127.0.0.1:1/", relying_party().cert, crypto::PrivateKey::generate_rsa(2048),
                          http::ClientOptions{}, clock, log::Logger::to_stderr("t")),
               Error);
}

}  // namespace
}  // namespace ecpa::portal
