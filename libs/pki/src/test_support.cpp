#include "test_support.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/certificate_builder.hpp"

namespace ecpa::pki::testing {

using namespace std::chrono_literals;

// Keys do not expire, certificates do: certificates are minted fresh in every run, while the RSA
// keys under them are generated once per build tree and reused, because key generation is most of
// what a test process would otherwise spend its time on.
const crypto::PrivateKey& pooled_key(int index) {
  static std::mutex mutex;
  static std::map<int, crypto::PrivateKey> pool;  // node-based: references stay valid
  std::lock_guard lock(mutex);
  if (auto it = pool.find(index); it != pool.end()) return it->second;
  const std::filesystem::path file =
      std::filesystem::path(ECPA_BINARY_DIR) / "test-keys" / ("pki-" + std::to_string(index) + ".pem");
  std::optional<crypto::PrivateKey> key;
  try {
    if (std::filesystem::exists(file)) key = crypto::PrivateKey::load_pem_file(file);
  } catch (const Error&) {
    key.reset();  // unreadable: make a new one in memory
  }
  if (!key) {
    key = crypto::PrivateKey::generate_rsa(2048);
    try {
      std::filesystem::create_directories(file.parent_path());
      key->save_pem_file(file);
    } catch (const std::exception&) {
      // Another test process saved one first, or the tree is read-only: this run uses its own.
    }
  }
  return pool.emplace(index, std::move(*key)).first->second;
}

namespace {

crypto::PrivateKey copy_key(const crypto::PrivateKey& key) { return crypto::PrivateKey::from_pem(key.pem()); }

KeyAndCert ca_root(int key_index, const std::string& cn) {
  auto key = copy_key(pooled_key(key_index));
  auto cert = crypto::CertificateBuilder()
                  .subject(crypto::DistinguishedName({{"C", "TW"}, {"O", "Test"}, {"CN", cn}}))
                  .public_key(key.public_key())
                  .validity(kPinnedNow - 365 * 24h, kPinnedNow + 3650 * 24h)
                  .ca()
                  .key_usage({.key_cert_sign = true, .crl_sign = true})
                  .self_sign(key);
  return {std::move(key), std::move(cert)};
}

KeyAndCert issuing_ca(int key_index, const KeyAndCert& parent, const std::string& ou) {
  auto key = copy_key(pooled_key(key_index));
  auto cert = crypto::CertificateBuilder()
                  .subject(crypto::DistinguishedName({{"C", "TW"}, {"O", "行政院"}, {"OU", ou}}))
                  .public_key(key.public_key())
                  .validity(kPinnedNow - 300 * 24h, kPinnedNow + 3000 * 24h)
                  .ca(0)
                  .key_usage({.key_cert_sign = true, .crl_sign = true})
                  .sign(parent.cert, parent.key);
  return {std::move(key), std::move(cert)};
}

}  // namespace

const Hierarchy& Hierarchy::shared() {
  static const Hierarchy h = [] {
    auto root = ca_root(20, "Government Root Certification Authority");
    auto moica = issuing_ca(21, root, "內政部憑證管理中心");
    auto gca = issuing_ca(22, root, "政府憑證管理中心");
    auto stranger_root = ca_root(23, "Stranger Root");
    auto stranger_ca = issuing_ca(24, stranger_root, "內政部憑證管理中心");
    return Hierarchy{std::move(root), std::move(moica), std::move(gca), std::move(stranger_root),
                     std::move(stranger_ca)};
  }();
  return h;
}

namespace {

KeyAndCert make_responder(const KeyAndCert& issuer, int key_index, bool ocsp_eku, const std::string& cn) {
  auto key = copy_key(pooled_key(key_index));
  auto subject = issuer.cert.subject().components();
  subject.push_back({"CN", cn});
  crypto::CertificateBuilder b;
  b.subject(crypto::DistinguishedName(subject))
      .public_key(key.public_key())
      .validity(kPinnedNow - 30 * 24h, kPinnedNow + 365 * 24h)
      .key_usage({.digital_signature = true});
  if (ocsp_eku) b.ext_key_usage({std::string(crypto::oids::kEkuOcspSigning)}).ocsp_no_check();
  auto cert = b.sign(issuer.cert, issuer.key);
  return {std::move(key), std::move(cert)};
}

}  // namespace

KeyAndCert make_card(const KeyAndCert& ca, const CardOptions& o) {
  static std::atomic<int> next{0};
  auto key =
      o.bits == 2048 ? copy_key(pooled_key(10 + next++ % 2)) : crypto::PrivateKey::generate_rsa(o.bits);
  crypto::SubjectDirectoryAttributes sda;
  crypto::DistinguishedName subject;
  if (o.kind == CertificateKind::Citizen) {
    sda.subject_type = std::string(crypto::oids::kSubjectTypeNaturalPerson);
    sda.id_last4 = o.id_last4;
    subject = crypto::DistinguishedName({{"C", "TW"}, {"CN", o.name}, {"serialNumber", "0000000112345678"}});
  } else {
    sda.subject_type = std::string(crypto::oids::kSubjectTypeGovernmentAgency);
    sda.agency_oid = "2.16.886.101.20003.20065.20021";
    subject = crypto::DistinguishedName({{"C", "TW"}, {"O", "行政院"}, {"OU", "行政院人事行政總處"}});
  }
  auto cert = crypto::CertificateBuilder()
                  .subject(subject)
                  .public_key(key.public_key())
                  .validity(kPinnedNow + o.starts, kPinnedNow + o.ends)
                  .key_usage(o.key_usage)
                  .policies(o.policies)
                  .ocsp_urls({kOcspUrl})
                  .crl_urls({kCrlUrl})
                  .subject_directory_attributes(sda)
                  .sign(ca.cert, ca.key);
  return {std::move(key), std::move(cert)};
}

crypto::Bytes random_nonce() { return crypto::random_bytes(32); }

std::string login_tbs(const crypto::Bytes& nonce, LoginPurpose purpose) {
  return LoginText{kOrigin, purpose, nonce}.to_string();
}

std::string sign_pkcs7(const KeyAndCert& card, std::string_view content, crypto::DigestAlgorithm digest,
                       std::optional<std::string> card_serial) {
  crypto::CmsSignOptions o;
  o.digest = digest;
  o.signing_time = kPinnedNow;
  o.card_serial = std::move(card_serial);
  o.nonce = crypto::to_bytes("hipki-nonce");
  return crypto::to_base64(
      crypto::cms_sign_attached(crypto::as_bytes(content), card.cert, crypto::software_signer(card.key), o));
}

TrustConfig default_trust() {
  const auto& h = Hierarchy::shared();
  TrustConfig t;
  t.anchors = {h.root.cert, h.stranger_root.cert};
  t.intermediates = {h.moica.cert, h.gca.cert, h.stranger_ca.cert};
  t.issuers.push_back(IssuerSettings{.ca = h.moica.cert, .kind = CertificateKind::Citizen});
  t.issuers.push_back(IssuerSettings{.ca = h.gca.cert, .kind = CertificateKind::Agency});
  return t;
}

Authority::Authority(const KeyAndCert& ca)
    : ca_(ca),
      delegated_(make_responder(ca, 1, true, "OCSP Responder")),
      undelegated_(make_responder(ca, 2, false, "Not A Responder")),
      pinned_([] {
        auto key = copy_key(pooled_key(3));
        auto cert = crypto::CertificateBuilder()
                        .subject(crypto::DistinguishedName({{"C", "TW"}, {"CN", "Pinned OCSP"}}))
                        .public_key(key.public_key())
                        .validity(kPinnedNow - 24h, kPinnedNow + 365 * 24h)
                        .key_usage({.digital_signature = true})
                        .self_sign(key);
        return KeyAndCert{std::move(key), std::move(cert)};
      }()) {}

namespace {

void apply_transport(Authority::Transport t, const std::string& url) {
  switch (t) {
    case Authority::Transport::Refused:
      throw Error(codes::UPSTREAM_UNAVAILABLE, "connection refused: " + url);
    case Authority::Transport::NotFound:
      throw Error(codes::UPSTREAM_UNAVAILABLE, "HTTP 404: " + url);
    case Authority::Transport::Timeout:
      throw Error(codes::UPSTREAM_TIMEOUT, "timed out: " + url);
    default:
      return;
  }
}

Authority::Transport transport_for(const std::map<std::string, Authority::Transport>& m,
                                   const std::string& url) {
  auto it = m.find(url);
  return it == m.end() ? Authority::Transport::Ok : it->second;
}

}  // namespace

crypto::Bytes Authority::fetch(const std::string& url, crypto::ByteView request_der,
                               std::chrono::milliseconds) {
  ++ocsp_calls;
  auto t = transport_for(ocsp_transport, url);
  apply_transport(t, url);
  if (t == Transport::Garbage) return crypto::to_bytes("<html><body>502 Bad Gateway</body></html>");
  if (t == Transport::TryLater)
    return crypto::OcspResponseBuilder::error(crypto::OcspResponseStatus::TryLater);

  auto request = crypto::OcspRequest::from_der(request_der);
  crypto::OcspResponseBuilder b;
  for (const auto& id : request.cert_ids()) {
    crypto::SingleResponse single;
    single.id = id;
    if (answer_for_other_serial) single.id.serial_hex = "1234";
    single.status = revoked.contains(id.serial_hex)   ? crypto::CertStatus::Revoked
                    : unknown.contains(id.serial_hex) ? crypto::CertStatus::Unknown
                                                      : crypto::CertStatus::Good;
    if (single.status == crypto::CertStatus::Revoked) {
      single.revoked_at = now - 24h;
      single.reason = crypto::RevocationReason::KeyCompromise;
    }
    single.this_update = now + this_update_offset;
    if (next_update_offset) single.next_update = now + *next_update_offset;
    b.add(single);
    if (two_responses) b.add(single);
  }
  if (nonce == Nonce::Echo && request.nonce()) b.nonce(*request.nonce());
  if (nonce == Nonce::Other) b.nonce(crypto::random_bytes(32));
  b.produced_at(now);
  crypto::Bytes der;
  switch (signer) {
    case Signer::Issuer:
      der = b.sign(ca_.cert, ca_.key);
      break;
    case Signer::Delegated:
      der = b.sign(delegated_.cert, delegated_.key);
      break;
    case Signer::Undelegated:
      der = b.sign(undelegated_.cert, undelegated_.key);
      break;
    case Signer::Pinned:
      der = b.sign(pinned_.cert, pinned_.key);
      break;
  }
  if (corrupt_signature && request.nonce()) {
    // Flip one bit of the echoed nonce inside the signed data: still well-formed, no longer signed.
    const auto& n = *request.nonce();
    auto pos = std::search(der.begin(), der.end(), n.begin(), n.end());
    if (pos != der.end()) *pos ^= 0x01;
  }
  return der;
}

crypto::Bytes Authority::fetch_crl(const std::string& url, std::chrono::milliseconds, std::size_t) {
  ++crl_calls;
  auto t = transport_for(crl_transport, url);
  apply_transport(t, url);
  if (t == Transport::Garbage) return crypto::to_bytes("not a CRL");
  crypto::CrlBuilder b;
  b.this_update(now + crl_this_update_offset);
  b.next_update(now + crl_next_update.value_or(24h));
  for (const auto& serial : revoked) b.add({serial, now - 24h, crypto::RevocationReason::KeyCompromise});
  if (crl_signed_by_stranger) {
    // Same issuer name, another key: an impostor CA.
    auto key = copy_key(pooled_key(5));
    const auto& h = Hierarchy::shared();
    auto impostor = crypto::CertificateBuilder()
                        .subject(ca_.cert.subject())
                        .public_key(key.public_key())
                        .validity(kPinnedNow - 24h, kPinnedNow + 365 * 24h)
                        .ca(0)
                        .key_usage({.key_cert_sign = true, .crl_sign = true})
                        .sign(h.stranger_root.cert, h.stranger_root.key);
    return b.sign(impostor, key).der();
  }
  return b.sign(ca_.cert, ca_.key).der();
}

}  // namespace ecpa::pki::testing
