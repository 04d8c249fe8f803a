#include "ecpa/store/binding_store.hpp"

#include <gtest/gtest.h>

#include "ecpa/store/people_store.hpp"
#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::at_seconds;
using testing::code_of;

constexpr std::string_view kMoica = "C=TW, O=行政院, OU=內政部憑證管理中心";

NewBinding citizen(std::string serial, std::string card) {
  return NewBinding{BindingMethod::Citizen, std::string(kMoica), std::move(serial), std::move(card),
                    "1234567890123456"};
}

class BindingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    migrate(*db_);
    SqlPeopleStore people(*db_, ids_);
    people.put_agency({"A01", "人事總處"});
    const PersonImportRow rows[] = {{"A123456789", "王小明", "A01", "", ""},
                                    {"A800000014", "李小華", "A01", "", ""}};
    auto report = people.import_people(rows, ImportMode::AllOrNothing);
    alice_ = *report.rows[0].person_id;
    bob_ = *report.rows[1].person_id;
  }
  std::int64_t count_bindings() {
    return db_->with_connection(
        [](Connection& c) { return c.query_one("SELECT COUNT(*) FROM cert_bindings")->i64(0); });
  }
  IdProtector ids_{testing::test_key()};
  std::unique_ptr<Database> db_ = Database::open("sqlite::memory:");
  SqlBindingStore store_{*db_};
  std::int64_t alice_ = 0, bob_ = 0;
};

TEST_F(BindingStoreTest, BindsAndFindsByCertificateAndByCard) {
  auto r = store_.bind(alice_, citizen("00ab12", "TP03200302000536"), at_seconds(1000));
  EXPECT_FALSE(r.unchanged);
  EXPECT_FALSE(r.replaced);
  EXPECT_EQ(r.binding.person_id, alice_);
  EXPECT_EQ(r.binding.serial_hex, "AB12");
  EXPECT_EQ(r.binding.bound_at, at_seconds(1000));
  EXPECT_FALSE(r.binding.replaced_at);

  auto found = store_.find_active(kMoica, "ab12");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, r.binding.id);
  EXPECT_EQ(found->card_sn, "TP03200302000536");
  EXPECT_EQ(found->subject_serial, "1234567890123456");
  EXPECT_EQ(found->method, BindingMethod::Citizen);
  EXPECT_EQ(store_.find_active(kMoica, "0000AB12")->id, r.binding.id);
  EXPECT_FALSE(store_.find_active("C=TW, O=Other", "AB12"));
  EXPECT_FALSE(store_.find_active(kMoica, "not hex"));
  auto by_card = store_.find_active_by_card("TP03200302000536");
  ASSERT_EQ(by_card.size(), 1u);
  EXPECT_EQ(by_card[0].person_id, alice_);
  EXPECT_TRUE(store_.find_active_by_card("TP00000000000000").empty());
  EXPECT_TRUE(store_.find_active_by_card("").empty());
}

TEST_F(BindingStoreTest, RenewedCardReplacesTheOldBindingAndKeepsHistory) {
  auto old_one = store_.bind(alice_, citizen("01", "TP03200302000536"), at_seconds(1000));
  auto renewed = store_.bind(alice_, citizen("02", "TP03200302000999"), at_seconds(2000));
  ASSERT_TRUE(renewed.replaced);
  EXPECT_EQ(renewed.replaced->id, old_one.binding.id);
  EXPECT_EQ(renewed.replaced->replaced_at, at_seconds(2000));

  EXPECT_FALSE(store_.find_active(kMoica, "01"));
  EXPECT_TRUE(store_.find_active_by_card("TP03200302000536").empty());
  EXPECT_EQ(store_.find_active(kMoica, "02")->person_id, alice_);

  auto history = store_.history(alice_);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].serial_hex, "1");
  EXPECT_EQ(history[0].replaced_at, at_seconds(2000));
  EXPECT_EQ(history[1].serial_hex, "2");
  EXPECT_FALSE(history[1].replaced_at);
}

