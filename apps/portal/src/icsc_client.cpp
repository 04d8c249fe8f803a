#include "icsc_client.hpp"

#include <variant>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/bytes.hpp"
#include "ecpa/http/url.hpp"
#include "ecpa/icsc/codec.hpp"
#include "ecpa/icsc/time.hpp"

namespace ecpa::portal {
namespace {

[[noreturn]] void unavailable(std::string cause) {
  throw Error(codes::IDENTITY_CHECK_UNAVAILABLE, std::move(cause));
}

std::string random_nonce() {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  while (out.size() < icsc::kNonceChars) {
    for (std::uint8_t b : crypto::random_bytes(32)) {
      // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
      if (b < 248 && out.size() < icsc::kNonceChars) out.push_back(kAlphabet[b % kAlphabet.size()]);
    }
  }
  return out;
}

}  // namespace

IcscRequest build_icsc_request(const crypto::Certificate& client_cert, const crypto::PrivateKey& client_key,
                               std::string_view nonce, Clock::time_point now, std::string_view subject_serial,
                               const tw::NationalId& id) {
  // The serial comes from a certificate, which an attacker may have minted under an untrusted CA before
  // validation refused it; one that is not a MOICA serialNumber is this person's failure, not the service's.
  if (!icsc::is_serial(subject_serial))
    throw Error(codes::IDENTITY_CHECK_FAILED, "certificate subject serialNumber unusable for ICSC");
  const icsc::Request request{icsc::client_id_of(client_cert),
                              std::string(nonce),
                              icsc::format_req_time(now),
                              {{"1", std::string(subject_serial), std::string(id.value())}}};
  icsc::SignedRequest signed_request = icsc::sign_request(request, client_key);
  IcscRequest r;
  r.nonce = request.nonce;
  r.ics_req = std::move(signed_request.signed_part);
  r.body = http::form_encode({{"ICSRequestXMLData", signed_request.document}});
  return r;
}

IdentityVerdict parse_icsc_response(std::string_view xml, std::string_view client_id, std::string_view nonce,
                                    std::string_view subject_serial) {
  std::variant<icsc::Response, icsc::Refusal> parsed;
  try {
    parsed = icsc::parse_response(xml);
  } catch (const Error& e) {
    unavailable(e.cause());
  }
  if (const auto* refusal = std::get_if<icsc::Refusal>(&parsed))
    unavailable("ICSC server error ErrID " + std::to_string(refusal->err_id));
  const auto& answer = std::get<icsc::Response>(parsed);
  // An answer that does not echo our request is not an answer to it (replayed or misrouted).
  if (answer.client_id != client_id) unavailable("ICSC answer: ClientID echo mismatch");
  if (answer.nonce != nonce) unavailable("ICSC answer: Nonce echo mismatch");
  if (answer.records.size() != 1) unavailable("ICSC answer: not one record for our one");
  const icsc::ResponseRecord& rec = answer.records.front();
  if (rec.sn != subject_serial) unavailable("ICSC answer: SN echo mismatch");
  switch (rec.code) {
    case icsc::code::kMatch:
      return IdentityVerdict::Match;
    case icsc::code::kNoCertificate:
      return IdentityVerdict::NoMatch;
    case icsc::code::kNotActivated:
      return IdentityVerdict::NotActivated;
    default:
      unavailable("ICSC answer: Code " + std::to_string(rec.code));
  }
}

IcscClient::IcscClient(std::string url, const crypto::Certificate& client_cert, crypto::PrivateKey client_key,
                       http::ClientOptions options, const Clock& clock, log::Logger logger)
    : url_(std::move(url)),
      cert_(client_cert),
      key_(std::move(client_key)),
      client_id_(icsc::client_id_of(client_cert)),
      http_(std::move(options)),
      clock_(clock),
      logger_(std::move(logger)) {
  if (!(key_.public_key() == cert_.public_key()))
    throw Error(codes::KEY_INVALID, "ICSC client key does not match the client certificate");
}

IdentityVerdict IcscClient::check(std::string_view subject_serial, const tw::NationalId& id) const {
  const std::string nonce = random_nonce();
  IcscRequest request = build_icsc_request(cert_, key_, nonce, clock_.now(), subject_serial, id);
  http::ClientResponse answer;
  try {
    answer = http_.post(url_, request.body, "application/x-www-form-urlencoded");
  } catch (const Error& e) {
    unavailable(std::string("ICSC transport: ") + std::string(e.code().value) + ": " + e.cause());
  }
  if (answer.status != 200) unavailable("ICSC HTTP status " + std::to_string(answer.status));
  IdentityVerdict verdict = parse_icsc_response(answer.body, client_id_, nonce, subject_serial);
  logger_.info("icsc.answer", {{"verdict", verdict == IdentityVerdict::Match     ? "match"
                                           : verdict == IdentityVerdict::NoMatch ? "no_match"
                                                                                 : "not_activated"}});
  return verdict;
}

}  // namespace ecpa::portal
