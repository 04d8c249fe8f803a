#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/common/secret.hpp"
#include "ecpa/p11/pkcs11.hpp"

namespace ecpa::p11 {

class Session;

struct SlotInfo {
  CK_SLOT_ID id = 0;
  std::string description;  // the reader's name, e.g. "CASTLES EZ100PU 00 00"
  bool token_present = false;
};

struct TokenInfo {
  std::string label, serial, manufacturer, model;
  bool initialized = false;
  bool user_pin_initialized = false;
  bool pin_count_low = false;  // at least one wrong PIN since the last good one
  bool pin_final_try = false;  // one more wrong PIN locks the card
  bool pin_locked = false;
  unsigned long min_pin = 0, max_pin = 0;
  CK_FLAGS flags = 0;  // the raw flags, for what the booleans above leave out
};

// One loaded PKCS#11 module (HiCOS, OpenSC, SoftHSM2, the cardmod simulator). There is one object per
// module path per process, because a module may be initialised only once per process: a second
// C_Initialize fails and a C_Finalize would pull the module from under the first user.
class Module : public std::enable_shared_from_this<Module> {
 public:
  // Loads the module at an absolute path (a bare name would be looked up in the library search path,
  // which someone else may control) and initialises it for use from several threads. Throws
  // P11Error with CARD_MODULE_LOAD_FAILED.
  static std::shared_ptr<Module> load(const std::string& path);

  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  ~Module();

  const std::string& path() const noexcept { return path_; }

  std::vector<SlotInfo> slots(bool with_token_only) const;
  TokenInfo token(CK_SLOT_ID slot) const;
  // A slot whose token is not initialised yet (SoftHSM2 always offers one), or none.
  std::optional<CK_SLOT_ID> first_uninitialized_token_slot() const;
  // The slot holding the token with this serial / label. Needed after init_token: SoftHSM2 moves a
  // freshly initialised token to a new slot ID.
  std::optional<CK_SLOT_ID> slot_with_serial(std::string_view serial) const;
  std::optional<CK_SLOT_ID> slot_with_label(std::string_view label) const;

  // Initialises (erases!) the token in `slot`; the label is at most 32 bytes.
  void init_token(CK_SLOT_ID slot, const SecretBuffer& so_pin, std::string_view label);
  [[nodiscard]] Session open(CK_SLOT_ID slot, bool read_write);

 private:
  Module(std::string path, void* handle, CK_FUNCTION_LIST* functions, bool owns_initialization);
  friend class Session;

  std::string path_;
  void* handle_;
  CK_FUNCTION_LIST* fns_;
  bool owns_initialization_;
};

}  // namespace ecpa::p11
