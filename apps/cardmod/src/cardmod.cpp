// libecpa_cardmod.so: a PKCS#11 module that forwards every call to a real module (SoftHSM2 by default)
// and adds what a citizen card in a reader does and SoftHSM2 does not: a PIN retry counter that locks,
// removal and insertion, and injectable faults. Its state lives in the file named by ECPA_CARDMOD_STATE
// (apps/cardmod/README.md), re-read whenever it changes, so another process can pull a card out.
#include <dlfcn.h>
#include <sys/stat.h>

#include <boost/preprocessor/repetition/enum.hpp>
#include <boost/preprocessor/repetition/enum_params.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "ecpa/cardstate/card_state.hpp"
#include "ecpa/p11/pkcs11.hpp"
#include "token_rules.hpp"

#define CARDMOD_EXPORT __attribute__((visibility("default")))

namespace ecpa::cardmod {
namespace {

constexpr const char* kDefaultModule = "/usr/lib/softhsm/libsofthsm2.so";

struct SessionRecord {
  CK_SLOT_ID slot = 0;
  std::string serial;
  std::uint64_t removals = 0;  // the card's removal count when the session was opened
};

struct FileStamp {
  dev_t dev = 0;
  ino_t ino = 0;
  long mtime_sec = 0, mtime_nsec = 0;
  off_t size = 0;
  bool exists = false;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

// Everything the module knows. `mu` guards the maps and the cached state, and is never held while the
// real module works or while a fault sleeps — except in file-less mode, where it serialises logins.
struct Module {
  std::mutex mu;
  std::atomic<CK_FUNCTION_LIST*> under{nullptr};
  void* handle = nullptr;
  std::optional<CardState> file;
  State cached;
  std::optional<FileStamp> stamp;  // of `cached`; empty = read again
  std::map<CK_SESSION_HANDLE, SessionRecord> sessions;
  // Sessions of a card that was pulled out: the real module closed them; we answer for them.
  std::set<CK_SESSION_HANDLE> dead;
};

Module g;

CK_FUNCTION_LIST* under() { return g.under.load(); }

FileStamp stamp_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {st.st_dev, st.st_ino, st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_size, true};
}

// The state, re-read only when the file changed (a stat per call; writers replace the file by rename,
// so the inode changes on every write).
State current() {
  std::lock_guard lock(g.mu);
  if (!g.file) return g.cached;
  FileStamp now = stamp_of(g.file->file());
  if (!g.stamp || !(*g.stamp == now)) {
    g.cached = now.exists ? g.file->read() : State{};
    g.stamp = now;
  }
  return g.cached;
}

// Read-modify-write of the state, under the file lock (several processes) or `mu` (file-less mode).
template <typename Change>
void modify(Change&& change) {
  if (g.file) {
    State after = g.file->update(change);
    std::lock_guard lock(g.mu);
    g.cached = std::move(after);
    g.stamp.reset();
    return;
  }
  std::lock_guard lock(g.mu);
  change(g.cached);
}

template <std::size_t N>
std::string trimmed(const unsigned char (&field)[N]) {
  std::string s(reinterpret_cast<const char*>(field), N);
  auto end = s.find_last_not_of(" \0", std::string::npos, 2);
  s.resize(end == std::string::npos ? 0 : end + 1);
  return s;
}

template <std::size_t N>
void fill_padded(unsigned char (&field)[N], const std::string& text) {
  std::memset(field, ' ', N);
  std::memcpy(field, text.data(), std::min(N, text.size()));
}

// The serial of the token in a slot, asked of the real module (which still sees a "removed" card).
std::string serial_of(CK_SLOT_ID slot) {
  CK_TOKEN_INFO info{};
  if (under()->C_GetTokenInfo(slot, &info) != CKR_OK) return {};
  if ((info.flags & CKF_TOKEN_INITIALIZED) == 0) return {};
  return trimmed(info.serialNumber);
}

// A card leaving the reader resets it: every session closes and the login is gone, as on a real card.
void pull_card(CK_SLOT_ID slot) {
  under()->C_CloseAllSessions(slot);
  std::lock_guard lock(g.mu);
  for (auto it = g.sessions.begin(); it != g.sessions.end();) {
    if (it->second.slot == slot) {
      g.dead.insert(it->first);
      it = g.sessions.erase(it);
    } else {
      ++it;
    }
  }
}

// A session opened before the card last left the reader must not live on next to new ones: the real
// module would keep its login, and a re-inserted card must ask for the PIN again.
void drop_stale_sessions(CK_SLOT_ID slot, std::uint64_t removals) {
  bool stale = false;
  {
    std::lock_guard lock(g.mu);
    for (const auto& [h, rec] : g.sessions) stale = stale || (rec.slot == slot && rec.removals != removals);
  }
  if (stale) pull_card(slot);
}

void mark_removed(const std::string& serial) {
  modify([&](State& s) {
    TokenState& t = s.tokens.try_emplace(serial).first->second;
    if (!t.removed) ++t.removals;
    t.removed = true;
    return true;
  });
}

struct Early {
  CK_RV rv;
  bool injected;  // a fault's CKR: the real operation may still be active and must be ended
};

std::optional<Early> apply_faults(const State& state, std::string_view function, CK_SLOT_ID slot,
                                  const std::string& serial) {
  FaultPlan plan = plan_faults(state, serial, function);
  if (!plan.any()) return std::nullopt;
  if (plan.consumes_once) modify([&](State& s) { return consume_once(s, serial, function); });
  if (plan.delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(plan.delay_ms));
  if (plan.remove && !serial.empty()) {
    mark_removed(serial);
    pull_card(slot);
    return Early{CKR_DEVICE_REMOVED, false};
  }
  if (plan.rv != CKR_OK) return Early{plan.rv, true};
  return std::nullopt;
}

// Before a call on a session: is its card still the one in the reader, and does a fault apply?
std::optional<Early> enter_session(std::string_view function, CK_SESSION_HANDLE h) {
  SessionRecord rec;
  {
    std::lock_guard lock(g.mu);
    if (g.dead.count(h)) return Early{CKR_SESSION_HANDLE_INVALID, false};
    auto it = g.sessions.find(h);
    if (it == g.sessions.end()) return std::nullopt;  // not ours to judge: the real module answers
    rec = it->second;
  }
  State state = current();
  TokenState t = state.token(rec.serial);
  if (!rec.serial.empty() && (t.removed || t.removals != rec.removals)) {
    pull_card(rec.slot);
    return Early{CKR_DEVICE_REMOVED, false};
  }
  return apply_faults(state, function, rec.slot, rec.serial);
}

// Before a call on a slot: an empty reader has no token.
std::optional<Early> enter_slot(std::string_view function, CK_SLOT_ID slot) {
  std::string serial = serial_of(slot);
  State state = current();
  if (!serial.empty() && state.token(serial).removed) return Early{CKR_TOKEN_NOT_PRESENT, false};
  return apply_faults(state, function, slot, serial);
}

std::optional<SessionRecord> record_of(CK_SESSION_HANDLE h) {
  std::lock_guard lock(g.mu);
  auto it = g.sessions.find(h);
  if (it == g.sessions.end()) return std::nullopt;
  return it->second;
}

void restore_tries(const std::string& serial) {
  if (serial.empty()) return;
  modify([&](State& s) {
    auto it = s.tokens.find(serial);
    if (it == s.tokens.end() || it->second.retries_left == it->second.max_tries) return false;
    it->second.retries_left = it->second.max_tries;
    return true;
  });
}

// A PIN check with the card's counter: refused without asking the real module once locked; a wrong PIN
// takes a try, and the one that uses up the last try answers CKR_PIN_LOCKED; a right PIN restores them.
// The whole check runs under the state lock so two processes cannot both spend the last try.
template <typename Check>
CK_RV counted_pin_check(const std::string& serial, Check&& check) {
  if (serial.empty()) return check();
  CK_RV rv = CKR_GENERAL_ERROR;
  auto step = [&](State& s) {
    TokenState& t = s.tokens.try_emplace(serial).first->second;
    if (t.retries_left <= 0) {
      rv = CKR_PIN_LOCKED;
      return false;
    }
    rv = check();
    bool changed = count_login(t, rv);
    if (rv == CKR_PIN_INCORRECT && t.retries_left == 0) rv = CKR_PIN_LOCKED;
    return changed;
  };
  modify(step);
  return rv;
}

template <typename Fn>
CK_RV guarded(Fn&& fn) {
  if (under() == nullptr) return CKR_CRYPTOKI_NOT_INITIALIZED;
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return CKR_HOST_MEMORY;
  } catch (...) {
    // An unreadable state file or any other surprise: never let an exception cross the C ABI.
    return CKR_GENERAL_ERROR;
  }
}

// Ends the real module's active one-shot operation by letting it finish into a wiped scratch buffer.
template <typename Finish>
void end_operation(Finish&& finish) {
  std::vector<CK_BYTE> scratch(std::size_t{64} * 1024);
  CK_ULONG len = scratch.size();
  finish(scratch.data(), &len);
  std::fill(scratch.begin(), scratch.end(), 0);  // may hold plaintext from C_Decrypt
}

// The parameter types of PKCS#11 function `Fn` (a p11-kit CK_C_* pointer typedef).
template <typename Fn>
struct Params;
template <typename... Args>
struct Params<CK_RV (*)(Args...)> {
  using type = std::tuple<Args...>;
};
template <typename Fn, std::size_t I>
using Param = std::tuple_element_t<I, typename Params<Fn>::type>;

// A call that only forwards to the real module, once `Enter` (the removal check and the faults for the
// session or slot that comes first) lets it through.
template <auto Enter, auto Member, typename... Args>
CK_RV forward(const char* name, CK_ULONG handle, Args... args) {
  return guarded([&]() -> CK_RV {
    if (auto early = Enter(name, handle)) return early->rv;
    return (under()->*Member)(handle, args...);
  });
}
template <auto Member, typename... Args>
CK_RV on_session(const char* name, Args... args) {
  return forward<enter_session, Member>(name, args...);
}
template <auto Member, typename... Args>
CK_RV on_slot(const char* name, Args... args) {
  return forward<enter_slot, Member>(name, args...);
}

// C_Sign, C_Decrypt: after an injected failure the real module's operation is still active; end it so the
// next C_SignInit works, as on a card that aborted the command.
template <auto Member>
CK_RV one_shot(const char* name, CK_SESSION_HANDLE session, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out,
               CK_ULONG_PTR out_len) {
  return guarded([&]() -> CK_RV {
    if (auto early = enter_session(name, session)) {
      if (early->injected) {
        end_operation([&](CK_BYTE_PTR scratch, CK_ULONG_PTR len) {
          (under()->*Member)(session, in, in_len, scratch, len);
        });
      }
      return early->rv;
    }
    return (under()->*Member)(session, in, in_len, out, out_len);
  });
}

std::vector<CK_SLOT_ID> underlying_slots(CK_BBOOL token_present) {
  CK_ULONG count = 0;
  if (under()->C_GetSlotList(token_present, nullptr, &count) != CKR_OK) return {};
  std::vector<CK_SLOT_ID> slots(count);
  if (count && under()->C_GetSlotList(token_present, slots.data(), &count) != CKR_OK) return {};
  slots.resize(std::min<std::size_t>(count, slots.size()));
  return slots;
}

}  // namespace
}  // namespace ecpa::cardmod

