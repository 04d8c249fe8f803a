#include "registry.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/bytes.hpp"

namespace ecpa::sim {

using nlohmann::json;

std::string to_iso8601(TimePoint t) {
  std::time_t s = static_cast<std::time_t>(crypto::to_unix_seconds(t));
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

TimePoint parse_iso8601(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  const char* end = nullptr;
  if (s.size() == 10) {
    end = strptime(s.c_str(), "%Y-%m-%d", &tm);
  } else if (s.size() == 20) {
    end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  }
  if (end == nullptr || *end != '\0') {
    throw Error(codes::SIM_ARGUMENT_INVALID, "expected 2026-01-15 or 2026-01-15T08:00:00Z, got " + s);
  }
  return crypto::from_unix_seconds(static_cast<std::int64_t>(timegm(&tm)));
}

const Card* RegistryData::card(std::string_view card_sn) const {
  for (const auto& c : cards) {
    if (c.card_sn == card_sn) return &c;
  }
  return nullptr;
}

Card* RegistryData::card(std::string_view card_sn) {
  for (auto& c : cards) {
    if (c.card_sn == card_sn) return &c;
  }
  return nullptr;
}

const IssuedCert* RegistryData::cert(std::string_view serial_hex, std::string_view ca) const {
  for (const auto& c : cards) {
    for (const auto& cert : c.certs) {
      if (cert.serial_hex == serial_hex && (ca.empty() || cert.ca == ca)) return &cert;
    }
  }
  return nullptr;
}

namespace {

json to_json(const IssuedCert& c) {
  json j = {{"serial", c.serial_hex},
            {"ca", c.ca},
            {"usage", c.usage},
            {"not_before", to_iso8601(c.not_before)},
            {"not_after", to_iso8601(c.not_after)},
            {"der", c.der_b64}};
  if (c.revoked_at) j["revoked_at"] = to_iso8601(*c.revoked_at);
  if (c.reason) j["reason"] = std::string(crypto::reason_name(*c.reason));
  return j;
}

IssuedCert cert_from_json(const json& j) {
  IssuedCert c;
  c.serial_hex = j.at("serial").get<std::string>();
  c.ca = j.at("ca").get<std::string>();
  c.usage = j.at("usage").get<std::string>();
  c.not_before = parse_iso8601(j.at("not_before").get<std::string>());
  c.not_after = parse_iso8601(j.at("not_after").get<std::string>());
  c.der_b64 = j.at("der").get<std::string>();
  if (j.contains("revoked_at")) c.revoked_at = parse_iso8601(j.at("revoked_at").get<std::string>());
  if (j.contains("reason")) {
    c.reason = crypto::reason_from_name(j.at("reason").get<std::string>());
    if (!c.reason) throw Error(codes::SIM_STATE_INVALID, "unknown reason");
  }
  return c;
}

json to_json(const RegistryData& d) {
  json cards = json::array();
  for (const auto& c : d.cards) {
    json certs = json::array();
    for (const auto& cert : c.certs) certs.push_back(to_json(cert));
    cards.push_back({{"card_sn", c.card_sn},
                     {"kind", c.kind},
                     {"name", c.name},
                     {"id_number", c.id_number},
                     {"person_sn", c.person_sn},
                     {"agency_oid", c.agency_oid},
                     {"token_label", c.token_label},
                     {"token_serial", c.token_serial},
                     {"so_pin", c.so_pin},
                     {"issued_at", to_iso8601(c.issued_at)},
                     {"renewed_by", c.renewed_by},
                     {"certs", certs}});
  }
  json clients = json::array();
  for (const auto& c : d.icsc_clients)
    clients.push_back({{"client_id", c.client_id}, {"cert_pem", c.cert_pem}});
  return {{"version", 1},
          {"revision", d.revision},
          {"base_url", d.base_url},
          {"cards", cards},
          {"icsc_clients", clients}};
}

RegistryData from_json(const json& j) {
  if (j.at("version").get<int>() != 1) throw Error(codes::SIM_STATE_INVALID, "registry version");
  RegistryData d;
  d.revision = j.at("revision").get<std::uint64_t>();
  d.base_url = j.at("base_url").get<std::string>();
  for (const auto& cj : j.at("cards")) {
    Card c;
    c.card_sn = cj.at("card_sn").get<std::string>();
    c.kind = cj.at("kind").get<std::string>();
    c.name = cj.at("name").get<std::string>();
    c.id_number = cj.at("id_number").get<std::string>();
    c.person_sn = cj.at("person_sn").get<std::string>();
    c.agency_oid = cj.at("agency_oid").get<std::string>();
    c.token_label = cj.at("token_label").get<std::string>();
    c.token_serial = cj.at("token_serial").get<std::string>();
    c.so_pin = cj.at("so_pin").get<std::string>();
    c.issued_at = parse_iso8601(cj.at("issued_at").get<std::string>());
    c.renewed_by = cj.at("renewed_by").get<std::string>();
    for (const auto& certj : cj.at("certs")) c.certs.push_back(cert_from_json(certj));
    d.cards.push_back(std::move(c));
  }
  for (const auto& cj : j.at("icsc_clients")) {
    d.icsc_clients.push_back({cj.at("client_id").get<std::string>(), cj.at("cert_pem").get<std::string>()});
  }
  return d;
}

class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
      throw Error(codes::SIM_STATE_INVALID, "cannot lock " + path.string() + ": " + std::strerror(errno));
    }
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

std::filesystem::path lock_path(const std::filesystem::path& file) {
  auto p = file;
  p += ".lock";
  return p;
}

}  // namespace

void write_private_file(const std::filesystem::path& file, const std::string& text) {
  auto tmp = file;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    throw Error(codes::SIM_STATE_INVALID, "cannot write " + tmp.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw Error(codes::SIM_STATE_INVALID, "cannot write " + file.string());
  }
}

Registry::Registry(std::filesystem::path file) : file_(std::move(file)) {}

RegistryData Registry::read() const {
  std::ifstream in(file_);
  if (!in)
    throw Error(codes::SIM_STATE_INVALID, "no registry at " + file_.string() + " (run ecpa-sim pki init)");
  std::stringstream text;
  text << in.rdbuf();
  try {
    return from_json(json::parse(text.str()));
  } catch (const json::exception& e) {
    throw Error(codes::SIM_STATE_INVALID, file_.string() + ": " + e.what());
  } catch (const Error& e) {
    throw Error(codes::SIM_STATE_INVALID, file_.string() + ": " + e.cause());
  }
}

RegistryData Registry::update(const std::function<bool(RegistryData&)>& change) {
  FileLock lock(lock_path(file_));
  RegistryData data = read();
  if (change(data)) {
    ++data.revision;
    write_private_file(file_, to_json(data).dump(1));
  }
  return data;
}

void Registry::create(const RegistryData& initial) {
  FileLock lock(lock_path(file_));
  if (std::filesystem::exists(file_)) throw Error(codes::SIM_ALREADY_INITIALISED, file_.string());
  write_private_file(file_, to_json(initial).dump(1));
}

}  // namespace ecpa::sim
