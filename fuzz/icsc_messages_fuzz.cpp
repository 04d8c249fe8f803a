// The ICSC messages cross a trust boundary both ways: ecpa-sim reads requests from any client, and the
// portal reads whatever answers its identity-check URL. Both parsers must give a message or their typed
// error for any bytes, never crash, hang or throw anything else; and an answer they accept must build
// back into one that parses again (the builders and the parser agree on the rules).
// Input layout: byte 0 even = a request (service side), odd = an answer (client side); the rest is XML.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "ecpa/common/error.hpp"
#include "ecpa/icsc/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ecpa;
  if (size < 1) return 0;
  const std::string_view xml(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((data[0] & 1) == 0) {
    try {
      auto received = icsc::parse_request(xml);
      // Zero records pass the parser (the service compares TotalCount once it knows the client); more
      // than the limit never may.
      if (received.request.records.size() > icsc::kMaxRecords) std::abort();
    } catch (const icsc::RequestRefused& refused) {
      if (refused.code() != codes::ICSC_REQUEST_INVALID) std::abort();
    }
    return 0;
  }
  std::variant<icsc::Response, icsc::Refusal> parsed;
  try {
    parsed = icsc::parse_response(xml);
  } catch (const Error& e) {
    if (e.code() != codes::ICSC_RESPONSE_INVALID) std::abort();
    return 0;
  }
  try {
    const std::string again = std::holds_alternative<icsc::Response>(parsed)
                                  ? icsc::build_response(std::get<icsc::Response>(parsed))
                                  : icsc::build_refusal(std::get<icsc::Refusal>(parsed));
    (void)icsc::parse_response(again);
  } catch (const Error&) {
    std::abort();  // accepted once, but not when built back: the rules disagree
  }
  return 0;
}
