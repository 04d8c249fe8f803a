#pragma once
// Test support: a private SoftHSM2 token store per test, so tests never see each other's cards or the
// developer's own tokens. Header-only; link the ecpa::p11_testing target.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace ecpa::p11::testing {

inline constexpr const char* kSoftHsmModule = "/usr/lib/softhsm/libsofthsm2.so";

class SoftHsmEnv {
 public:
  SoftHsmEnv() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ecpa-softhsm-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    std::filesystem::create_directory(dir_ / "tokens");
    std::ofstream conf(dir_ / "softhsm2.conf");
    conf << "directories.tokendir = " << (dir_ / "tokens").string() << "\n"
         << "objectstore.backend = file\n"
         << "log.level = ERROR\n";
    conf.close();
    // SoftHSM2 reads this at C_Initialize, so it must be set before the module is loaded.
    ::setenv("SOFTHSM2_CONF", (dir_ / "softhsm2.conf").c_str(), 1);
  }
  ~SoftHsmEnv() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  SoftHsmEnv(const SoftHsmEnv&) = delete;
  SoftHsmEnv& operator=(const SoftHsmEnv&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace ecpa::p11::testing
