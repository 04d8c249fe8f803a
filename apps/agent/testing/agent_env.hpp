#pragma once
// One SoftHSM2 token store, cardmod state file and test CA per test process: a PKCS#11 module may be
// initialised only once per process, so every test in the binary shares them (each test makes its
// own cards with its own labels and reader names).
#include <stdlib.h>

#include <atomic>
#include <memory>
#include <string>

#include "ecpa/cardstate/card_state.hpp"
#include "ecpa/crypto/testing/files.hpp"
#include "ecpa/p11/testing/softhsm_env.hpp"
#include "test_cards.hpp"

namespace ecpa::agent::testing {

struct AgentTestEnv {
  p11::testing::SoftHsmEnv softhsm;  // sets SOFTHSM2_CONF before any module loads
  crypto::testing::TempDir dir;
  std::filesystem::path state_file = dir.path() / "cards.json";
  bool state_set = (::setenv("ECPA_CARDMOD_STATE", state_file.c_str(), 1) == 0);
  cardmod::CardState cards{state_file};
  TestCa ca;
  std::shared_ptr<p11::Module> module = p11::Module::load(ECPA_CARDMOD_PATH);

  // A fresh card in its own reader named "Reader <label>".
  Card new_card(CardSpec spec) {
    static std::atomic<int> counter{0};
    spec.label += "-" + std::to_string(counter++);
    Card card = make_card(*module, ca, spec);
    card.reader = reader_of(spec.label);
    cards.set_reader(card.serial, card.reader);
    return card;
  }
  static std::string reader_of(const std::string& label) { return "Reader " + label; }
};

inline AgentTestEnv& env() {
  static AgentTestEnv instance;
  return instance;
}

}  // namespace ecpa::agent::testing
