#include "ecpa/common/messages.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace ecpa {
namespace detail {
extern const std::string_view kCatalogueJson;
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

Message read_message(const nlohmann::json& entry, const std::string& code, const char* lang) {
  auto field = [&](const char* name) {
    const auto& part = entry.at(lang);
    if (!part.contains(name) || !part[name].is_string() || part[name].get<std::string>().empty()) {
      throw std::invalid_argument("catalogue: " + code + " lacks " + lang + "." + name);
    }
    return part[name].get<std::string>();
  };
  if (!entry.contains(lang) || !entry[lang].is_object()) {
    throw std::invalid_argument("catalogue: " + code + " lacks " + lang);
  }
  return Message{field("message"), field("action")};
}

}  // namespace

Lang parse_lang(std::string_view accept_language) {
  // Walk the list in order of appearance, honouring q=0 as "not acceptable". Browsers list the
  // preferred language first, which is all the precision we need between two languages.
  std::string header = lower(accept_language);
  double best_en = -1;
  double best_zh = -1;
  size_t pos = 0;
  int index = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    std::string item = header.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? header.size() + 1 : comma + 1;
    item.erase(std::remove_if(item.begin(), item.end(), [](unsigned char c) { return std::isspace(c); }),
               item.end());
    if (item.empty()) continue;
    double q = 1.0;
    if (auto semi = item.find(";q="); semi != std::string::npos) {
      try {
        q = std::stod(item.substr(semi + 3));
      } catch (const std::exception&) {
        q = 0;
      }
      item.resize(semi);
    }
    // Earlier items win ties: subtract a tiny amount per position.
    double score = q <= 0 ? -1 : q - index * 1e-3;
    ++index;
    if (item == "en" || item.starts_with("en-")) best_en = std::max(best_en, score);
    if (item == "zh" || item.starts_with("zh-")) best_zh = std::max(best_zh, score);
  }
  return best_en > best_zh ? Lang::En : Lang::ZhTW;
}

std::string_view lang_tag(Lang lang) { return lang == Lang::En ? "en" : "zh-TW"; }

MessageCatalogue MessageCatalogue::parse(std::string_view json_text) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("catalogue: not JSON: ") + e.what());
  }
  if (!doc.is_object()) throw std::invalid_argument("catalogue: top level is not an object");
  MessageCatalogue cat;
  for (const auto& [code, entry] : doc.items()) {
    if (code.starts_with("_")) continue;  // comments
    if (!entry.is_object() || !entry.contains("status") || !entry["status"].is_number_integer()) {
      throw std::invalid_argument("catalogue: " + code + " lacks an integer status");
    }
    CatalogueEntry e;
    e.status = entry["status"].get<int>();
    if (e.status < 400 || e.status > 599) {
      throw std::invalid_argument("catalogue: " + code + " status is not an HTTP error status");
    }
    e.zh_tw = read_message(entry, code, "zh-TW");
    e.en = read_message(entry, code, "en");
    cat.entries_.emplace(code, std::move(e));
  }
  if (!cat.entries_.contains("INTERNAL_ERROR")) {
    throw std::invalid_argument("catalogue: INTERNAL_ERROR is required");
  }
  return cat;
}

const MessageCatalogue& MessageCatalogue::builtin() {
  // Parsed once; the generator has already checked its shape at build time.
  static const MessageCatalogue cat = parse(detail::kCatalogueJson);
  return cat;
}

const CatalogueEntry* MessageCatalogue::find(std::string_view code) const {
  auto it = entries_.find(code);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<std::string> MessageCatalogue::codes() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& [code, entry] : entries_) out.push_back(code);
  return out;
}

Message MessageCatalogue::render(std::string_view code, Lang lang,
                                 const std::map<std::string, std::string, std::less<>>& params) const {
  const CatalogueEntry* entry = find(code);
  if (entry == nullptr) entry = find("INTERNAL_ERROR");
  if (entry == nullptr) return Message{"Internal error", ""};  // parse() guarantees INTERNAL_ERROR
  const Message& m = lang == Lang::En ? entry->en : entry->zh_tw;
  return Message{fill_placeholders(m.message, params), fill_placeholders(m.action, params)};
}

int MessageCatalogue::status(std::string_view code) const {
  const CatalogueEntry* entry = find(code);
  return entry == nullptr ? 500 : entry->status;
}

std::string fill_placeholders(std::string_view text,
                              const std::map<std::string, std::string, std::less<>>& params) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      size_t close = text.find('}', i + 1);
      if (close != std::string_view::npos) {
        auto it = params.find(text.substr(i + 1, close - i - 1));
        if (it != params.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace ecpa
