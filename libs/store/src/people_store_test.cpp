#include "ecpa/store/people_store.hpp"

#include <gtest/gtest.h>

#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::code_of;
using testing::TempDir;

tw::NationalId id(std::string_view s) { return tw::NationalId::parse(s).value(); }

// Valid IDs built from the check-digit function, so the test data is right by construction.
std::string valid_id(std::string_view first_nine) {
  return std::string(first_nine) + *tw::compute_check_digit(first_nine);
}

class PeopleStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_.put_agency({"A01", "行政院人事行政總處"}); }
  std::int64_t count_people() {
    return db_->with_connection(
        [](Connection& c) { return c.query_one("SELECT COUNT(*) FROM people")->i64(0); });
  }
  TempDir dir_;
  IdProtector ids_{testing::test_key()};
  std::unique_ptr<Database> db_ = testing::open_migrated(dir_ / "people.db");
  SqlPeopleStore store_{*db_, ids_};
};

TEST_F(PeopleStoreTest, ImportsValidRowsAndFindsThemByNationalId) {
  const PersonImportRow rows[] = {{" a123456789 ", "王小明", "A01", "科員", "ming@example.gov.tw"},
                                  {"A800000014", "李小華", "A01", "科長", ""}};
  auto report = store_.import_people(rows, ImportMode::AllOrNothing);
  EXPECT_TRUE(report.written);
  EXPECT_EQ(report.accepted, 2u);
  EXPECT_EQ(report.rejected, 0u);
  EXPECT_EQ(report.rows[0].masked_national_id, "A12****789");
  ASSERT_TRUE(report.rows[0].person_id);

  auto p = store_.find_by_national_id(id("A123456789"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->id, *report.rows[0].person_id);
  EXPECT_EQ(p->name, "王小明");
  EXPECT_EQ(p->agency_code, "A01");
  EXPECT_EQ(p->title, "科員");
  EXPECT_EQ(p->email, "ming@example.gov.tw");
  EXPECT_EQ(p->masked_national_id, "A12****789");
  EXPECT_TRUE(p->active);
  EXPECT_EQ(store_.get(p->id)->name, "王小明");
  EXPECT_EQ(store_.reveal_national_id(p->id), id("A123456789"));
  EXPECT_FALSE(store_.find_by_national_id(id(valid_id("B12345678"))));
  EXPECT_FALSE(store_.get(12345));
  EXPECT_FALSE(store_.reveal_national_id(12345));
}

TEST_F(PeopleStoreTest, OneBadRowMeansNothingIsWrittenAndEveryRowIsReported) {
  const PersonImportRow rows[] = {
      {"A123456789", "王小明", "A01", "科員", "ok@example.gov.tw"},    // 0 good
      {"A123456788", "壞號碼", "A01", "", ""},                         // 1 checksum
      {valid_id("C12345678"), "", "A01", "", ""},                      // 2 no name
      {valid_id("D12345678"), "無機關", "Z99", "", ""},                // 3 unknown agency
      {valid_id("E12345678"), "信箱錯", "A01", "", "not-an-address"},  // 4 e-mail
      {valid_id("F12345678"), "重複一", "A01", "", ""},                // 5 duplicate in file
      {valid_id("F12345678"), "重複二", "A01", "", ""},                // 6 duplicate in file
      {valid_id("G12345678"), "職稱\n錯", "A01", "x\ny", ""},          // 7 control char in name
      {"A800000014", "李小華", "A01", "科長", ""},                     // 8 good
  };
  auto report = store_.import_people(rows, ImportMode::AllOrNothing);
  EXPECT_FALSE(report.written);
  EXPECT_EQ(report.accepted, 2u);
  EXPECT_EQ(report.rejected, 7u);
  using R = ImportRejection;
  const R expected[] = {R::None,         R::NationalIdInvalid, R::NameInvalid,     R::AgencyUnknown,
                        R::EmailInvalid, R::DuplicateInFile,   R::DuplicateInFile, R::NameInvalid,
                        R::None};
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    EXPECT_EQ(report.rows[i].rejection, expected[i]) << i << " " << to_string(report.rows[i].rejection);
    EXPECT_EQ(report.rows[i].index, i);
    EXPECT_FALSE(report.rows[i].person_id);
  }
  EXPECT_EQ(report.rows[1].id_error, tw::NationalIdError::Checksum);
  EXPECT_EQ(report.rows[1].masked_national_id, "A12****788");
  EXPECT_EQ(count_people(), 0);
  EXPECT_FALSE(store_.find_by_national_id(id("A123456789")));

  // The caller may choose to take the valid rows only.
  auto partial = store_.import_people(rows, ImportMode::ValidRowsOnly);
  EXPECT_TRUE(partial.written);
  EXPECT_EQ(count_people(), 2);
  EXPECT_TRUE(partial.rows[0].person_id);
  EXPECT_TRUE(partial.rows[8].person_id);
  EXPECT_FALSE(partial.rows[5].person_id);
}

