#pragma once
// Tests only: a private SoftHSM2 store and a cardmod state file beside it, with the environment pointing
// libecpa_cardmod.so, and any process a test starts (pkcs11-tool), at both.
#include <stdlib.h>

#include <filesystem>

#include "ecpa/p11/testing/softhsm_env.hpp"

namespace ecpa::cardmod::testing {

class CardmodEnv : public p11::testing::SoftHsmEnv {
 public:
  CardmodEnv() {
    ::setenv("ECPA_CARDMOD_STATE", state_path_.c_str(), 1);
    // The default real module (SoftHSM2), whatever the developer's shell names.
    ::unsetenv("ECPA_CARDMOD_MODULE");
  }
  const std::filesystem::path& state_path() const { return state_path_; }

 private:
  std::filesystem::path state_path_ = dir() / "cards.json";
};

}  // namespace ecpa::cardmod::testing
