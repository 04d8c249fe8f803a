#include "ecpa/p11/module.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ecpa/p11/error.hpp"
#include "ecpa/p11/session.hpp"
#include "ecpa/p11/testing/card.hpp"
#include "ecpa/p11/testing/softhsm_env.hpp"

namespace ecpa::p11 {
namespace {

using testing::kSoftHsmModule;

void expect_load_failure(const std::string& path) {
  try {
    Module::load(path);
    FAIL() << "loaded " << path;
  } catch (const P11Error& e) {
    EXPECT_EQ(e.code(), codes::CARD_MODULE_LOAD_FAILED) << e.what();
    EXPECT_FALSE(e.retriable());
  }
}

TEST(Module, MissingModuleIsALoadError) { expect_load_failure("/nonexistent/libnothing.so"); }

TEST(Module, RelativePathIsRefused) { expect_load_failure("libsofthsm2.so"); }

TEST(Module, LibraryWithoutPkcs11IsALoadError) {
  testing::SoftHsmEnv env;
  auto not_a_module = env.dir() / "not-a-module.so";
  std::ofstream(not_a_module) << "this is not an ELF file";
  expect_load_failure(not_a_module.string());
}

TEST(Module, OneObjectPerPathPerProcess) {
  testing::SoftHsmEnv env;
  auto a = Module::load(kSoftHsmModule);
  auto b = Module::load(kSoftHsmModule);
  EXPECT_EQ(a.get(), b.get());
}

TEST(Module, ReloadsAfterTheLastUserLetsGo) {
  testing::SoftHsmEnv env;
  Module* first = nullptr;
  {
    auto a = Module::load(kSoftHsmModule);
    first = a.get();
    EXPECT_FALSE(a->slots(false).empty());
  }
  auto b = Module::load(kSoftHsmModule);
  EXPECT_FALSE(b->slots(false).empty()) << "finalised and initialised again" << first;
}

TEST(Module, FreshStoreOffersOneUninitializedToken) {
  testing::SoftHsmEnv env;
  auto m = Module::load(kSoftHsmModule);
  auto slots = m->slots(true);
  ASSERT_EQ(slots.size(), 1U);
  EXPECT_TRUE(slots[0].token_present);
  EXPECT_FALSE(m->token(slots[0].id).initialized);
  auto free_slot = m->first_uninitialized_token_slot();
  ASSERT_TRUE(free_slot.has_value());
  EXPECT_EQ(*free_slot, slots[0].id);
}

TEST(Module, InitTokenMakesACardWithItsLabelAndSerial) {
  testing::SoftHsmEnv env;
  auto m = Module::load(kSoftHsmModule);
  CK_SLOT_ID slot = testing::init_card(*m, "王小明的卡");
  TokenInfo t = m->token(slot);
  EXPECT_EQ(t.label, "王小明的卡");
  EXPECT_TRUE(t.initialized);
  EXPECT_TRUE(t.user_pin_initialized);
  EXPECT_FALSE(t.pin_locked);
  EXPECT_EQ(t.serial.size(), 16U);
  EXPECT_EQ(m->slot_with_serial(t.serial), slot);
  EXPECT_FALSE(m->slot_with_serial("0000000000000000").has_value());
  ASSERT_TRUE(m->first_uninitialized_token_slot().has_value()) << "SoftHSM2 offers a new free slot";
  EXPECT_NE(*m->first_uninitialized_token_slot(), slot);
}

TEST(Module, LabelLongerThan32BytesIsRefused) {
  testing::SoftHsmEnv env;
  auto m = Module::load(kSoftHsmModule);
  auto slot = m->first_uninitialized_token_slot();
  ASSERT_TRUE(slot);
  try {
    m->init_token(*slot, SecretBuffer::copy_of(testing::kSoPin), std::string(33, 'x'));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::BAD_REQUEST);
  }
  EXPECT_FALSE(m->token(*slot).initialized) << "nothing half-done";
}

TEST(Module, UnknownSlotIsATypedError) {
  testing::SoftHsmEnv env;
  auto m = Module::load(kSoftHsmModule);
  try {
    m->token(0xDEADBEEF);
    FAIL();
  } catch (const P11Error& e) {
    EXPECT_EQ(e.ckr(), CKR_SLOT_ID_INVALID);
    EXPECT_EQ(e.function(), "C_GetTokenInfo");
  }
}

}  // namespace
}  // namespace ecpa::p11
