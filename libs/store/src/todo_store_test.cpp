#include "ecpa/store/todo_store.hpp"

#include <gtest/gtest.h>

#include "ecpa/store/people_store.hpp"
#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using namespace std::chrono;
using testing::code_of;

class TodoStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Database::open("sqlite::memory:");
    migrate(*db_);
    SqlPeopleStore people(*db_, ids_);
    people.put_agency({"A01", "人事行政總處"});
    const PersonImportRow rows[] = {{"A123456789", "王小明", "A01", "科員", ""},
                                    {"A800000014", "李小華", "A01", "科長", ""}};
    auto report = people.import_people(rows, ImportMode::AllOrNothing);
    ASSERT_TRUE(report.written);
    alice_ = *report.rows[0].person_id;
    bob_ = *report.rows[1].person_id;
  }
  IdProtector ids_{testing::test_key()};
  std::unique_ptr<Database> db_;
  std::int64_t alice_ = 0, bob_ = 0;
};

constexpr sys_days kDay = sys_days(year{2021} / December / 14);

TEST_F(TodoStoreTest, BetweenIsInclusiveOrderedAndPerPerson) {
  SqlTodoStore todos(*db_);
  todos.add(alice_, kDay + days(2), "填寫問卷");
  todos.add(alice_, kDay, "簽核公文");
  todos.add(alice_, kDay + days(3), "太晚");
  todos.add(alice_, kDay - days(1), "太早");
  todos.add(bob_, kDay, "別人的");
  auto list = todos.for_person_between(alice_, kDay, kDay + days(2));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].title, "簽核公文");
  EXPECT_EQ(list[0].due, kDay);
  EXPECT_EQ(list[1].due, kDay + days(2));
  EXPECT_FALSE(list[0].done);
  EXPECT_TRUE(todos.for_person_between(alice_, kDay + days(10), kDay + days(20)).empty());
}

TEST_F(TodoStoreTest, OnlyTheOwnerChangesATodo) {
  SqlTodoStore todos(*db_);
  auto t = todos.add(alice_, kDay, "簽核公文");
  EXPECT_FALSE(todos.set_done(t.id, bob_, true));
  EXPECT_FALSE(todos.remove(t.id, bob_));
  EXPECT_TRUE(todos.set_done(t.id, alice_, true));
  EXPECT_TRUE(todos.for_person_between(alice_, kDay, kDay)[0].done);
  EXPECT_TRUE(todos.remove(t.id, alice_));
  EXPECT_TRUE(todos.for_person_between(alice_, kDay, kDay).empty());
}

TEST_F(TodoStoreTest, BadInputIsRefused) {
  SqlTodoStore todos(*db_);
  EXPECT_EQ(code_of([&] { todos.add(alice_, kDay, ""); }), "BAD_REQUEST");
  EXPECT_EQ(code_of([&] { todos.add(alice_, kDay, std::string(501, 'x')); }), "BAD_REQUEST");
  EXPECT_EQ(code_of([&] { todos.add(alice_, kDay, "line\nbreak"); }), "BAD_REQUEST");
  EXPECT_EQ(code_of([&] { todos.add(999, kDay, "nobody"); }), "NOT_FOUND");
  EXPECT_TRUE(todos.for_person_between(alice_, kDay - days(100), kDay + days(100)).empty());
}

}  // namespace
}  // namespace ecpa::store