using namespace ecpa::cardmod;

// Defines the exported `fn` with exactly the parameters of p11-kit's CK_<fn> typedef, so it cannot drift
// from the header (a wrong `arity` does not compile), and hands them all to `how` (on_session, on_slot,
// one_shot) with the real module's member for `fn`.
// NOLINTBEGIN(bugprone-macro-parentheses): `how` names a function template, which cannot be parenthesised.
#define CARDMOD_PARAM(z, i, fn) Param<CK_##fn, i> a##i
#define CARDMOD_VIA(how, fn, arity)                                         \
  CARDMOD_EXPORT CK_RV fn(BOOST_PP_ENUM(arity, CARDMOD_PARAM, fn)) {        \
    return how<&CK_FUNCTION_LIST::fn>(#fn, BOOST_PP_ENUM_PARAMS(arity, a)); \
  }
// NOLINTEND(bugprone-macro-parentheses)

extern "C" {

CARDMOD_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList);

CARDMOD_EXPORT CK_RV C_Initialize(CK_VOID_PTR pInitArgs) {
  try {
    std::lock_guard lock(g.mu);
    if (under() != nullptr) return CKR_CRYPTOKI_ALREADY_INITIALIZED;
    const char* state_path = std::getenv("ECPA_CARDMOD_STATE");
    g.file.reset();
    if (state_path != nullptr && *state_path != '\0') g.file.emplace(state_path);
    State state = g.file ? g.file->read() : State{};
    const char* module_env = std::getenv("ECPA_CARDMOD_MODULE");
    std::string path = module_env && *module_env ? module_env
                       : !state.module.empty()   ? state.module
                                                 : kDefaultModule;
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) return CKR_GENERAL_ERROR;
    auto get_list = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(handle, "C_GetFunctionList"));
    CK_FUNCTION_LIST* fns = nullptr;
    if (get_list == nullptr || get_list(&fns) != CKR_OK || fns == nullptr) {
      ::dlclose(handle);
      return CKR_GENERAL_ERROR;
    }
    CK_RV rv = fns->C_Initialize(pInitArgs);
    if (rv != CKR_OK) {
      ::dlclose(handle);
      return rv;
    }
    g.handle = handle;
    g.cached = std::move(state);
    g.stamp.reset();
    g.sessions.clear();
    g.dead.clear();
    g.under = fns;
    return CKR_OK;
  } catch (...) {
    return CKR_GENERAL_ERROR;
  }
}

