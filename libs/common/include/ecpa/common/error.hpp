#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ecpa/common/codes.hpp"
#include "ecpa/common/error_code.hpp"
#include "ecpa/common/messages.hpp"

namespace ecpa {

// Where an error was raised. Not std::source_location: clang 14 (the fuzz build and clang-tidy) cannot
// compile libstdc++'s; these builtins exist in both g++ and clang.
struct SourceSite {
  const char* file = "";
  unsigned line = 0;
  static constexpr SourceSite here(const char* file = __builtin_FILE(), unsigned line = __builtin_LINE()) {
    return SourceSite{file, line};
  }
};

// The one error type a request can fail with. It carries:
//  - code(): the stable machine code (the wire and the catalogue key);
//  - params(): named values that fill the catalogue's {placeholders} (tries left, seconds to wait);
//  - cause(): the internal reason, for the log only — never shown to a person, because it may name
//    files, library errors or other people's data.
// what() is cause-bearing and therefore for logs too.
class Error : public std::runtime_error {
 public:
  explicit Error(ErrorCode code, std::string cause = {}, SourceSite where = SourceSite::here());

  ErrorCode code() const noexcept { return code_; }
  const std::string& cause() const noexcept { return cause_; }
  const std::map<std::string, std::string, std::less<>>& params() const noexcept { return params_; }
  // Where it was raised ("file:line"), for the log.
  std::string origin() const;

  // Adds a placeholder value; chainable: throw Error{codes::RATE_LIMITED}.with("retry_after", "60");
  Error& with(std::string key, std::string value) &;
  Error&& with(std::string key, std::string value) &&;

  int http_status() const;
  // The person-facing text in the given language, from the catalogue.
  Message message(Lang lang) const;

 private:
  ErrorCode code_;
  std::string cause_;
  std::map<std::string, std::string, std::less<>> params_;
  SourceSite where_;
};

}  // namespace ecpa
