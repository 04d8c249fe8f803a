#include "ecpa/store/id_protector.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::code_of;
using testing::TempDir;

tw::NationalId id(std::string_view s) { return tw::NationalId::parse(s).value(); }

TEST(IdProtector, CreatesAPrivateKeyFileAndReadsItBack) {
  TempDir dir;
  const auto path = dir / "id.key";
  auto first = IdProtector::load_or_create_key(path);
  EXPECT_EQ(first.size(), IdProtector::kKeySize);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(std::filesystem::file_size(path), IdProtector::kKeySize);
  auto again = IdProtector::load_or_create_key(path);
  EXPECT_TRUE(again.equals(first.reveal()));
  // No temporary files left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(IdProtector, ConcurrentCreatorsAgreeOnOneKey) {
  TempDir dir;
  const auto path = dir / "id.key";
  std::vector<std::string> keys(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    threads.emplace_back([&, i] { keys[i] = std::string(IdProtector::load_or_create_key(path).reveal()); });
  }
  for (auto& t : threads) t.join();
  for (const auto& k : keys) EXPECT_EQ(k, keys[0]);
}

TEST(IdProtector, RefusesUnsafeOrMalformedKeyFiles) {
  TempDir dir;
  const auto path = dir / "id.key";
  { std::ofstream(path) << std::string(32, 'x'); }
  ::chmod(path.c_str(), 0644);
  EXPECT_EQ(code_of([&] { IdProtector::load_or_create_key(path); }), "KEY_FILE_ERROR");
  ::chmod(path.c_str(), 0600);
  EXPECT_NO_THROW(IdProtector::load_or_create_key(path));
  { std::ofstream(path) << std::string(31, 'x'); }
  EXPECT_EQ(code_of([&] { IdProtector::load_or_create_key(path); }), "KEY_FILE_ERROR");
  EXPECT_EQ(code_of([&] { IdProtector::load_or_create_key(dir.path()); }), "KEY_FILE_ERROR");
  std::filesystem::create_symlink(path, dir / "link.key");
  EXPECT_EQ(code_of([&] { IdProtector::load_or_create_key(dir / "link.key"); }), "KEY_FILE_ERROR");
  EXPECT_EQ(code_of([&] { IdProtector::load_or_create_key(dir / "missing-dir" / "id.key"); }),
            "KEY_FILE_ERROR");
}

TEST(IdProtector, KeyMustBe32Bytes) {
  EXPECT_EQ(code_of([] { IdProtector p(SecretBuffer::copy_of("short")); }), "KEY_INVALID");
}

TEST(IdProtector, LookupHashIsStablePerKeyAndDiffersAcrossKeysAndIds) {
  IdProtector a(testing::test_key('a'));
  IdProtector b(testing::test_key('b'));
  const auto x = id("A123456789");
  EXPECT_EQ(a.lookup_hash(x), a.lookup_hash(x));
  EXPECT_EQ(a.lookup_hash(x).size(), 32u);
  EXPECT_NE(a.lookup_hash(x), b.lookup_hash(x));
  EXPECT_NE(a.lookup_hash(x), a.lookup_hash(id("A800000014")));
  // Case-insensitive input parses to one canonical ID, hence one hash.
  EXPECT_EQ(a.lookup_hash(x), a.lookup_hash(id("a123456789")));
}

TEST(IdProtector, SealIsRandomisedAndOpens) {
  IdProtector p(testing::test_key());
  const auto x = id("A123456789");
  const Bytes s1 = p.seal(x), s2 = p.seal(x);
  EXPECT_NE(s1, s2);
  EXPECT_EQ(p.open(s1), x);
  EXPECT_EQ(p.open(s2), x);
  const std::string bytes(s1.begin(), s1.end());
  EXPECT_EQ(bytes.find("A123456789"), std::string::npos);
  EXPECT_EQ(bytes.find("123456"), std::string::npos);
}

TEST(IdProtector, TamperedOrForeignBoxesAreCorrupt) {
  IdProtector p(testing::test_key('a'));
  IdProtector other(testing::test_key('b'));
  Bytes s = p.seal(id("A123456789"));
  EXPECT_EQ(code_of([&] { other.open(s); }), "STORE_DATA_CORRUPT");
  Bytes flipped = s;
  flipped.back() ^= 1;
  EXPECT_EQ(code_of([&] { p.open(flipped); }), "STORE_DATA_CORRUPT");
  EXPECT_EQ(code_of([&] { p.open(Bytes(10)); }), "STORE_DATA_CORRUPT");
  EXPECT_EQ(code_of([&] { p.open(Bytes(200)); }), "STORE_DATA_CORRUPT");
}

}  // namespace
}  // namespace ecpa::store
