#pragma once
// The ICSC identity check (REFERENCE §3) as a pure function: request XML in, response XML out.
//
// The messages, their limits and ErrIDs are libs/icsc's (ecpa/icsc/message.hpp), shared with the
// portal; this is the service's judgement: who asks, whether they signed exactly the text, whether the
// time is near, and each record's Code from the registry:
// 0 the SN belongs to this ID with a certificate in force; 1 no certificate with this SN for this
// ID (also when every one is revoked or expired); 2 only certificates not yet valid ("unactivated").
// Refusals are checked in this order: the request's form (icsc::parse_request: 1001, 1003, 1005, 1006,
// 1002), then 1020 unknown ClientID, 1021 bad signature, 1023 client certificate expired, 1004 ReqTime
// malformed or more than max_skew off, 1005 TotalCount not the number of Rec.
#include <chrono>
#include <string>
#include <string_view>

#include "ecpa/common/clock.hpp"
#include "ecpa/icsc/message.hpp"
#include "registry.hpp"

namespace ecpa::sim {

class IcscService {
 public:
  static constexpr std::size_t kMaxRecords = icsc::kMaxRecords;
  static constexpr std::size_t kMaxRequestBytes = icsc::kMaxMessageBytes;

  explicit IcscService(const Clock& clock, std::chrono::seconds max_skew = std::chrono::minutes(10))
      : clock_(clock), max_skew_(max_skew) {}

  std::string handle(std::string_view request_xml, const RegistryData& registry) const;

 private:
  const Clock& clock_;
  std::chrono::seconds max_skew_;
};

// "ICS" time: YYYYMMDDHHMMSS in UTC+8 (Taiwan), as the service's clients send it [I] (icsc::format_req_time).
std::string icsc_time(crypto::TimePoint t);

}  // namespace ecpa::sim
