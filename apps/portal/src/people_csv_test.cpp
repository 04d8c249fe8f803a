#include "people_csv.hpp"

#include <gtest/gtest.h>

#include <set>

#include "test_support.hpp"

namespace ecpa::portal {
namespace {

TEST(Csv, QuotesCommasNewlinesAndCrlf) {
  auto rows = parse_csv("a,\"b,c\",\"d\"\"e\"\r\n\r\nx,\"multi\nline\",z\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"a", "b,c", "d\"e"}));
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_EQ(rows[1].cells[1], "multi\nline");
}

TEST(Csv, RefusesBrokenInput) {
  EXPECT_THROW(parse_csv("a,\"unterminated\n"), Error);
  EXPECT_THROW(parse_csv("a,\xff\xfe\n"), Error);
  EXPECT_THROW(parse_csv("a,\xc0\xaf\n"), Error);      // overlong '/'
  EXPECT_THROW(parse_csv("a,\xed\xa0\x80\n"), Error);  // surrogate
  EXPECT_NO_THROW(parse_csv("a,王小明,😀\n"));
}

const std::string kGood =
    "\xEF\xBB\xBF身分證字號,姓名,機關代碼,機關名稱,職稱,電子郵件\n"
    "A123456789,王小明,A01,行政院人事行政總處,科員,wang@example.gov.tw\n"
    "B123456780,\"李,小華\",A02,內政部,專員,\n";

TEST(PeopleImport, ImportsAGoodFileWithBomAndHeader) {
  testing::TestDb t;
  auto result = import_people_csv(t.people, kGood);
  EXPECT_TRUE(result.problems.empty());
  EXPECT_EQ(result.rows, 2u);
  EXPECT_EQ(result.imported, 2u);
  auto p = t.people.find_by_national_id(tw::NationalId::parse("B123456780").value());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "李,小華");
  EXPECT_EQ(t.people.agency("A02")->name, "內政部");
}

TEST(PeopleImport, AnOptionalSeventhColumnGivesTheAgencysEnglishName) {
  testing::TestDb t;
  const std::string file =
      "身分證字號,姓名,機關代碼,機關名稱,職稱,電子郵件,機關英文名稱\n"
      "A123456789,王小明,A01,行政院人事行政總處,科員,,\"Directorate-General of Personnel Administration, "
      "Executive Yuan\"\n"
      "B123456780,李小華,A02,內政部,專員,\n";  // six columns: no English name
  auto result = import_people_csv(t.people, file);
  EXPECT_TRUE(result.problems.empty());
  EXPECT_EQ(t.people.agency("A01")->name_en,
            "Directorate-General of Personnel Administration, Executive Yuan");
  EXPECT_EQ(t.people.agency("A02")->name_en, "");
  // One agency, two English names in one file: refused like two Chinese names.
  testing::TestDb t2;
  auto conflict = import_people_csv(t2.people,
                                    "A123456789,王小明,A01,行政院人事行政總處,科員,,DGPA\n"
                                    "B123456780,李小華,A01,行政院人事行政總處,專員,,Other\n");
  ASSERT_EQ(conflict.problems.size(), 1u);
  EXPECT_EQ(conflict.problems[0].reason, "agency_name_conflict");
  EXPECT_EQ(t2.count("people"), 0);
  // Nine columns are too many (the eighth is the account).
  auto eight = import_people_csv(t2.people, "A123456789,王小明,A01,行政院人事行政總處,科員,,DGPA,xyz,w\n");
  ASSERT_EQ(eight.problems.size(), 1u);
  EXPECT_EQ(eight.problems[0].reason, "column_count");
}

TEST(PeopleImport, OneBadRowMeansNothingIsWrittenAndTheReportMasksIds) {
  testing::TestDb t;
  const std::string bad = kGood +
                          "A123456788,張三,A01,行政院人事行政總處,科員,\n"    // line 4: checksum
                          "A123456789,王小明,A01,行政院人事行政總處,科員,\n"  // line 5: duplicate
                          "C123456781,陳,A03\n"                               // line 6: columns
                          "D123456782,林,A01,別的名字,科員,\n";               // line 7: agency name conflict
  auto result = import_people_csv(t.people, bad);
  EXPECT_EQ(result.imported, 0u);
  ASSERT_EQ(result.problems.size(), 4u);
  std::map<std::size_t, std::string> by_line;
  for (const auto& p : result.problems) {
    by_line[p.line] = p.reason;
    EXPECT_EQ(p.masked_id.find("456"), std::string::npos) << p.masked_id;
  }
  EXPECT_EQ(by_line[4], "national_id_checksum");
  EXPECT_EQ(by_line[5], "duplicate_in_file");
  EXPECT_EQ(by_line[6], "column_count");
  EXPECT_EQ(by_line[7], "agency_name_conflict");
  EXPECT_EQ(t.count("people"), 0);
  EXPECT_EQ(t.count("agencies"), 0);
}

TEST(PeopleImport, SomeoneAlreadyThereIsRejected) {
  testing::TestDb t;
  ASSERT_TRUE(import_people_csv(t.people, kGood).problems.empty());
  auto again = import_people_csv(t.people, "A123456789,王小明,A01,行政院人事行政總處,科員,\n");
  ASSERT_EQ(again.problems.size(), 1u);
  EXPECT_EQ(again.problems[0].reason, "duplicate_in_database");
  EXPECT_EQ(again.problems[0].masked_id, "A12****789");
  EXPECT_EQ(t.count("people"), 2);
}

