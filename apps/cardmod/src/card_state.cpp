#include "ecpa/cardstate/card_state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <utility>

#include "ecpa/common/error.hpp"

namespace ecpa::cardmod {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxFileSize = 1 << 20;
constexpr unsigned kMaxDelayMs = 60'000;
constexpr int kMaxTriesLimit = 15;
constexpr std::size_t kMaxSerial = 32;      // CK_TOKEN_INFO.serialNumber is 16 bytes; leave room
constexpr std::size_t kMaxReader = 64;      // CK_SLOT_INFO.slotDescription is 64 bytes
constexpr std::size_t kMaxCardSerial = 16;  // CK_TOKEN_INFO.serialNumber is 16 bytes

[[noreturn]] void invalid(const std::string& why) { throw Error(codes::CARD_STATE_INVALID, why); }

void only_keys(const json& obj, std::initializer_list<std::string_view> allowed, const std::string& where) {
  if (!obj.is_object()) invalid(where + " is not an object");
  for (const auto& [key, value] : obj.items()) {
    bool known = false;
    for (auto a : allowed) known = known || key == a;
    if (!known) invalid(std::string(where).append(": unknown key \"").append(key).append("\""));
  }
}

bool printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool valid_function(std::string_view f) {
  if (f == "*") return true;
  if (f.size() < 3 || f.size() > 32 || f.substr(0, 2) != "C_") return false;
  for (char c : f.substr(2)) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

template <typename T>
T get(const json& obj, const char* key, T fallback, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    invalid(where + "." + key + " has the wrong type");
  }
}

unsigned long get_unsigned(const json& obj, const char* key, unsigned long max, const std::string& where,
                           unsigned long fallback = 0) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (!it->is_number_unsigned() || it->get<unsigned long>() > max) {
    invalid(where + "." + key + " must be a whole number from 0 to " + std::to_string(max));
  }
  return it->get<unsigned long>();
}

Fault parse_fault(const json& j, const std::string& where) {
  only_keys(j, {"function", "delay_ms", "rv", "remove", "once"}, where);
  Fault f;
  f.function = get<std::string>(j, "function", "", where);
  if (!valid_function(f.function)) invalid(where + ".function must be a PKCS#11 function name or \"*\"");
  f.delay_ms = static_cast<unsigned>(get_unsigned(j, "delay_ms", kMaxDelayMs, where));
  f.rv = get_unsigned(j, "rv", 0xFFFFFFFFUL, where);
  f.remove = get<bool>(j, "remove", false, where);
  f.once = get<bool>(j, "once", false, where);
  if (f.delay_ms == 0 && f.rv == 0 && !f.remove) invalid(where + " does nothing");
  return f;
}

std::vector<Fault> parse_faults(const json& obj, const std::string& where) {
  std::vector<Fault> out;
  auto it = obj.find("faults");
  if (it == obj.end()) return out;
  if (!it->is_array() || it->size() > 100) invalid(where + ".faults must be a list of at most 100");
  for (std::size_t i = 0; i < it->size(); ++i) {
    out.push_back(parse_fault((*it)[i], where + ".faults[" + std::to_string(i) + "]"));
  }
  return out;
}

json fault_json(const Fault& f) {
  json j = {{"function", f.function}};
  if (f.delay_ms) j["delay_ms"] = f.delay_ms;
  if (f.rv) j["rv"] = f.rv;
  if (f.remove) j["remove"] = true;
  if (f.once) j["once"] = true;
  return j;
}

void validate_serial(const std::string& serial) {
  if (serial.empty() || serial.size() > kMaxSerial || !printable(serial)) {
    throw Error(codes::CARD_STATE_INVALID, "card serial must be 1 to 32 printable characters");
  }
}

