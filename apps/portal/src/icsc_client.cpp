#include "icsc_client.hpp"

#include <chrono>
#include <cstdio>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/bytes.hpp"
#include "ecpa/http/url.hpp"
#include "ecpa/tw/roc_date.hpp"

namespace ecpa::portal {
namespace {

constexpr std::size_t kNonceChars = 15;
constexpr std::size_t kMaxSerialChars = 64;

[[noreturn]] void unavailable(std::string cause) {
  throw Error(codes::IDENTITY_CHECK_UNAVAILABLE, std::move(cause));
}

bool is_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::string random_nonce() {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  while (out.size() < kNonceChars) {
    for (std::uint8_t b : crypto::random_bytes(32)) {
      // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
      if (b < 248 && out.size() < kNonceChars) out.push_back(kAlphabet[b % kAlphabet.size()]);
    }
  }
  return out;
}

// The service's times are Taiwan local time [I]: UTC+8, no daylight saving.
std::string req_time(Clock::time_point now) {
  auto local = std::chrono::floor<std::chrono::seconds>(now + tw::kTaiwanUtcOffset);
  auto days = std::chrono::floor<std::chrono::days>(local);
  std::chrono::year_month_day ymd(days);
  std::chrono::hh_mm_ss hms(local - days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u%02d%02d%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

// The text of the only <tag>…</tag> in `xml`; nullopt when absent; unavailable() when repeated, so an
// answer cannot carry two Codes and have us read the friendlier one.
std::optional<std::string_view> only_element(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  auto start = xml.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  auto end = xml.find(close, start + open.size());
  if (end == std::string_view::npos) unavailable("ICSC answer: unterminated <" + std::string(tag) + ">");
  if (xml.find(open, end) != std::string_view::npos)
    unavailable("ICSC answer: repeated <" + std::string(tag) + ">");
  return xml.substr(start + open.size(), end - start - open.size());
}

}  // namespace

IcscRequest build_icsc_request(const crypto::Certificate& client_cert, const crypto::PrivateKey& client_key,
                               std::string_view nonce, Clock::time_point now, std::string_view subject_serial,
                               const tw::NationalId& id) {
  // The values go into XML unescaped, so only plain alphanumerics are allowed in: the serial comes from a
  // certificate, which an attacker may have minted under an untrusted CA before validation refused it.
  if (subject_serial.empty() || subject_serial.size() > kMaxSerialChars ||
      !std::all_of(subject_serial.begin(), subject_serial.end(), is_alnum))
    throw Error(codes::IDENTITY_CHECK_FAILED, "certificate subject serialNumber unusable for ICSC");
  const std::string client_id = crypto::to_hex(crypto::sha1(client_cert.der()), /*upper=*/true);
  IcscRequest r;
  r.nonce = std::string(nonce);
  r.ics_req = "<ICSReq><ClientID>" + client_id + "</ClientID><Nonce>" + r.nonce + "</Nonce><ReqTime>" +
              req_time(now) + "</ReqTime><TotalCount>1</TotalCount><Rec><ID>1</ID><SN>" +
              std::string(subject_serial) + "</SN><SSID>" + std::string(id.value()) +
              "</SSID></Rec></ICSReq>";
  const crypto::Bytes signature = client_key.sign(crypto::DigestAlgorithm::Sha1, crypto::as_bytes(r.ics_req));
  const std::string xml = "<ICSRequest>" + r.ics_req + "<ICSReqLength>" + std::to_string(r.ics_req.size()) +
                          "</ICSReqLength><Signature>" + crypto::to_hex(signature, true) +
                          "</Signature></ICSRequest>";
  r.body = http::form_encode({{"ICSRequestXMLData", xml}});
  return r;
}

IdentityVerdict parse_icsc_response(std::string_view xml, std::string_view client_id, std::string_view nonce,
                                    std::string_view subject_serial) {
  if (auto err = only_element(xml, "ErrID")) unavailable("ICSC server error ErrID " + std::string(*err));
  auto id = only_element(xml, "ClientID");
  auto echoed_nonce = only_element(xml, "Nonce");
  auto sn = only_element(xml, "SN");
  auto code = only_element(xml, "Code");
  if (!id || !echoed_nonce || !sn || !code) unavailable("ICSC answer lacks ClientID, Nonce, SN or Code");
  // An answer that does not echo our request is not an answer to it (replayed or misrouted).
  if (*id != client_id) unavailable("ICSC answer: ClientID echo mismatch");
  if (*echoed_nonce != nonce) unavailable("ICSC answer: Nonce echo mismatch");
  if (*sn != subject_serial) unavailable("ICSC answer: SN echo mismatch");
  if (*code == "0") return IdentityVerdict::Match;
  if (*code == "1") return IdentityVerdict::NoMatch;
  if (*code == "2") return IdentityVerdict::NotActivated;
  unavailable("ICSC answer: Code " + std::string(code->substr(0, 16)));
}

IcscClient::IcscClient(std::string url, const crypto::Certificate& client_cert, crypto::PrivateKey client_key,
                       http::ClientOptions options, const Clock& clock, log::Logger logger)
    : url_(std::move(url)),
      cert_(client_cert),
      key_(std::move(client_key)),
      client_id_(crypto::to_hex(crypto::sha1(client_cert.der()), true)),
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