CARDMOD_EXPORT CK_RV C_Finalize(CK_VOID_PTR pReserved) {
  std::lock_guard lock(g.mu);
  CK_FUNCTION_LIST* fns = under();
  if (fns == nullptr) return CKR_CRYPTOKI_NOT_INITIALIZED;
  CK_RV rv = fns->C_Finalize(pReserved);
  if (rv != CKR_OK) return rv;
  g.under = nullptr;
  ::dlclose(g.handle);
  g.handle = nullptr;
  g.sessions.clear();
  g.dead.clear();
  return CKR_OK;
}

CARDMOD_EXPORT CK_RV C_GetInfo(CK_INFO_PTR pInfo) {
  return guarded([&]() -> CK_RV {
    CK_RV rv = under()->C_GetInfo(pInfo);
    if (rv == CKR_OK) {
      fill_padded(pInfo->manufacturerID, "openecpa");
      fill_padded(pInfo->libraryDescription, "openecpa card simulator (cardmod)");
    }
    return rv;
  });
}

CARDMOD_EXPORT CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList, CK_ULONG_PTR pulCount) {
  return guarded([&]() -> CK_RV {
    if (!tokenPresent) return under()->C_GetSlotList(tokenPresent, pSlotList, pulCount);
    if (pulCount == nullptr) return CKR_ARGUMENTS_BAD;
    State state = current();
    std::vector<CK_SLOT_ID> present;
    for (CK_SLOT_ID slot : underlying_slots(CK_TRUE)) {
      std::string serial = serial_of(slot);
      if (serial.empty() || !state.token(serial).removed) present.push_back(slot);
    }
    if (pSlotList == nullptr) {
      *pulCount = present.size();
      return CKR_OK;
    }
    if (*pulCount < present.size()) {
      *pulCount = present.size();
      return CKR_BUFFER_TOO_SMALL;
    }
    std::copy(present.begin(), present.end(), pSlotList);
    *pulCount = present.size();
    return CKR_OK;
  });
}

