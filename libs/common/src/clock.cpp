#include "ecpa/common/clock.hpp"

namespace ecpa {

const SystemClock& SystemClock::instance() {
  static const SystemClock clock;
  return clock;
}

}  // namespace ecpa
