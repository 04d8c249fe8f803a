#pragma once
// The one way this library calls into a PKCS#11 module. The macro takes the function's name from the
// member it calls, so the name in an error can never disagree with the call that failed.

#include "ecpa/p11/error.hpp"

namespace ecpa::p11::detail {

template <typename Fn, typename... Args>
void call(const char* name, Fn fn, SourceSite where, Args... args) {
  check(name, fn(args...), where);
}

}  // namespace ecpa::p11::detail

#define ECPA_P11_CALL(fns, fn, ...) \
  ::ecpa::p11::detail::call(#fn, (fns)->fn, ::ecpa::SourceSite::here(), __VA_ARGS__)
