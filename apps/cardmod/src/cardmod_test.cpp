// libecpa_cardmod.so driven through libs/p11 over real SoftHSM2 tokens, with the state file changed from
// outside as the sim CLI would.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "cardmod_env.hpp"
#include "ecpa/cardstate/card_state.hpp"
#include "ecpa/p11/error.hpp"
#include "ecpa/p11/module.hpp"
#include "ecpa/p11/session.hpp"
#include "ecpa/p11/testing/card.hpp"

namespace ecpa::cardmod {
namespace {

using p11::Mechanism;
using p11::P11Error;
using p11::Session;

const std::vector<std::uint8_t> kSignId = {0x53, 0x49, 0x47, 0x4e};
const std::vector<std::uint8_t> kData = {'t', 'b', 's'};

SecretBuffer pin(std::string_view p) { return SecretBuffer::copy_of(p); }

class CardmodTest : public ::testing::Test {
 protected:
  testing::CardmodEnv env_;
  CardState cards_{env_.state_path()};
  std::shared_ptr<p11::Module> module_ = p11::Module::load(ECPA_CARDMOD_PATH);
  CK_SLOT_ID slot_ = p11::testing::init_card(*module_, "card");
  std::string serial_ = module_->token(slot_).serial;

  void SetUp() override {
    Session s = module_->open(slot_, true);
    s.login_user(pin(p11::testing::kUserPin));
    s.generate_rsa_key_pair({.id = kSignId, .label = "sign"});
  }

  Session logged_in() {
    Session s = module_->open(slot_, false);
    s.login_user(pin(p11::testing::kUserPin));
    return s;
  }

  // Runs `fn`, which must throw P11Error, and returns it.
  template <typename Fn>
  P11Error failure(Fn&& fn) {
    try {
      fn();
    } catch (const P11Error& e) {
      return e;
    }
    ADD_FAILURE() << "no P11Error";
    return P11Error("none", CKR_OK);
  }
};

TEST_F(CardmodTest, ThreeWrongPinsLockTheCardForGood) {
  Session s = module_->open(slot_, false);
  P11Error first = failure([&] { s.login_user(pin("000000")); });
  EXPECT_EQ(first.code(), codes::CARD_PIN_INCORRECT);
  EXPECT_EQ(first.ckr(), CKR_PIN_INCORRECT);
  auto t = module_->token(slot_);
  EXPECT_TRUE(t.pin_count_low);
  EXPECT_FALSE(t.pin_final_try);

  P11Error second = failure([&] { s.login_user(pin("000000")); });
  EXPECT_EQ(second.code(), codes::CARD_PIN_FINAL_TRY);
  EXPECT_EQ(second.tries_left(), 1);
  t = module_->token(slot_);
  EXPECT_TRUE(t.pin_count_low);
  EXPECT_TRUE(t.pin_final_try);
  EXPECT_FALSE(t.pin_locked);

  P11Error third = failure([&] { s.login_user(pin("000000")); });
  EXPECT_EQ(third.code(), codes::CARD_PIN_LOCKED);
  EXPECT_EQ(third.ckr(), CKR_PIN_LOCKED);
  EXPECT_FALSE(third.retriable());
  EXPECT_TRUE(module_->token(slot_).pin_locked);

  P11Error right_pin = failure([&] { s.login_user(pin(p11::testing::kUserPin)); });
  EXPECT_EQ(right_pin.ckr(), CKR_PIN_LOCKED) << "locked stays locked, even for the right PIN";
  EXPECT_EQ(cards_.list().at(serial_).retries_left, 0);
  // A fresh session (another program) sees the same locked card.
  Session other = module_->open(slot_, false);
  EXPECT_EQ(failure([&] { other.login_user(pin(p11::testing::kUserPin)); }).ckr(), CKR_PIN_LOCKED);
}

TEST_F(CardmodTest, RightPinAfterOneWrongRestoresTheTries) {
  Session s = module_->open(slot_, false);
  failure([&] { s.login_user(pin("000000")); });
  EXPECT_EQ(cards_.list().at(serial_).retries_left, 2);
  s.login_user(pin(p11::testing::kUserPin));
  EXPECT_EQ(cards_.list().at(serial_).retries_left, 3);
  auto t = module_->token(slot_);
  EXPECT_FALSE(t.pin_count_low || t.pin_final_try || t.pin_locked);
}

TEST_F(CardmodTest, SecurityOfficerUnlocksByResettingThePin) {
  cards_.set_retries(serial_, 0);
  Session s = module_->open(slot_, true);
  EXPECT_EQ(failure([&] { s.login_user(pin(p11::testing::kUserPin)); }).ckr(), CKR_PIN_LOCKED);
  s.login_so(pin(p11::testing::kSoPin));
  s.init_pin(pin("24681357"));
  s.logout();
  EXPECT_FALSE(module_->token(slot_).pin_locked);
  EXPECT_NO_THROW(s.login_user(pin("24681357")));
}

TEST_F(CardmodTest, CounterChangedByAnotherProcessIsSeen) {
  cards_.set_retries(serial_, 1);
  EXPECT_TRUE(module_->token(slot_).pin_final_try);
  cards_.set_retries(serial_, 3);
  EXPECT_FALSE(module_->token(slot_).pin_count_low);
}

TEST_F(CardmodTest, RemovedCardLeavesAnEmptyReaderAndKillsSessions) {
  Session s = logged_in();
  ASSERT_NO_THROW(s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData));
  cards_.set_removed(serial_, true);

