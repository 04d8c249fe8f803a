// Feeds a few hundred thousand random and mutated strings to every parser in the library. Each
// call must simply return, valid or not; under the asan preset this also checks for memory errors
// and undefined behaviour. Whatever is accepted must also survive a round trip, so the fuzzing
// says something about correctness and not only about crashes. (libFuzzer targets under fuzz/
// can explore further; this test keeps a fixed, reproducible slice of that in every ctest run.)

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <string_view>

#include "ecpa/tw/business_id.hpp"
#include "ecpa/tw/national_id.hpp"
#include "ecpa/tw/roc_date.hpp"

namespace ecpa::tw {
namespace {

constexpr int kIterations = 200'000;

// Valid inputs to mutate, so that mutants get deep into the parsers.
constexpr std::string_view kSeeds[] = {
    "A123456789",    "A800000014",     "AC01234567",           "a123456789",         "04595257",  "12345675",
    "110年12月14日", "民國元年1月1日", "民前1年12月31日",      "110/12/14",          "110.12.14", "110-12-14",
    "1101214",       "0990101",        "１１０年１２月１４日", "\u3000109年2月29日 "};

// Pieces that matter to the parsers, including broken UTF-8: lone lead bytes, a full-width
// digit cut short, full-width characters next to the digits, the ideographic space.
constexpr std::string_view kFragments[] = {
    "民國", "民前",     "元",           "年",     "月",       "日",         "/",    ".",
    "-",    " ",        "\t",           "\u3000", "０",       "９",         "１２", "／",
    "\xEF", "\xEF\xBC", "\xEF\xBC\x8F", "\xE5",   "\xE5\xB9", "\x80",       "\xFF", std::string_view{"\0", 1},
    "0",    "7",        "12",           "A",      "z",        "99999999999"};

class Fuzzer {
 public:
  explicit Fuzzer(std::uint32_t seed) : rng_(seed) {}

  std::string next() {
    switch (pick(3)) {
      case 0:
        return random_bytes();
      case 1:
        return fragments();
      default:
        return mutated_seed();
    }
  }

 private:
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>{0, n - 1}(rng_); }
  char random_byte() { return static_cast<char>(pick(256)); }

  std::string random_bytes() {
    std::string s(pick(25), '\0');
    for (char& c : s) c = random_byte();
    return s;
  }

  std::string fragments() {
    std::string s;
    for (std::size_t n = 1 + pick(8); n > 0; --n) s += kFragments[pick(std::size(kFragments))];
    return s;
  }

  std::string mutated_seed() {
    std::string s{kSeeds[pick(std::size(kSeeds))]};
    for (std::size_t n = pick(4); n > 0; --n) mutate(s);  // sometimes none: valid input
    return s;
  }

  void mutate(std::string& s) {
    const std::size_t at = pick(s.size() + 1);  // may be the end
    switch (pick(6)) {
      case 0:  // replace a byte
        if (at < s.size()) s[at] = random_byte();
        break;
      case 1:  // insert a fragment
        s.insert(at, kFragments[pick(std::size(kFragments))]);
        break;
      case 2:  // delete a byte, often splitting a UTF-8 sequence
        if (at < s.size()) s.erase(at, 1);
        break;
      case 3:  // truncate
        s.resize(at);
        break;
      case 4:  // change a digit
        if (at < s.size()) s[at] = static_cast<char>('0' + pick(10));
        break;
      default:  // flip ASCII letter case
        if (at < s.size()) s[at] = static_cast<char>(s[at] ^ 0x20);
        break;
    }
  }

  std::mt19937 rng_;
};

struct Tally {
  int accepted = 0;
  int rejected = 0;
  void count(bool ok) { ++(ok ? accepted : rejected); }
};

TEST(ParsersFuzz, RandomAndMutatedInputsAlwaysReturn) {
  Fuzzer fuzzer{20211214};
  Tally national_ids, business_ids, dates;

  for (int i = 0; i < kIterations; ++i) {
    const std::string input = fuzzer.next();

    const NationalIdResult id = NationalId::parse(input);
    national_ids.count(id.ok());
    if (id.ok()) {
      ASSERT_EQ(id->value().size(), 10U);
      ASSERT_EQ(NationalId::parse(id->value()).value(), id.value());
      ASSERT_EQ(id->masked(), mask_national_id(id->value()));
      (void)id->kind();
      (void)id->gender();
    } else {
      ASSERT_FALSE(id.reason().empty());
    }
    ASSERT_EQ(mask_national_id(input).size(), 10U);
    (void)compute_check_digit(input);
    if (input.size() >= 9) (void)compute_check_digit(std::string_view{input}.substr(0, 9));

    const BusinessIdResult business = BusinessId::parse(input);
    business_ids.count(business.ok());
    if (business.ok()) {
      ASSERT_EQ(BusinessId::parse(business->value()).value(), business.value());
    } else {
      ASSERT_FALSE(business.reason().empty());
    }

    const RocDateResult date = RocDate::parse(input);
    dates.count(date.ok());
    if (date.ok()) {
      ASSERT_EQ(RocDate::parse(date->to_chinese()).value(), date.value()) << input;
      if (date->roc_year() > 0) {
        ASSERT_EQ(RocDate::parse(date->format(RocFormat::Compact7).value()).value(), date.value());
      }
      ASSERT_GE(date->weekday(), 0);
      ASSERT_LE(date->weekday(), 6);
    } else {
      ASSERT_FALSE(date.reason().empty());
    }
  }

  // The inputs reached both outcomes of every parser; otherwise this test would prove little.
  for (const Tally* tally : {&national_ids, &business_ids, &dates}) {
    EXPECT_GT(tally->accepted, 100);
    EXPECT_GT(tally->rejected, 100);
  }
}

}  // namespace
}  // namespace ecpa::tw
