#pragma once
// The messages of MOICA's identity check service (ICSC, REFERENCE §3), as values. The wire format, its
// limits and its numbers live here and in codec.hpp only, so the portal (client) and ecpa-sim (server)
// cannot drift apart.
//
// Request (form field ICSRequestXMLData), one line, no whitespace between elements:
//   <ICSRequest><ICSReq><ClientID>HEX</ClientID><Nonce>15 alnum</Nonce><ReqTime>YYYYMMDDHHMMSS</ReqTime>
//   <TotalCount>n</TotalCount><Rec><ID>1</ID><SN>16 digits</SN><SSID>A123456789</SSID></Rec>…</ICSReq>
//   <ICSReqLength>byte length of the ICSReq element</ICSReqLength><Signature>HEX</Signature></ICSRequest>
// ClientID = uppercase hex SHA-1 of the relying party's certificate (DER); Signature = hex SHA1withRSA by
// that certificate's key over the exact <ICSReq>…</ICSReq> text.
// Answer:  <ICSResponse><ClientID/><Nonce/><ReqTime/><TotalCount/><Rec><ID/><SN/><SSID4/><Code/></Rec>…
//          </ICSResponse>
// Refusal: <ICSResponse>[<ClientID/>][<Nonce/>]<ErrID>n</ErrID></ICSResponse>
#include <cstddef>
#include <string>
#include <vector>

namespace ecpa::icsc {

// The service takes at most this many records in one request (REFERENCE §3).
inline constexpr std::size_t kMaxRecords = 1000;
// Far above 1000 records (about 100 bytes each) and a 4096-bit signature; anything larger is not an
// ICSC message and is refused before it is read.
inline constexpr std::size_t kMaxMessageBytes = std::size_t{256} * 1024;
inline constexpr std::size_t kClientIdChars = 40;  // hex SHA-1
inline constexpr std::size_t kNonceChars = 15;
inline constexpr std::size_t kReqTimeChars = 14;  // YYYYMMDDHHMMSS
inline constexpr std::size_t kSerialChars = 16;   // the certificate's subject serialNumber
inline constexpr std::size_t kSsidChars = 10;     // the national ID number
inline constexpr std::size_t kMaxRecordIdChars = 4;

// <Code> of an answered record.
namespace code {
inline constexpr int kMatch = 0;          // the SN belongs to this ID with a certificate in force
inline constexpr int kNoCertificate = 1;  // no certificate with this SN for this ID (also revoked/expired)
inline constexpr int kNotActivated = 2;   // only certificates not yet activated
inline constexpr int kDatabaseError = 999;
}  // namespace code

// <ErrID> of a refused request. 1020/1021/1023 (and 999) are the real service's numbers; the others are
// ours [I] (REFERENCE §3), used by ecpa-sim.
namespace err_id {
inline constexpr int kDatabaseError = 999;       // retry later
inline constexpr int kNotXml = 1001;             // not the expected XML
inline constexpr int kLengthMismatch = 1002;     // ICSReqLength is not the ICSReq element's length
inline constexpr int kBadNonce = 1003;           // Nonce not 15 letters/digits
inline constexpr int kBadReqTime = 1004;         // ReqTime malformed or too far from the service's clock
inline constexpr int kBadTotalCount = 1005;      // TotalCount not 1–1000 or not the number of Rec
inline constexpr int kBadRecord = 1006;          // a Rec is malformed
inline constexpr int kUnknownClient = 1020;      // ClientID not registered
inline constexpr int kBadSignature = 1021;       // Signature does not verify over the ICSReq text
inline constexpr int kClientCertExpired = 1023;  // the relying party's certificate is not in force
}  // namespace err_id

struct RequestRecord {
  std::string id;    // the record's number in the request, 1–4 digits
  std::string sn;    // the certificate's subject serialNumber
  std::string ssid;  // the national ID number the person typed
};

// What a relying party asks: the content of <ICSReq>. TotalCount is always records.size() on the wire.
struct Request {
  std::string client_id;
  std::string nonce;
  std::string req_time;
  std::vector<RequestRecord> records;
};

struct ResponseRecord {
  std::string id;
  std::string sn;
  std::string ssid4;  // last 4 characters of the ID number
  int code = code::kDatabaseError;
};

// An answered request. ClientID and Nonce echo the request's; the client must check them.
struct Response {
  std::string client_id;
  std::string nonce;
  std::string req_time;
  std::vector<ResponseRecord> records;
};

// A refused request. The echoes are empty when the request did not carry a well-formed one.
struct Refusal {
  int err_id = err_id::kNotXml;
  std::string client_id;
  std::string nonce;
};

}  // namespace ecpa::icsc
