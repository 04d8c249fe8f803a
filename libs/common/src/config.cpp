#include "ecpa/common/config.hpp"

#include <toml++/toml.h>
#include <fstream>
#include <sstream>

#include "ecpa/common/error.hpp"

namespace ecpa {

struct Config::Impl {
  std::shared_ptr<const toml::table> root;  // keeps the whole document alive
  const toml::table* table = nullptr;       // this view's table inside root
  std::string source;                       // file name for messages
  std::string prefix;                       // full key of this table ("" at the root)
};

namespace {

std::string type_name(toml::node_type t) {
  switch (t) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

std::string full_key(const Config::Impl& impl, std::string_view key) {
  return impl.prefix.empty() ? std::string(key) : impl.prefix + "." + std::string(key);
}

[[noreturn]] void fail(const Config::Impl& impl, const toml::node* node, std::string_view key,
                       const std::string& what) {
  std::string where = impl.source;
  if (node != nullptr && node->source().begin.line > 0) {
    where += ":" + std::to_string(node->source().begin.line);
  }
  throw Error(codes::CONFIG_INVALID, where + ": key '" + full_key(impl, key) + "': " + what);
}

const toml::node* lookup(const Config::Impl& impl, std::string_view key) {
  return impl.table->at_path(key).node();
}

const toml::node& require(const Config::Impl& impl, std::string_view key, toml::node_type type,
                          const char* expected) {
  const toml::node* node = lookup(impl, key);
  if (node == nullptr) fail(impl, nullptr, key, std::string("missing; expected ") + expected);
  bool ok = node->type() == type ||
            (type == toml::node_type::floating_point && node->type() == toml::node_type::integer);
  if (!ok) fail(impl, node, key, std::string("expected ") + expected + ", found " + type_name(node->type()));
  return *node;
}

}  // namespace

Config::Config(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Config::Config(const Config&) = default;
Config& Config::operator=(const Config&) = default;
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;
Config::~Config() = default;

Config Config::parse(std::string_view text, std::string source_name) {
  // Debian's toml++ is built with exceptions: a syntax error arrives as toml::parse_error.
  std::shared_ptr<const toml::table> root;
  try {
    root = std::make_shared<const toml::table>(toml::parse(text, source_name));
  } catch (const toml::parse_error& err) {
    throw Error(codes::CONFIG_INVALID, source_name + ":" + std::to_string(err.source().begin.line) + ":" +
                                           std::to_string(err.source().begin.column) + ": " +
                                           std::string(err.description()));
  }
  auto impl = std::make_shared<Impl>();
  impl->root = root;
  impl->table = root.get();
  impl->source = std::move(source_name);
  return Config(std::move(impl));
}

Config Config::load_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(codes::CONFIG_INVALID, path.string() + ": cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string());
}

bool Config::has(std::string_view key) const { return lookup(*impl_, key) != nullptr; }

std::string Config::string(std::string_view key) const {
  return std::string(*require(*impl_, key, toml::node_type::string, "a string").value<std::string_view>());
}

std::int64_t Config::integer(std::string_view key) const {
  return *require(*impl_, key, toml::node_type::integer, "an integer").value<std::int64_t>();
}

bool Config::boolean(std::string_view key) const {
  return *require(*impl_, key, toml::node_type::boolean, "a boolean (true or false)").value<bool>();
}

double Config::number(std::string_view key) const {
  return *require(*impl_, key, toml::node_type::floating_point, "a number").value<double>();
}

std::vector<std::string> Config::string_list(std::string_view key) const {
  const toml::node& node = require(*impl_, key, toml::node_type::array, "an array of strings");
  std::vector<std::string> out;
  for (const toml::node& item : *node.as_array()) {
    auto s = item.value<std::string_view>();
    if (!item.is_string() || !s) {
      fail(*impl_, &item, key, "expected an array of strings, found " + type_name(item.type()) + " in it");
    }
    out.emplace_back(*s);
  }
  return out;
}

std::string Config::string_or(std::string_view key, std::string_view fallback) const {
  return has(key) ? string(key) : std::string(fallback);
}

std::int64_t Config::integer_or(std::string_view key, std::int64_t fallback) const {
  return has(key) ? integer(key) : fallback;
}

bool Config::boolean_or(std::string_view key, bool fallback) const {
  return has(key) ? boolean(key) : fallback;
}

std::int64_t Config::integer_in(std::string_view key, std::int64_t min, std::int64_t max,
                                std::int64_t fallback) const {
  if (!has(key)) return fallback;
  std::int64_t v = integer(key);
  if (v < min || v > max) {
    fail(*impl_, lookup(*impl_, key), key,
         "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) + ", found " +
             std::to_string(v));
  }
  return v;
}

Config Config::section(std::string_view key) const {
  const toml::node& node = require(*impl_, key, toml::node_type::table, "a table");
  auto impl = std::make_shared<Impl>();
  impl->root = impl_->root;
  impl->table = node.as_table();
  impl->source = impl_->source;
  impl->prefix = full_key(*impl_, key);
  return Config(std::move(impl));
}

std::vector<std::string> Config::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : *impl_->table) out.emplace_back(k.str());
  return out;
}

std::vector<std::string> Config::unknown_keys(const std::vector<std::string_view>& known) const {
  std::vector<std::string> out;
  for (const auto& k : keys()) {
    bool found = false;
    for (auto name : known) found = found || name == k;
    if (!found) out.push_back(k);
  }
  return out;
}

void Config::require_known_keys(const std::vector<std::string_view>& known) const {
  auto unknown = unknown_keys(known);
  if (unknown.empty()) return;
  const toml::node* node = impl_->table->get(unknown.front());
  fail(*impl_, node, unknown.front(), "unknown key (a typo?)");
}

const std::string& Config::source_name() const { return impl_->source; }

}  // namespace ecpa
