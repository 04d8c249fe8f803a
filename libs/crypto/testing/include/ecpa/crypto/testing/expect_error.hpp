#pragma once
// For GoogleTest programs only (it includes gtest): the check nearly every refusal test makes.
#include <gtest/gtest.h>

#include <utility>

#include "ecpa/common/error.hpp"

namespace ecpa::crypto::testing {

// Runs `fn` and expects it to throw ecpa::Error with `code`. Anything else — no throw, another code,
// another exception — is a test failure that shows the error's cause.
template <typename Fn>
void expect_error(ErrorCode code, Fn&& fn) {
  try {
    std::forward<Fn>(fn)();
    ADD_FAILURE() << "accepted; expected " << code.value;
  } catch (const Error& e) {
    EXPECT_EQ(e.code().value, code.value) << e.cause();
  }
}

}  // namespace ecpa::crypto::testing