  for (const auto& slot : module_->slots(true)) EXPECT_NE(slot.id, slot_) << "no token in the reader";
  bool listed = false;
  for (const auto& slot : module_->slots(false)) {
    if (slot.id == slot_) {
      listed = true;
      EXPECT_FALSE(slot.token_present);
    }
  }
  EXPECT_TRUE(listed) << "the reader itself is still there";
  P11Error info = failure([&] { module_->token(slot_); });
  EXPECT_EQ(info.code(), codes::CARD_NOT_PRESENT);
  EXPECT_EQ(info.ckr(), CKR_TOKEN_NOT_PRESENT);
  EXPECT_EQ(failure([&] { (void)module_->open(slot_, false); }).ckr(), CKR_TOKEN_NOT_PRESENT);

  P11Error during = failure([&] { s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData); });
  EXPECT_EQ(during.code(), codes::CARD_REMOVED);
  EXPECT_EQ(during.ckr(), CKR_DEVICE_REMOVED);
  EXPECT_TRUE(during.retriable());
  EXPECT_EQ(failure([&] { s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData); }).ckr(),
            CKR_SESSION_HANDLE_INVALID);

  cards_.set_removed(serial_, false);
  Session fresh = module_->open(slot_, false);
  EXPECT_FALSE(fresh.has_private_key(kSignId)) << "a re-inserted card asks for the PIN again";
  fresh.login_user(pin(p11::testing::kUserPin));
  EXPECT_NO_THROW(fresh.sign(kSignId, Mechanism::Sha256RsaPkcs, kData));
}

TEST_F(CardmodTest, OutAndBackInBetweenCallsStillEndsOldSessions) {
  Session s = logged_in();
  cards_.set_removed(serial_, true);
  cards_.set_removed(serial_, false);
  EXPECT_EQ(failure([&] { s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData); }).code(), codes::CARD_REMOVED);
}

TEST_F(CardmodTest, NewSessionAfterReinsertionIsNotLoggedIn) {
  Session old = logged_in();
  cards_.set_removed(serial_, true);
  cards_.set_removed(serial_, false);
  // Nobody touched `old` while the card was out; opening a new session must still drop its login.
  Session fresh = module_->open(slot_, false);
  EXPECT_FALSE(fresh.has_private_key(kSignId));
}

TEST_F(CardmodTest, ReadersHaveRealNames) {
  bool found = false;
  for (const auto& slot : module_->slots(false)) {
    EXPECT_EQ(slot.description.rfind("CASTLES EZ100PU ", 0), 0U) << slot.description;
    found = found || slot.id == slot_;
  }
  EXPECT_TRUE(found);
  cards_.set_reader(serial_, "ACS ACR39U ICC Reader 00 00");
  for (const auto& slot : module_->slots(false)) {
    if (slot.id == slot_) {
      EXPECT_EQ(slot.description, "ACS ACR39U ICC Reader 00 00");
    }
  }
}

