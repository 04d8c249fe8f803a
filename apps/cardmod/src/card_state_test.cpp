#include "ecpa/cardstate/card_state.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "ecpa/common/error.hpp"

namespace ecpa::cardmod {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ecpa-cardstate-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void expect_invalid(std::string_view json, std::string_view mentions) {
  try {
    parse_state(json);
    FAIL() << "accepted: " << json;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::CARD_STATE_INVALID);
    EXPECT_NE(e.cause().find(mentions), std::string::npos) << e.cause();
  }
}

TEST(CardStateFormat, RoundTrips) {
  State s;
  s.module = "/usr/lib/softhsm/libsofthsm2.so";
  s.faults.push_back({.function = "C_Sign", .delay_ms = 250});
  TokenState t;
  t.retries_left = 1;
  t.removed = true;
  t.removals = 4;
  t.reader = "CASTLES EZ100PU 01 00";
  t.faults.push_back({.function = "C_Login", .rv = 0x30, .once = true});
  t.faults.push_back({.function = "*", .delay_ms = 5, .remove = true});
  s.tokens["a1b2c3d4e5f60718"] = t;
  EXPECT_EQ(parse_state(serialize_state(s)), s);
}

TEST(CardStateFormat, MinimalFileMeansDefaults) {
  State s = parse_state(R"({"version":1,"tokens":{"X":{}}})");
  TokenState t = s.token("X");
  EXPECT_EQ(t.max_tries, 3);
  EXPECT_EQ(t.retries_left, 3);
  EXPECT_FALSE(t.removed);
  EXPECT_EQ(s.token("unknown"), TokenState{});
}

TEST(CardStateFormat, RefusesWhatWouldSilentlyDoNothing) {
  expect_invalid("not json", "not JSON");
  expect_invalid(R"({"tokens":{}})", "version");
  expect_invalid(R"({"version":2})", "version");
  expect_invalid(R"({"version":1,"fault":[]})", "unknown key \"fault\"");
  expect_invalid(R"({"version":1,"tokens":{"S":{"retry_left":1}}})", "unknown key");
  expect_invalid(R"({"version":1,"tokens":{"S":{"retries_left":4}}})", "retries_left");
  expect_invalid(R"({"version":1,"tokens":{"S":{"retries_left":-1}}})", "retries_left");
  expect_invalid(R"({"version":1,"tokens":{"S":{"max_tries":0}}})", "max_tries");
  expect_invalid(R"({"version":1,"tokens":{"S":{"removed":"yes"}}})", "removed");
  expect_invalid(R"({"version":1,"faults":[{"function":"C_Sign"}]})", "does nothing");
  expect_invalid(R"({"version":1,"faults":[{"function":"Sign","delay_ms":1}]})", "function");
  expect_invalid(R"({"version":1,"faults":[{"function":"C_Sign","delay_ms":600000}]})", "delay_ms");
  expect_invalid(R"({"version":1,"module":"libsofthsm2.so"})", "absolute");
  expect_invalid(R"({"version":1,"tokens":{"S":{"reader":"bad\u0001name"}}})", "reader");
  expect_invalid(std::string(2 << 20, ' '), "1 MiB");
}

class CardStateFile : public ::testing::Test {
 protected:
  TempDir dir_;
  CardState state_{dir_.path() / "cards.json"};
};

TEST_F(CardStateFile, MissingFileIsTheEmptyState) {
  EXPECT_EQ(state_.read(), State{});
  EXPECT_TRUE(state_.list().empty());
}

TEST_F(CardStateFile, RemoveAndInsertCountRemovals) {
  state_.set_removed("SERIAL1", true);
  state_.set_removed("SERIAL1", true);  // already out: not a second removal
  EXPECT_TRUE(state_.list().at("SERIAL1").removed);
  EXPECT_EQ(state_.list().at("SERIAL1").removals, 1U);
  state_.set_removed("SERIAL1", false);
  EXPECT_FALSE(state_.list().at("SERIAL1").removed);
  state_.set_removed("SERIAL1", true);
  EXPECT_EQ(state_.list().at("SERIAL1").removals, 2U);
}

TEST_F(CardStateFile, RetriesReaderAndFaults) {
  state_.set_retries("S", 0);
  state_.set_reader("S", "ACS ACR39U 00 00");
  state_.add_fault("S", {.function = "C_Sign", .rv = 0x30});
  state_.add_fault(std::nullopt, {.function = "C_Login", .delay_ms = 10});
  State s = state_.read();
  EXPECT_EQ(s.token("S").retries_left, 0);
  EXPECT_EQ(s.token("S").reader, "ACS ACR39U 00 00");
  ASSERT_EQ(s.token("S").faults.size(), 1U);
  ASSERT_EQ(s.faults.size(), 1U);
  state_.clear_faults("S");
  EXPECT_TRUE(state_.read().token("S").faults.empty());
  EXPECT_EQ(state_.read().faults.size(), 1U) << "one card's clear leaves the global faults";
  state_.add_fault("S", {.function = "C_Sign", .rv = 0x30});
  state_.clear_faults(std::nullopt);
  EXPECT_TRUE(state_.read().faults.empty());
  EXPECT_TRUE(state_.read().token("S").faults.empty());
}

