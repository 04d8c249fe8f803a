#pragma once
// Faults the OCSP responder can be told to show, for tests of the portal's revocation checks.
// Kept in DIR/faults.json and read on every request, so `ecpa-sim fault set …` changes a running
// server at once:
//   {"down": false, "slow_ms": 0, "garbage": false, "stale": false, "wrong_signer": false,
//    "no_nonce": false, "try_later": false}
#include <filesystem>
#include <string>
#include <string_view>

namespace ecpa::sim {

struct Faults {
  bool down = false;          // HTTP 503, no OCSP answer at all
  unsigned slow_ms = 0;       // wait this long before answering (at most 60 s)
  bool garbage = false;       // 200 with bytes that are not an OCSP response
  bool stale = false;         // thisUpdate two days ago, nextUpdate yesterday
  bool wrong_signer = false;  // signed by a responder nobody authorised
  bool no_nonce = false;      // do not echo the request's nonce
  bool try_later = false;     // the tryLater status
  friend bool operator==(const Faults&, const Faults&) = default;
};

// A missing file is "no faults". Throws SIM_STATE_INVALID for a malformed file.
Faults read_faults(const std::filesystem::path& file);
void write_faults(const std::filesystem::path& file, const Faults& faults);
// Sets one fault by name ("down", "slow_ms", …) from its text value ("true"/"false" or a number).
// Throws SIM_ARGUMENT_INVALID for an unknown name or a bad value.
void set_fault(Faults& faults, std::string_view name, std::string_view value);

}  // namespace ecpa::sim
