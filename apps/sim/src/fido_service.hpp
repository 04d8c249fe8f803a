#pragma once
// The MOI TAIWAN FidO SP API (REFERENCE §4) as ecpa-sim serves it to a relying party, without HTTP: JSON in,
// JSON out, state in memory. ATH-01 getSpTicket, ATH-03 requestAthOrSignPush, ATH-02 getAthOrSignResult,
// with the API's checks (the SP's checksum, a transaction id used once, the ticket's time limit, a ticket
// redeemed once, the ID number's form, a bound device) and its error codes; and the phone app's side: the
// devices bound to ID numbers, the requests pushed to them, approve or cancel.
//
// Where REFERENCE is silent the simulator decides, and says so here:
// - ATH-03's and ATH-02's checksum fields are transaction_id + sp_service_id + sp_ticket_id (ATH-02's, per
//   REFERENCE; ATH-03 the same).
// - signed_response is base64(RSA-SHA256 over "transaction_id|sp_ticket_id|hashed_id_num") by the IdP's key,
//   cert its certificate (base64 DER); idp_checksum is a checksum (libs/fido) over transaction_id +
//   sp_ticket_id + hashed_id_num + signed_response.
// - hashed_id_num is the lowercase hex SHA-256 of the ID number.
// - An unknown sp_service_id is answered as a bad checksum (the key to check it with is unknown); a
//   time_limit outside 30–600 s, or a field of the wrong type, as PARAM_ERR "9001".

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "ecpa/common/clock.hpp"
#include "ecpa/common/json.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/key.hpp"

namespace ecpa::sim {

struct FidoRelyingParty {
  std::string sp_service_id;
  crypto::Bytes key;  // the AES-256 key the SP registered with (32 bytes)
};

// What the phone stand-in shows for one request.
struct FidoPending {
  std::string sp_ticket_id;
  std::string transaction_id;
  std::string hint;
  Clock::time_point expires_at;
};

class FidoService {
 public:
  FidoService(const Clock& clock, FidoRelyingParty rp, crypto::PrivateKey idp_key,
              crypto::Certificate idp_cert);

  nlohmann::json get_sp_ticket(const nlohmann::json& request);  // ATH-01
  nlohmann::json request_push(const nlohmann::json& request);   // ATH-03
  nlohmann::json get_result(const nlohmann::json& request);     // ATH-02

  // The phone app. Binding a device needs the citizen card in the real enrolment: the HTTP side checks it.
  void bind_device(const std::string& id_num);
  bool has_device(const std::string& id_num) const;
  std::vector<FidoPending> pending_for(const std::string& id_num) const;
  // Approve or cancel a pushed request; false when there is none such waiting (unknown, expired, answered).
  bool answer(const std::string& sp_ticket_id, bool approve);

  // For tests of the SP client: the shortest time between two ATH-02 polls of one ticket seen so far.
  std::optional<std::chrono::milliseconds> shortest_poll_interval() const;

 private:
  enum class State { Issued, Pushed, Approved, Cancelled, Redeemed };
  struct Ticket {
    std::string transaction_id, id_num, hashed_id_num, hint;
    Clock::time_point expires_at;
    State state = State::Issued;
    std::optional<Clock::time_point> last_poll;
  };

  nlohmann::json error(std::string_view code, std::string_view name) const;
  // The ticket a push or result request names, after its checksum; or an error answer.
  std::variant<Ticket*, nlohmann::json> ticket_for(const nlohmann::json& request);

  const Clock& clock_;
  FidoRelyingParty rp_;
  crypto::PrivateKey idp_key_;
  crypto::Certificate idp_cert_;
  mutable std::mutex mutex_;
  std::set<std::string> devices_;          // ID numbers with a bound device
  std::set<std::string> transactions_;     // every transaction_id ever used
  std::map<std::string, Ticket> tickets_;  // by sp_ticket_id
  std::optional<std::chrono::milliseconds> shortest_poll_;
};

}  // namespace ecpa::sim