CARDMOD_EXPORT CK_RV C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo) {
  return guarded([&]() -> CK_RV {
    CK_RV rv = under()->C_GetSlotInfo(slotID, pInfo);
    if (rv != CKR_OK) return rv;
    std::string serial = serial_of(slotID);
    TokenState t = current().token(serial);
    // A real reader: hardware, and the card in it can be taken out.
    pInfo->flags |= CKF_HW_SLOT | CKF_REMOVABLE_DEVICE;
    if (!serial.empty() && t.removed) pInfo->flags &= ~CK_FLAGS(CKF_TOKEN_PRESENT);
    std::string reader = t.reader;
    if (serial.empty() || reader.empty()) {
      auto all = underlying_slots(CK_FALSE);
      auto pos = std::find(all.begin(), all.end(), slotID);
      reader = default_reader(static_cast<std::size_t>(pos - all.begin()));
    }
    fill_padded(pInfo->slotDescription, reader);
    fill_padded(pInfo->manufacturerID, "Castles Technology");
    return CKR_OK;
  });
}

CARDMOD_EXPORT CK_RV C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo) {
  return guarded([&]() -> CK_RV {
    if (auto early = enter_slot("C_GetTokenInfo", slotID)) return early->rv;
    CK_RV rv = under()->C_GetTokenInfo(slotID, pInfo);
    if (rv != CKR_OK || (pInfo->flags & CKF_TOKEN_INITIALIZED) == 0) return rv;
    TokenState state = current().token(trimmed(pInfo->serialNumber));
    pInfo->flags = with_pin_flags(pInfo->flags, state);
    // Report the card's own number (TP…) where one is set, as a real card does.
    if (!state.card_serial.empty()) fill_padded(pInfo->serialNumber, state.card_serial);
    return rv;
  });
}

