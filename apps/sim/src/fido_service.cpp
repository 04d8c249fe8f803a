#include "fido_service.hpp"

#include <array>

#include "ecpa/crypto/bytes.hpp"
#include "ecpa/fido/checksum.hpp"
#include "ecpa/fido/sp_ticket.hpp"
#include "ecpa/tw/national_id.hpp"

namespace ecpa::sim {
namespace {

constexpr std::size_t kMaxField = 256;

// A string member, "" when absent; nullopt when present but not a string or too long.
std::optional<std::string> text(const nlohmann::json& r, const char* name) {
  auto it = r.find(name);
  if (it == r.end() || it->is_null()) return std::string();
  if (!it->is_string() || it->get_ref<const std::string&>().size() > kMaxField) return std::nullopt;
  return it->get<std::string>();
}

std::string millis_text(Clock::time_point t) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

}  // namespace

FidoService::FidoService(const Clock& clock, FidoRelyingParty rp, crypto::PrivateKey idp_key,
                         crypto::Certificate idp_cert)
    : clock_(clock), rp_(std::move(rp)), idp_key_(std::move(idp_key)), idp_cert_(std::move(idp_cert)) {}

nlohmann::json FidoService::error(std::string_view code, std::string_view name) const {
  return {{"error_code", code}, {"error_message", name}};
}

nlohmann::json FidoService::get_sp_ticket(const nlohmann::json& r) {
  if (!r.is_object()) return error("9001", "PARAM_ERR");
  auto txn = text(r, "transaction_id"), svc = text(r, "sp_service_id"), sum = text(r, "sp_checksum"),
       id = text(r, "id_num"), op = text(r, "op_code"), mode = text(r, "op_mode"), hint = text(r, "hint"),
       sign = text(r, "sign_data");
  if (!txn || !svc || !sum || !id || !op || !mode || !hint || !sign || txn->empty())
    return error("9001", "PARAM_ERR");
  const std::array<std::string_view, 7> fields{*txn, *svc, *id, *op, *mode, *hint, *sign};
  if (*svc != rp_.sp_service_id || !fido::checksum_valid(rp_.key, fields, *sum))
    return error("9004", "INV_SP_CHECKSUM");
  auto limit = r.find("time_limit");
  const std::int64_t seconds = limit != r.end() && limit->is_number_integer() ? limit->get<std::int64_t>()
                               : limit != r.end() && limit->is_string()
                                   ? std::atoll(limit->get<std::string>().c_str())
                                   : 0;
  if (seconds < 30 || seconds > 600 || *op != "ATH") return error("9001", "PARAM_ERR");
  auto parsed = tw::NationalId::parse(*id);
  if (!parsed) return error("9006", "PM_IDN_FT_ERR");
  std::lock_guard lock(mutex_);
  if (!transactions_.insert(*txn).second) return error("1074", "TXNLOG_INS_ERR");
  const std::string id_num(parsed->value());
  if (!devices_.contains(id_num)) return error("1051", "IDNUM_USERPROF_NF");
  Ticket t;
  t.transaction_id = *txn;
  t.id_num = id_num;
  t.hashed_id_num = crypto::to_hex(crypto::sha256(crypto::as_bytes(id_num)));
  t.hint = *hint;
  t.expires_at = clock_.now() + std::chrono::seconds(seconds);
  const std::string ticket_id = crypto::to_hex(crypto::random_bytes(16));
  const std::string sp_ticket =
      fido::encode_sp_ticket({t.transaction_id, ticket_id, millis_text(t.expires_at), t.hashed_id_num});
  tickets_.emplace(ticket_id, std::move(t));
  return {{"error_code", "0"}, {"error_message", ""}, {"sp_ticket", sp_ticket}};
}

std::variant<FidoService::Ticket*, nlohmann::json> FidoService::ticket_for(const nlohmann::json& r) {
  if (!r.is_object()) return error("9001", "PARAM_ERR");
  auto txn = text(r, "transaction_id"), svc = text(r, "sp_service_id"), sum = text(r, "sp_checksum"),
       id = text(r, "sp_ticket_id");
  if (!txn || !svc || !sum || !id) return error("9001", "PARAM_ERR");
  const std::array<std::string_view, 3> fields{*txn, *svc, *id};
  if (*svc != rp_.sp_service_id || !fido::checksum_valid(rp_.key, fields, *sum))
    return error("9004", "INV_SP_CHECKSUM");
  auto it = tickets_.find(*id);
  if (it == tickets_.end() || it->second.transaction_id != *txn) return error("9007", "SPTKTID_TXNLOG_NF");
  if (it->second.state == State::Redeemed) return error("1103", "SPTKTID_SPTKT_RDM");
  if (clock_.now() >= it->second.expires_at) return error("1101", "SPTKT_OVD");
  return &it->second;
}

nlohmann::json FidoService::request_push(const nlohmann::json& r) {
  std::lock_guard lock(mutex_);
  auto found = ticket_for(r);
  if (auto* e = std::get_if<nlohmann::json>(&found)) return *e;
  Ticket& t = *std::get<Ticket*>(found);
  if (t.state == State::Issued) t.state = State::Pushed;
  return {{"error_code", "0"}, {"error_message", ""}};
}

nlohmann::json FidoService::get_result(const nlohmann::json& r) {
  std::lock_guard lock(mutex_);
  auto found = ticket_for(r);
  if (auto* e = std::get_if<nlohmann::json>(&found)) return *e;
  Ticket& t = *std::get<Ticket*>(found);
  const auto now = clock_.now();
  if (t.last_poll) {
    const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(now - *t.last_poll);
    if (!shortest_poll_ || gap < *shortest_poll_) shortest_poll_ = gap;
  }
  t.last_poll = now;
  if (t.state == State::Cancelled) return error("9015", "APP_USER_CANCEL");
  if (t.state != State::Approved) return error("9007", "SPTKTID_TXNLOG_NF");
  const std::string ticket_id = r.at("sp_ticket_id").get<std::string>();
  const std::string signed_text = t.transaction_id + "|" + ticket_id + "|" + t.hashed_id_num;
  const std::string signature =
      crypto::to_base64(idp_key_.sign(crypto::DigestAlgorithm::Sha256, crypto::as_bytes(signed_text)));
  const std::array<std::string_view, 4> fields{t.transaction_id, ticket_id, t.hashed_id_num, signature};
  t.state = State::Redeemed;
  return {{"error_code", "0"},
          {"error_message", ""},
          {"result",
           {{"hashed_id_num", t.hashed_id_num},
            {"signed_response", signature},
            {"cert", crypto::to_base64(idp_cert_.der())},
            {"idp_checksum", fido::make_checksum(rp_.key, fields)}}}};
}

void FidoService::bind_device(const std::string& id_num) {
  std::lock_guard lock(mutex_);
  devices_.insert(id_num);
}

bool FidoService::has_device(const std::string& id_num) const {
  std::lock_guard lock(mutex_);
  return devices_.contains(id_num);
}

std::vector<FidoPending> FidoService::pending_for(const std::string& id_num) const {
  std::lock_guard lock(mutex_);
  std::vector<FidoPending> out;
  const auto now = clock_.now();
  for (const auto& [id, t] : tickets_) {
    if (t.id_num == id_num && t.state == State::Pushed && now < t.expires_at)
      out.push_back({id, t.transaction_id, t.hint, t.expires_at});
  }
  return out;
}

bool FidoService::answer(const std::string& sp_ticket_id, bool approve) {
  std::lock_guard lock(mutex_);
  auto it = tickets_.find(sp_ticket_id);
  if (it == tickets_.end() || it->second.state != State::Pushed || clock_.now() >= it->second.expires_at)
    return false;
  it->second.state = approve ? State::Approved : State::Cancelled;
  return true;
}

std::optional<std::chrono::milliseconds> FidoService::shortest_poll_interval() const {
  std::lock_guard lock(mutex_);
  return shortest_poll_;
}

}  // namespace ecpa::sim
