#include "card_issuer.hpp"

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "ecpa/cardstate/card_state.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/common/secret.hpp"
#include "ecpa/crypto/certificate_builder.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/crypto/oids.hpp"
#include "ecpa/p11/module.hpp"
#include "ecpa/p11/session.hpp"
#include "ecpa/tw/national_id.hpp"

namespace ecpa::sim {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using crypto::Bytes;

namespace {

const Bytes kSignId = {0x53, 0x49, 0x47, 0x4e};  // "SIGN"
const Bytes kKeyxId = {0x4b, 0x45, 0x59, 0x58};  // "KEYX"

[[noreturn]] void bad(const std::string& why) { throw Error(codes::SIM_ARGUMENT_INVALID, why); }

std::string random_digits(std::size_t n) {
  std::string out;
  for (auto b : crypto::random_bytes(n * 2)) {
    if (b < 250 && out.size() < n) out.push_back(static_cast<char>('0' + b % 10));  // no modulo bias
  }
  while (out.size() < n) out.push_back('0' + static_cast<char>(crypto::random_bytes(1)[0] % 10));
  return out;
}

// Card serial: 2 letters + 14 digits like TP03200302000536. The letters tell the card family apart.
std::string new_card_sn(const std::string& kind) {
  std::string prefix = kind == "citizen" ? "TP" : kind == "gca" ? "GC" : "XC";
  return prefix + random_digits(14);
}

std::string issuing_ca(const std::string& kind) { return kind == "citizen" ? "moica" : kind; }

}  // namespace

std::optional<CardDefect> card_defect_from_name(std::string_view name) {
  if (name == "none") return CardDefect::None;
  if (name == "no-sign-key") return CardDefect::NoSignKey;
  if (name == "no-sign-cert") return CardDefect::NoSignCert;
  return std::nullopt;
}

namespace {

void validate(const IssueRequest& r) {
  if (r.kind != "citizen" && r.kind != "gca" && r.kind != "xca") bad("--kind must be citizen, gca or xca");
  if (r.name.empty() || r.name.size() > 128) bad("--name must be 1–128 bytes");
  for (unsigned char c : r.name) {
    if (c < 0x20 || c == 0x7f) bad("--name holds a control character");
  }
  if (r.pin.size() < 6 || r.pin.size() > 8 || !std::all_of(r.pin.begin(), r.pin.end(), ::isdigit)) {
    bad("--pin must be 6–8 digits");
  }
  if (r.kind == "citizen") {
    auto id = tw::NationalId::parse(r.id_number);
    if (!id) bad("--id is not a valid national ID: " + std::string(id.reason()));
    if (!r.agency_oid.empty()) bad("--agency-oid is for gca/xca cards");
  } else {
    if (r.agency_oid.empty()) bad("--agency-oid is required for gca/xca cards");
    try {
      crypto::encode_sda({.agency_oid = r.agency_oid});
    } catch (const Error&) {
      bad("--agency-oid is not a dotted OID");
    }
    if (r.id_number.empty() || r.id_number.size() > 32) bad("--id (the agency code) must be 1–32 characters");
  }
  if (r.not_before && r.not_after && *r.not_after <= *r.not_before)
    bad("--not-after must be after --not-before");
}

SecretBuffer secret(const std::string& s) { return SecretBuffer::copy_of(s); }

}  // namespace

fs::path prepare_softhsm(const fs::path& dir) {
  fs::path conf = dir / "softhsm2.conf";
  fs::create_directories(dir / "tokens");
  if (!fs::exists(conf)) {
    std::ofstream out(conf);
    out << "directories.tokendir = " << fs::absolute(dir / "tokens").string() << "\n"
        << "objectstore.backend = file\n"
        << "log.level = ERROR\n";
    if (!out) throw Error(codes::SIM_STATE_INVALID, "cannot write " + conf.string());
  }
  ::setenv("SOFTHSM2_CONF", fs::absolute(conf).c_str(), 1);
  return conf;
}

fs::path card_state_file(const fs::path& dir) { return dir / "cards.json"; }

CardIssuer::CardIssuer(fs::path dir, const SimPki& pki, Registry& registry, const Clock& clock,
                       std::string module_path)
    : dir_(std::move(dir)),
      pki_(pki),
      registry_(registry),
      clock_(clock),
      module_path_(std::move(module_path)) {}

Card CardIssuer::issue(const IssueRequest& r) {
  validate(r);
  RegistryData current = registry_.read();
  const SimCa& ca = pki_.ca(issuing_ca(r.kind));
  auto now = clock_.now();
  auto not_before = r.not_before.value_or(now - 1min);
  auto not_after = r.not_after.value_or(not_before + (r.kind == "xca" ? 6 * 365 * 24h : 5 * 365 * 24h));

  Card card;
  do {
    card.card_sn = new_card_sn(r.kind);
  } while (current.card(card.card_sn) != nullptr);
  card.kind = r.kind;
  card.name = r.name;
  card.id_number =
      r.kind == "citizen" ? std::string(tw::NationalId::parse(r.id_number)->value()) : r.id_number;
  card.person_sn = r.person_sn.empty() ? random_digits(16) : r.person_sn;
  card.agency_oid = r.agency_oid;
  card.token_label = card.card_sn;
  card.so_pin = random_digits(8);
  card.issued_at = now;

  auto module = p11::Module::load(module_path_);
  auto free_slot = module->first_uninitialized_token_slot();
  if (!free_slot) throw Error(codes::SIM_STATE_INVALID, "SoftHSM2 offers no free slot");
  module->init_token(*free_slot, secret(card.so_pin), card.token_label);
  auto slot = module->slot_with_label(card.token_label);
  if (!slot) throw Error(codes::SIM_STATE_INVALID, "new token not found");
  card.token_serial = module->token(*slot).serial;
  // SoftHSM2 numbers its tokens itself; the card reports its real-format number (TP…) instead, as a
  // citizen card does, so the agent's cardSN and the CMS card-number attribute carry it.
  cardmod::CardState(card_state_file(dir_)).set_card_serial(card.token_serial, card.card_sn);
  try {
    {
      auto so = module->open(*slot, true);
      so.login_so(secret(card.so_pin));
      so.init_pin(secret(r.pin));
      so.logout();
    }
    auto session = module->open(*slot, true);
    session.login_user(secret(r.pin));

    std::string base = current.base_url;
    crypto::DistinguishedName subject =
        r.kind == "citizen"
            ? crypto::DistinguishedName({{"C", "TW"}, {"CN", r.name}, {"serialNumber", card.person_sn}})
            : crypto::DistinguishedName({{"C", "TW"}, {"O", r.name}, {"serialNumber", card.person_sn}});
    crypto::SubjectDirectoryAttributes sda;
    if (r.kind == "citizen") {
      sda.subject_type = std::string(crypto::oids::kSubjectTypeNaturalPerson);
      sda.id_last4 = card.id_number.substr(6);
    } else {
      // XCA serves organisations; the closest published subject type is "company" (REFERENCE §2).
      sda.subject_type = std::string(r.kind == "gca" ? crypto::oids::kSubjectTypeGovernmentAgency
                                                     : crypto::oids::kSubjectTypeCompany);
      sda.agency_oid = r.agency_oid;
    }
    auto make_cert = [&](const Bytes& id, const std::string& usage, crypto::KeyUsage ku) {
      const bool sign = usage == "sign";
      std::optional<crypto::PublicKey> public_key;
      if (sign && r.defect == CardDefect::NoSignKey) {
        // The certificate is real, but its key pair lives nowhere: the card cannot sign with it.
        public_key = crypto::PrivateKey::generate_rsa(2048).public_key();
      } else {
        auto pub = session.generate_rsa_key_pair({.id = id,
                                                  .label = sign ? "Signature Key" : "Encryption Key",
                                                  .bits = 2048,
                                                  .sign = sign,
                                                  .decrypt = !sign});
        public_key = crypto::PublicKey::from_rsa(pub.modulus, pub.exponent);
      }
      if (sign && r.defect == CardDefect::NoSignCert) return;
      auto cert = crypto::CertificateBuilder()
                      .subject(subject)
                      .public_key(*public_key)
                      .validity(not_before, not_after)
                      .key_usage(ku)
                      .policies({std::string(crypto::oids::kGpkiClass3Policy)})
                      .ocsp_urls({base + "/ocsp/" + ca.name})
                      .ca_issuer_urls({base + "/repository/" + ca.name + ".cer"})
                      .crl_urls({base + "/crl/" + ca.name + ".crl"})
                      .subject_directory_attributes(sda)
                      .sign(ca.cert, ca.key);
      session.import_certificate(id, usage == "sign" ? "Signature Certificate" : "Encryption Certificate",
                                 cert.der(), cert.subject_der());
      card.certs.push_back(IssuedCert{cert.serial_hex(), ca.name, usage, cert.not_before(), cert.not_after(),
                                      std::nullopt, std::nullopt, crypto::to_base64(cert.der())});
    };
    make_cert(kSignId, "sign", {.digital_signature = true});
    make_cert(kKeyxId, "keyx", {.key_encipherment = true, .data_encipherment = true});
    // The CA chain, as real cards carry it.
    session.import_certificate(Bytes{}, "CA " + ca.name, ca.cert.der(), ca.cert.subject_der());
    session.import_certificate(Bytes{}, "CA grca", pki_.root().cert.der(), pki_.root().cert.subject_der());
    session.logout();

    registry_.update([&](RegistryData& d) {
      d.cards.push_back(card);
      return true;
    });
  } catch (...) {
    // Leave no half-made card behind: wipe the token (SO PIN known) so its slot is free again.
    try {
      module->init_token(*slot, secret(card.so_pin), "");
    } catch (...) {
    }
    throw;
  }
  return card;
}

Card CardIssuer::renew(const std::string& card_sn, const std::string& pin) {
  RegistryData d = registry_.read();
  const Card* old = d.card(card_sn);
  if (old == nullptr) throw Error(codes::SIM_CARD_NOT_FOUND, card_sn);
  IssueRequest r{old->kind,       old->name,    old->id_number, pin,
                 old->agency_oid, std::nullopt, std::nullopt,   old->person_sn};
  // Same person, same person identifier (subject serialNumber), new keys and serials.
  Card fresh = issue(r);
  registry_.update([&](RegistryData& data) {
    Card* c = data.card(card_sn);
    if (c == nullptr) return false;
    c->renewed_by = fresh.card_sn;
    return true;
  });
  return fresh;
}

std::vector<std::string> CardIssuer::revoke(const std::string& target_in, crypto::RevocationReason reason) {
  // Serials are stored as lowercase hex without leading zeros; card serials are uppercase.
  std::string target = target_in;
  bool is_card = target.size() == 16 && std::isupper(static_cast<unsigned char>(target[0]));
  if (!is_card) {
    std::transform(target.begin(), target.end(), target.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    target.erase(0, std::min(target.find_first_not_of('0'), target.size() - 1));
  }
  std::vector<std::string> revoked;
  bool found = false;
  auto now = clock_.now();
  registry_.update([&](RegistryData& d) {
    for (auto& card : d.cards) {
      bool whole_card = card.card_sn == target;
      for (auto& cert : card.certs) {
        if (!whole_card && cert.serial_hex != target) continue;
        found = true;
        if (cert.revoked_at) continue;
        cert.revoked_at = now;
        cert.reason = reason;
        revoked.push_back(cert.serial_hex);
      }
    }
    return !revoked.empty();
  });
  if (!found) throw Error(codes::SIM_CARD_NOT_FOUND, target);
  return revoked;
}

void CardIssuer::set_inserted(const std::string& card_sn, bool inserted) {
  RegistryData d = registry_.read();
  const Card* card = d.card(card_sn);
  if (card == nullptr) throw Error(codes::SIM_CARD_NOT_FOUND, card_sn);
  cardmod::CardState(card_state_file(dir_)).set_removed(card->token_serial, !inserted);
}

}  // namespace ecpa::sim