CARDMOD_VIA(on_slot, C_GetMechanismList, 3)
CARDMOD_VIA(on_slot, C_GetMechanismInfo, 3)
CARDMOD_VIA(on_slot, C_InitToken, 4)

CARDMOD_EXPORT CK_RV C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication,
                                   CK_NOTIFY Notify, CK_SESSION_HANDLE_PTR phSession) {
  return guarded([&]() -> CK_RV {
    if (auto early = enter_slot("C_OpenSession", slotID)) return early->rv;
    std::string serial = serial_of(slotID);
    std::uint64_t removals = current().token(serial).removals;
    drop_stale_sessions(slotID, removals);
    CK_RV rv = under()->C_OpenSession(slotID, flags, pApplication, Notify, phSession);
    if (rv != CKR_OK) return rv;
    std::lock_guard lock(g.mu);
    g.dead.erase(*phSession);
    g.sessions[*phSession] = SessionRecord{slotID, serial, removals};
    return rv;
  });
}

CARDMOD_EXPORT CK_RV C_CloseSession(CK_SESSION_HANDLE hSession) {
  return guarded([&]() -> CK_RV {
    {
      std::lock_guard lock(g.mu);
      if (g.dead.erase(hSession)) return CKR_SESSION_HANDLE_INVALID;
      g.sessions.erase(hSession);
    }
    return under()->C_CloseSession(hSession);
  });
}

CARDMOD_EXPORT CK_RV C_CloseAllSessions(CK_SLOT_ID slotID) {
  return guarded([&]() -> CK_RV {
    CK_RV rv = under()->C_CloseAllSessions(slotID);
    std::lock_guard lock(g.mu);
    std::erase_if(g.sessions, [&](const auto& entry) { return entry.second.slot == slotID; });
    return rv;
  });
}

CARDMOD_EXPORT CK_RV C_Login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin,
                             CK_ULONG ulPinLen) {
  return guarded([&]() -> CK_RV {
    if (auto early = enter_session("C_Login", hSession)) return early->rv;
    auto check = [&] { return under()->C_Login(hSession, userType, pPin, ulPinLen); };
    auto rec = record_of(hSession);
    // The SO PIN (the card's PUK) has no counter here; only the holder's PIN locks the card.
    if (!rec || userType == CKU_SO) return check();
    return counted_pin_check(rec->serial, check);
  });
}

