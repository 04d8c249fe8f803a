#pragma once
// Test support (tests only): loopback ports for programs that must be told their port in advance.
#include <cstdint>

namespace ecpa::testkit {

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick). Another process may take it
// before the caller binds it, so prefer `--listen 127.0.0.1:0` where the program reports its port.
// Throws std::runtime_error when no port can be had.
std::uint16_t free_loopback_port();

}  // namespace ecpa::testkit
