#include "pin_broker.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "ecpa/common/error.hpp"

namespace ecpa::agent {
namespace {

using namespace std::chrono_literals;
const std::string kId = "0123456789abcdef0123456789abcdef";

void wait_until_pending(PinBroker& b, const std::string& id) {
  for (int i = 0; i < 500 && !b.prompt(id); ++i) std::this_thread::sleep_for(2ms);
}

TEST(PinBroker, DeliversTheTypedPin) {
  PinBroker b;
  auto f = std::async(std::launch::async, [&] {
    return std::string(b.wait_for_pin(kId, {"https://p.example", "MakeSignature", "hi"}, 5s).reveal());
  });
  EXPECT_FALSE(b.submit("ffffffffffffffffffffffffffffffff", SecretBuffer::copy_of("1")));
  wait_until_pending(b, kId);
  auto prompt = b.prompt(kId);
  ASSERT_TRUE(prompt);
  EXPECT_EQ(prompt->origin, "https://p.example");
  EXPECT_TRUE(b.submit(kId, SecretBuffer::copy_of("123456")));
  EXPECT_FALSE(b.submit(kId, SecretBuffer::copy_of("999999")));  // the first PIN stands
  EXPECT_EQ(f.get(), "123456");
  EXPECT_EQ(b.pending(), 0u);
}

ErrorCode code_of(std::future<void>& f) {
  try {
    f.get();
  } catch (const Error& e) {
    return e.code();
  }
  return codes::INTERNAL_ERROR;
}

TEST(PinBroker, CancelAndTimeout) {
  PinBroker b;
  auto cancelled = std::async(std::launch::async, [&] { b.wait_for_pin(kId, {}, 5s); });
  wait_until_pending(b, kId);
  EXPECT_TRUE(b.cancel(kId));
  EXPECT_EQ(code_of(cancelled), codes::AGENT_CANCELLED);

  auto timed_out = std::async(std::launch::async, [&] { b.wait_for_pin(kId, {}, 50ms); });
  EXPECT_EQ(code_of(timed_out), codes::AGENT_TIMEOUT);
  EXPECT_EQ(b.pending(), 0u);
}

TEST(PinBroker, ShutDownEndsEveryWaitAndRefusesNewOnes) {
  PinBroker b;
  auto a = std::async(std::launch::async, [&] { b.wait_for_pin(kId, {}, 30s); });
  auto c =
      std::async(std::launch::async, [&] { b.wait_for_pin("1123456789abcdef0123456789abcdef", {}, 30s); });
  for (int i = 0; i < 500 && b.pending() < 2; ++i) std::this_thread::sleep_for(2ms);
  b.shut_down();
  EXPECT_EQ(code_of(a), codes::AGENT_CANCELLED);
  EXPECT_EQ(code_of(c), codes::AGENT_CANCELLED);
  auto late = std::async(std::launch::async, [&] { b.wait_for_pin(kId, {}, 30s); });
  EXPECT_EQ(code_of(late), codes::AGENT_CANCELLED);
}

TEST(PinBroker, RefusesBadIdsDuplicatesAndFloods) {
  PinBroker b(1);
  auto bad = std::async(std::launch::async, [&] { b.wait_for_pin("nope", {}, 1s); });
  EXPECT_EQ(code_of(bad), codes::AGENT_PARAMETER_INVALID);
  auto first = std::async(std::launch::async, [&] { b.wait_for_pin(kId, {}, 5s); });
  wait_until_pending(b, kId);
  auto dup = std::async(std::launch::async, [&] { b.wait_for_pin(kId, {}, 1s); });
  EXPECT_EQ(code_of(dup), codes::AGENT_PARAMETER_INVALID);
  auto flood =
      std::async(std::launch::async, [&] { b.wait_for_pin("1123456789abcdef0123456789abcdef", {}, 1s); });
  EXPECT_EQ(code_of(flood), codes::AGENT_BUSY);
  b.cancel(kId);
  EXPECT_EQ(code_of(first), codes::AGENT_CANCELLED);
}

}  // namespace
}  // namespace ecpa::agent
