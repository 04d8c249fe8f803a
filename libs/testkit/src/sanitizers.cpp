#include "ecpa/testkit/sanitizers.hpp"

#include "ecpa/testkit/process.hpp"

namespace ecpa::testkit {

std::vector<std::string> sanitizer_env() {
#ifdef ECPA_SANITIZER_RUNTIMES
  // Set by cmake/ecpa.cmake for the asan preset: the compiler's own runtime libraries.
  return {std::string("LD_PRELOAD=") + ECPA_SANITIZER_RUNTIMES, "ASAN_OPTIONS=detect_leaks=0"};
#else
  return {};
#endif
}

std::string sanitizer_env_prefix() {
  std::string prefix;
  for (const auto& assignment : sanitizer_env()) {
    const auto eq = assignment.find('=');
    prefix += assignment.substr(0, eq + 1) + shell_quote(assignment.substr(eq + 1)) + " ";
  }
  return prefix;
}

}  // namespace ecpa::testkit
