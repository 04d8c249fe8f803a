#pragma once
// The one reader of JSON that comes from outside (request bodies, the agent's tbsPackage). nlohmann::json
// on its own keeps the last of two equal keys and says nothing, so {"route":"citizen","route":"agency"}
// means one thing to us and maybe another to a proxy, a log reader or a WAF in front of us: such a body
// is refused here instead, as is nesting deeper than any of our messages needs.
#include <cstddef>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ecpa {

struct StrictJsonLimits {
  std::size_t max_depth = 16;  // objects and arrays inside one another
};

// Why strict parsing refused a text (for the internal cause only; callers turn it into their own code).
enum class JsonRefusal { Syntax, DuplicateKey, TooDeep };
std::string_view to_string(JsonRefusal r) noexcept;

struct StrictJson {
  std::optional<nlohmann::json> value;  // set when accepted
  JsonRefusal refusal = JsonRefusal::Syntax;
};

// RFC 8259 JSON with every object's member names unique (RFC 8259 §4 leaves duplicates to the reader;
// we refuse them) and at most `limits.max_depth` levels. Never throws for bad input.
StrictJson parse_json_strict(std::string_view text, StrictJsonLimits limits = {});

}  // namespace ecpa
