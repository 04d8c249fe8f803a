#pragma once
// The routes of `ecpa-sim serve` (all plain HTTP, loopback only):
//   POST /ocsp/{ca}, POST /ocsp          OCSP (application/ocsp-request)
//   GET  /ocsp/{ca}/{base64 request}     OCSP GET form (RFC 6960 appendix A.1)
//   GET  /crl/{ca}.crl                   DER CRL
//   GET  /repository/{ca}.cer | .pem     CA certificates
//   POST /icsc                           ICSC identity check (form field ICSRequestXMLData)
//   GET  /                               status page: cards and their state
// Faults are read from DIR/faults.json on every OCSP request.
#include <filesystem>
#include <memory>

#include "ecpa/common/clock.hpp"
#include "ecpa/http/message.hpp"
#include "sim_pki.hpp"

namespace ecpa::sim {

struct SimContext;

class SimService {
 public:
  SimService(std::filesystem::path dir, const Clock& clock);
  ~SimService();
  http::Handler handler() const;

 private:
  std::shared_ptr<SimContext> ctx_;
};

}  // namespace ecpa::sim
