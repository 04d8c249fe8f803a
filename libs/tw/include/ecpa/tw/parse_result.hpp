#pragma once

// The outcome of turning untrusted text into a domain value.
//
// Parsers in this library are fed whatever people type, so a rejection is an ordinary outcome, not
// an exceptional one: they return a ParseResult instead of throwing. (C++20 has no std::expected;
// this is the small subset of it the library needs.)

#include <string_view>
#include <utility>
#include <variant>

namespace ecpa::tw {

// Why a parse failed: a stable code for programs (and for the zh-TW message catalogue, which is
// keyed by it) plus a fixed English sentence for developers.
template <class Code>
struct ParseError {
  Code code;
  // Always a string literal (static storage). It never echoes the input, because the input is
  // often personal data (an ID number, a birth date) and reasons end up in logs.
  std::string_view reason;

  friend bool operator==(const ParseError&, const ParseError&) = default;
};

template <class T, class Code>
class [[nodiscard]] ParseResult {
 public:
  // Implicit on purpose, so a parser can simply `return value;` or `return ParseError{...};`.
  ParseResult(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  ParseResult(ParseError<Code> error) : state_(std::in_place_index<1>, error) {}

  [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  // Precondition: ok(). Breaking it is a programming error, reported by std::bad_variant_access
  // rather than undefined behaviour.
  [[nodiscard]] const T& value() const& { return std::get<0>(state_); }
  [[nodiscard]] T value() && { return std::get<0>(std::move(state_)); }
  [[nodiscard]] const T* operator->() const { return &value(); }
  [[nodiscard]] const T& operator*() const& { return value(); }

  // Precondition: !ok().
  [[nodiscard]] Code error() const { return std::get<1>(state_).code; }
  [[nodiscard]] std::string_view reason() const { return std::get<1>(state_).reason; }

 private:
  std::variant<T, ParseError<Code>> state_;
};

}  // namespace ecpa::tw
