#pragma once
// The simulator's certificate authorities, shaped like the GPKI hierarchy (REFERENCE §2):
//   grca  root, RSA-4096, self-signed
//   moica C=TW, O=行政院, OU=內政部憑證管理中心       citizen cards
//   gca   C=TW, O=行政院, OU=政府憑證管理中心         government agency cards
//   xca   C=TW, O=行政院, OU=組織及團體憑證管理中心   organisation cards
//   nhi   C=TW, O=行政院, OU=健保卡憑證管理中心       NHI card issuer (name made up: NHI cards sign nothing)
// Each issuing CA has a delegated OCSP responder certificate (id-kp-OCSPSigning, ocsp-nocheck) and
// puts AIA (OCSP, caIssuers) and CRLDP URLs under the base URL of `ecpa-sim serve`:
//   {base}/ocsp/{ca}   {base}/crl/{ca}.crl   {base}/repository/{ca}.cer
// Files in DIR/ca/: {ca}.pem, {ca}.key, {ca}-ocsp.pem, {ca}-ocsp.key, plus rogue.pem/.key, a
// self-signed responder nobody trusts, for the "wrong signer" fault. Keys are mode 0600.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/key.hpp"

namespace ecpa::sim {

struct SimCa {
  std::string name;
  crypto::Certificate cert;
  crypto::PrivateKey key;
  std::optional<crypto::Certificate> ocsp_cert;  // issuing CAs only
  std::optional<crypto::PrivateKey> ocsp_key;
};

class SimPki {
 public:
  static const std::vector<std::string>& issuing_ca_names();  // moica, gca, xca, nhi

  // Creates every CA under dir/ca. `root_bits` is 4096 for the real shape (tests may pass 2048 to save
  // time). Throws SIM_ALREADY_INITIALISED when dir/ca exists and !force.
  static SimPki create(const std::filesystem::path& dir, const std::string& base_url, crypto::TimePoint now,
                       int root_bits = 4096);
  static SimPki load(const std::filesystem::path& dir);

  const SimCa& root() const { return cas_.at("grca"); }
  const SimCa& ca(const std::string& name) const;  // throws SIM_ARGUMENT_INVALID
  const SimCa* find(const std::string& name) const;
  const std::map<std::string, SimCa>& all() const { return cas_; }
  const crypto::Certificate& rogue_cert() const { return *rogue_cert_; }
  const crypto::PrivateKey& rogue_key() const { return *rogue_key_; }

 private:
  std::map<std::string, SimCa> cas_;
  std::optional<crypto::Certificate> rogue_cert_;
  std::optional<crypto::PrivateKey> rogue_key_;
};

}  // namespace ecpa::sim
