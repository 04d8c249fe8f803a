#include "ecpa/fido/sp_ticket.hpp"

#include "ecpa/common/json.hpp"
#include "ecpa/crypto/bytes.hpp"

namespace ecpa::fido {
namespace {

constexpr std::size_t kMaxTicketChars = std::size_t{8} * 1024;  // a real one is a few hundred

std::optional<std::string> member(const nlohmann::json& o, const char* name) {
  auto it = o.find(name);
  if (it == o.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  return std::nullopt;
}

}  // namespace

std::string base64url(std::string_view bytes) {
  std::string b = crypto::to_base64(crypto::as_bytes(bytes));
  while (!b.empty() && b.back() == '=') b.pop_back();
  for (char& c : b) {
    if (c == '+')
      c = '-';
    else if (c == '/')
      c = '_';
  }
  return b;
}

std::optional<std::string> from_base64url(std::string_view text) {
  std::string b(text);
  for (char& c : b) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
    else if (c == '+' || c == '/' || c == '=')
      return std::nullopt;  // not the url alphabet
  }
  if (b.size() % 4 == 1) return std::nullopt;
  while (b.size() % 4 != 0) b.push_back('=');
  try {
    crypto::Bytes raw = crypto::from_base64(b);
    std::string out(crypto::as_chars(raw));
    // The decoder must give back exactly these characters (no stray bits, no other spellings).
    if (base64url(out) != text) return std::nullopt;
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string encode_sp_ticket(const SpTicket& t) {
  const nlohmann::json body = {{"transaction_id", t.transaction_id},
                               {"sp_ticket_id", t.sp_ticket_id},
                               {"expiration_time", t.expiration_time},
                               {"hashed_id_num", t.hashed_id_num}};
  const std::string first = base64url(body.dump());
  const crypto::Bytes digest = crypto::sha256(crypto::as_bytes(first));
  return first + "." + base64url(crypto::as_chars(digest));
}

std::optional<SpTicket> decode_sp_ticket(std::string_view text) {
  if (text.size() > kMaxTicketChars) return std::nullopt;
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || text.find('.', dot + 1) != std::string_view::npos) return std::nullopt;
  const std::string_view first = text.substr(0, dot);
  auto hash = from_base64url(text.substr(dot + 1));
  if (!hash) return std::nullopt;
  const crypto::Bytes expected = crypto::sha256(crypto::as_bytes(first));
  if (!crypto::equal_constant_time(crypto::as_bytes(*hash), expected)) return std::nullopt;
  auto json_text = from_base64url(first);
  if (!json_text) return std::nullopt;
  StrictJson parsed = parse_json_strict(*json_text);
  if (!parsed.value || !parsed.value->is_object()) return std::nullopt;
  SpTicket t;
  auto txn = member(*parsed.value, "transaction_id");
  auto id = member(*parsed.value, "sp_ticket_id");
  auto exp = member(*parsed.value, "expiration_time");
  auto hashed = member(*parsed.value, "hashed_id_num");
  if (!txn || !id || !exp || !hashed) return std::nullopt;
  return SpTicket{*txn, *id, *exp, *hashed};
}

}  // namespace ecpa::fido
