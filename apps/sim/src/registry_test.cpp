#include "registry.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "ecpa/crypto/testing/files.hpp"

namespace ecpa::sim {
namespace {

TEST(Registry, CreateReadUpdate) {
  crypto::testing::TempDir dir;
  Registry reg(dir.path() / "registry.json");
  RegistryData d;
  d.base_url = "http://127.0.0.1:1";
  reg.create(d);
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / "registry.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);  // it holds ID numbers
  EXPECT_EQ(reg.read().revision, 0u);
  auto after = reg.update([](RegistryData& data) {
    Card c;
    c.card_sn = "TP00000000000001";
    c.id_number = "A123456789";
    c.certs.push_back({"abc",
                       "moica",
                       "sign",
                       {},
                       {},
                       crypto::from_unix_seconds(100),
                       crypto::RevocationReason::Superseded,
                       "AA=="});
    data.cards.push_back(c);
    return true;
  });
  EXPECT_EQ(after.revision, 1u);
  auto again = reg.read();
  ASSERT_NE(again.card("TP00000000000001"), nullptr);
  EXPECT_EQ(again.card("TP00000000000001")->id_number, "A123456789");
  const IssuedCert* cert = again.cert("abc", "moica");
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->reason, crypto::RevocationReason::Superseded);
  EXPECT_EQ(cert->revoked_at, crypto::from_unix_seconds(100));
  EXPECT_EQ(again.cert("abc", "gca"), nullptr);
  // No change, no new revision.
  EXPECT_EQ(reg.update([](RegistryData&) { return false; }).revision, 1u);
}

TEST(Registry, RefusesToCreateTwice) {
  crypto::testing::TempDir dir;
  Registry reg(dir.path() / "registry.json");
  reg.create({});
  try {
    reg.create({});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::SIM_ALREADY_INITIALISED);
  }
}

TEST(Registry, MissingOrBrokenFileIsTyped) {
  crypto::testing::TempDir dir;
  Registry reg(dir.path() / "registry.json");
  EXPECT_THROW(reg.read(), Error);
  std::ofstream(dir.path() / "registry.json") << "{\"version\": 1, \"cards\": 3}";
  try {
    reg.read();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::SIM_STATE_INVALID);
  }
}

TEST(Registry, ConcurrentUpdatesLoseNothing) {
  crypto::testing::TempDir dir;
  Registry reg(dir.path() / "registry.json");
  reg.create({});
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Registry mine(dir.path() / "registry.json");
      for (int i = 0; i < 10; ++i) {
        mine.update([&](RegistryData& d) {
          Card c;
          c.card_sn = "T" + std::to_string(t) + "-" + std::to_string(i);
          d.cards.push_back(c);
          return true;
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  auto d = reg.read();
  EXPECT_EQ(d.cards.size(), 40u);
  EXPECT_EQ(d.revision, 40u);
}

TEST(Iso8601, ParsesDatesAndTimes) {
  EXPECT_EQ(parse_iso8601("2026-01-15"), crypto::from_unix_seconds(1768435200));
  EXPECT_EQ(parse_iso8601("2026-01-15T00:00:10Z"), crypto::from_unix_seconds(1768435210));
  EXPECT_EQ(to_iso8601(crypto::from_unix_seconds(1768435210)), "2026-01-15T00:00:10Z");
  for (const char* bad : {"", "2026-1-15", "2026-01-15T00:00:10", "tomorrow", "2026-01-15x"}) {
    EXPECT_THROW(parse_iso8601(bad), Error) << bad;
  }
}

TEST(WritePrivateFile, ReplacesWholeWithMode0600) {
  crypto::testing::TempDir tmp;
  auto file = tmp.path() / "f.txt";
  write_private_file(file, "one");
  write_private_file(file, "two");
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "two");
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "f.txt.tmp"));
  EXPECT_THROW(write_private_file(tmp.path() / "no" / "such" / "dir", "x"), Error);
}

}  // namespace
}  // namespace ecpa::sim