TEST_F(PeopleStoreTest, DuplicateInDatabaseIsRejected) {
  const PersonImportRow first[] = {{"A123456789", "王小明", "A01", "", ""}};
  ASSERT_TRUE(store_.import_people(first, ImportMode::AllOrNothing).written);
  const PersonImportRow second[] = {{"A800000014", "李小華", "A01", "", ""},
                                    {"a123456789", "王小明", "A01", "", ""}};
  auto report = store_.import_people(second, ImportMode::AllOrNothing);
  EXPECT_FALSE(report.written);
  EXPECT_EQ(report.rows[1].rejection, ImportRejection::DuplicateInDatabase);
  EXPECT_EQ(count_people(), 1);
}

TEST_F(PeopleStoreTest, EmailShapes) {
  const char* good[] = {"a@b.tw", "first.last+tag@mail.example.gov.tw", "x_y-z@a-b.c"};
  const char* bad[] = {"@b.tw",     "a@",      "a@b",     "a@@b.tw", "a b@c.tw", "a@-b.tw",
                       "a..b@c.tw", ".a@c.tw", "a@b..tw", "王@b.tw", "a@b.tw\n"};
  std::string nine = "H10000000";
  int n = 0;
  for (const char* e : good) {
    nine[8] = static_cast<char>('0' + n++);
    const PersonImportRow row[] = {{valid_id(nine), "甲", "A01", "", e}};
    EXPECT_EQ(store_.import_people(row, ImportMode::AllOrNothing).rows[0].rejection, ImportRejection::None)
        << e;
  }
  for (const char* e : bad) {
    const PersonImportRow row[] = {{valid_id("J10000000"), "甲", "A01", "", e}};
    EXPECT_EQ(store_.import_people(row, ImportMode::AllOrNothing).rows[0].rejection,
              ImportRejection::EmailInvalid)
        << e;
  }
}

TEST_F(PeopleStoreTest, NoPlainIdNumberAnywhereInTheDatabaseFiles) {
  const PersonImportRow rows[] = {{"A123456789", "王小明", "A01", "", ""},
                                  {"A800000014", "李小華", "A01", "", ""}};
  ASSERT_TRUE(store_.import_people(rows, ImportMode::AllOrNothing).written);
  ASSERT_TRUE(store_.find_by_national_id(id("A123456789")));
  std::string all;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
    all += testing::read_all(entry.path());
  ASSERT_NE(all.find("王小明"), std::string::npos);  // the scan does see the data
  for (const char* needle : {"A123456789", "a123456789", "A800000014", "123456789", "800000014"}) {
    EXPECT_EQ(all.find(needle), std::string::npos) << needle;
  }
}

TEST_F(PeopleStoreTest, ASwappedSealedIdIsDetected) {
  const PersonImportRow rows[] = {{"A123456789", "王小明", "A01", "", ""},
                                  {"A800000014", "李小華", "A01", "", ""}};
  auto report = store_.import_people(rows, ImportMode::AllOrNothing);
  const auto a = *report.rows[0].person_id, b = *report.rows[1].person_id;
  db_->transaction([&](Connection& c) {
    c.exec("UPDATE people SET id_cipher = (SELECT id_cipher FROM people WHERE id = ?) WHERE id = ?", {b, a});
  });
  EXPECT_EQ(code_of([&] { store_.get(a); }), "STORE_DATA_CORRUPT");
  EXPECT_EQ(code_of([&] { store_.reveal_national_id(a); }), "STORE_DATA_CORRUPT");
  EXPECT_EQ(store_.get(b)->masked_national_id, "A80****014");
}

