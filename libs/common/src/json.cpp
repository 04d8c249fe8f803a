#include "ecpa/common/json.hpp"

#include <set>
#include <string>
#include <vector>

namespace ecpa {

std::string_view to_string(JsonRefusal r) noexcept {
  switch (r) {
    case JsonRefusal::Syntax:
      return "not JSON";
    case JsonRefusal::DuplicateKey:
      return "duplicate member name";
    case JsonRefusal::TooDeep:
      return "nested too deeply";
  }
  return "not JSON";
}

StrictJson parse_json_strict(std::string_view text, StrictJsonLimits limits) {
  using nlohmann::json;
  // One set of member names per object being read; arrays need none (they have no names), so the top of
  // the stack is always the innermost open object when a key arrives.
  std::vector<std::set<std::string, std::less<>>> open_objects;
  std::size_t depth = 0;
  std::optional<JsonRefusal> refusal;
  json::parser_callback_t watch = [&](int, json::parse_event_t event, json& parsed) {
    if (refusal) return false;
    switch (event) {
      case json::parse_event_t::object_start:
        open_objects.emplace_back();
        [[fallthrough]];
      case json::parse_event_t::array_start:
        if (++depth > limits.max_depth) refusal = JsonRefusal::TooDeep;
        break;
      case json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        [[fallthrough]];
      case json::parse_event_t::array_end:
        if (depth > 0) --depth;
        break;
      case json::parse_event_t::key:
        if (!open_objects.empty() && parsed.is_string() &&
            !open_objects.back().insert(parsed.get<std::string>()).second)
          refusal = JsonRefusal::DuplicateKey;
        break;
      case json::parse_event_t::value:
        break;
    }
    return !refusal;
  };
  StrictJson out;
  json value = json::parse(text.begin(), text.end(), watch, /*allow_exceptions=*/false);
  if (refusal) {
    out.refusal = *refusal;
    return out;
  }
  if (value.is_discarded()) return out;
  out.value = std::move(value);
  return out;
}

}  // namespace ecpa
