#include "auth/password/password_login.hpp"

#include <cstdio>

#include "auth/citizen/citizen_binding.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/common/secret.hpp"
#include "ecpa/tw/roc_date.hpp"

namespace ecpa::portal {
namespace {

constexpr std::string_view kMethod = "password";
// A password field longer than this is refused before any hashing (Argon2id takes any length; its cost
// must not depend on what an attacker sends).
constexpr std::size_t kMaxPasswordBytes = 1024;
constexpr std::size_t kMaxEmail = 254;

// The failure count's key: the account name as typed, folded, whether or not such an account exists.
store::TokenHash name_key(std::string_view folded) {
  return store::TokenHash::of("password-login:" + std::string(folded));
}

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string checked_email(std::string_view typed) {
  std::string e = lower_trimmed(typed);
  const auto at = e.find('@');
  bool ok = e.size() >= 3 && e.size() <= kMaxEmail && at != std::string::npos && at > 0 &&
            at + 1 < e.size() && e.find('@', at + 1) == std::string::npos;
  for (unsigned char c : e) ok = ok && c > 0x20 && c < 0x7F;
  if (!ok) throw Error(codes::EMAIL_INVALID, "not an e-mail address").with("field", "email");
  return e;
}

std::string folded_or_refused(std::string_view account) {
  auto folded = store::fold_account_name(account);
  if (!folded) throw Error(codes::ACCOUNT_NAME_INVALID, "not an account name").with("field", "account");
  return *folded;
}

Error locked(Clock::time_point until) {
  return Error(codes::ACCOUNT_LOCKED, "account locked").with("unlock_at", taiwan_minute(until));
}

bool expired(const store::Account& a, const PasswordPolicy& policy, Clock::time_point now) {
  return a.changed_at && *a.changed_at + policy.max_age <= now;
}

std::string reset_mail_body(const std::string& name, const std::string& link, std::chrono::minutes ttl) {
  const std::string minutes = std::to_string(ttl.count());
  return name +
         " 您好:\n\n"
         "我們收到重設您人事服務網密碼的申請。請於 " +
         minutes + " 分鐘內開啟下列連結設定新密碼(連結僅能使用一次):\n\n" + link +
         "\n\n"
         "若您沒有提出申請,請忽略本信,您的密碼不會改變。\n\n"
         "----\n"
         "We received a request to reset your password. Open the link above within " +
         minutes +
         " minutes to set a new one (it works once). If you did not ask for this, ignore this mail: your "
         "password stays as it is.\n";
}

}  // namespace

std::string taiwan_minute(Clock::time_point t) {
  const auto local = std::chrono::floor<std::chrono::minutes>(t + tw::kTaiwanUtcOffset);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(local - day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return buf;
}

PasswordLogin::PasswordLogin(PasswordStores stores, SessionManager& sessions,
                             const store::PasswordHasher& hasher, MailOutbox* outbox, const Clock& clock,
                             PasswordSettings settings, log::Logger logger)
    : stores_(stores),
      trail_(stores.audit, clock, std::move(logger)),
      sessions_(sessions),
      hasher_(hasher),
      outbox_(outbox),
      clock_(clock),
      settings_(std::move(settings)),
      dummy_hash_(hasher.hash(random_token())),
      failures_by_address_(std::make_shared<http::TokenBucketLimiter>(
          http::TokenBucketLimiter::Options{.burst = settings_.failure_burst,
                                            .per_second = 1.0 / static_cast<double>(std::max<std::int64_t>(
                                                                    1, settings_.failure_refill.count()))},
          clock)),
      // Mail-bombing someone through 忘記密碼 needs their details; even so, three links an hour per account.
      mails_by_account_(std::make_shared<http::TokenBucketLimiter>(
          http::TokenBucketLimiter::Options{.burst = 3, .per_second = 3.0 / 3600}, clock)) {
  check_policy(settings_.policy);
}

PasswordLogin::Verified PasswordLogin::authenticate(std::string_view account, std::string_view password,
                                                    const ClientInfo& client,
                                                    std::optional<std::int64_t>& person_seen) {
  if (password.size() > kMaxPasswordBytes)
    throw Error(codes::PASSWORD_LOGIN_FAILED, "password field too long");
  const auto folded = store::fold_account_name(account);
  // An address that has spent its failures is refused before any account is looked at or counted.
  if (auto d = failures_by_address_->would_allow(client.address); !d.allowed)
    throw Error(codes::RATE_LIMITED, "failed passwords from this address")
        .with("retry_after", std::to_string(d.retry_after.count()));
  const auto key = name_key(folded.value_or(lower_trimmed(account)));
  if (auto until = stores_.accounts.locked_until(key, clock_.now())) throw locked(*until);

  std::optional<store::Account> found;
  if (folded) found = stores_.accounts.find(*folded);
  // Exactly one Argon2id verification on every path, against a hash made at start-up when there is no
  // real one: an unknown account costs what a wrong password costs.
  const bool has_hash = found && found->password_hash;
  bool ok = hasher_.verify(has_hash ? *found->password_hash : dummy_hash_, password) && has_hash;
  std::optional<store::Person> person;
  if (found) {
    person_seen = found->person_id;
    if (ok) person = stores_.people.get(found->person_id);
    ok = ok && person && person->active;
  }
  if (!ok) {
    (void)failures_by_address_->take(client.address);
    const auto count = stores_.accounts.add_failure(key, clock_.now(), settings_.lockout);
    // The attempt that locks says so at once, with the time it opens again.
    if (count.locked_until) throw locked(*count.locked_until);
    throw Error(codes::PASSWORD_LOGIN_FAILED, has_hash ? "wrong password" : "unknown account or no password");
  }
  stores_.accounts.clear_failures(key);
  return Verified{*found, *person};
}

LoginOutcome PasswordLogin::open_session(const ActiveSession& session, const Verified& v,
                                         const ClientInfo& client) {
  trail_.record({"login.ok", kMethod, v.person.id}, client);
  LoginIdentity identity{v.person.id, std::string(kMethod), "pwd", "password"};
  return LoginOutcome{sessions_.rotate_to_login(session, identity), v.person};
}

LoginOutcome PasswordLogin::login(const ActiveSession& session, std::string_view account,
                                  std::string_view password, const ClientInfo& client) {
  std::optional<std::int64_t> person;
  try {
    Verified v = authenticate(account, password, client, person);
    if (v.account.must_change)
      throw Error(codes::PASSWORD_CHANGE_REQUIRED, "initial password").with("reason", "initial");
    if (expired(v.account, settings_.policy, clock_.now()))
      throw Error(codes::PASSWORD_CHANGE_REQUIRED, "password past its max age").with("reason", "expired");
    return open_session(session, v, client);
  } catch (const Error& e) {
    trail_.note({"login.failed", kMethod, person, {}, e.code().value}, client);
    throw;
  }
}

void PasswordLogin::check_new(const store::Account& account, std::string_view replacement) const {
  if (replacement.size() > kMaxPasswordBytes)
    throw Error(codes::PASSWORD_TOO_LONG, "password field too long")
        .with("max_length", std::to_string(settings_.policy.max_length));
  check_password_text(settings_.policy, account.name, replacement);
  if (account.password_hash && hasher_.verify(*account.password_hash, replacement))
    throw Error(codes::PASSWORD_SAME_AS_CURRENT, "new password equals the current one");
  for (const auto& earlier : stores_.accounts.recent_hashes(account.person_id, settings_.policy.history)) {
    if (hasher_.verify(earlier, replacement))
      throw Error(codes::PASSWORD_REUSED, "one of the last passwords")
          .with("history", std::to_string(settings_.policy.history));
  }
}

LoginOutcome PasswordLogin::change(const ActiveSession& session, std::string_view account,
                                   std::string_view current, std::string_view replacement,
                                   const ClientInfo& client) {
  std::optional<std::int64_t> person;
  try {
    Verified v = authenticate(account, current, client, person);
    const auto now = clock_.now();
    // A change by choice waits out the minimum age (so that the history cannot be cycled through in one
    // sitting); a forced change does not.
    const bool forced = v.account.must_change || expired(v.account, settings_.policy, now);
    if (!forced && v.account.changed_at && now < *v.account.changed_at + settings_.policy.min_age) {
      throw Error(codes::PASSWORD_TOO_RECENT, "changed less than min_age ago")
          .with("min_age_days", std::to_string(settings_.policy.min_age.count()))
          .with("allowed_at", taiwan_minute(*v.account.changed_at + settings_.policy.min_age));
    }
    check_new(v.account, replacement);
    const std::string hash = hasher_.hash(replacement);
    trail_.record({"password.changed", kMethod, v.person.id}, client);
    stores_.accounts.set_password(v.person.id, hash, /*must_change=*/false, now, settings_.policy.history);
    v.account.must_change = false;
    v.account.changed_at = now;
    return open_session(session, v, client);
  } catch (const Error& e) {
    trail_.note({"password.change_failed", kMethod, person, {}, e.code().value}, client);
    throw;
  }
}

void PasswordLogin::forgot(std::string_view account, std::string_view national_id, std::string_view email,
                           const ClientInfo& client) {
  const std::string folded = folded_or_refused(account);
  if (national_id.size() > 64) throw Error(codes::NATIONAL_ID_FORMAT, "ID number field too long");
  auto id = tw::NationalId::parse(national_id);
  if (!id) throw Error(national_id_code(id.error()), std::string(id.reason()));
  const std::string address = checked_email(email);
  if (!outbox_) throw Error(codes::MAIL_UNAVAILABLE, "no [mail] configured");

  std::optional<std::int64_t> person_id;
  std::string_view refusal;
  auto found = stores_.accounts.find(folded);
  auto person = found ? stores_.people.get(found->person_id) : std::nullopt;
  auto by_id = stores_.people.find_by_national_id(*id);
  if (!found || !person || !person->active || !by_id || by_id->id != person->id) {
    refusal = "RESET_DETAILS_MISMATCH";
  } else if (person->email.empty() || lower_trimmed(person->email) != address) {
    person_id = person->id;
    refusal = "RESET_EMAIL_MISMATCH";
  } else if (!mails_by_account_->take(folded).allowed) {
    person_id = person->id;
    refusal = "RATE_LIMITED";
  }
  if (!refusal.empty()) {
    trail_.note({"password.reset_refused", kMethod, person_id, {}, refusal}, client);
    return;
  }
  const std::string token = random_token();
  const auto now = clock_.now();
  trail_.record({"password.reset_requested", kMethod, person->id}, client);
  stores_.accounts.put_reset(store::TokenHash::of(token), person->id, now, now + settings_.reset_ttl);
  // The token rides in the fragment: browsers send neither it to the server in the page request nor it
  // in a Referer, so it stays out of access logs and third parties.
  const std::string link = settings_.public_origin + "/reset-password.html#token=" + token;
  outbox_->post(OutgoingMail{person->email, "人事服務網:重設密碼 / openecpa: reset your password",
                             reset_mail_body(person->name, link, settings_.reset_ttl)});
}

void PasswordLogin::reset(std::string_view token, std::string_view replacement, const ClientInfo& client) {
  std::optional<std::int64_t> person;
  try {
    if (token.size() != 43) throw Error(codes::RESET_LINK_INVALID, "not a reset token");
    const auto hash_of_token = store::TokenHash::of(token);
    const auto found = stores_.accounts.find_reset(hash_of_token, clock_.now());
    if (found.state == store::ResetState::Invalid)
      throw Error(codes::RESET_LINK_INVALID, "unknown or used link");
    person = found.person_id;
    if (found.state == store::ResetState::Expired)
      throw Error(codes::RESET_LINK_EXPIRED, "link past its time");
    auto account = stores_.accounts.for_person(found.person_id);
    if (!account) throw Error(codes::RESET_LINK_INVALID, "the link's person has no account any more");
    check_new(*account, replacement);
    const std::string hash = hasher_.hash(replacement);
    trail_.record({"password.reset", kMethod, found.person_id}, client);
    const auto done = stores_.accounts.complete_reset(hash_of_token, clock_.now(), hash,
                                                      settings_.policy.history, name_key(account->name));
    // Someone else spent it between the look and the write (the same link opened twice at once).
    if (done.state == store::ResetState::Expired)
      throw Error(codes::RESET_LINK_EXPIRED, "link past its time");
    if (done.state != store::ResetState::Valid)
      throw Error(codes::RESET_LINK_INVALID, "link spent meanwhile");
  } catch (const Error& e) {
    trail_.note({"password.reset_failed", kMethod, person, {}, e.code().value}, client);
    throw;
  }
}

void PasswordLogin::install(LoginDoor& door) {
  door.get("/api/auth/password/policy", [this](const http::Request&) {
    const auto& p = settings_.policy;
    return api_json({{"minLength", p.min_length},
                     {"maxLength", p.max_length},
                     {"minClasses", p.min_classes},
                     {"history", p.history},
                     {"maxAgeDays", p.max_age.count()},
                     {"minAgeDays", p.min_age.count()},
                     {"lockAfter", settings_.lockout.max_failures},
                     {"lockMinutes",
                      std::chrono::duration_cast<std::chrono::minutes>(settings_.lockout.lock_for).count()}});
  });
  door.post("/api/auth/password/login", [this, &door](LoginCall& call) {
    std::string password = call.text("password", true);
    auto outcome = [&] {
      try {
        return login(call.session, call.text("account", true), password, call.client);
      } catch (...) {
        secure_wipe(password);
        throw;
      }
    }();
    secure_wipe(password);
    return door.logged_in(outcome.session, outcome.person, kMethod);
  });
  door.post("/api/auth/password/change", [this, &door](LoginCall& call) {
    std::string current = call.text("currentPassword", true);
    std::string replacement = call.text("newPassword", true);
    auto wipe = [&] {
      secure_wipe(current);
      secure_wipe(replacement);
    };
    try {
      auto outcome = change(call.session, call.text("account", true), current, replacement, call.client);
      wipe();
      return door.logged_in(outcome.session, outcome.person, kMethod);
    } catch (...) {
      wipe();
      throw;
    }
  });
  door.post("/api/auth/password/forgot", [this](LoginCall& call) {
    std::string national_id = call.text("nationalId", true);
    forgot(call.text("account", true), national_id, call.text("email", true), call.client);
    secure_wipe(national_id);
    const bool en = call.lang == Lang::En;
    const std::string minutes = std::to_string(settings_.reset_ttl.count());
    return api_json(
        {{"sent", true},
         {"message", en ? "If the details match our records, a link to reset your password has been "
                          "sent to your registered e-mail address. It works for " +
                              minutes + " minutes."
                        : "若資料正確,重設密碼的連結已寄到您登記的電子郵件," + minutes + " 分鐘內有效。"}});
  });
  door.post("/api/auth/password/reset", [this](LoginCall& call) {
    std::string replacement = call.text("newPassword", true);
    try {
      reset(call.text("token", true), replacement, call.client);
    } catch (...) {
      secure_wipe(replacement);
      throw;
    }
    secure_wipe(replacement);
    const bool en = call.lang == Lang::En;
    return api_json({{"reset", true},
                     {"message", en ? "Your password has been reset. Log in with the new one."
                                    : "密碼已重設,請以新密碼登入。"}});
  });
}

}  // namespace ecpa::portal
