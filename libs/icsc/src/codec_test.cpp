#include "ecpa/icsc/codec.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"

namespace ecpa::icsc {
namespace {

using crypto::testing::KeyAndCert;

const KeyAndCert& relying_party() {
  static const KeyAndCert rp = crypto::testing::make_root("ICSC relying party");
  return rp;
}

const std::string kClientId = "0123456789ABCDEF0123456789abcdef01234567";
const std::string kNonce = "abcDEF123456789";
const std::string kTime = "20260115080000";

Request one_record_request() {
  return Request{kClientId, kNonce, kTime, {{"1", "0000000112345678", "A123456789"}}};
}

// The exact text REFERENCE §3 shows, with our values.
const std::string kSignedPart =
    "<ICSReq><ClientID>0123456789ABCDEF0123456789abcdef01234567</ClientID><Nonce>abcDEF123456789</Nonce>"
    "<ReqTime>20260115080000</ReqTime><TotalCount>1</TotalCount><Rec><ID>1</ID><SN>0000000112345678</SN>"
    "<SSID>A123456789</SSID></Rec></ICSReq>";

// A signed request document around any <ICSReq> text (lets tests send what sign_request would refuse).
std::string document(const std::string& signed_part, const std::string& length = "") {
  auto sig = relying_party().key.sign(crypto::DigestAlgorithm::Sha1, crypto::as_bytes(signed_part));
  return "<ICSRequest>" + signed_part + "<ICSReqLength>" +
         (length.empty() ? std::to_string(signed_part.size()) : length) + "</ICSReqLength><Signature>" +
         crypto::to_hex(sig, true) + "</Signature></ICSRequest>";
}

Refusal refusal_of(const std::string& xml) {
  try {
    (void)parse_request(xml);
  } catch (const RequestRefused& e) {
    EXPECT_EQ(e.code(), codes::ICSC_REQUEST_INVALID);
    EXPECT_EQ(e.params().at("err_id"), std::to_string(e.refusal().err_id));
    return e.refusal();
  }
  ADD_FAILURE() << "accepted: " << xml.substr(0, 200);
  return Refusal{-1, "", ""};
}

ErrorCode build_failure(const Request& r) {
  try {
    (void)sign_request(r, relying_party().key);
  } catch (const Error& e) {
    return e.code();
  }
  return codes::INTERNAL_ERROR;
}

TEST(IcscRequest, IsTheReferenceTextSignedAsItStands) {
  const SignedRequest s = sign_request(one_record_request(), relying_party().key);
  EXPECT_EQ(s.signed_part, kSignedPart);
  const std::string head = "<ICSRequest>" + kSignedPart + "<ICSReqLength>" +
                           std::to_string(kSignedPart.size()) + "</ICSReqLength><Signature>";
  ASSERT_EQ(s.document.rfind(head, 0), 0u) << s.document;
  ASSERT_TRUE(s.document.ends_with("</Signature></ICSRequest>"));
  const std::string hex = s.document.substr(
      head.size(), s.document.size() - head.size() - std::string("</Signature></ICSRequest>").size());
  EXPECT_EQ(hex, crypto::to_hex(crypto::from_hex(hex), /*upper=*/true));  // uppercase hex
  EXPECT_TRUE(crypto::verify_signature(relying_party().cert.public_key(), crypto::DigestAlgorithm::Sha1,
                                       crypto::as_bytes(kSignedPart), crypto::from_hex(hex)));
}

TEST(IcscRequest, RoundTripsThroughTheServicesReader) {
  Request r = one_record_request();
  r.records.push_back({"2", "1111222233334444", "b223456789"});
  const SignedRequest s = sign_request(r, relying_party().key);
  const ReceivedRequest got = parse_request(s.document);
  EXPECT_EQ(got.request.client_id, r.client_id);
  EXPECT_EQ(got.request.nonce, r.nonce);
  EXPECT_EQ(got.request.req_time, r.req_time);
  ASSERT_EQ(got.request.records.size(), 2u);
  EXPECT_EQ(got.request.records[1].id, "2");
  EXPECT_EQ(got.request.records[1].sn, "1111222233334444");
  EXPECT_EQ(got.request.records[1].ssid, "b223456789");
  EXPECT_EQ(got.total_count, "2");
  EXPECT_EQ(got.signed_part, s.signed_part);
  EXPECT_TRUE(signature_verifies(got, relying_party().cert.public_key()));
}

TEST(IcscRequest, BuilderRefusesWhatTheReaderWouldRefuse) {
  auto with = [](auto change) {
    Request r = one_record_request();
    change(r);
    return build_failure(r);
  };
  EXPECT_EQ(with([](Request& r) { r.records[0].sn = "1</SN><SSID>B1"; }), codes::ICSC_REQUEST_INVALID);
  EXPECT_EQ(with([](Request& r) { r.records[0].sn = "123"; }), codes::ICSC_REQUEST_INVALID);
  EXPECT_EQ(with([](Request& r) { r.records[0].ssid = "A12345678&"; }), codes::ICSC_REQUEST_INVALID);
  EXPECT_EQ(with([](Request& r) { r.records[0].id = "12345"; }), codes::ICSC_REQUEST_INVALID);
  EXPECT_EQ(with([](Request& r) { r.client_id = "CID"; }), codes::ICSC_REQUEST_INVALID);
  EXPECT_EQ(with([](Request& r) { r.nonce = "short"; }), codes::ICSC_REQUEST_INVALID);
  EXPECT_EQ(with([](Request& r) { r.req_time = "2026-01-15 08:00"; }), codes::ICSC_REQUEST_INVALID);
  EXPECT_EQ(with([](Request& r) { r.records.clear(); }), codes::ICSC_REQUEST_INVALID);
  EXPECT_EQ(with([](Request& r) { r.records.resize(kMaxRecords + 1, r.records[0]); }),
            codes::ICSC_REQUEST_INVALID);
  EXPECT_EQ(with([](Request& r) { r.records.resize(kMaxRecords, r.records[0]); }), codes::INTERNAL_ERROR);
}

TEST(IcscRequest, ReaderRefusalsCarryTheServicesErrIds) {
  const std::string ok = document(kSignedPart);
  EXPECT_EQ(refusal_of("").err_id, err_id::kNotXml);
  EXPECT_EQ(refusal_of("garbage").err_id, err_id::kNotXml);
  EXPECT_EQ(refusal_of("<ICSRequest>").err_id, err_id::kNotXml);
  EXPECT_EQ(refusal_of(ok + "<extra/>").err_id, err_id::kNotXml);
  EXPECT_EQ(refusal_of(ok.substr(0, ok.size() - 1)).err_id, err_id::kNotXml);
  EXPECT_EQ(refusal_of(document(kSignedPart, "3")).err_id, err_id::kLengthMismatch);
  auto part = [](const std::string& from, const std::string& to) {
    std::string s = kSignedPart;
    s.replace(s.find(from), from.size(), to);
    return document(s);
  };
  EXPECT_EQ(refusal_of(part(kNonce, "short")).err_id, err_id::kBadNonce);
  EXPECT_EQ(refusal_of(part(kNonce, "abcDEF12345678!")).err_id, err_id::kBadNonce);
  EXPECT_EQ(refusal_of(part("<SN>0000000112345678", "<SN>12")).err_id, err_id::kBadRecord);
  EXPECT_EQ(refusal_of(part("<SSID>A123456789", "<SSID>A12345678")).err_id, err_id::kBadRecord);
  EXPECT_EQ(refusal_of(part("<ID>1</ID>", "<ID>12345</ID>")).err_id, err_id::kBadRecord);
  EXPECT_EQ(refusal_of(part("<SSID>", "<SSN>")).err_id, err_id::kBadRecord);
  EXPECT_EQ(refusal_of(part(kClientId, "CID")).err_id, err_id::kNotXml);
}

TEST(IcscRequest, RefusalsEchoOnlyWhatWasReadWellFormed) {
  std::string bad_nonce = kSignedPart;
  bad_nonce.replace(bad_nonce.find(kNonce), kNonce.size(), "short");
  Refusal r = refusal_of(document(bad_nonce));
  EXPECT_EQ(r.client_id, kClientId);
  EXPECT_EQ(r.nonce, "");
  r = refusal_of(document(kSignedPart) + "tail");
  EXPECT_EQ(r.client_id, kClientId);
  EXPECT_EQ(r.nonce, kNonce);
  r = refusal_of("<ICSRequest><ICSReq><ClientID>&amp;</ClientID></ICSReq></ICSRequest>");
  EXPECT_EQ(r.client_id, "");
}

TEST(IcscRequest, OneReadingOnly) {
  const std::string ok = document(kSignedPart);
  // Around the document: a declaration and whitespace are fine.
  EXPECT_NO_THROW((void)parse_request("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + ok + "\r\n"));
  EXPECT_NO_THROW((void)parse_request("  " + ok));
  EXPECT_EQ(refusal_of("<?xml version=\"1.0\"" + ok).err_id, err_id::kNotXml);
  // Inside it: no whitespace, attributes, comments, entities or CDATA, and elements in order.
  auto edit = [&](const std::string& from, const std::string& to) {
    std::string s = ok;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  EXPECT_EQ(refusal_of(edit("<Nonce>", " <Nonce>")).err_id, err_id::kNotXml);
  EXPECT_EQ(refusal_of(edit("<ICSReq>", "<ICSReq a=\"1\">")).err_id, err_id::kNotXml);
  EXPECT_EQ(refusal_of(edit("<ReqTime>", "<!-- x --><ReqTime>")).err_id, err_id::kNotXml);
  EXPECT_EQ(refusal_of(edit("<ReqTime>20260115080000", "<ReqTime>&#50;0260115080000")).err_id,
            err_id::kNotXml);
  EXPECT_EQ(refusal_of(edit("<ReqTime>20260115080000", "<ReqTime><![CDATA[2]]>")).err_id, err_id::kNotXml);
  EXPECT_EQ(refusal_of(edit("<Nonce>abcDEF123456789</Nonce><ReqTime>20260115080000</ReqTime>",
                            "<ReqTime>20260115080000</ReqTime><Nonce>abcDEF123456789</Nonce>"))
                .err_id,
            err_id::kNotXml);
}

TEST(IcscRequest, SizeLimits) {
  Request r = one_record_request();
  r.records.assign(kMaxRecords, r.records[0]);
  const SignedRequest thousand = sign_request(r, relying_party().key);
  EXPECT_EQ(parse_request(thousand.document).request.records.size(), kMaxRecords);
  // One more record than the service takes.
  std::string part = thousand.signed_part;
  part.insert(part.find("</ICSReq>"),
              "<Rec><ID>1</ID><SN>0000000112345678</SN><SSID>A123456789</SSID></Rec>");
  EXPECT_EQ(refusal_of(document(part)).err_id, err_id::kBadTotalCount);
  // Larger than any ICSC message, refused before it is read.
  EXPECT_EQ(refusal_of(document(kSignedPart) + std::string(kMaxMessageBytes, ' ')).err_id, err_id::kNotXml);
}

TEST(IcscRequest, SignatureCoversTheExactText) {
  ReceivedRequest got = parse_request(document(kSignedPart));
  EXPECT_TRUE(signature_verifies(got, relying_party().cert.public_key()));
  ReceivedRequest tampered = got;
  tampered.signed_part.replace(tampered.signed_part.find("A123456789"), 10, "A123456780");
  EXPECT_FALSE(signature_verifies(tampered, relying_party().cert.public_key()));
  ReceivedRequest bad_hex = got;
  bad_hex.signature_hex = "XYZ";
  EXPECT_FALSE(signature_verifies(bad_hex, relying_party().cert.public_key()));
  const auto other = crypto::testing::make_root("someone else");
  EXPECT_FALSE(signature_verifies(got, other.cert.public_key()));
}

TEST(IcscRequest, ClientIdIsTheCertificatesUppercaseSha1) {
  const std::string id = client_id_of(relying_party().cert);
  EXPECT_EQ(id, crypto::to_hex(crypto::sha1(relying_party().cert.der()), true));
  EXPECT_TRUE(is_client_id(id));
  EXPECT_EQ(id.find_first_of("abcdef"), std::string::npos);
}

const std::string kAnswer =
    "<ICSResponse><ClientID>" + kClientId +
    "</ClientID><Nonce>abcDEF123456789</Nonce>"
    "<ReqTime>20260115080000</ReqTime><TotalCount>2</TotalCount>"
    "<Rec><ID>1</ID><SN>0000000112345678</SN><SSID4>6789</SSID4><Code>0</Code></Rec>"
    "<Rec><ID>2</ID><SN>1111222233334444</SN><SSID4>6780</SSID4><Code>999</Code></Rec></ICSResponse>";

Response two_record_response() {
  return Response{kClientId,
                  kNonce,
                  kTime,
                  {{"1", "0000000112345678", "6789", code::kMatch}, {"2", "1111222233334444", "6780", 999}}};
}

ErrorCode response_failure(const std::string& xml) {
  try {
    (void)parse_response(xml);
  } catch (const Error& e) {
    return e.code();
  }
  return codes::INTERNAL_ERROR;
}

TEST(IcscResponse, IsTheReferenceLayoutAndRoundTrips) {
  EXPECT_EQ(build_response(two_record_response()), kAnswer);
  auto parsed = parse_response(kAnswer);
  ASSERT_TRUE(std::holds_alternative<Response>(parsed));
  const auto& r = std::get<Response>(parsed);
  EXPECT_EQ(r.client_id, kClientId);
  EXPECT_EQ(r.nonce, kNonce);
  EXPECT_EQ(r.req_time, kTime);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].code, code::kMatch);
  EXPECT_EQ(r.records[1].sn, "1111222233334444");
  EXPECT_EQ(r.records[1].ssid4, "6780");
  EXPECT_EQ(r.records[1].code, code::kDatabaseError);
}

TEST(IcscResponse, RefusalsRoundTripWithAndWithoutEchoes) {
  EXPECT_EQ(build_refusal(Refusal{err_id::kDatabaseError, "", ""}),
            "<ICSResponse><ErrID>999</ErrID></ICSResponse>");
  const std::string echoed = build_refusal(Refusal{err_id::kBadSignature, kClientId, kNonce});
  EXPECT_EQ(echoed, "<ICSResponse><ClientID>" + kClientId + "</ClientID><Nonce>" + kNonce +
                        "</Nonce><ErrID>1021</ErrID></ICSResponse>");
  auto parsed = parse_response(echoed);
  ASSERT_TRUE(std::holds_alternative<Refusal>(parsed));
  EXPECT_EQ(std::get<Refusal>(parsed).err_id, err_id::kBadSignature);
  EXPECT_EQ(std::get<Refusal>(parsed).client_id, kClientId);
  EXPECT_EQ(std::get<Refusal>(parsed).nonce, kNonce);
  parsed = parse_response("<ICSResponse><ErrID>1023</ErrID></ICSResponse>");
  ASSERT_TRUE(std::holds_alternative<Refusal>(parsed));
  EXPECT_EQ(std::get<Refusal>(parsed).err_id, err_id::kClientCertExpired);
  EXPECT_EQ(std::get<Refusal>(parsed).client_id, "");
}

TEST(IcscResponse, ToleratesADeclarationAndLayoutWhitespace) {
  const std::string pretty =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<ICSResponse>\n  <ClientID>" + kClientId +
      "</ClientID>\n  <Nonce>abcDEF123456789</Nonce>\n  <ReqTime>20260115080000</ReqTime>\n"
      "  <TotalCount>1</TotalCount>\n  <Rec>\n    <ID>1</ID>\n    <SN>0000000112345678</SN>\n"
      "    <SSID4>6789</SSID4>\n    <Code>2</Code>\n  </Rec>\n</ICSResponse>\n";
  auto parsed = parse_response(pretty);
  ASSERT_TRUE(std::holds_alternative<Response>(parsed));
  ASSERT_EQ(std::get<Response>(parsed).records.size(), 1u);
  EXPECT_EQ(std::get<Response>(parsed).records[0].code, code::kNotActivated);
  // Whitespace inside a value is content, and no value of ICSC has any.
  std::string padded = pretty;
  padded.replace(padded.find("6789</SSID4>"), 12, "6789 </SSID4>");
  EXPECT_EQ(response_failure(padded), codes::ICSC_RESPONSE_INVALID);
}

TEST(IcscResponse, RefusesAnythingElse) {
  auto edit = [](const std::string& from, const std::string& to) {
    std::string s = kAnswer;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  for (const std::string& bad : {
           std::string(""),
           std::string("garbage"),
           kAnswer + "<Code>0</Code>",                                  // a second Code after the document
           edit("<Code>999</Code>", "<Code>999</Code><Code>0</Code>"),  // a second Code in a record
           edit("<TotalCount>2</TotalCount>", "<TotalCount>1</TotalCount>"),
           edit("<TotalCount>2</TotalCount>", ""),
           edit("<Nonce>abcDEF123456789</Nonce>", ""),
           edit("<Code>0</Code>", "<Code>zero</Code>"),
           edit("<Code>0</Code>", "<Code>00000</Code>"),
           edit("<Code>0</Code>", "<Code> 0</Code>"),
           edit("<SSID4>6789</SSID4>", "<SSID4>&lt;</SSID4>"),
           edit("<SN>0000000112345678</SN>", "<SN>" + std::string(65, '1') + "</SN>"),
           edit("<Rec>", "<Rec id=\"1\">"),
           edit("<Rec>", "<!-- x --><Rec>"),
           edit("</ICSResponse>", "<ErrID>1001</ErrID></ICSResponse>"),  // an answer and a refusal
           edit("<ClientID>", "<Nonce>x</Nonce><ClientID>"),             // out of order
           std::string("<ICSResponse><ClientID>A</ClientID><Nonce>B</Nonce><ReqTime>C</ReqTime>"
                       "<TotalCount>0</TotalCount></ICSResponse>"),  // no record
           std::string("<ICSResponse><ErrID>x</ErrID></ICSResponse>"),
       }) {
    EXPECT_EQ(response_failure(bad), codes::ICSC_RESPONSE_INVALID) << bad;
  }
}

TEST(IcscResponse, SizeLimits) {
  Response r = two_record_response();
  r.records.assign(kMaxRecords, r.records[0]);
  const std::string thousand = build_response(r);
  EXPECT_EQ(std::get<Response>(parse_response(thousand)).records.size(), kMaxRecords);
  std::string more = thousand;
  more.insert(more.find("</ICSResponse>"),
              "<Rec><ID>1</ID><SN>1</SN><SSID4>6789</SSID4><Code>0</Code></Rec>");
  more.replace(more.find("<TotalCount>1000"), 16, "<TotalCount>1001");
  EXPECT_EQ(response_failure(more), codes::ICSC_RESPONSE_INVALID);
  EXPECT_EQ(response_failure(kAnswer + std::string(kMaxMessageBytes, ' ')), codes::ICSC_RESPONSE_INVALID);
  r.records.push_back(r.records[0]);
  EXPECT_THROW((void)build_response(r), Error);
}

TEST(IcscResponse, BuilderRefusesValuesThatCouldForgeElements) {
  Response r = two_record_response();
  r.records[0].sn = "1</SN><Code>0</Code><SN>";
  EXPECT_THROW((void)build_response(r), Error);
  r = two_record_response();
  r.nonce = "a&b";
  EXPECT_THROW((void)build_response(r), Error);
  r = two_record_response();
  r.records.clear();
  EXPECT_THROW((void)build_response(r), Error);
  EXPECT_THROW((void)build_refusal(Refusal{1021, "<x>", ""}), Error);
  EXPECT_THROW((void)build_refusal(Refusal{-1, "", ""}), Error);
}

}  // namespace
}  // namespace ecpa::icsc