TEST_F(CardStateFile, BadChangesAreRefusedAndLeaveTheFileAlone) {
  state_.set_retries("S", 2);
  std::string before = serialize_state(state_.read());
  EXPECT_THROW(state_.set_retries("S", 4), Error);
  EXPECT_THROW(state_.set_retries("", 1), Error);
  EXPECT_THROW(state_.set_reader("S", std::string(65, 'r')), Error);
  EXPECT_THROW(state_.add_fault("S", {.function = "C_Sign"}), Error);
  EXPECT_THROW(state_.add_fault("S", {.function = "rm -rf", .delay_ms = 1}), Error);
  EXPECT_EQ(serialize_state(state_.read()), before);
}

TEST_F(CardStateFile, CorruptFileIsATypedError) {
  std::ofstream(state_.file()) << "{\"version\":1,";
  try {
    state_.read();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::CARD_STATE_INVALID);
  }
}

TEST_F(CardStateFile, ConcurrentWritersLoseNoUpdate) {
  std::vector<std::thread> writers;
  writers.reserve(4);
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([this] {
      CardState own(state_.file());  // its own descriptor, as another process would have
      for (int i = 0; i < 25; ++i) {
        own.update([](State& s) {
          ++s.tokens["COUNTER"].removals;
          return true;
        });
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(state_.read().token("COUNTER").removals, 100U);
}

TEST_F(CardStateFile, UnchangedUpdateDoesNotWrite) {
  state_.set_retries("S", 1);
  struct stat before {
  }, after{};
  ASSERT_EQ(::stat(state_.file().c_str(), &before), 0);
  state_.update([](State&) { return false; });
  ASSERT_EQ(::stat(state_.file().c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino) << "a write would have renamed a new file into place";
  state_.set_retries("S", 2);
  ASSERT_EQ(::stat(state_.file().c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino) << "the check can fail";
}

}  // namespace
}  // namespace ecpa::cardmod

namespace ecpa::cardmod {
namespace {

TEST(CardSerial, RoundTripsAndIsFoundByEitherSerial) {
  TempDir dir;
  CardState cards(dir.path() / "cards.json");
  cards.set_card_serial("3f2a9c01d44b7e10", "TP03200302000536");
  State s = cards.read();
  EXPECT_EQ(s.tokens.at("3f2a9c01d44b7e10").card_serial, "TP03200302000536");
  EXPECT_EQ(parse_state(serialize_state(s)), s);
  EXPECT_EQ(s.key_for("TP03200302000536"), "3f2a9c01d44b7e10");
  EXPECT_EQ(s.key_for("unknown"), "unknown");

  // A program that only knows the card number the token reports reaches the same entry.
  cards.set_removed("TP03200302000536", true);
  cards.set_retries("TP03200302000536", 1);
  cards.add_fault("TP03200302000536", Fault{.function = "C_Sign", .delay_ms = 5});
  State after = cards.read();
  ASSERT_EQ(after.tokens.size(), 1U);
  const TokenState& t = after.tokens.at("3f2a9c01d44b7e10");
  EXPECT_TRUE(t.removed);
  EXPECT_EQ(t.retries_left, 1);
  EXPECT_EQ(t.faults.size(), 1U);
  EXPECT_EQ(after.token("TP03200302000536"), t);
  cards.clear_faults("TP03200302000536");
  EXPECT_TRUE(cards.read().tokens.at("3f2a9c01d44b7e10").faults.empty());
}

TEST(CardSerial, RefusesBadOrDuplicateSerials) {
  TempDir dir;
  CardState cards(dir.path() / "cards.json");
  cards.set_card_serial("aaaa", "TP00000000000001");
  EXPECT_THROW(cards.set_card_serial("bbbb", "TP00000000000001"), Error) << "duplicate";
  EXPECT_THROW(cards.set_card_serial("bbbb", "aaaa"), Error) << "another token's key";
  EXPECT_THROW(cards.set_card_serial("bbbb", "TP000000000000012"), Error) << "17 characters";
  EXPECT_THROW(cards.set_card_serial("bbbb", ""), Error);
  EXPECT_THROW(cards.set_card_serial("bbbb", "TP\n"), Error);
  EXPECT_NO_THROW(cards.set_card_serial("aaaa", "TP00000000000002")) << "a token may be renumbered";
  expect_invalid(R"({"version":1,"tokens":{"x":{"card_serial":"TP000000000000012"}}})", "card_serial");
}

}  // namespace
}  // namespace ecpa::cardmod