TEST_F(PeopleStoreTest, AgenciesAndActiveFlag) {
  EXPECT_EQ(store_.agency("A01")->name, "行政院人事行政總處");
  store_.put_agency({"A01", "人事總處"});
  EXPECT_EQ(store_.agency("A01")->name, "人事總處");
  EXPECT_FALSE(store_.agency("nope"));
  EXPECT_EQ(code_of([&] { store_.put_agency({"", "x"}); }), "BAD_REQUEST");
  EXPECT_EQ(code_of([&] { store_.put_agency({"B01", ""}); }), "BAD_REQUEST");
  const PersonImportRow rows[] = {{"A123456789", "王小明", "A01", "", ""}};
  auto pid = *store_.import_people(rows, ImportMode::AllOrNothing).rows[0].person_id;
  EXPECT_TRUE(store_.set_active(pid, false));
  EXPECT_FALSE(store_.get(pid)->active);
  EXPECT_FALSE(store_.set_active(999, false));
}

TEST_F(PeopleStoreTest, AnotherKeyFindsNobody) {
  const PersonImportRow rows[] = {{"A123456789", "王小明", "A01", "", ""}};
  ASSERT_TRUE(store_.import_people(rows, ImportMode::AllOrNothing).written);
  IdProtector other(testing::test_key('z'));
  SqlPeopleStore wrong_key(*db_, other);
  EXPECT_FALSE(wrong_key.find_by_national_id(id("A123456789")));
}

TEST_F(PeopleStoreTest, AgencyOidAndPersonnelOfficer) {
  store_.put_agencies(std::vector<Agency>{{"A58", "臺北市政府人事處", "", "", "2.16.886.101.20003.20065"},
                                          {"A59", "新北市政府人事處", "", "", ""}});
  EXPECT_EQ(store_.agency("A58")->oid, "2.16.886.101.20003.20065");
  EXPECT_EQ(store_.agency_by_oid("2.16.886.101.20003.20065")->code, "A58");
  EXPECT_FALSE(store_.agency_by_oid(""));
  EXPECT_FALSE(store_.agency_by_oid("2.16.886.101.1"));
  EXPECT_EQ(store_.agency("A59")->oid, "");
  // Not an OID, or the OID of another agency: refused, nothing of the batch written.
  EXPECT_EQ(code_of([&] { store_.put_agency({"A60", "x", "", "", "2.16..886"}); }), "BAD_REQUEST");
  EXPECT_EQ(code_of([&] { store_.put_agency({"A61", "y", "", "", "1.2.x"}); }), "BAD_REQUEST");
  EXPECT_ANY_THROW(store_.put_agencies(
      std::vector<Agency>{{"A62", "z", "", "", "1.2.3"}, {"A63", "w", "", "", "2.16.886.101.20003.20065"}}));
  EXPECT_FALSE(store_.agency("A62"));

  const PersonImportRow rows[] = {{"A123456789", "王小明", "A58", "人事專員", ""},
                                  {"A800000014", "李小華", "A01", "科長", ""}};
  auto report = store_.import_people(rows, ImportMode::AllOrNothing);
  const auto officer = *report.rows[0].person_id;
  EXPECT_FALSE(store_.set_officer("A58", officer, testing::at_seconds(1)));
  EXPECT_EQ(store_.agency("A58")->officer_person_id, officer);
  EXPECT_EQ(code_of([&] { store_.set_officer("A58", *report.rows[1].person_id, testing::at_seconds(1)); }),
            "BAD_REQUEST");
  EXPECT_EQ(code_of([&] { store_.set_officer("NOPE", officer, testing::at_seconds(1)); }), "AGENCY_UNKNOWN");
  EXPECT_EQ(code_of([&] { store_.set_officer("A58", 9999, testing::at_seconds(1)); }), "PERSON_NOT_FOUND");
  // Re-importing the agency file keeps the officer.
  store_.put_agency({"A58", "臺北市政府人事處", "", "", "2.16.886.101.20003.20065"});
  EXPECT_EQ(store_.agency("A58")->officer_person_id, officer);
}

}  // namespace
}  // namespace ecpa::store
