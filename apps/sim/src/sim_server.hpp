#pragma once
// The routes of `ecpa-sim serve` (all plain HTTP, loopback only):
//   POST /ocsp/{ca}, POST /ocsp          OCSP (application/ocsp-request)
//   GET  /ocsp/{ca}/{base64 request}     OCSP GET form (RFC 6960 appendix A.1)
//   GET  /crl/{ca}.crl                   DER CRL
//   GET  /repository/{ca}.cer | .pem     CA certificates
//   POST /icsc                           ICSC identity check (form field ICSRequestXMLData)
//   GET  /mail/messages[?to=ADDRESS]     what the SMTP sink received, newest first (JSON)
//   GET  /                               status page: cards and their state, mail received
// Faults are read from DIR/faults.json on every OCSP request.
#include <filesystem>
#include <memory>

#include "ecpa/common/clock.hpp"
#include "ecpa/http/message.hpp"
#include "mailbox.hpp"
#include "sim_pki.hpp"

namespace ecpa::sim {

struct SimContext;

class SimService {
 public:
  // `mailbox`: what the SMTP sink delivers into; null when `serve` runs without one (then the status
  // page says so and /mail/messages is 404).
  SimService(std::filesystem::path dir, const Clock& clock, std::shared_ptr<const Mailbox> mailbox = nullptr);
  ~SimService();
  http::Handler handler() const;

 private:
  std::shared_ptr<SimContext> ctx_;
};

}  // namespace ecpa::sim
