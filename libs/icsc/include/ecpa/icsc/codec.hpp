#pragma once
// The one reader and writer of ICSC messages (message.hpp), for both ends: the portal builds and signs
// requests and reads answers; ecpa-sim reads requests and builds answers. Values go into the XML
// unescaped, so every builder checks its values first: nothing built here can carry markup.
#include <string>
#include <string_view>
#include <variant>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/icsc/message.hpp"

namespace ecpa::icsc {

// The field rules, shared by the builders and the parsers (ASCII only).
bool is_client_id(std::string_view s);  // 40 hex digits, either case
bool is_nonce(std::string_view s);      // 15 letters or digits
bool is_req_time(std::string_view s);   // 14 digits (whether it is a real time: time.hpp)
bool is_serial(std::string_view s);     // 16 digits
bool is_ssid(std::string_view s);       // 10 letters or digits
bool is_record_id(std::string_view s);  // 1–4 digits

// A relying party's ClientID: uppercase hex SHA-1 of its certificate (DER).
std::string client_id_of(const crypto::Certificate& cert);

// ---- the client's side ----

struct SignedRequest {
  std::string signed_part;  // "<ICSReq>…</ICSReq>", the exact text the signature covers
  std::string document;     // "<ICSRequest>…</ICSRequest>", the value of the form field ICSRequestXMLData
};

// Builds <ICSReq> with TotalCount = records.size() and signs it (SHA1withRSA, as the service demands).
// Throws ICSC_REQUEST_INVALID when a field breaks its rule or there are no or too many records.
SignedRequest sign_request(const Request& request, const crypto::PrivateKey& key);

// Reads an answer. Tolerates an XML declaration and whitespace between elements (the real service's
// layout is not pinned down) and nothing else: elements in the order of message.hpp, each at most once
// (an answer cannot carry two Codes and have us read the friendlier one), TotalCount = number of Rec,
// no attributes, comments or entities. Checks no echo: that is the caller's, who knows what it sent.
// Throws ICSC_RESPONSE_INVALID.
std::variant<Response, Refusal> parse_response(std::string_view xml);

// ---- the service's side ----

struct ReceivedRequest {
  Request request;            // ClientID, Nonce and every Rec obey their rules; ReqTime is as sent
  std::string total_count;    // as sent: the service compares it with the records once the client is known
  std::string signed_part;    // the exact <ICSReq>…</ICSReq> text
  std::string signature_hex;  // as sent
};

// What a request is refused with: a typed error (ICSC_REQUEST_INVALID) carrying the service's ErrID and
// the echoes read before the fault.
class RequestRefused : public Error {
 public:
  RequestRefused(Refusal refusal, std::string cause, SourceSite where = SourceSite::here());
  const Refusal& refusal() const noexcept { return refusal_; }

 private:
  Refusal refusal_;
};

// Reads a request strictly: an optional XML declaration and whitespace around the document, then exactly
// the elements of message.hpp in order with no whitespace, attributes, comments or entities, so the
// signed text has exactly one reading. Refusals, in the order they are found: 1001 not this XML (or over
// kMaxMessageBytes, or a ClientID that is not 40 hex digits), 1003 Nonce, 1005 more than kMaxRecords Rec,
// 1006 a malformed Rec, 1002 ICSReqLength. Throws RequestRefused.
ReceivedRequest parse_request(std::string_view xml);

// Whether the request's signature is the given key's over its signed part (false for malformed hex).
bool signature_verifies(const ReceivedRequest& request, const crypto::PublicKey& key);

// Builds an answer (TotalCount = records.size()) or a refusal. Throws ICSC_RESPONSE_INVALID when a
// value could carry markup or is out of its rule, so a caller's bug cannot forge elements.
std::string build_response(const Response& response);
std::string build_refusal(const Refusal& refusal);

}  // namespace ecpa::icsc
