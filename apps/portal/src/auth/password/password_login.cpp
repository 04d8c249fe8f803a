#include "auth/password/password_login.hpp"

#include <cstdio>
#include <thread>

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

// The failure count's label: keyed by the server's key (SessionManager::keyed_hash), since what people
// type into the account field is sometimes their password.
constexpr std::string_view kNameKeyLabel = "ecpa password-login name\n";

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

// The one answer for an unknown account, a wrong password, an account without one: with the rule's numbers
// for the message (tries before the lock, its minutes).
Error login_failed(const store::LockoutRule& rule, std::string cause) {
  return Error(codes::PASSWORD_LOGIN_FAILED, std::move(cause))
      .with("lock_after", std::to_string(rule.max_failures))
      .with("lock_minutes",
            std::to_string(std::chrono::duration_cast<std::chrono::minutes>(rule.lock_for).count()));
}

Error locked(Clock::time_point until) {
  return Error(codes::ACCOUNT_LOCKED, "account locked").with("unlock_at", taiwan_minute(until));
}

Error expired_link(std::chrono::minutes ttl) {
  return Error(codes::RESET_LINK_EXPIRED, "link past its time").with("minutes", std::to_string(ttl.count()));
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

// One of the machine's few Argon2id slots for the whole request (a change verifies up to five hashes and
// makes one): more at once would only make every login slower and starve the portal's other doors.
class HashingSlot {
 public:
  explicit HashingSlot(std::counting_semaphore<>& slots) : slots_(slots) {
    if (!slots_.try_acquire_for(std::chrono::seconds(10)))
      throw Error(codes::RATE_LIMITED, "every password-hashing slot busy for 10 s").with("retry_after", "2");
  }
  ~HashingSlot() { slots_.release(); }
  HashingSlot(const HashingSlot&) = delete;
  HashingSlot& operator=(const HashingSlot&) = delete;

 private:
  std::counting_semaphore<>& slots_;
};

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
      hashing_slots_(static_cast<std::ptrdiff_t>(std::max(1U, std::thread::hardware_concurrency()))),
      failures_by_address_(std::make_shared<http::TokenBucketLimiter>(
          http::TokenBucketLimiter::Options{.burst = settings_.failure_burst,
                                            .per_second = 1.0 / static_cast<double>(std::max<std::int64_t>(
                                                                    1, settings_.failure_refill.count()))},
          clock)),
      // Mail-bombing someone through 忘記密碼 needs their details; even so, per account three links at once,
      // then one every 20 minutes.
      mails_by_account_(std::make_shared<http::TokenBucketLimiter>(
          http::TokenBucketLimiter::Options{.burst = 3, .per_second = 3.0 / 3600}, clock)) {
  check_policy(settings_.policy);
}

PasswordLogin::Verified PasswordLogin::authenticate(std::string_view account, std::string_view password,
                                                    const ClientInfo& client,
                                                    std::optional<std::int64_t>& person_seen) {
  if (password.size() > kMaxPasswordBytes) throw login_failed(settings_.lockout, "password field too long");
  // The address's failure budget is spent before the attempt and given back when it succeeds, so requests
  // in flight at once cannot overdraw it; once spent, no account is looked at or counted.
  if (auto d = failures_by_address_->take(client.address); !d.allowed)
    throw Error(codes::RATE_LIMITED, "failed passwords from this address")
        .with("retry_after", std::to_string(d.retry_after.count()));
  const auto folded = store::fold_account_name(account);
  if (!folded) {
    // No account can have such a name, so there is nothing to count or lock; the answer and its time are
    // a wrong password's all the same.
    (void)hasher_.verify(dummy_hash_, password);
    throw login_failed(settings_.lockout, "not an account name");
  }
  // Counted before the check (and cleared when right): requests in flight at once cannot try more than the
  // rule allows between two counts.
  const auto key = name_key(*folded);
  const auto reserved = stores_.accounts.add_failure(key, clock_.now(), settings_.lockout);
  if (reserved.was_locked) throw locked(*reserved.locked_until);

  std::optional<store::Account> found = stores_.accounts.find(*folded);
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
    // The attempt that locks says so at once, with the time it opens again.
    if (reserved.locked_until) throw locked(*reserved.locked_until);
    throw login_failed(settings_.lockout, has_hash ? "wrong password" : "unknown account or no password");
  }
  stores_.accounts.clear_failures(key);
  failures_by_address_->refund(client.address);
  // A cost raised in the config reaches old hashes as their owners log in (the password is at hand only now).
  if (hasher_.needs_rehash(*found->password_hash)) {
    try {
      const std::string rehashed = hasher_.hash(password);
      stores_.accounts.replace_hash(found->person_id, rehashed);
      found->password_hash = rehashed;
    } catch (const std::exception&) {
      // Only the cost stays old; the login is not refused for it.
    }
  }
  return Verified{*found, *person};
}

