#include "sim_pki.hpp"

#include <fstream>
#include <sstream>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/certificate_builder.hpp"
#include "ecpa/crypto/oids.hpp"

namespace ecpa::sim {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using crypto::CertificateBuilder;
using crypto::DistinguishedName;
constexpr auto kDay = 24h;

const std::vector<std::string>& SimPki::issuing_ca_names() {
  static const std::vector<std::string> names = {"moica", "gca", "xca", "nhi"};
  return names;
}

namespace {

std::string organisational_unit(const std::string& ca) {
  if (ca == "moica") return "內政部憑證管理中心";
  if (ca == "gca") return "政府憑證管理中心";
  if (ca == "xca") return "組織及團體憑證管理中心";
  return "健保卡憑證管理中心";
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(codes::SIM_STATE_INVALID, "cannot read " + p.string() + " (run ecpa-sim pki init)");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw Error(codes::SIM_STATE_INVALID, "cannot write " + p.string());
}

}  // namespace

SimPki SimPki::create(const fs::path& dir, const std::string& base_url, crypto::TimePoint now,
                      int root_bits) {
  fs::path ca_dir = dir / "ca";
  if (fs::exists(ca_dir)) throw Error(codes::SIM_ALREADY_INITIALISED, ca_dir.string());
  fs::create_directories(ca_dir);
  fs::permissions(ca_dir, fs::perms::owner_all, fs::perm_options::replace);

  SimPki pki;
  auto root_key = crypto::PrivateKey::generate_rsa(root_bits);
  auto root_cert =
      CertificateBuilder()
          .subject(DistinguishedName(
              {{"C", "TW"}, {"O", "Government Root Certification Authority"}, {"OU", "ecpa-sim TEST ONLY"}}))
          .public_key(root_key.public_key())
          .validity(now - kDay, now + 20 * 365 * kDay)
          .ca()
          .key_usage({.key_cert_sign = true, .crl_sign = true})
          .self_sign(root_key);
  root_key.save_pem_file(ca_dir / "grca.key");
  write_text(ca_dir / "grca.pem", root_cert.pem());
  pki.cas_.emplace("grca", SimCa{"grca", root_cert, std::move(root_key), std::nullopt, std::nullopt});

  const SimCa& root = pki.cas_.at("grca");
  for (const auto& name : issuing_ca_names()) {
    auto key = crypto::PrivateKey::generate_rsa(2048);
    auto cert =
        CertificateBuilder()
            .subject(DistinguishedName({{"C", "TW"}, {"O", "行政院"}, {"OU", organisational_unit(name)}}))
            .public_key(key.public_key())
            .validity(now - kDay, now + 15 * 365 * kDay)
            .ca(0)
            .key_usage({.key_cert_sign = true, .crl_sign = true})
            .policies({std::string(crypto::oids::kGpkiClass3Policy)})
            .ca_issuer_urls({base_url + "/repository/grca.cer"})
            .sign(root.cert, root.key);
    auto ocsp_key = crypto::PrivateKey::generate_rsa(2048);
    auto ocsp_cert =
        CertificateBuilder()
            .subject(DistinguishedName(
                {{"C", "TW"}, {"O", "行政院"}, {"OU", organisational_unit(name)}, {"CN", "OCSP Responder"}}))
            .public_key(ocsp_key.public_key())
            .validity(now - kDay, now + 5 * 365 * kDay)
            .key_usage({.digital_signature = true})
            .ext_key_usage({std::string(crypto::oids::kEkuOcspSigning)})
            .ocsp_no_check()
            .sign(cert, key);
    key.save_pem_file(ca_dir / (name + ".key"));
    ocsp_key.save_pem_file(ca_dir / (name + "-ocsp.key"));
    write_text(ca_dir / (name + ".pem"), cert.pem());
    write_text(ca_dir / (name + "-ocsp.pem"), ocsp_cert.pem());
    pki.cas_.emplace(name, SimCa{name, cert, std::move(key), ocsp_cert, std::move(ocsp_key)});
  }

  auto rogue_key = crypto::PrivateKey::generate_rsa(2048);
  auto rogue =
      CertificateBuilder()
          .subject(DistinguishedName({{"C", "TW"}, {"O", "ecpa-sim"}, {"CN", "Rogue OCSP Responder"}}))
          .public_key(rogue_key.public_key())
          .validity(now - kDay, now + 5 * 365 * kDay)
          .ca()
          .key_usage({.digital_signature = true, .key_cert_sign = true})
          .ext_key_usage({std::string(crypto::oids::kEkuOcspSigning)})
          .self_sign(rogue_key);
  rogue_key.save_pem_file(ca_dir / "rogue.key");
  write_text(ca_dir / "rogue.pem", rogue.pem());
  pki.rogue_cert_ = rogue;
  pki.rogue_key_ = std::move(rogue_key);
  return pki;
}

SimPki SimPki::load(const fs::path& dir) {
  fs::path ca_dir = dir / "ca";
  SimPki pki;
  auto load_ca = [&](const std::string& name, bool with_ocsp) {
    SimCa ca{name, crypto::Certificate::from_pem(read_text(ca_dir / (name + ".pem"))),
             crypto::PrivateKey::load_pem_file(ca_dir / (name + ".key")), std::nullopt, std::nullopt};
    if (with_ocsp) {
      ca.ocsp_cert = crypto::Certificate::from_pem(read_text(ca_dir / (name + "-ocsp.pem")));
      ca.ocsp_key = crypto::PrivateKey::load_pem_file(ca_dir / (name + "-ocsp.key"));
    }
    pki.cas_.emplace(name, std::move(ca));
  };
  load_ca("grca", false);
  for (const auto& name : issuing_ca_names()) load_ca(name, true);
  pki.rogue_cert_ = crypto::Certificate::from_pem(read_text(ca_dir / "rogue.pem"));
  pki.rogue_key_ = crypto::PrivateKey::load_pem_file(ca_dir / "rogue.key");
  return pki;
}

const SimCa& SimPki::ca(const std::string& name) const {
  const SimCa* ca = find(name);
  if (ca == nullptr) throw Error(codes::SIM_ARGUMENT_INVALID, "no CA named " + name);
  return *ca;
}

const SimCa* SimPki::find(const std::string& name) const {
  auto it = cas_.find(name);
  return it == cas_.end() ? nullptr : &it->second;
}

}  // namespace ecpa::sim
