#pragma once
// Test support (tests only): running a tool we did not build (pkcs11-tool) that loads a library we did
// build (the cardmod PKCS#11 module). Under the asan preset that library is instrumented and the tool is
// not, so the sanitizer runtimes must be loaded first or the tool refuses to start.
#include <string>
#include <vector>

namespace ecpa::testkit {

// Environment assignments ("NAME=value") that let an uninstrumented program load our instrumented
// libraries: LD_PRELOAD of the runtimes, and no leak report for the tool's own leaks. Empty when this
// build is not sanitized.
std::vector<std::string> sanitizer_env();

// The same as a shell prefix ("LD_PRELOAD='…' ASAN_OPTIONS=detect_leaks=0 "), or "".
std::string sanitizer_env_prefix();

}  // namespace ecpa::testkit
