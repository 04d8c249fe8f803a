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
  store_.put(kKey, {at_seconds(10), at_seconds(5), at_seconds(3600)});
  auto held = store_.find(kKey, at_seconds(20));
  ASSERT_TRUE(held);
  EXPECT_EQ(held->checked_at, at_seconds(10));
  EXPECT_EQ(held->this_update, at_seconds(5));
  EXPECT_EQ(held->next_update, at_seconds(3600));
  EXPECT_FALSE(store_.find(kKey, at_seconds(3600)));
  EXPECT_FALSE(store_.find("sha1|0101|0202|ffff", at_seconds(20)));
}

TEST_F(OcspAnswerStoreTest, ALaterAnswerReplacesTheEarlierOne) {
  store_.put(kKey, {at_seconds(10), at_seconds(5), at_seconds(3600)});
  store_.put(kKey, {at_seconds(100), at_seconds(95), at_seconds(7200)});
  auto held = store_.find(kKey, at_seconds(150));
  ASSERT_TRUE(held);
  EXPECT_EQ(held->checked_at, at_seconds(100));
  EXPECT_EQ(held->next_update, at_seconds(7200));
}

TEST_F(OcspAnswerStoreTest, ForgetIsSeenByAnotherProcessOnTheSameFile) {
  // A second Database on the same file stands for a second portal node.
  auto other_db = testing::open_migrated(dir_ / "ocsp.db");
  SqlOcspAnswerStore other{*other_db};
  store_.put(kKey, {at_seconds(10), at_seconds(5), at_seconds(3600)});
  EXPECT_TRUE(other.find(kKey, at_seconds(20)));
  other.forget(kKey, at_seconds(20));
  EXPECT_FALSE(store_.find(kKey, at_seconds(21)));
}

TEST_F(OcspAnswerStoreTest, AnAnswerFromBeforeTheRevocationCannotComeBack) {
  store_.put(kKey, {at_seconds(10), at_seconds(5), at_seconds(3600)});
  store_.forget(kKey, at_seconds(30));
  // A slow node that asked at 20 (thisUpdate 15) writes after the revocation was seen at 30: refused.
  store_.put(kKey, {at_seconds(20), at_seconds(15), at_seconds(3600)});
  EXPECT_FALSE(store_.find(kKey, at_seconds(40)));
  // The same for a certificate nobody had a good answer for yet.
  store_.forget("sha1|0101|0202|77", at_seconds(30));
  store_.put("sha1|0101|0202|77", {at_seconds(20), at_seconds(15), at_seconds(3600)});
  EXPECT_FALSE(store_.find("sha1|0101|0202|77", at_seconds(40)));
  // An answer the responder gave after the revocation (a hold lifted) is news, and replaces the record.
  store_.put(kKey, {at_seconds(50), at_seconds(45), at_seconds(3600)});
  auto held = store_.find(kKey, at_seconds(60));
  ASSERT_TRUE(held);
  EXPECT_EQ(held->this_update, at_seconds(45));
}

TEST_F(OcspAnswerStoreTest, ARevocationRecordOutlivesTheAnswerAndIsSweptAfterADay) {
  store_.put(kKey, {at_seconds(10), at_seconds(5), at_seconds(100)});
  store_.forget(kKey, at_seconds(30));
  EXPECT_EQ(store_.sweep(at_seconds(200)), 0);  // kept past the answer's next_update
  store_.put(kKey, {at_seconds(20), at_seconds(15), at_seconds(3600)});
  EXPECT_FALSE(store_.find(kKey, at_seconds(300)));
  EXPECT_EQ(store_.sweep(at_seconds(30 + 24 * 3600)), 1);
}

TEST_F(OcspAnswerStoreTest, SweepDeletesOnlyPassedAnswers) {
  store_.put(kKey, {at_seconds(10), at_seconds(5), at_seconds(100)});
  store_.put("sha1|0101|0202|02", {at_seconds(10), at_seconds(5), at_seconds(1000)});
  EXPECT_EQ(store_.sweep(at_seconds(500)), 1);
  EXPECT_TRUE(store_.find("sha1|0101|0202|02", at_seconds(500)));
}

TEST_F(OcspAnswerStoreTest, MalformedKeysAreRefusedAndWriteNothing) {
  EXPECT_EQ(code_of([&] {
              store_.put("", {at_seconds(10), at_seconds(5), at_seconds(100)});
            }),
            "BAD_REQUEST");
  EXPECT_EQ(code_of([&] {
              store_.put("a\nb", {at_seconds(10), at_seconds(5), at_seconds(100)});
            }),
            "BAD_REQUEST");
  EXPECT_EQ(code_of([&] {
              store_.put(std::string(401, 'a'), {at_seconds(10), at_seconds(5), at_seconds(100)});
            }),
            "BAD_REQUEST");
  EXPECT_FALSE(store_.find("a\nb", at_seconds(20)));
  EXPECT_EQ(store_.sweep(at_seconds(1'000'000)), 0);
}

}  // namespace
}  // namespace ecpa::store
