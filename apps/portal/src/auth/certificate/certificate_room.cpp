#include "auth/certificate/certificate_room.hpp"

#include "dashboard.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/common/secret.hpp"

namespace ecpa::portal {
namespace {

Route route_of(const LoginCall& call) {
  const std::string r = call.text("route", false);
  if (r.empty() || r == "citizen") return Route::Citizen;
  if (r == "agency") return Route::Agency;
  throw Error(codes::CHALLENGE_PURPOSE_INVALID, "unknown route");
}

SignedPackage package_of(const LoginCall& call) {
  return SignedPackage{call.text("signature", true), call.text("certb64", false), call.text("cardSN", false)};
}

std::string iso_utc(Clock::time_point t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  auto days = std::chrono::floor<std::chrono::days>(secs);
  std::chrono::hh_mm_ss hms(secs - days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", iso_date(days).c_str(),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace

void CertificateRoom::install(LoginDoor& door) {
  door.post("/api/auth/challenge", [this](LoginCall& call) {
    auto purpose = parse_purpose(call.text("purpose", true));
    if (!purpose) throw Error(codes::CHALLENGE_PURPOSE_INVALID, "unknown purpose");
    Challenge c = login_.challenge(call.session, *purpose, route_of(call));
    return api_json({{"nonce", c.nonce},
                     {"tbs", c.tbs},
                     {"expiresAt", iso_utc(c.expires_at)},
                     {"hashAlgorithm", "SHA256"},
                     {"signatureType", "PKCS7"}});
  });
  door.post("/api/auth/certificate", [this, &door](LoginCall& call) {
    const Route route = route_of(call);
    LoginOutcome outcome = login_.login(call.session, package_of(call), route, call.client);
    return door.logged_in(outcome.session, outcome.person, to_string(route));
  });
  door.post("/api/auth/bind", [this](LoginCall& call) {
    const Route route = route_of(call);
    // What was typed beside the PIN: the 身分證字號 for a citizen card, the 機關代碼 for an agency card.
    std::string typed = call.text(route == Route::Agency ? "agencyCode" : "nationalId", false);
    login_.bind(call.session, typed, package_of(call), route, call.client);
    secure_wipe(typed);
    const bool en = call.lang == Lang::En;
    return api_json({{"bound", true},
                     {"message", en ? "Your certificate has been updated. Please log in again with your card."
                                    : "憑證更新成功,請重新以卡片登入。"}});
  });
}

}  // namespace ecpa::portal