CARDMOD_EXPORT CK_RV C_InitPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen) {
  return guarded([&]() -> CK_RV {
    if (auto early = enter_session("C_InitPIN", hSession)) return early->rv;
    CK_RV rv = under()->C_InitPIN(hSession, pPin, ulPinLen);
    // Setting the PIN as security officer is how a locked card is unlocked (at the household office).
    if (auto rec = record_of(hSession); rv == CKR_OK && rec) restore_tries(rec->serial);
    return rv;
  });
}

CARDMOD_EXPORT CK_RV C_SetPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin, CK_ULONG ulOldLen,
                              CK_UTF8CHAR_PTR pNewPin, CK_ULONG ulNewLen) {
  return guarded([&]() -> CK_RV {
    if (auto early = enter_session("C_SetPIN", hSession)) return early->rv;
    auto change = [&] { return under()->C_SetPIN(hSession, pOldPin, ulOldLen, pNewPin, ulNewLen); };
    CK_SESSION_INFO info{};
    auto rec = record_of(hSession);
    bool as_so = under()->C_GetSessionInfo(hSession, &info) == CKR_OK && info.state == CKS_RW_SO_FUNCTIONS;
    // Changing the user PIN proves the old one: a wrong old PIN counts like a wrong login.
    if (!rec || as_so) return change();
    return counted_pin_check(rec->serial, change);
  });
}

CARDMOD_VIA(one_shot, C_Sign, 5)
CARDMOD_VIA(one_shot, C_Decrypt, 5)

CARDMOD_EXPORT CK_RV C_WaitForSlotEvent(CK_FLAGS, CK_SLOT_ID_PTR, CK_VOID_PTR) {
  return under() == nullptr ? CKR_CRYPTOKI_NOT_INITIALIZED : CKR_FUNCTION_NOT_SUPPORTED;
}

// The rest only forward, after the removal check and the faults.
CARDMOD_VIA(on_session, C_GetSessionInfo, 2)
CARDMOD_VIA(on_session, C_GetOperationState, 3)
CARDMOD_VIA(on_session, C_SetOperationState, 5)
CARDMOD_VIA(on_session, C_Logout, 1)
CARDMOD_VIA(on_session, C_CreateObject, 4)
CARDMOD_VIA(on_session, C_CopyObject, 5)
CARDMOD_VIA(on_session, C_DestroyObject, 2)
CARDMOD_VIA(on_session, C_GetObjectSize, 3)
CARDMOD_VIA(on_session, C_GetAttributeValue, 4)
CARDMOD_VIA(on_session, C_SetAttributeValue, 4)
CARDMOD_VIA(on_session, C_FindObjectsInit, 3)
CARDMOD_VIA(on_session, C_FindObjects, 4)
CARDMOD_VIA(on_session, C_FindObjectsFinal, 1)
CARDMOD_VIA(on_session, C_EncryptInit, 3)
CARDMOD_VIA(on_session, C_Encrypt, 5)
CARDMOD_VIA(on_session, C_EncryptUpdate, 5)
CARDMOD_VIA(on_session, C_EncryptFinal, 3)
CARDMOD_VIA(on_session, C_DecryptInit, 3)
CARDMOD_VIA(on_session, C_DecryptUpdate, 5)
CARDMOD_VIA(on_session, C_DecryptFinal, 3)
CARDMOD_VIA(on_session, C_DigestInit, 2)
CARDMOD_VIA(on_session, C_Digest, 5)
CARDMOD_VIA(on_session, C_DigestUpdate, 3)
CARDMOD_VIA(on_session, C_DigestKey, 2)
CARDMOD_VIA(on_session, C_DigestFinal, 3)
CARDMOD_VIA(on_session, C_SignInit, 3)
CARDMOD_VIA(on_session, C_SignUpdate, 3)
CARDMOD_VIA(on_session, C_SignFinal, 3)
CARDMOD_VIA(on_session, C_SignRecoverInit, 3)
CARDMOD_VIA(on_session, C_SignRecover, 5)
CARDMOD_VIA(on_session, C_VerifyInit, 3)
CARDMOD_VIA(on_session, C_Verify, 5)
CARDMOD_VIA(on_session, C_VerifyUpdate, 3)
CARDMOD_VIA(on_session, C_VerifyFinal, 3)
CARDMOD_VIA(on_session, C_VerifyRecoverInit, 3)
CARDMOD_VIA(on_session, C_VerifyRecover, 5)
CARDMOD_VIA(on_session, C_DigestEncryptUpdate, 5)
CARDMOD_VIA(on_session, C_DecryptDigestUpdate, 5)
CARDMOD_VIA(on_session, C_SignEncryptUpdate, 5)
CARDMOD_VIA(on_session, C_DecryptVerifyUpdate, 5)
CARDMOD_VIA(on_session, C_GenerateKey, 5)
CARDMOD_VIA(on_session, C_GenerateKeyPair, 8)
CARDMOD_VIA(on_session, C_WrapKey, 6)
CARDMOD_VIA(on_session, C_UnwrapKey, 8)
CARDMOD_VIA(on_session, C_DeriveKey, 6)
CARDMOD_VIA(on_session, C_SeedRandom, 3)
CARDMOD_VIA(on_session, C_GenerateRandom, 3)
CARDMOD_VIA(on_session, C_GetFunctionStatus, 1)
CARDMOD_VIA(on_session, C_CancelFunction, 1)

