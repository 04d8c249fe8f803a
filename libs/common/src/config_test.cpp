#include "ecpa/common/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ecpa/common/error.hpp"

namespace ecpa {
namespace {

constexpr const char* kSample = R"(
[portal]
listen = "127.0.0.1:8443"
workers = 2
tls = true
ratio = 0.5
origins = ["https://ecpa.example.tw", "https://b.example.tw"]

[portal.session]
idle_minutes = 15

[issuers.moica]
ocsp = "http://127.0.0.1:9000/ocsp"
)";

// Returns the cause of the CONFIG_INVALID error the call throws, or fails the test.
template <typename F>
std::string cause_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::CONFIG_INVALID);
    return e.cause();
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}

TEST(Config, ReadsTypedValues) {
  auto c = Config::parse(kSample, "portal.toml");
  EXPECT_EQ(c.string("portal.listen"), "127.0.0.1:8443");
  EXPECT_EQ(c.integer("portal.workers"), 2);
  EXPECT_TRUE(c.boolean("portal.tls"));
  EXPECT_DOUBLE_EQ(c.number("portal.ratio"), 0.5);
  EXPECT_DOUBLE_EQ(c.number("portal.workers"), 2.0);
  EXPECT_EQ(c.string_list("portal.origins").size(), 2U);
  EXPECT_EQ(c.string_or("portal.missing", "x"), "x");
  EXPECT_EQ(c.integer_or("portal.missing", 7), 7);
  EXPECT_FALSE(c.boolean_or("portal.missing", false));
  EXPECT_EQ(c.integer_in("portal.workers", 1, 64, 4), 2);
  EXPECT_EQ(c.integer_in("portal.absent", 1, 64, 4), 4);
}

TEST(Config, ErrorsNameFileLineKeyAndExpectedType) {
  auto c = Config::parse(kSample, "portal.toml");
  EXPECT_EQ(cause_of([&] { (void)c.integer("portal.listen"); }),
            "portal.toml:3: key 'portal.listen': expected an integer, found a string");
  EXPECT_EQ(cause_of([&] { (void)c.string("portal.nope"); }),
            "portal.toml: key 'portal.nope': missing; expected a string");
  EXPECT_EQ(cause_of([&] { (void)c.integer_in("portal.workers", 3, 9, 4); }),
            "portal.toml:4: key 'portal.workers': expected an integer from 3 to 9, found 2");
  auto session = c.section("portal.session");
  EXPECT_EQ(cause_of([&] { (void)session.boolean("idle_minutes"); }),
            "portal.toml:10: key 'portal.session.idle_minutes': expected a boolean (true or false), found an "
            "integer");
}

TEST(Config, ListsMustHoldOnlyStrings) {
  auto c = Config::parse("a = [\"x\", 2]\n", "x.toml");
  EXPECT_NE(cause_of([&] { (void)c.string_list("a"); }).find("expected an array of strings"),
            std::string::npos);
}

TEST(Config, SectionsAndUnknownKeys) {
  auto c = Config::parse(kSample, "portal.toml");
  auto portal = c.section("portal");
  EXPECT_EQ(portal.integer("session.idle_minutes"), 15);
  EXPECT_EQ(c.section("issuers").keys(), std::vector<std::string>{"moica"});
  EXPECT_EQ(portal.unknown_keys({"listen", "workers", "tls", "ratio", "origins"}),
            std::vector<std::string>{"session"});
  EXPECT_NE(cause_of([&] { portal.require_known_keys({"listen"}); }).find("unknown key"), std::string::npos);
  EXPECT_NO_THROW(portal.require_known_keys({"listen", "workers", "tls", "ratio", "origins", "session"}));
}

TEST(Config, SyntaxErrorsNameFileLineAndColumn) {
  auto cause = cause_of([] { (void)Config::parse("a = 1\nb = = 2\n", "bad.toml"); });
  EXPECT_EQ(cause.rfind("bad.toml:2:", 0), 0U) << cause;
}

TEST(Config, LoadsFromFileAndReportsMissingFile) {
  auto dir = std::filesystem::temp_directory_path() / ("ecpa-config-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / "c.toml";
  std::ofstream(path) << "x = \"y\"\n";
  EXPECT_EQ(Config::load_file(path).string("x"), "y");
  EXPECT_NE(cause_of([&] { (void)Config::load_file(dir / "absent.toml"); }).find("cannot be opened"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ecpa
