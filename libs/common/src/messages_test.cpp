#include "ecpa/common/messages.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace ecpa {
namespace {

std::set<std::string> placeholders(const std::string& s) {
  std::set<std::string> out;
  std::regex re(R"(\{([a-z_]+)\})");
  for (std::sregex_iterator it(s.begin(), s.end(), re), end; it != end; ++it) out.insert((*it)[1]);
  return out;
}

TEST(MessageCatalogue, BuiltinMatchesTheFileAndIsComplete) {
  std::ifstream in(std::string(ECPA_SOURCE_DIR) + "/messages/catalogue.json");
  ASSERT_TRUE(in) << "catalogue not found under " << ECPA_SOURCE_DIR;
  std::stringstream text;
  text << in.rdbuf();
  auto from_file = MessageCatalogue::parse(text.str());
  const auto& builtin = MessageCatalogue::builtin();
  EXPECT_EQ(from_file.codes(), builtin.codes()) << "rebuild: the embedded catalogue is stale";
  EXPECT_GE(builtin.codes().size(), 10U);
  for (const auto& code : builtin.codes()) {
    const CatalogueEntry* e = builtin.find(code);
    ASSERT_NE(e, nullptr);
    // The same placeholders in both languages, or one language would show a raw {name}.
    EXPECT_EQ(placeholders(e->zh_tw.message), placeholders(e->en.message)) << code;
    EXPECT_EQ(placeholders(e->zh_tw.action), placeholders(e->en.action)) << code;
  }
}

TEST(MessageCatalogue, UnknownCodeRendersAsInternalError) {
  const auto& cat = MessageCatalogue::builtin();
  auto m = cat.render("NO_SUCH_CODE_EVER", Lang::En);
  EXPECT_EQ(m.message, cat.render("INTERNAL_ERROR", Lang::En).message);
  EXPECT_EQ(cat.status("NO_SUCH_CODE_EVER"), 500);
}

TEST(MessageCatalogue, RejectsMalformedCatalogues) {
  EXPECT_THROW(MessageCatalogue::parse("not json"), std::invalid_argument);
  EXPECT_THROW(MessageCatalogue::parse("[]"), std::invalid_argument);
  const char* no_en = R"({"INTERNAL_ERROR":{"status":500,"zh-TW":{"message":"a","action":"b"}}})";
  EXPECT_THROW(MessageCatalogue::parse(no_en), std::invalid_argument);
  const char* bad_status =
      R"({"INTERNAL_ERROR":{"status":200,"zh-TW":{"message":"a","action":"b"},"en":{"message":"a","action":"b"}}})";
  EXPECT_THROW(MessageCatalogue::parse(bad_status), std::invalid_argument);
  const char* no_internal =
      R"({"X":{"status":400,"zh-TW":{"message":"a","action":"b"},"en":{"message":"a","action":"b"}}})";
  EXPECT_THROW(MessageCatalogue::parse(no_internal), std::invalid_argument);
  const char* empty_message =
      R"({"INTERNAL_ERROR":{"status":500,"zh-TW":{"message":"","action":"b"},"en":{"message":"a","action":"b"}}})";
  EXPECT_THROW(MessageCatalogue::parse(empty_message), std::invalid_argument);
}

TEST(FillPlaceholders, ReplacesKnownAndKeepsUnknown) {
  std::map<std::string, std::string, std::less<>> p{{"n", "2"}};
  EXPECT_EQ(fill_placeholders("剩 {n} 次 {m} {", p), "剩 2 次 {m} {");
  EXPECT_EQ(fill_placeholders("", p), "");
}

TEST(ParseLang, PrefersChineseUnlessEnglishRanksHigher) {
  EXPECT_EQ(parse_lang(""), Lang::ZhTW);
  EXPECT_EQ(parse_lang("zh-TW,zh;q=0.9,en;q=0.8"), Lang::ZhTW);
  EXPECT_EQ(parse_lang("en-US,en;q=0.9,zh-TW;q=0.8"), Lang::En);
  EXPECT_EQ(parse_lang("en"), Lang::En);
  EXPECT_EQ(parse_lang("fr, en;q=0.5"), Lang::En);
  EXPECT_EQ(parse_lang("en;q=0, zh"), Lang::ZhTW);
  EXPECT_EQ(parse_lang("EN-gb"), Lang::En);
  EXPECT_EQ(parse_lang("en;q=abc"), Lang::ZhTW);
  EXPECT_EQ(lang_tag(Lang::En), "en");
  EXPECT_EQ(lang_tag(Lang::ZhTW), "zh-TW");
}

}  // namespace
}  // namespace ecpa
