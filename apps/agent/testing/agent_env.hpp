#pragma once
// One ecpa-sim directory per test process: its PKI (made by the real `ecpa-sim pki init`), its SoftHSM2
// token store and its cardmod state file. A PKCS#11 module may be initialised only once per process, and
// SoftHSM2 does not see tokens another process makes after that, so the cards are issued in this
// process, through the same cardmod module the agent under test loads, by the sim's CardIssuer (the code
// behind `ecpa-sim card issue`). Each test makes its own cards in their own readers.
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "card_issuer.hpp"
#include "ecpa/cardstate/card_state.hpp"
#include "ecpa/common/clock.hpp"
#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/testing/files.hpp"
#include "ecpa/p11/module.hpp"
#include "registry.hpp"
#include "sim_pki.hpp"
#include "test_cards.hpp"

namespace ecpa::agent::testing {

struct AgentTestEnv {
  crypto::testing::TempDir dir;
  std::filesystem::path sim_dir = dir.path() / "sim";
  bool pki_made = init_pki(sim_dir);
  // SOFTHSM2_CONF and ECPA_CARDMOD_STATE must name the sim's files before any module loads.
  std::filesystem::path softhsm_conf = sim::prepare_softhsm(sim_dir);
  std::filesystem::path state_file = sim::card_state_file(sim_dir);
  bool state_set = (::setenv("ECPA_CARDMOD_STATE", state_file.c_str(), 1) == 0);
  SystemClock clock;
  sim::SimPki pki = sim::SimPki::load(sim_dir);
  sim::Registry registry{sim_dir / "registry.json"};
  cardmod::CardState cards{state_file};
  std::shared_ptr<p11::Module> module = p11::Module::load(ECPA_CARDMOD_PATH);
  sim::CardIssuer issuer{sim_dir, pki, registry, clock, ECPA_CARDMOD_PATH};

  // A fresh card from the sim's citizen CA (moica), in its own reader named "Reader <label>-<n>".
  Card new_card(CardSpec spec) {
    static std::atomic<int> counter{0};
    spec.label += "-" + std::to_string(counter++);
    const auto now = clock.now();
    sim::IssueRequest request;
    request.kind = "citizen";
    request.name = kHolderName;
    request.id_number = kHolderId;
    request.pin = spec.pin;
    request.not_before = now + spec.valid_from;
    request.not_after = now + spec.valid_until;
    request.defect = !spec.signing_key    ? sim::CardDefect::NoSignKey
                     : !spec.signing_cert ? sim::CardDefect::NoSignCert
                                          : sim::CardDefect::None;
    const sim::Card issued = issuer.issue(request);

    Card card;
    card.serial = issued.card_sn;
    auto slot = module->slot_with_label(issued.token_label);
    if (!slot) throw std::runtime_error("the sim's new card is not in any slot: " + issued.card_sn);
    card.slot = *slot;
    for (const auto& cert : issued.certs) {
      auto c = crypto::Certificate::from_der(crypto::from_base64(cert.der_b64));
      (cert.usage == "sign" ? card.signing_cert : card.encryption_cert) = std::move(c);
    }
    card.reader = reader_of(spec.label);
    cards.set_reader(card.serial, card.reader);
    return card;
  }
  static std::string reader_of(const std::string& label) { return "Reader " + label; }

  // The sim's root and citizen CA, the files `ecpa-sim pki init` wrote, as one PEM file for
  // `openssl cms -verify -CAfile` (which takes no untrusted intermediates).
  std::filesystem::path write_ca_chain(const std::filesystem::path& out_dir) const {
    auto path = out_dir / "sim-ca-chain.pem";
    std::ofstream out(path);
    for (const char* name : {"grca.pem", "moica.pem"}) {
      std::ifstream in(sim_dir / "ca" / name);
      out << in.rdbuf();
    }
    return path;
  }
  // For `openssl verify`: the sim's root as the only trust anchor, its citizen CA as an intermediate.
  std::string openssl_root_args() const {
    return "-CAfile " + (sim_dir / "ca" / "grca.pem").string() + " -untrusted " +
           (sim_dir / "ca" / "moica.pem").string();
  }
  const crypto::Certificate& citizen_ca() const { return pki.ca("moica").cert; }

 private:
  // The real CLI, as a person would set the sim up (a 2048-bit root to keep the tests quick).
  static bool init_pki(const std::filesystem::path& dir) {
    auto r = crypto::testing::run_command(std::string(ECPA_SIM_PATH) + " pki init --dir '" + dir.string() +
                                          "' --root-bits 2048 --base-url http://127.0.0.1:1 2>&1");
    if (r.exit_code != 0) throw std::runtime_error("ecpa-sim pki init failed: " + r.output);
    return true;
  }
};

inline AgentTestEnv& env() {
  static AgentTestEnv instance;
  return instance;
}

}  // namespace ecpa::agent::testing
