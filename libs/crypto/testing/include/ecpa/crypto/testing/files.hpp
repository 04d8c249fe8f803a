#pragma once
// Small helpers for tests that check our output with independent tools (the openssl CLI).
#include <filesystem>
#include <string>

#include "ecpa/crypto/bytes.hpp"

namespace ecpa::crypto::testing {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `data` to path()/name and returns the full path.
  std::filesystem::path write(const std::string& name, ByteView data) const;
  std::filesystem::path write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};
// Runs a shell command line (tests only: the arguments are ours, never user input).
CommandResult run_command(const std::string& command_line);

}  // namespace ecpa::crypto::testing