#undef CARDMOD_VIA
#undef CARDMOD_PARAM

static CK_FUNCTION_LIST kFunctionList = {
    {CRYPTOKI_VERSION_MAJOR, CRYPTOKI_VERSION_MINOR},
    C_Initialize,
    C_Finalize,
    C_GetInfo,
    C_GetFunctionList,
    C_GetSlotList,
    C_GetSlotInfo,
    C_GetTokenInfo,
    C_GetMechanismList,
    C_GetMechanismInfo,
    C_InitToken,
    C_InitPIN,
    C_SetPIN,
    C_OpenSession,
    C_CloseSession,
    C_CloseAllSessions,
    C_GetSessionInfo,
    C_GetOperationState,
    C_SetOperationState,
    C_Login,
    C_Logout,
    C_CreateObject,
    C_CopyObject,
    C_DestroyObject,
    C_GetObjectSize,
    C_GetAttributeValue,
    C_SetAttributeValue,
    C_FindObjectsInit,
    C_FindObjects,
    C_FindObjectsFinal,
    C_EncryptInit,
    C_Encrypt,
    C_EncryptUpdate,
    C_EncryptFinal,
    C_DecryptInit,
    C_Decrypt,
    C_DecryptUpdate,
    C_DecryptFinal,
    C_DigestInit,
    C_Digest,
    C_DigestUpdate,
    C_DigestKey,
    C_DigestFinal,
    C_SignInit,
    C_Sign,
    C_SignUpdate,
    C_SignFinal,
    C_SignRecoverInit,
    C_SignRecover,
    C_VerifyInit,
    C_Verify,
    C_VerifyUpdate,
    C_VerifyFinal,
    C_VerifyRecoverInit,
    C_VerifyRecover,
    C_DigestEncryptUpdate,
    C_DecryptDigestUpdate,
    C_SignEncryptUpdate,
    C_DecryptVerifyUpdate,
    C_GenerateKey,
    C_GenerateKeyPair,
    C_WrapKey,
    C_UnwrapKey,
    C_DeriveKey,
    C_SeedRandom,
    C_GenerateRandom,
    C_GetFunctionStatus,
    C_CancelFunction,
    C_WaitForSlotEvent,
};

CARDMOD_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList) {
  if (ppFunctionList == nullptr) return CKR_ARGUMENTS_BAD;
  *ppFunctionList = &kFunctionList;
  return CKR_OK;
}

}  // extern "C"