TEST_F(CardmodTest, ReportsTheCardNumberAndKeepsWorkingUnderIt) {
  cards_.set_card_serial(serial_, "TP03200302000536");
  EXPECT_EQ(module_->token(slot_).serial, "TP03200302000536");
  // The PIN counter and removal still apply to the card, whichever serial names it.
  {
    Session s = module_->open(slot_, false);
    EXPECT_THROW(s.login_user(pin("000000")), P11Error);
  }
  EXPECT_TRUE(module_->token(slot_).pin_count_low);
  cards_.set_removed("TP03200302000536", true);
  EXPECT_EQ(failure([&] { module_->token(slot_); }).ckr(), CKR_TOKEN_NOT_PRESENT);
  cards_.set_removed("TP03200302000536", false);
  EXPECT_NO_THROW(logged_in().sign(kSignId, Mechanism::Sha256RsaPkcs, kData));
}

TEST_F(CardmodTest, InjectedErrorOnSignAndTheCardRecovers) {
  Session s = logged_in();
  cards_.add_fault(serial_, {.function = "C_Sign", .rv = CKR_DEVICE_ERROR});
  P11Error e = failure([&] { s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData); });
  EXPECT_EQ(e.ckr(), CKR_DEVICE_ERROR);
  EXPECT_EQ(e.code(), codes::CARD_ERROR);
  EXPECT_EQ(failure([&] { s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData); }).ckr(), CKR_DEVICE_ERROR)
      << "not once: every call fails";
  cards_.clear_faults(serial_);
  EXPECT_NO_THROW(s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData)) << "no operation left hanging";
}

// Each kind of forwarding honours faults under its own function name: a plain session call, a slot call,
// and the other one-shot operation (whose real operation must be ended, like C_Sign's).
TEST_F(CardmodTest, FaultsReachEveryKindOfCall) {
  const std::vector<std::uint8_t> keyx = {0x4b, 0x45, 0x59, 0x58};
  Session s = logged_in();
  {
    Session rw = module_->open(slot_, true);
    rw.generate_rsa_key_pair({.id = keyx, .label = "keyx", .sign = false, .decrypt = true});
  }
  cards_.add_fault(serial_, {.function = "C_FindObjectsInit", .rv = CKR_DEVICE_ERROR, .once = true});
  P11Error find = failure([&] { s.has_private_key(kSignId); });
  EXPECT_EQ(find.function(), "C_FindObjectsInit");
  EXPECT_EQ(find.ckr(), CKR_DEVICE_ERROR);

  cards_.add_fault(serial_, {.function = "C_Decrypt", .rv = CKR_DEVICE_ERROR, .once = true});
  P11Error decrypt = failure([&] { s.decrypt(keyx, std::vector<std::uint8_t>(256, 1)); });
  EXPECT_EQ(decrypt.function(), "C_Decrypt");
  EXPECT_EQ(decrypt.ckr(), CKR_DEVICE_ERROR);
  // No decryption left active: the next one reaches C_Decrypt itself (and fails there on a non-ciphertext).
  EXPECT_EQ(failure([&] { s.decrypt(keyx, std::vector<std::uint8_t>(3, 1)); }).function(), "C_Decrypt");

  cards_.add_fault(std::nullopt, {.function = "C_InitToken", .rv = CKR_DEVICE_ERROR});
  auto free_slot = module_->first_uninitialized_token_slot();
  ASSERT_TRUE(free_slot);
  P11Error init = failure([&] { module_->init_token(*free_slot, pin(p11::testing::kSoPin), "second"); });
  EXPECT_EQ(init.function(), "C_InitToken");
  EXPECT_EQ(init.ckr(), CKR_DEVICE_ERROR);
}

TEST_F(CardmodTest, OnceFaultHitsOnlyTheNextCall) {
  Session s = logged_in();
  cards_.add_fault(serial_, {.function = "C_Sign", .rv = CKR_FUNCTION_FAILED, .once = true});
  EXPECT_EQ(failure([&] { s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData); }).ckr(), CKR_FUNCTION_FAILED);
  EXPECT_NO_THROW(s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData));
  EXPECT_TRUE(cards_.list().at(serial_).faults.empty());
}

TEST_F(CardmodTest, SlowSignAndSlowLogin) {
  Session s = logged_in();
  s.logout();
  cards_.add_fault(serial_, {.function = "C_Sign", .delay_ms = 300});
  cards_.add_fault(serial_, {.function = "C_Login", .delay_ms = 200});
  auto start = std::chrono::steady_clock::now();
  s.login_user(pin(p11::testing::kUserPin));
  auto after_login = std::chrono::steady_clock::now();
  s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData);
  auto after_sign = std::chrono::steady_clock::now();
  EXPECT_GE(after_login - start, std::chrono::milliseconds(200));
  EXPECT_GE(after_sign - after_login, std::chrono::milliseconds(300));
}

