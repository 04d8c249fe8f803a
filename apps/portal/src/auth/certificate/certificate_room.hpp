#pragma once
// The card doors' HTTP endpoints (docs/login-api.md), one set for 自然人憑證 and 機關憑證, the card's route
// ("citizen" | "agency") in the body: POST /api/auth/challenge, /api/auth/certificate, /api/auth/bind.

#include "auth/certificate/certificate_login.hpp"
#include "auth/login_door.hpp"

namespace ecpa::portal {

class CertificateRoom final : public LoginMethod {
 public:
  explicit CertificateRoom(CertificateLogin& login) : login_(login) {}
  std::string_view name() const override { return "certificate"; }
  void install(LoginDoor& door) override;

 private:
  CertificateLogin& login_;
};

}  // namespace ecpa::portal
