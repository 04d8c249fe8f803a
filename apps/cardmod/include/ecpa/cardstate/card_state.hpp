#pragma once
// The state file of the cardmod simulator: which simulated cards are in their readers, how many PIN tries
// each has left, and which faults to inject. Shared by the PKCS#11 module (libecpa_cardmod.so) and the
// programs that steer it (`ecpa-sim card remove`, tests). Format: apps/cardmod/README.md.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecpa::cardmod {

inline constexpr int kDefaultMaxTries = 3;  // citizen cards lock after 3 wrong PINs (REFERENCE §1)

// Something to do to a PKCS#11 call: slow it down, fail it, or pull the card out during it.
struct Fault {
  std::string function;   // "C_Sign", "C_Login", … or "*" for every call
  unsigned delay_ms = 0;  // sleep before acting (a slow card)
  unsigned long rv = 0;   // a CKR to return instead of doing the call; 0 = do the call
  bool remove = false;    // after the delay, the card leaves the reader (the call gets CKR_DEVICE_REMOVED)
  bool once = false;      // dropped after the first call it applies to

  bool matches(std::string_view fn) const { return function == "*" || function == fn; }
  friend bool operator==(const Fault&, const Fault&) = default;
};

struct TokenState {
  int max_tries = kDefaultMaxTries;
  int retries_left = kDefaultMaxTries;
  bool removed = false;
  // Counts removals: a session opened before the card was pulled stays dead after it is put back, even
  // when nobody used the session while the card was out.
  std::uint64_t removals = 0;
  std::string reader;  // the slot's description; empty = "CASTLES EZ100PU nn 00"
  // The serial the card reports (CK_TOKEN_INFO.serialNumber), e.g. "TP03200302000536": SoftHSM2 picks
  // its own 16 hex digits and cannot be told another, while pages and portals read the card number from
  // it. Empty = report the real module's serial. The file stays keyed by the real serial.
  std::string card_serial;
  std::vector<Fault> faults;

  friend bool operator==(const TokenState&, const TokenState&) = default;
};

struct State {
  std::string module;                        // the real module; empty = SoftHSM2's
  std::vector<Fault> faults;                 // for every card
  std::map<std::string, TokenState> tokens;  // by token serial (CK_TOKEN_INFO.serialNumber)

  // The token's state, or the defaults for a card the file does not mention. `serial` may be the real
  // module's serial (the key) or the card serial the token reports.
  TokenState token(const std::string& serial) const;
  // The key under which `serial` (a key or a card serial) is kept; `serial` itself when unknown.
  std::string key_for(const std::string& serial) const;
  friend bool operator==(const State&, const State&) = default;
};

// Throw ecpa::Error CARD_STATE_INVALID naming what is wrong; unknown keys are refused so a typo in a
// test's fault switch cannot silently do nothing.
State parse_state(std::string_view json);
std::string serialize_state(const State& state);

// The state file at a path. Reads take no lock (the file is only ever replaced whole, by rename);
// changes are read-modify-write under an exclusive flock on "<file>.lock", so several processes (the
// module in the agent, the sim CLI, a test) can change it without losing each other's updates.
class CardState {
 public:
  explicit CardState(std::filesystem::path file);

  const std::filesystem::path& file() const noexcept { return file_; }

  // A missing file is the empty state (every card present, full tries, no faults).
  State read() const;
  // Runs `change` on the freshest state while holding the lock; writes (temp file + fsync + rename)
  // only when `change` returns true. Returns the state as it is afterwards.
  State update(const std::function<bool(State&)>& change);

  void set_removed(const std::string& serial, bool removed);
  void set_retries(const std::string& serial, int retries_left);
  void set_reader(const std::string& serial, std::string reader);
  // What the token reports as its serial: 1–16 printable ASCII characters (the PKCS#11 field's size).
  void set_card_serial(const std::string& token_serial, std::string card_serial);
  // On one card, or on every card when serial is nullopt.
  void add_fault(const std::optional<std::string>& serial, Fault fault);
  // One card's faults, or every fault (global and per card) when serial is nullopt.
  void clear_faults(const std::optional<std::string>& serial);
  std::map<std::string, TokenState> list() const;

 private:
  std::filesystem::path file_;
};

}  // namespace ecpa::cardmod
