#pragma once
#include <atomic>
#include <chrono>

namespace ecpa {

// Time comes from a Clock handed in, never from system_clock directly, so that validity windows,
// nonce expiry and lockouts can be tested at any instant.
class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  time_point now() const override { return std::chrono::system_clock::now(); }
  static const SystemClock& instance();
};

// A clock that moves only when told to. Safe to read from several threads while a test moves it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(time_point start) : ticks_(start.time_since_epoch().count()) {}
  time_point now() const override { return time_point(time_point::duration(ticks_.load())); }
  void set(time_point t) { ticks_.store(t.time_since_epoch().count()); }
  void advance(std::chrono::system_clock::duration d) { ticks_.fetch_add(d.count()); }

 private:
  std::atomic<time_point::rep> ticks_;
};

}  // namespace ecpa
