#include "ecpa/common/json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ecpa {
namespace {

TEST(StrictJson, AcceptsOrdinaryJson) {
  auto r = parse_json_strict(R"({"route":"citizen","a":[{"x":1},{"x":2}],"b":{"x":"y"},"c":null})");
  ASSERT_TRUE(r.value);
  EXPECT_EQ((*r.value)["route"], "citizen");
  EXPECT_EQ((*r.value)["a"][1]["x"], 2);
  // The same name in sibling and nested objects is not a duplicate.
  EXPECT_TRUE(parse_json_strict(R"({"x":{"x":{"x":1}},"y":[{"x":1,"y":2},{"x":1,"y":2}]})").value);
  EXPECT_TRUE(parse_json_strict("[]").value);
  EXPECT_TRUE(parse_json_strict("\"text\"").value);
}

TEST(StrictJson, RefusesDuplicateMemberNames) {
  for (const char* text :
       {R"({"route":"citizen","route":"agency"})", R"({"a":1,"b":2,"a":1})", R"({"o":{"k":1,"k":2}})",
        R"([{"k":1},{"k":1,"k":1}])", R"({"pin":"1","x":{"y":[]},"pin":"2"})",
        // Escapes name the same member: "\u0070in" is "pin".
        R"({"pin":"1","\u0070in":"2"})"}) {
    auto r = parse_json_strict(text);
    EXPECT_FALSE(r.value) << text;
    EXPECT_EQ(r.refusal, JsonRefusal::DuplicateKey) << text;
  }
}

TEST(StrictJson, RefusesSyntaxErrorsAndDepth) {
  for (const char* text : {"", "{", R"({"a":})", "{\"a\":1,}", "nul", R"({"a":1} x)", "{\"a\":\"\xFF\"}"}) {
    auto r = parse_json_strict(text);
    EXPECT_FALSE(r.value) << text;
    EXPECT_EQ(r.refusal, JsonRefusal::Syntax) << text;
  }
  std::string deep(17, '[');
  deep += std::string(17, ']');
  EXPECT_EQ(parse_json_strict(deep).refusal, JsonRefusal::TooDeep);
  EXPECT_FALSE(parse_json_strict(deep).value);
  std::string ok(16, '[');
  ok += std::string(16, ']');
  EXPECT_TRUE(parse_json_strict(ok).value);
  EXPECT_TRUE(parse_json_strict(deep, {.max_depth = 17}).value);
}

}  // namespace
}  // namespace ecpa
