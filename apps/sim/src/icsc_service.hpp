#pragma once
// The ICSC identity check (REFERENCE §3) as a pure function: request XML in, response XML out.
//
// Request:  <ICSRequest><ICSReq><ClientID>HEX</ClientID><Nonce>15
// alnum</Nonce><ReqTime>YYYYMMDDHHMMSS</ReqTime>
//           <TotalCount>n</TotalCount><Rec><ID>1</ID><SN>16
//           digits</SN><SSID>A123456789</SSID></Rec>…</ICSReq> <ICSReqLength>byte length of the ICSReq
//           element</ICSReqLength><Signature>HEX</Signature></ICSRequest>
// ClientID = uppercase hex SHA-1 of a registered relying party's certificate (DER); Signature = hex
// SHA1withRSA by that certificate's key over the exact <ICSReq>…</ICSReq> text.
// Response:
// <ICSResponse><ClientID/><Nonce/><ReqTime/><TotalCount/><Rec><ID/><SN/><SSID4/><Code/></Rec>…</ICSResponse>
// Code: 0 the SN belongs to this ID with a certificate in force; 1 no certificate with this SN for this
// ID (also when every one is revoked or expired); 2 only certificates not yet valid ("unactivated").
// A refused request: <ICSResponse>[<ClientID/><Nonce/>]<ErrID>n</ErrID></ICSResponse> with
//   1001 not the expected XML            1002 ICSReqLength does not match
//   1003 Nonce not 15 letters/digits     1004 ReqTime malformed or more than 10 minutes off
//   1005 TotalCount not 1–1000 or not the number of Rec   1006 a Rec is malformed
//   1020 unknown ClientID   1021 bad signature   1023 client certificate expired
// 1020/1021/1023 are the real service's numbers; the others are ours [I] (REFERENCE §3).
// The parser is deliberately strict (no entities, no attributes, no comments, elements in order),
// so there is exactly one reading of the signed text.
#include <chrono>
#include <string>
#include <string_view>

#include "ecpa/common/clock.hpp"
#include "registry.hpp"

namespace ecpa::sim {

class IcscService {
 public:
  static constexpr std::size_t kMaxRecords = 1000;
  static constexpr std::size_t kMaxRequestBytes = std::size_t{256} * 1024;

  explicit IcscService(const Clock& clock, std::chrono::seconds max_skew = std::chrono::minutes(10))
      : clock_(clock), max_skew_(max_skew) {}

  std::string handle(std::string_view request_xml, const RegistryData& registry) const;

 private:
  const Clock& clock_;
  std::chrono::seconds max_skew_;
};

// "ICS" time: YYYYMMDDHHMMSS in UTC+8 (Taiwan), as the service's clients send it [I].
std::string icsc_time(crypto::TimePoint t);

}  // namespace ecpa::sim
