#include "icsc_service.hpp"

#include <algorithm>
#include <cctype>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/icsc/codec.hpp"
#include "ecpa/icsc/time.hpp"

namespace ecpa::sim {

namespace {

int code_for(const icsc::RequestRecord& rec, const RegistryData& registry, crypto::TimePoint now) {
  std::string ssid = rec.ssid;
  std::transform(ssid.begin(), ssid.end(), ssid.begin(), [](unsigned char c) { return std::toupper(c); });
  bool not_yet_valid = false;
  for (const auto& card : registry.cards) {
    if (card.kind != "citizen" || card.person_sn != rec.sn || card.id_number != ssid) continue;
    for (const auto& cert : card.certs) {
      if (cert.usage != "sign" || cert.revoked_at) continue;
      if (now < cert.not_before) {
        not_yet_valid = true;
      } else if (now <= cert.not_after) {
        return icsc::code::kMatch;
      }
    }
  }
  return not_yet_valid ? icsc::code::kNotActivated : icsc::code::kNoCertificate;
}

const IcscClient* registered(const RegistryData& registry, std::string client_id) {
  // ClientIDs are registered in uppercase; a client may send either case.
  std::transform(client_id.begin(), client_id.end(), client_id.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  for (const auto& c : registry.icsc_clients) {
    if (c.client_id == client_id) return &c;
  }
  return nullptr;
}

}  // namespace

std::string icsc_time(crypto::TimePoint t) { return icsc::format_req_time(t); }

std::string IcscService::handle(std::string_view xml, const RegistryData& registry) const {
  icsc::ReceivedRequest received;
  try {
    received = icsc::parse_request(xml);
  } catch (const icsc::RequestRefused& e) {
    return icsc::build_refusal(e.refusal());
  }
  const icsc::Request& req = received.request;
  auto refuse = [&](int err_id) { return icsc::build_refusal({err_id, req.client_id, req.nonce}); };

  // Who is asking, and did they sign exactly this text?
  const IcscClient* client = registered(registry, req.client_id);
  if (client == nullptr) return refuse(icsc::err_id::kUnknownClient);
  const auto cert = crypto::Certificate::from_pem(client->cert_pem);
  const auto now = clock_.now();
  if (!icsc::signature_verifies(received, cert.public_key())) return refuse(icsc::err_id::kBadSignature);
  if (!cert.valid_at(now)) return refuse(icsc::err_id::kClientCertExpired);
  const auto when = icsc::parse_req_time(req.req_time);
  if (!when || *when > now + max_skew_ || *when < now - max_skew_) return refuse(icsc::err_id::kBadReqTime);
  if (req.records.empty() || received.total_count != std::to_string(req.records.size()))
    return refuse(icsc::err_id::kBadTotalCount);

  icsc::Response answer{req.client_id, req.nonce, req.req_time, {}};
  answer.records.reserve(req.records.size());
  for (const auto& r : req.records) {
    answer.records.push_back({r.id, r.sn, r.ssid.substr(icsc::kSsidChars - 4), code_for(r, registry, now)});
  }
  return icsc::build_response(answer);
}

}  // namespace ecpa::sim