TEST_F(CardmodTest, CardPulledOutDuringTheNextSign) {
  Session s = logged_in();
  cards_.add_fault(serial_, {.function = "C_Sign", .delay_ms = 50, .remove = true, .once = true});
  P11Error e = failure([&] { s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData); });
  EXPECT_EQ(e.ckr(), CKR_DEVICE_REMOVED);
  TokenState t = cards_.list().at(serial_);
  EXPECT_TRUE(t.removed) << "the sim sees the card out of the reader";
  EXPECT_TRUE(t.faults.empty());
  EXPECT_EQ(failure([&] { module_->token(slot_); }).ckr(), CKR_TOKEN_NOT_PRESENT);
  cards_.set_removed(serial_, false);
  Session again = logged_in();
  EXPECT_NO_THROW(again.sign(kSignId, Mechanism::Sha256RsaPkcs, kData));
}

TEST_F(CardmodTest, GlobalFaultOnLoginDoesNotSpendATry) {
  cards_.add_fault(std::nullopt, {.function = "C_Login", .rv = CKR_DEVICE_ERROR});
  Session s = module_->open(slot_, false);
  EXPECT_EQ(failure([&] { s.login_user(pin("000000")); }).ckr(), CKR_DEVICE_ERROR);
  EXPECT_FALSE(module_->token(slot_).pin_count_low) << "the card never saw the PIN";
  cards_.clear_faults(std::nullopt);
  EXPECT_NO_THROW(s.login_user(pin(p11::testing::kUserPin)));
}

TEST_F(CardmodTest, FaultOnTokenInfo) {
  cards_.add_fault(serial_, {.function = "C_GetTokenInfo", .rv = CKR_TOKEN_NOT_RECOGNIZED});
  EXPECT_EQ(failure([&] { module_->token(slot_); }).code(), codes::CARD_NOT_PRESENT);
}

TEST_F(CardmodTest, CorruptStateFileFailsCallsCleanlyUntilFixed) {
  Session s = logged_in();
  std::ofstream(env_.state_path()) << "{ not json";
  P11Error e = failure([&] { s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData); });
  EXPECT_EQ(e.ckr(), CKR_GENERAL_ERROR);
  std::filesystem::remove(env_.state_path());
  EXPECT_NO_THROW(s.sign(kSignId, Mechanism::Sha256RsaPkcs, kData));
}

TEST_F(CardmodTest, ChangingThePinCountsAWrongOldPin) {
  // libs/p11 has no C_SetPIN, so through the module's own function list (already loaded by module_).
  void* handle = ::dlopen(ECPA_CARDMOD_PATH, RTLD_NOW | RTLD_NOLOAD);
  ASSERT_NE(handle, nullptr);
  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(handle, "C_GetFunctionList"));
  CK_FUNCTION_LIST* fns = nullptr;
  ASSERT_EQ(get_list(&fns), CKR_OK);
  CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(fns->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &h), CKR_OK);
  std::string wrong = "000000", right = p11::testing::kUserPin, next = "13572468";
  auto set_pin = [&](std::string& old_pin) {
    return fns->C_SetPIN(h, reinterpret_cast<CK_UTF8CHAR_PTR>(old_pin.data()), old_pin.size(),
                         reinterpret_cast<CK_UTF8CHAR_PTR>(next.data()), next.size());
  };
  EXPECT_EQ(set_pin(wrong), CKR_PIN_INCORRECT);
  EXPECT_EQ(cards_.list().at(serial_).retries_left, 2);
  cards_.set_retries(serial_, 0);
  EXPECT_EQ(set_pin(right), CKR_PIN_LOCKED) << "a locked card's PIN cannot be changed either";
  cards_.set_retries(serial_, 3);
  EXPECT_EQ(set_pin(right), CKR_OK);
  EXPECT_EQ(fns->C_CloseSession(h), CKR_OK);
  ::dlclose(handle);
  Session s = module_->open(slot_, false);
  EXPECT_NO_THROW(s.login_user(pin(next)));
}

}  // namespace
}  // namespace ecpa::cardmod
