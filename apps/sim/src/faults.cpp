#include "faults.hpp"

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ecpa/common/error.hpp"

namespace ecpa::sim {

using nlohmann::json;

Faults read_faults(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  Faults f;
  try {
    json j = json::parse(text.str());
    for (const auto& [key, value] : j.items()) {
      if (key == "slow_ms") {
        set_fault(f, key, std::to_string(value.get<unsigned>()));
      } else {
        set_fault(f, key, value.get<bool>() ? "true" : "false");
      }
    }
  } catch (const json::exception& e) {
    throw Error(codes::SIM_STATE_INVALID, file.string() + ": " + e.what());
  } catch (const Error& e) {
    throw Error(codes::SIM_STATE_INVALID, file.string() + ": " + e.cause());
  }
  return f;
}

void write_faults(const std::filesystem::path& file, const Faults& f) {
  json j = {{"down", f.down},          {"slow_ms", f.slow_ms},           {"garbage", f.garbage},
            {"stale", f.stale},        {"wrong_signer", f.wrong_signer}, {"no_nonce", f.no_nonce},
            {"try_later", f.try_later}};
  auto tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(1) << "\n";
    if (!out) throw Error(codes::SIM_STATE_INVALID, "cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, file);
}

void set_fault(Faults& f, std::string_view name, std::string_view value) {
  auto flag = [&]() {
    if (value == "true" || value == "on" || value == "1") return true;
    if (value == "false" || value == "off" || value == "0") return false;
    throw Error(codes::SIM_ARGUMENT_INVALID, "fault " + std::string(name) + " takes true or false");
  };
  if (name == "slow_ms") {
    unsigned ms = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (ec != std::errc() || p != value.data() + value.size() || ms > 60000) {
      throw Error(codes::SIM_ARGUMENT_INVALID, "slow_ms takes 0–60000");
    }
    f.slow_ms = ms;
  } else if (name == "down") {
    f.down = flag();
  } else if (name == "garbage") {
    f.garbage = flag();
  } else if (name == "stale") {
    f.stale = flag();
  } else if (name == "wrong_signer") {
    f.wrong_signer = flag();
  } else if (name == "no_nonce") {
    f.no_nonce = flag();
  } else if (name == "try_later") {
    f.try_later = flag();
  } else {
    throw Error(codes::SIM_ARGUMENT_INVALID,
                "unknown fault " + std::string(name) +
                    " (down, slow_ms, garbage, stale, wrong_signer, no_nonce, try_later)");
  }
}

}  // namespace ecpa::sim