// Holds an exclusive flock on "<file>.lock" for one read-modify-write. A separate lock file, because
// the state file itself is replaced by rename and a lock on the old inode would protect nothing.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& file) {
    std::string lock_path = file.string() + ".lock";
    fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) invalid("cannot open " + lock_path + ": " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        ::close(fd_);
        invalid("cannot lock " + lock_path + ": " + std::strerror(errno));
      }
    }
  }
  ~FileLock() { ::close(fd_); }  // closing releases the lock
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

void write_atomically(const std::filesystem::path& file, const std::string& text) {
  std::string tmp = file.string() + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) invalid("cannot write " + tmp + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      invalid("cannot write " + tmp + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  // Durable before it becomes visible: a crash must leave the old file or the new one, never half.
  bool ok = ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
    ::unlink(tmp.c_str());
    invalid("cannot replace " + file.string() + ": " + std::strerror(errno));
  }
}

}  // namespace

std::string State::key_for(const std::string& serial) const {
  if (tokens.contains(serial)) return serial;
  for (const auto& [key, t] : tokens) {
    if (!t.card_serial.empty() && t.card_serial == serial) return key;
  }
  return serial;
}

TokenState State::token(const std::string& serial) const {
  auto it = tokens.find(key_for(serial));
  return it == tokens.end() ? TokenState{} : it->second;
}

State parse_state(std::string_view text) {
  if (text.size() > kMaxFileSize) invalid("state file larger than 1 MiB");
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) invalid("state file is not JSON");
  only_keys(doc, {"version", "module", "faults", "tokens"}, "state");
  if (get_unsigned(doc, "version", 1, "state") != 1) invalid("state.version must be 1");
  State s;
  s.module = get<std::string>(doc, "module", "", "state");
  if (!s.module.empty() && s.module.front() != '/') invalid("state.module must be an absolute path");
  s.faults = parse_faults(doc, "state");
  if (auto it = doc.find("tokens"); it != doc.end()) {
    if (!it->is_object() || it->size() > 1000)
      invalid("state.tokens must be an object of at most 1000 cards");
    for (const auto& [serial, t] : it->items()) {
      std::string where = "state.tokens[" + serial + "]";
      if (serial.empty() || serial.size() > kMaxSerial || !printable(serial)) invalid(where + ": bad serial");
      only_keys(t, {"max_tries", "retries_left", "removed", "removals", "reader", "card_serial", "faults"},
                where);
      TokenState ts;
      ts.max_tries = static_cast<int>(get_unsigned(t, "max_tries", kMaxTriesLimit, where, kDefaultMaxTries));
      if (ts.max_tries < 1) invalid(where + ".max_tries must be 1 to 15");
      ts.retries_left =
          static_cast<int>(get_unsigned(t, "retries_left", kMaxTriesLimit, where, ts.max_tries));
      if (ts.retries_left > ts.max_tries) invalid(where + ".retries_left must be 0 to max_tries");
      ts.removed = get<bool>(t, "removed", false, where);
      ts.removals = get_unsigned(t, "removals", ~0UL, where);
      ts.reader = get<std::string>(t, "reader", "", where);
      if (ts.reader.size() > kMaxReader || !printable(ts.reader)) {
        invalid(where + ".reader must be at most 64 printable bytes");
      }
      ts.card_serial = get<std::string>(t, "card_serial", "", where);
      if (ts.card_serial.size() > kMaxCardSerial || !printable(ts.card_serial)) {
        invalid(where + ".card_serial must be at most 16 printable bytes");
      }
      ts.faults = parse_faults(t, where);
      s.tokens.emplace(serial, std::move(ts));
    }
  }
  return s;
}

