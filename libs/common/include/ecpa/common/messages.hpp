#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/common/error_code.hpp"

namespace ecpa {

enum class Lang { ZhTW, En };

// Picks the language from an Accept-Language header or a ?lang= value: English only when English is
// preferred over Chinese; zh-TW otherwise (the portal is zh-TW first).
Lang parse_lang(std::string_view accept_language);
std::string_view lang_tag(Lang lang);

struct Message {
  std::string message;  // what happened
  std::string action;   // what to do next
};

struct CatalogueEntry {
  int status = 500;
  Message zh_tw;
  Message en;
};

// The message catalogue (messages/catalogue.json, embedded at build time).
class MessageCatalogue {
 public:
  // Parses catalogue JSON; throws std::invalid_argument naming the code and field at fault.
  static MessageCatalogue parse(std::string_view json);
  // The catalogue built into this program.
  static const MessageCatalogue& builtin();

  const CatalogueEntry* find(std::string_view code) const;
  std::vector<std::string> codes() const;

  // The message for `code` with {placeholders} filled from `params`; an unknown code renders as
  // INTERNAL_ERROR so a missing entry can never leak an internal string.
  Message render(std::string_view code, Lang lang,
                 const std::map<std::string, std::string, std::less<>>& params = {}) const;
  int status(std::string_view code) const;

 private:
  std::map<std::string, CatalogueEntry, std::less<>> entries_;
};

// Replaces {name} with params[name]; unknown placeholders are left as they are.
std::string fill_placeholders(std::string_view text,
                              const std::map<std::string, std::string, std::less<>>& params);

}  // namespace ecpa
