#include "ecpa/store/ocsp_answer_store.hpp"

#include <gtest/gtest.h>

#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::at_seconds;
using testing::code_of;
using testing::TempDir;

constexpr std::string_view kKey = "sha1|0101|0202|1a2b";

class OcspAnswerStoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::unique_ptr<Database> db_ = testing::open_migrated(dir_ / "ocsp.db");
  SqlOcspAnswerStore store_{*db_};
};

TEST_F(OcspAnswerStoreTest, KeepsAnAnswerUntilItsNextUpdate) {
  EXPECT_FALSE(store_.find(kKey, at_seconds(0)));
  store_.put(kKey, {at_seconds(10), at_seconds(3600)});
  auto held = store_.find(kKey, at_seconds(20));
  ASSERT_TRUE(held);
  EXPECT_EQ(held->checked_at, at_seconds(10));
  EXPECT_EQ(held->next_update, at_seconds(3600));
  EXPECT_FALSE(store_.find(kKey, at_seconds(3600)));
  EXPECT_FALSE(store_.find("sha1|0101|0202|ffff", at_seconds(20)));
}

TEST_F(OcspAnswerStoreTest, ALaterAnswerReplacesTheEarlierOne) {
  store_.put(kKey, {at_seconds(10), at_seconds(3600)});
  store_.put(kKey, {at_seconds(100), at_seconds(7200)});
  auto held = store_.find(kKey, at_seconds(150));
  ASSERT_TRUE(held);
  EXPECT_EQ(held->checked_at, at_seconds(100));
  EXPECT_EQ(held->next_update, at_seconds(7200));
}

TEST_F(OcspAnswerStoreTest, ForgetIsSeenByAnotherProcessOnTheSameFile) {
  // A second Database on the same file stands for a second portal node.
  auto other_db = testing::open_migrated(dir_ / "ocsp.db");
  SqlOcspAnswerStore other{*other_db};
  store_.put(kKey, {at_seconds(10), at_seconds(3600)});
  EXPECT_TRUE(other.find(kKey, at_seconds(20)));
  other.forget(kKey);
  EXPECT_FALSE(store_.find(kKey, at_seconds(20)));
}

TEST_F(OcspAnswerStoreTest, SweepDeletesOnlyPassedAnswers) {
  store_.put(kKey, {at_seconds(10), at_seconds(100)});
  store_.put("sha1|0101|0202|02", {at_seconds(10), at_seconds(1000)});
  EXPECT_EQ(store_.sweep(at_seconds(500)), 1);
  EXPECT_TRUE(store_.find("sha1|0101|0202|02", at_seconds(500)));
}

TEST_F(OcspAnswerStoreTest, MalformedKeysAreRefusedAndWriteNothing) {
  EXPECT_EQ(code_of([&] { store_.put("", {at_seconds(10), at_seconds(100)}); }), "BAD_REQUEST");
  EXPECT_EQ(code_of([&] { store_.put("a\nb", {at_seconds(10), at_seconds(100)}); }), "BAD_REQUEST");
  EXPECT_EQ(code_of([&] {
              store_.put(std::string(401, 'a'), {at_seconds(10), at_seconds(100)});
            }),
            "BAD_REQUEST");
  EXPECT_FALSE(store_.find("a\nb", at_seconds(20)));
  EXPECT_EQ(store_.sweep(at_seconds(1'000'000)), 0);
}

}  // namespace
}  // namespace ecpa::store
