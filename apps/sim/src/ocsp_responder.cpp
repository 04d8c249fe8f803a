#include "ocsp_responder.hpp"

#include "ecpa/crypto/ocsp.hpp"

namespace ecpa::sim {

using namespace std::chrono_literals;
using crypto::OcspResponseBuilder;
using crypto::OcspResponseStatus;

crypto::Bytes OcspResponder::respond(crypto::ByteView request_der, const RegistryData& registry,
                                     const Faults& faults, std::string_view ca_name) const {
  if (faults.garbage) {
    // Random bytes that start like nothing OCSP: the client must refuse them.
    auto junk = crypto::random_bytes(64);
    junk[0] = 0x04;
    return junk;
  }
  if (faults.try_later) return OcspResponseBuilder::error(OcspResponseStatus::TryLater);

  std::optional<crypto::OcspRequest> request;
  try {
    request = crypto::OcspRequest::from_der(request_der);
  } catch (const Error&) {
    return OcspResponseBuilder::error(OcspResponseStatus::MalformedRequest);
  }
  if (request->cert_ids().size() > kMaxCertIds)
    return OcspResponseBuilder::error(OcspResponseStatus::MalformedRequest);

  // Which of our CAs issued the certificates asked about; all must be the same one.
  const SimCa* issuer = nullptr;
  for (const auto& id : request->cert_ids()) {
    const SimCa* match = nullptr;
    for (const auto& name : SimPki::issuing_ca_names()) {
      if (!ca_name.empty() && name != ca_name) continue;
      const SimCa& candidate = pki_.ca(name);
      if (crypto::cert_id_matches_issuer(id, candidate.cert)) match = &candidate;
    }
    if (match == nullptr || (issuer != nullptr && issuer != match)) {
      return OcspResponseBuilder::error(OcspResponseStatus::Unauthorized);
    }
    issuer = match;
  }

  auto now = clock_.now();
  auto this_update = faults.stale ? now - 48h : now;
  auto next_update = faults.stale ? now - 24h : now + validity_;
  OcspResponseBuilder builder;
  builder.produced_at(faults.stale ? now - 48h : now);
  for (const auto& id : request->cert_ids()) {
    crypto::SingleResponse single{
        id, crypto::CertStatus::Unknown, std::nullopt, std::nullopt, this_update, next_update};
    if (const IssuedCert* cert = registry.cert(id.serial_hex, issuer->name)) {
      single.status = cert->revoked_at ? crypto::CertStatus::Revoked : crypto::CertStatus::Good;
      single.revoked_at = cert->revoked_at;
      single.reason = cert->reason;
    }
    builder.add(std::move(single));
  }
  if (request->nonce() && !faults.no_nonce) builder.nonce(*request->nonce());
  if (faults.wrong_signer) return builder.sign(pki_.rogue_cert(), pki_.rogue_key());
  return builder.sign(*issuer->ocsp_cert, *issuer->ocsp_key);
}

}  // namespace ecpa::sim
