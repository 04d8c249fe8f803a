#pragma once
// The sp_ticket getSpTicket (ATH-01) answers (REFERENCE §4): base64url(JSON{transaction_id, sp_ticket_id,
// expiration_time, hashed_id_num}) "." base64url(SHA-256 of the first part's text). The SP keeps it to ask
// for the result (ATH-02) and passes it to the app; its hash makes a changed ticket visible, not forged
// ones (the ticket is not signed: the API's checksums and the IdP's signed response carry the trust).

#include <optional>
#include <string>
#include <string_view>

namespace ecpa::fido {

struct SpTicket {
  std::string transaction_id;
  std::string sp_ticket_id;
  std::string expiration_time;  // as the IdP writes it (a number is kept as its decimal text)
  std::string hashed_id_num;
};

std::string encode_sp_ticket(const SpTicket& ticket);
// nullopt when it is not two base64url parts, the hash does not match, or the JSON is not an object with
// those four members (strict: no duplicates). Never throws for a peer's input.
std::optional<SpTicket> decode_sp_ticket(std::string_view text);

// base64url without padding (RFC 4648 §5), and back (nullopt for anything else).
std::string base64url(std::string_view bytes);
std::optional<std::string> from_base64url(std::string_view text);

}  // namespace ecpa::fido