TEST_F(BindingStoreTest, OtherMethodIsIndependent) {
  store_.bind(alice_, citizen("01", "TP03200302000536"), at_seconds(1000));
  NewBinding agency{BindingMethod::Agency, "C=TW, O=行政院, OU=政府憑證管理中心", "77", std::nullopt,
                    std::nullopt};
  auto r = store_.bind(alice_, agency, at_seconds(1500));
  EXPECT_FALSE(r.replaced);
  EXPECT_TRUE(store_.find_active(kMoica, "01"));
  EXPECT_EQ(store_.find_active("C=TW, O=行政院, OU=政府憑證管理中心", "77")->card_sn, std::nullopt);
}

TEST_F(BindingStoreTest, SameCertificateAgainIsUnchanged) {
  auto first = store_.bind(alice_, citizen("01", "TP03200302000536"), at_seconds(1000));
  auto again = store_.bind(alice_, citizen("0001", "TP03200302000536"), at_seconds(5000));
  EXPECT_TRUE(again.unchanged);
  EXPECT_EQ(again.binding.id, first.binding.id);
  EXPECT_EQ(again.binding.bound_at, at_seconds(1000));
  EXPECT_EQ(count_bindings(), 1);
}

TEST_F(BindingStoreTest, CertificateOfAnotherPersonIsRefusedAndNothingChanges) {
  store_.bind(alice_, citizen("01", "TP03200302000536"), at_seconds(1000));
  store_.bind(bob_, citizen("05", "TP03200302000555"), at_seconds(1000));
  EXPECT_EQ(code_of([&] { store_.bind(bob_, citizen("01", "TP03200302000536"), at_seconds(2000)); }),
            "CERT_ALREADY_BOUND");
  // Bob's own binding was not replaced by the failed attempt.
  EXPECT_EQ(store_.find_active(kMoica, "05")->person_id, bob_);
  EXPECT_EQ(count_bindings(), 2);
  // Even after Alice moves to a new card, her old certificate never becomes Bob's.
  store_.bind(alice_, citizen("02", "TP03200302000537"), at_seconds(3000));
  EXPECT_EQ(code_of([&] { store_.bind(bob_, citizen("01", "TP03200302000536"), at_seconds(4000)); }),
            "CERT_ALREADY_BOUND");
}

TEST_F(BindingStoreTest, BadInputIsRefused) {
  EXPECT_EQ(code_of([&] { store_.bind(999, citizen("01", "TP1"), at_seconds(1)); }), "NOT_FOUND");
  EXPECT_EQ(code_of([&] { store_.bind(alice_, citizen("xyz", "TP1"), at_seconds(1)); }), "BAD_REQUEST");
  EXPECT_EQ(code_of([&] { store_.bind(alice_, citizen("", "TP1"), at_seconds(1)); }), "BAD_REQUEST");
  EXPECT_EQ(code_of([&] { store_.bind(alice_, citizen(std::string(65, 'A'), "TP1"), at_seconds(1)); }),
            "BAD_REQUEST");
  EXPECT_EQ(code_of([&] { store_.bind(alice_, citizen("01", "TP\n1"), at_seconds(1)); }), "BAD_REQUEST");
  auto no_issuer = citizen("01", "TP1");
  no_issuer.issuer_dn.clear();
  EXPECT_EQ(code_of([&] { store_.bind(alice_, no_issuer, at_seconds(1)); }), "BAD_REQUEST");
  EXPECT_EQ(count_bindings(), 0);
}

TEST(SerialHex, Normalisation) {
  EXPECT_EQ(normalize_serial_hex("00aBc"), "ABC");
  EXPECT_EQ(normalize_serial_hex("0000"), "0");
  EXPECT_EQ(normalize_serial_hex("0x12"), std::nullopt);
  EXPECT_EQ(normalize_serial_hex("12 34"), std::nullopt);
  EXPECT_EQ(normalize_serial_hex(""), std::nullopt);
}

}  // namespace
}  // namespace ecpa::store