store::TokenHash PasswordLogin::name_key(std::string_view folded) const {
  return sessions_.keyed_hash(kNameKeyLabel, folded);
}

LoginOutcome PasswordLogin::open_session(const ActiveSession& session, const Verified& v,
                                         const ClientInfo& client) {
  trail_.record({"login.ok", kMethod, v.person.id}, client);
  LoginIdentity identity{v.person.id, std::string(kMethod), "pwd", "password"};
  LoginOutcome out{sessions_.rotate_to_login(session, identity), v.person};
  // A reset (or another change) committed between the check of the password and this session would
  // otherwise leave a session opened with a password that no longer exists: the reset ends the sessions
  // it finds, and this looks for its own after the fact.
  auto now_stored = stores_.accounts.for_person(v.person.id);
  if (!now_stored || now_stored->password_hash != v.account.password_hash) {
    sessions_.end(out.session);
    throw login_failed(settings_.lockout, "the password changed while this login was checked");
  }
  return out;
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
    // Ends every other session and open reset link of the person, and only if the password is still the
    // one just checked: a reset that landed meanwhile is not undone.
    if (!stores_.accounts.set_password(v.person.id, hash, /*must_change=*/false, now,
                                       settings_.policy.history, v.account.password_hash))
      throw login_failed(settings_.lockout, "the password changed while this change was checked");
    v.account.must_change = false;
    v.account.changed_at = now;
    v.account.password_hash = hash;
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
    // Required, as the record of a sent link is: with the audit store down both answers fail alike, so an
    // outage cannot tell matching details from others.
    trail_.record({"password.reset_refused", kMethod, person_id, {}, refusal}, client);
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
    if (found.state == store::ResetState::Valid) {
      auto holder = stores_.people.get(found.person_id);
      if (!holder || !holder->active) throw Error(codes::RESET_LINK_INVALID, "the link's person is inactive");
    }
    if (found.person_id != 0) person = found.person_id;  // a spent link too: its second use is named
    if (found.state == store::ResetState::Invalid)
      throw Error(codes::RESET_LINK_INVALID, "unknown or used link");
    if (found.state == store::ResetState::Expired) throw expired_link(settings_.reset_ttl);
    auto account = stores_.accounts.for_person(found.person_id);
    if (!account) throw Error(codes::RESET_LINK_INVALID, "the link's person has no account any more");
    check_new(*account, replacement);
    const std::string hash = hasher_.hash(replacement);
    trail_.record({"password.reset", kMethod, found.person_id}, client);
    const auto done = stores_.accounts.complete_reset(hash_of_token, clock_.now(), hash,
                                                      settings_.policy.history, name_key(account->name));
    // Someone else spent it between the look and the write (the same link opened twice at once).
    if (done.state == store::ResetState::Expired) throw expired_link(settings_.reset_ttl);
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
    HashingSlot slot(hashing_slots_);
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
    HashingSlot slot(hashing_slots_);
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
    try {
      forgot(call.text("account", true), national_id, call.text("email", true), call.client);
    } catch (...) {
      secure_wipe(national_id);
      throw;
    }
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
    HashingSlot slot(hashing_slots_);
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