TEST(PeopleImport, TheStoresOwnChecksStillApply) {
  testing::TestDb t;
  auto result = import_people_csv(t.people, "A123456789,王小明,A01,行政院人事行政總處,科員,not-an-email\n");
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].reason, "email_invalid");
  EXPECT_EQ(result.problems[0].line, 1u);
  EXPECT_EQ(t.count("people"), 0);
}

TEST(AgenciesImport, AgenciesAndTheirUnitsParentsFirst) {
  testing::TestDb t;
  auto r = import_agencies_csv(t.people,
                               "機關代碼,機關名稱,英文名稱,上級機關代碼\n"
                               "A01-1,人事室,Personnel Office,A01\n"  // before its parent in the file
                               "A01,行政院人事行政總處,\"DGPA, Executive Yuan\",\n"
                               "A01-1-1,任用科,,A01-1\n");
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.imported, 3u);
  auto all = t.people.agencies();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(t.people.agency("A01-1")->parent_code, "A01");
  EXPECT_EQ(t.people.agency("A01")->name_en, "DGPA, Executive Yuan");
  EXPECT_EQ(t.people.agency("A01")->parent_code, "");
  // A people file naming the agency later keeps the unit structure.
  EXPECT_TRUE(import_people_csv(t.people, "A123456789,王小明,A01-1,人事室,科員,,Personnel Office\n")
                  .problems.empty());
  EXPECT_EQ(t.people.agency("A01-1")->parent_code, "A01");
  // …and a six-column one leaves the English name HR gave before.
  EXPECT_TRUE(
      import_people_csv(t.people, "B123456780,李小華,A01,行政院人事行政總處,專員,\n").problems.empty());
  EXPECT_EQ(t.people.agency("A01")->name_en, "DGPA, Executive Yuan");
}

TEST(PeopleImport, AnEighthColumnGivesTheAccount) {
  testing::TestDb t;
  auto r = import_people_csv(t.people,
                             "A123456789,王小明,A01,行政院人事行政總處,科員,wang@example.gov.tw,,Wang.Ming\n"
                             "B123456780,李小華,A01,行政院人事行政總處,專員,,,\n");
  ASSERT_TRUE(r.problems.empty()) << r.problems[0].reason;
  EXPECT_EQ(t.count("accounts"), 1);
  auto bad = import_people_csv(t.people, "B223456782,陳美玲,A01,行政院人事行政總處,專員,,,wang.ming\n");
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_EQ(bad.problems[0].reason, "account_taken");
  EXPECT_EQ(t.count("people"), 2);
}

TEST(AgenciesImport, AFifthColumnGivesTheOidWhichFourColumnsKeep) {
  testing::TestDb t;
  ASSERT_TRUE(import_agencies_csv(t.people, "A58,臺北市政府,,,2.16.886.101.20003.20065\n").problems.empty());
  EXPECT_EQ(t.people.agency("A58")->oid, "2.16.886.101.20003.20065");
  ASSERT_TRUE(import_agencies_csv(t.people, "A58,臺北市政府,Taipei City Government,\n").problems.empty());
  EXPECT_EQ(t.people.agency("A58")->oid, "2.16.886.101.20003.20065");
  // A people file naming the agency keeps it too.
  ASSERT_TRUE(import_people_csv(t.people, "A123456789,王小明,A58,臺北市政府,科員,\n").problems.empty());
  EXPECT_EQ(t.people.agency("A58")->oid, "2.16.886.101.20003.20065");
  auto bad = import_agencies_csv(t.people, "A59,新北市政府,,,2.16.886.x\n");
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_EQ(bad.problems[0].reason, "agency_oid_invalid");
  EXPECT_FALSE(t.people.agency("A59"));
}

TEST(AgenciesImport, ALineTheStoreRefusesMeansNothingIsWritten) {
  // A quoted cell may hold a line break; the store refuses control characters: the whole file goes.
  testing::TestDb t;
  auto r = import_agencies_csv(t.people, "E01,戊,,\nE02,\"己\n庚\",,E01\n");
  EXPECT_FALSE(r.problems.empty());
  EXPECT_EQ(t.count("agencies"), 0);
}

TEST(AgenciesImport, UnknownParentsCyclesAndBadLinesWriteNothing) {
  testing::TestDb t;
  auto r = import_agencies_csv(t.people,
                               "B01,甲,,B02\n"
                               "B02,乙,,B01\n"    // a cycle
                               "C01,丙,,Z99\n"    // no such parent
                               "D01,丁\n"         // columns
                               "B01,again,,\n");  // duplicate
  std::set<std::string> reasons;
  for (const auto& p : r.problems) reasons.insert(p.reason);
  EXPECT_EQ(reasons,
            (std::set<std::string>{"parent_cycle", "parent_unknown", "column_count", "duplicate_in_file"}));
  EXPECT_EQ(t.count("agencies"), 0);
}

}  // namespace
}  // namespace ecpa::portal
