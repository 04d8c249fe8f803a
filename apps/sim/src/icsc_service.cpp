#include "icsc_service.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <optional>
#include <vector>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/key.hpp"

namespace ecpa::sim {

using namespace std::chrono_literals;

namespace {

constexpr auto kTaiwanOffset = 8h;

struct Refusal {
  int err_id;
};

// Reads "<name>value</name>" at pos; the value may not contain markup or entities.
std::string take(std::string_view text, std::size_t& pos, std::string_view name) {
  std::string open = "<" + std::string(name) + ">";
  std::string close = "</" + std::string(name) + ">";
  if (text.compare(pos, open.size(), open) != 0) throw Refusal{1001};
  std::size_t start = pos + open.size();
  std::size_t end = text.find(close, start);
  if (end == std::string_view::npos) throw Refusal{1001};
  std::string_view value = text.substr(start, end - start);
  if (value.find_first_of("<>&") != std::string_view::npos) throw Refusal{1001};
  pos = end + close.size();
  return std::string(value);
}

void expect(std::string_view text, std::size_t& pos, std::string_view literal) {
  if (text.compare(pos, literal.size(), literal) != 0) throw Refusal{1001};
  pos += literal.size();
}

bool all_of(std::string_view s, int (*pred)(int)) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [&](char c) { return pred(static_cast<unsigned char>(c)) != 0; });
}

std::optional<crypto::TimePoint> parse_icsc_time(const std::string& s) {
  if (s.size() != 14 || !all_of(s, ::isdigit)) return std::nullopt;
  std::tm tm{};
  if (strptime(s.c_str(), "%Y%m%d%H%M%S", &tm) == nullptr) return std::nullopt;
  return crypto::from_unix_seconds(static_cast<std::int64_t>(timegm(&tm))) - kTaiwanOffset;
}

struct Record {
  std::string id, sn, ssid;
};

int code_for(const Record& rec, const RegistryData& registry, crypto::TimePoint now) {
  std::string ssid = rec.ssid;
  std::transform(ssid.begin(), ssid.end(), ssid.begin(), [](unsigned char c) { return std::toupper(c); });
  bool not_yet_valid = false;
  for (const auto& card : registry.cards) {
    if (card.kind != "citizen" || card.person_sn != rec.sn || card.id_number != ssid) continue;
    for (const auto& cert : card.certs) {
      if (cert.usage != "sign" || cert.revoked_at) continue;
      if (now < cert.not_before) {
        not_yet_valid = true;
      } else if (now <= cert.not_after) {
        return 0;
      }
    }
  }
  return not_yet_valid ? 2 : 1;
}

std::string element(std::string_view name, std::string_view value) {
  return "<" + std::string(name) + ">" + std::string(value) + "</" + std::string(name) + ">";
}

}  // namespace

std::string icsc_time(crypto::TimePoint t) {
  std::time_t s = static_cast<std::time_t>(crypto::to_unix_seconds(t + kTaiwanOffset));
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
  return buf;
}

std::string IcscService::handle(std::string_view xml, const RegistryData& registry) const {
  std::string client_id, nonce;
  auto refuse = [&](int err_id) {
    std::string out = "<ICSResponse>";
    if (!client_id.empty()) out += element("ClientID", client_id);
    if (!nonce.empty()) out += element("Nonce", nonce);
    return out + element("ErrID", std::to_string(err_id)) + "</ICSResponse>";
  };
  try {
    if (xml.size() > kMaxRequestBytes) throw Refusal{1001};
    std::size_t pos = 0;
    if (xml.compare(0, 5, "<?xml") == 0) {
      pos = xml.find("?>");
      if (pos == std::string_view::npos) throw Refusal{1001};
      pos += 2;
    }
    while (pos < xml.size() && std::isspace(static_cast<unsigned char>(xml[pos]))) ++pos;
    expect(xml, pos, "<ICSRequest>");
    std::size_t req_start = pos;
    expect(xml, pos, "<ICSReq>");
    client_id = take(xml, pos, "ClientID");
    if (client_id.size() != 40 || !all_of(client_id, ::isxdigit)) {
      client_id.clear();
      throw Refusal{1001};
    }
    nonce = take(xml, pos, "Nonce");
    if (nonce.size() != 15 || !all_of(nonce, ::isalnum)) {
      nonce.clear();
      throw Refusal{1003};
    }
    std::string req_time = take(xml, pos, "ReqTime");
    std::string total = take(xml, pos, "TotalCount");
    std::vector<Record> records;
    while (xml.compare(pos, 5, "<Rec>") == 0) {
      if (records.size() == kMaxRecords) throw Refusal{1005};
      pos += 5;
      Record r;
      try {
        r.id = take(xml, pos, "ID");
        r.sn = take(xml, pos, "SN");
        r.ssid = take(xml, pos, "SSID");
        expect(xml, pos, "</Rec>");
      } catch (const Refusal&) {
        throw Refusal{1006};
      }
      if (!all_of(r.id, ::isdigit) || r.id.size() > 4 || r.sn.size() != 16 || !all_of(r.sn, ::isdigit) ||
          r.ssid.size() != 10 || !all_of(r.ssid, ::isalnum)) {
        throw Refusal{1006};
      }
      records.push_back(std::move(r));
    }
    expect(xml, pos, "</ICSReq>");
    std::string_view signed_text = xml.substr(req_start, pos - req_start);
    std::string length = take(xml, pos, "ICSReqLength");
    std::string signature_hex = take(xml, pos, "Signature");
    expect(xml, pos, "</ICSRequest>");
    while (pos < xml.size() && std::isspace(static_cast<unsigned char>(xml[pos]))) ++pos;
    if (pos != xml.size()) throw Refusal{1001};

    if (length != std::to_string(signed_text.size())) throw Refusal{1002};
    // Who is asking, and did they sign exactly this text?
    std::string upper_id = client_id;
    std::transform(upper_id.begin(), upper_id.end(), upper_id.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    const IcscClient* client = nullptr;
    for (const auto& c : registry.icsc_clients) {
      if (c.client_id == upper_id) client = &c;
    }
    if (client == nullptr) throw Refusal{1020};
    auto cert = crypto::Certificate::from_pem(client->cert_pem);
    auto now = clock_.now();
    crypto::Bytes signature;
    try {
      signature = crypto::from_hex(signature_hex);
    } catch (const Error&) {
      throw Refusal{1021};
    }
    if (!crypto::verify_signature(cert.public_key(), crypto::DigestAlgorithm::Sha1,
                                  crypto::as_bytes(signed_text), signature)) {
      throw Refusal{1021};
    }
    if (!cert.valid_at(now)) throw Refusal{1023};
    auto when = parse_icsc_time(req_time);
    if (!when || *when > now + max_skew_ || *when < now - max_skew_) throw Refusal{1004};
    if (total != std::to_string(records.size()) || records.empty()) throw Refusal{1005};

    std::string out = "<ICSResponse>" + element("ClientID", client_id) + element("Nonce", nonce) +
                      element("ReqTime", req_time) + element("TotalCount", total);
    for (const auto& r : records) {
      std::string ssid4 = r.ssid.substr(6);
      out += "<Rec>" + element("ID", r.id) + element("SN", r.sn) + element("SSID4", ssid4) +
             element("Code", std::to_string(code_for(r, registry, now))) + "</Rec>";
    }
    return out + "</ICSResponse>";
  } catch (const Refusal& r) {
    return refuse(r.err_id);
  }
}

}  // namespace ecpa::sim