std::string serialize_state(const State& s) {
  json doc = {{"version", 1}};
  if (!s.module.empty()) doc["module"] = s.module;
  if (!s.faults.empty()) {
    doc["faults"] = json::array();
    for (const auto& f : s.faults) doc["faults"].push_back(fault_json(f));
  }
  doc["tokens"] = json::object();
  for (const auto& [serial, t] : s.tokens) {
    json j = {{"max_tries", t.max_tries},
              {"retries_left", t.retries_left},
              {"removed", t.removed},
              {"removals", t.removals}};
    if (!t.reader.empty()) j["reader"] = t.reader;
    if (!t.card_serial.empty()) j["card_serial"] = t.card_serial;
    if (!t.faults.empty()) {
      j["faults"] = json::array();
      for (const auto& f : t.faults) j["faults"].push_back(fault_json(f));
    }
    doc["tokens"][serial] = std::move(j);
  }
  return doc.dump(2) + "\n";
}

CardState::CardState(std::filesystem::path file) : file_(std::move(file)) {}

State CardState::read() const {
  std::ifstream in(file_, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(file_)) return {};
    invalid("cannot read " + file_.string());
  }
  std::string text;
  text.resize(kMaxFileSize + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse_state(text);
}

State CardState::update(const std::function<bool(State&)>& change) {
  FileLock lock(file_);
  State s = read();
  if (change(s)) write_atomically(file_, serialize_state(s));
  return s;
}

void CardState::set_removed(const std::string& serial, bool removed) {
  validate_serial(serial);
  update([&](State& s) {
    TokenState& t = s.tokens.try_emplace(s.key_for(serial)).first->second;
    if (removed && !t.removed) ++t.removals;
    t.removed = removed;
    return true;
  });
}

void CardState::set_retries(const std::string& serial, int retries_left) {
  validate_serial(serial);
  update([&](State& s) {
    TokenState& t = s.tokens.try_emplace(s.key_for(serial)).first->second;
    if (retries_left < 0 || retries_left > t.max_tries) {
      throw Error(codes::CARD_STATE_INVALID, "retries_left must be 0 to " + std::to_string(t.max_tries));
    }
    t.retries_left = retries_left;
    return true;
  });
}

void CardState::set_reader(const std::string& serial, std::string reader) {
  validate_serial(serial);
  if (reader.size() > kMaxReader || !printable(reader)) {
    throw Error(codes::CARD_STATE_INVALID, "reader name must be at most 64 printable bytes");
  }
  update([&](State& s) {
    s.tokens.try_emplace(s.key_for(serial)).first->second.reader = reader;
    return true;
  });
}

void CardState::set_card_serial(const std::string& token_serial, std::string card_serial) {
  validate_serial(token_serial);
  if (card_serial.empty() || card_serial.size() > kMaxCardSerial || !printable(card_serial)) {
    throw Error(codes::CARD_STATE_INVALID, "card serial must be 1 to 16 printable bytes");
  }
  update([&](State& s) {
    // Two tokens reporting one serial would make every lookup by it ambiguous.
    for (const auto& [key, t] : s.tokens) {
      if (key != token_serial && (key == card_serial || t.card_serial == card_serial)) {
        throw Error(codes::CARD_STATE_INVALID, "card serial already used by another token");
      }
    }
    s.tokens.try_emplace(token_serial).first->second.card_serial = card_serial;
    return true;
  });
}

void CardState::add_fault(const std::optional<std::string>& serial, Fault fault) {
  if (serial) validate_serial(*serial);
  // The same checks as for a file written by hand.
  parse_fault(fault_json(fault), "fault");
  update([&](State& s) {
    auto& list = serial ? s.tokens.try_emplace(s.key_for(*serial)).first->second.faults : s.faults;
    list.push_back(fault);
    return true;
  });
}

void CardState::clear_faults(const std::optional<std::string>& serial) {
  if (serial) validate_serial(*serial);
  update([&](State& s) {
    if (serial) {
      if (auto it = s.tokens.find(s.key_for(*serial)); it != s.tokens.end()) it->second.faults.clear();
      return true;
    }
    s.faults.clear();
    for (auto& [_, t] : s.tokens) t.faults.clear();
    return true;
  });
}

std::map<std::string, TokenState> CardState::list() const { return read().tokens; }

}  // namespace ecpa::cardmod
