#include "ecpa/p11/module.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <utility>

#include "call.hpp"
#include "ecpa/p11/error.hpp"
#include "ecpa/p11/session.hpp"

namespace ecpa::p11 {
namespace {

// One module object per path per process (see Module). The mutex is held while a module is loaded or
// destroyed, so a reload of the same path cannot race the previous object's C_Finalize.
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, std::weak_ptr<Module>>& registry() {
  static std::map<std::string, std::weak_ptr<Module>> r;
  return r;
}

[[noreturn]] void load_failed(const std::string& cause, CK_RV rv = CKR_GENERAL_ERROR) {
  throw P11Error(codes::CARD_MODULE_LOAD_FAILED, "load: " + cause, rv);
}

// PKCS#11 text fields are fixed-size, blank-padded and not NUL-terminated.
template <std::size_t N>
std::string padded(const unsigned char (&field)[N]) {
  std::string s(reinterpret_cast<const char*>(field), N);
  auto end = s.find_last_not_of(" \0", std::string::npos, 2);
  s.resize(end == std::string::npos ? 0 : end + 1);
  return s;
}

}  // namespace

std::shared_ptr<Module> Module::load(const std::string& path) {
  std::filesystem::path p(path);
  if (!p.is_absolute()) load_failed("module path is not absolute: " + path);
  std::error_code ec;
  auto canonical = std::filesystem::canonical(p, ec);
  if (ec) load_failed("module not found: " + path);
  const std::string key = canonical.string();

  std::lock_guard lock(registry_mutex());
  if (auto existing = registry()[key].lock()) return existing;

  void* handle = ::dlopen(key.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    load_failed("dlopen " + key + ": " + (why ? why : "unknown"));
  }
  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(handle, "C_GetFunctionList"));
  CK_FUNCTION_LIST* fns = nullptr;
  if (get_list == nullptr) {
    ::dlclose(handle);
    load_failed("no C_GetFunctionList in " + key);
  }
  if (CK_RV rv = get_list(&fns); rv != CKR_OK || fns == nullptr) {
    ::dlclose(handle);
    load_failed("C_GetFunctionList of " + key + " returned " + ckr_name(rv), rv);
  }
  if (fns->version.major != 2) {
    ::dlclose(handle);
    load_failed("unsupported PKCS#11 version " + std::to_string(fns->version.major) + " in " + key);
  }
  // The module may be called from several threads (the agent serves requests concurrently), so it must
  // use the operating system's locking.
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  CK_RV rv = fns->C_Initialize(&args);
  // Someone else in this process (another library loading the module by itself) initialised it already:
  // usable, but then it is theirs to finalise.
  bool owns = rv == CKR_OK;
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    ::dlclose(handle);
    load_failed("C_Initialize of " + key + " returned " + ckr_name(rv), rv);
  }
  // The deleter takes the registry lock so destruction and a new load of the same path are serialised.
  std::shared_ptr<Module> module(new Module(key, handle, fns, owns), [](Module* m) {
    std::lock_guard guard(registry_mutex());
    auto it = registry().find(m->path());
    if (it != registry().end() && it->second.expired()) registry().erase(it);
    delete m;
  });
  registry()[key] = module;
  return module;
}

Module::Module(std::string path, void* handle, CK_FUNCTION_LIST* functions, bool owns_initialization)
    : path_(std::move(path)), handle_(handle), fns_(functions), owns_initialization_(owns_initialization) {}

Module::~Module() {
  if (owns_initialization_) fns_->C_Finalize(nullptr);
  ::dlclose(handle_);
}

std::vector<SlotInfo> Module::slots(bool with_token_only) const {
  // The list can change between the two calls (a reader plugged in): retry on CKR_BUFFER_TOO_SMALL.
  std::vector<CK_SLOT_ID> ids;
  for (int attempt = 0;; ++attempt) {
    CK_ULONG count = 0;
    ECPA_P11_CALL(fns_, C_GetSlotList, CK_BBOOL(with_token_only ? CK_TRUE : CK_FALSE), nullptr, &count);
    ids.resize(count);
    if (count == 0) break;
    CK_RV rv = fns_->C_GetSlotList(with_token_only ? CK_TRUE : CK_FALSE, ids.data(), &count);
    if (rv == CKR_BUFFER_TOO_SMALL && attempt < 3) continue;
    check("C_GetSlotList", rv);
    ids.resize(std::min<CK_ULONG>(count, ids.size()));
    break;
  }
  std::vector<SlotInfo> out;
  out.reserve(ids.size());
  for (CK_SLOT_ID id : ids) {
    CK_SLOT_INFO info{};
    ECPA_P11_CALL(fns_, C_GetSlotInfo, id, &info);
    out.push_back({id, padded(info.slotDescription), (info.flags & CKF_TOKEN_PRESENT) != 0});
  }
  return out;
}

TokenInfo Module::token(CK_SLOT_ID slot) const {
  CK_TOKEN_INFO info{};
  ECPA_P11_CALL(fns_, C_GetTokenInfo, slot, &info);
  TokenInfo t;
  t.label = padded(info.label);
  t.serial = padded(info.serialNumber);
  t.manufacturer = padded(info.manufacturerID);
  t.model = padded(info.model);
  t.initialized = (info.flags & CKF_TOKEN_INITIALIZED) != 0;
  t.user_pin_initialized = (info.flags & CKF_USER_PIN_INITIALIZED) != 0;
  t.pin_count_low = (info.flags & CKF_USER_PIN_COUNT_LOW) != 0;
  t.pin_final_try = (info.flags & CKF_USER_PIN_FINAL_TRY) != 0;
  t.pin_locked = (info.flags & CKF_USER_PIN_LOCKED) != 0;
  t.min_pin = info.ulMinPinLen;
  t.max_pin = info.ulMaxPinLen;
  t.flags = info.flags;
  return t;
}

std::optional<CK_SLOT_ID> Module::first_uninitialized_token_slot() const {
  for (const auto& s : slots(true)) {
    if (!token(s.id).initialized) return s.id;
  }
  return std::nullopt;
}

std::optional<CK_SLOT_ID> Module::slot_with_serial(std::string_view serial) const {
  for (const auto& s : slots(true)) {
    if (token(s.id).serial == serial) return s.id;
  }
  return std::nullopt;
}

std::optional<CK_SLOT_ID> Module::slot_with_label(std::string_view label) const {
  for (const auto& s : slots(true)) {
    TokenInfo t = token(s.id);
    if (t.initialized && t.label == label) return s.id;
  }
  return std::nullopt;
}

void Module::init_token(CK_SLOT_ID slot, const SecretBuffer& so_pin, std::string_view label) {
  CK_UTF8CHAR padded_label[32];
  if (label.size() > sizeof padded_label) {
    throw Error(codes::BAD_REQUEST, "token label longer than 32 bytes");
  }
  std::memset(padded_label, ' ', sizeof padded_label);
  std::memcpy(padded_label, label.data(), label.size());
  auto pin = so_pin.reveal();
  ECPA_P11_CALL(fns_, C_InitToken, slot, reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(pin.data())),
                CK_ULONG(pin.size()), padded_label);
}

Session Module::open(CK_SLOT_ID slot, bool read_write) {
  CK_FLAGS flags = CKF_SERIAL_SESSION | (read_write ? CKF_RW_SESSION : 0);
  CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
  ECPA_P11_CALL(fns_, C_OpenSession, slot, flags, nullptr, nullptr, &h);
  return Session(shared_from_this(), slot, h);
}

}  // namespace ecpa::p11
