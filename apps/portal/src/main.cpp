// ecpa-portal: serve the portal, or administer its data.
//   ecpa-portal serve --config portal.toml
//   ecpa-portal admin import-people --config portal.toml people.csv
//   ecpa-portal admin add-todo --config portal.toml --national-id A123456789 --date today --title "…"
//   ecpa-portal admin import-agencies --config portal.toml agencies.csv
//   ecpa-portal admin add-announcement --config portal.toml --title "…" --body-file body.txt [--from …]
//   ecpa-portal admin set-password --config portal.toml --account wang.ming [--password-stdin]
//   ecpa-portal admin set-agency-officer --config portal.toml --agency A58000000A --national-id A123456789
#include <condition_variable>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stop_token>
#include <thread>

#include <CLI/CLI.hpp>

#include "auth/agency/agency_binding.hpp"
#include "auth/certificate/certificate_login.hpp"
#include "auth/certificate/certificate_room.hpp"
#include "auth/citizen/citizen_binding.hpp"
#include "auth/password/password_login.hpp"
#include "auth/password/password_policy.hpp"
#include "dashboard.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/common/utf8.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/http/server.hpp"
#include "ecpa/store/announcement_store.hpp"
#include "ecpa/store/database.hpp"
#include "ecpa/store/id_protector.hpp"
#include "ecpa/store/migrations.hpp"
#include "ecpa/tw/roc_date.hpp"
#include "icsc_client.hpp"
#include "mail_outbox.hpp"
#include "people_csv.hpp"
#include "pki_certificate_check.hpp"
#include "portal_app.hpp"
#include "portal_config.hpp"

namespace {

using namespace ecpa;
using namespace ecpa::portal;

log::Logger make_logger(const PortalConfig& c) {
  return c.log_file.empty() ? log::Logger::to_stderr("portal", c.log_level)
                            : log::Logger::to_file("portal", c.log_file, c.log_level);
}

struct Storage {
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::IdProtector> ids;
};

Storage open_storage(const PortalConfig& c) {
  Storage s;
  s.db = store::Database::open(c.database_url);
  store::migrate(*s.db);
  SecretBuffer key = store::IdProtector::load_or_create_key(c.id_key_file);
  s.ids = std::make_unique<store::IdProtector>(key);
  return s;
}

// A file, whole: a configuration's key or certificate (CONFIG_INVALID when unreadable), or an operator's
// input such as HR's CSV or an announcement's body (BAD_REQUEST).
std::string read_file(const std::filesystem::path& path, ErrorCode unreadable = codes::CONFIG_INVALID) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(unreadable, "cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::unique_ptr<IdentityCheck> make_identity_check(const PortalConfig& c, const Clock& clock,
                                                   const log::Logger& logger) {
  if (c.icsc.url.empty()) {
    logger.warn("portal.no_icsc",
                {{"detail", "icsc.url not set: binding answers IDENTITY_CHECK_UNAVAILABLE"}});
    return nullptr;
  }
  auto cert = crypto::Certificate::from_pem(read_file(c.icsc.client_certificate));
  auto key = crypto::PrivateKey::load_pem_file(c.icsc.client_key);
  http::ClientOptions o;
  o.total_timeout = c.icsc.timeout;
  o.connect_timeout = std::min<std::chrono::milliseconds>(c.icsc.timeout, std::chrono::seconds(5));
  o.max_response_bytes = std::size_t{64} * 1024;
  o.ca_file = c.icsc.ca_file;
  if (c.icsc.mutual_tls) {
    o.client_certificate = c.icsc.client_certificate;
    o.client_key = c.icsc.client_key;
  }
  return std::make_unique<IcscClient>(c.icsc.url, cert, std::move(key), o, clock, logger);
}

store::PasswordHasher make_hasher(const PortalConfig& c) {
  return store::PasswordHasher(store::Argon2Cost{c.password.argon2_ops, c.password.argon2_memory_kib});
}

PasswordPolicy policy_of(const PortalConfig& c) {
  PasswordPolicy p;
  p.min_length = c.password.min_length;
  p.min_classes = c.password.min_classes;
  p.history = c.password.history;
  p.max_age = std::chrono::days(c.password.max_age_days);
  p.min_age = std::chrono::days(c.password.min_age_days);
  return p;
}

PasswordSettings password_settings(const PortalConfig& c) {
  PasswordSettings s;
  s.policy = policy_of(c);
  s.lockout = store::LockoutRule{c.password.lock_after, c.password.lock_for};
  s.failure_burst = c.password.address_failure_burst;
  s.failure_refill = c.password.address_failure_refill;
  s.reset_ttl = c.password.reset_link;
  s.public_origin = c.public_origin;
  return s;
}

std::unique_ptr<MailOutbox> make_outbox(const PortalConfig& c, const log::Logger& logger) {
  if (c.mail.smtp_url.empty()) {
    logger.warn("portal.no_mail", {{"detail", "mail.smtp_url not set: 忘記密碼 answers MAIL_UNAVAILABLE"}});
    return nullptr;
  }
  return std::make_unique<SmtpOutbox>(
      http::MailSettings{c.mail.smtp_url,
                         std::chrono::duration_cast<std::chrono::milliseconds>(c.mail.timeout)},
      c.mail.from, logger);
}

int serve(const std::filesystem::path& config_path) {
  // Signals are taken by sigwait below; block them before any thread exists so every thread inherits the
  // mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const PortalConfig config = load_portal_config(config_path);
  log::Logger logger = make_logger(config);
  const Clock& clock = SystemClock::instance();
  Storage storage = open_storage(config);
  SecretBuffer session_key = store::IdProtector::load_or_create_key(config.session_key_file);

  store::SqlSessionStore sessions(*storage.db);
  store::SqlNonceStore nonces(*storage.db);
  store::SqlBindingStore bindings(*storage.db);
  store::SqlPeopleStore people(*storage.db, *storage.ids);
  store::SqlAuditLog audit(*storage.db);
  store::SqlTodoStore todos(*storage.db);
  store::SqlOcspAnswerStore ocsp_answers(*storage.db);
  store::SqlAnnouncementStore announcements(*storage.db);

  CertificateCheckBundle certificate_check = make_certificate_check(config, clock, ocsp_answers);
  if (!certificate_check.check)
    logger.warn("portal.no_trust",
                {{"detail", "no [trust.issuers]: certificate login answers VALIDATOR_UNAVAILABLE"}});
  auto identity_check = make_identity_check(config, clock, logger);

  SessionManager session_manager(
      sessions, clock, SessionSettings{config.public_origin, config.session_idle, config.session_absolute},
      session_key);
  // The login page's doors, one room each under auth/. The card methods share the certificate flow and
  // differ only in how a card is bound at its first login.
  std::unique_ptr<MailOutbox> outbox = make_outbox(config, logger);
  CitizenBinding citizen_cards(identity_check.get(), people);
  AgencyBinding agency_cards(people, outbox.get());
  CertificateLogin certificate_login(AuthStores{nonces, bindings, people, audit}, session_manager,
                                     certificate_check.check.get(), {&citizen_cards, &agency_cards}, clock,
                                     AuthSettings{config.public_origin, config.nonce_ttl}, logger);
  CertificateRoom certificate_room(certificate_login);
  store::SqlAccountStore accounts(*storage.db);
  const store::PasswordHasher hasher = make_hasher(config);
  PasswordLogin password_login(PasswordStores{accounts, people, audit}, session_manager, hasher, outbox.get(),
                               clock, password_settings(config), logger);
  http::Handler handler = make_portal_handler(
      PortalAppDeps{session_manager,
                    {&certificate_room, &password_login},
                    people,
                    todos,
                    clock,
                    logger,
                    &announcements},
      PortalAppOptions{config.web_root, config.auth_rate_burst, config.auth_rate_per_second,
                       http::TrustedProxies(config.trusted_proxies)});

  http::ServerOptions options;
  options.address = config.listen_address;
  options.port = config.listen_port;
  options.handler_threads = config.handler_threads;
  options.max_body_bytes = std::size_t{64} * 1024;
  options.trusted_trace_header = config.trusted_trace_header;
  options.security_headers = portal_security_headers();
  options.logger = logger;
  if (!config.tls_certificate.empty())
    options.tls = http::TlsOptions{config.tls_certificate, config.tls_key, {}};
  http::Server server(options, handler);

  // Expired sessions and nonces are deleted in the background: anonymous visitors create pre-login sessions,
  // and the table must not grow with every visit ever made.
  std::jthread sweeper([&](const std::stop_token& stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, std::chrono::seconds(60), [] { return false; });
      if (stop.stop_requested()) break;
      try {
        const auto now = clock.now();
        logger.debug("portal.sweep",
                     {{"sessions", sessions.sweep(now)},
                      {"nonces", nonces.sweep(now)},
                      {"ocsp_answers", ocsp_answers.sweep(now)},
                      {"login_failures", accounts.sweep_failures(now, password_login.settings().lockout)}});
      } catch (const std::exception& e) {
        logger.warn("portal.sweep_failed", {{"cause", e.what()}});
      }
    }
  });

  logger.info("portal.listening", {{"url", server.url()}, {"origin", config.public_origin}});
  std::cout << "ecpa-portal listening on " << server.url() << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  logger.info("portal.stopping", {{"signal", received}});
  server.stop();
  sweeper.request_stop();
  return 0;
}

int import_people(const std::filesystem::path& config_path, const std::filesystem::path& csv_path) {
  const PortalConfig config = load_portal_config(config_path);
  Storage storage = open_storage(config);
  store::SqlPeopleStore people(*storage.db, *storage.ids);
  PeopleImportResult result = import_people_csv(people, read_file(csv_path, codes::BAD_REQUEST));
  if (result.problems.empty()) {
    std::cout << "imported " << result.imported << " of " << result.rows << " rows\n";
    return 0;
  }
  std::cout << "nothing imported: " << result.problems.size() << " of " << result.rows << " rows rejected\n";
  for (const auto& p : result.problems)
    std::cout << "line " << p.line << "\t" << (p.masked_id.empty() ? "-" : p.masked_id) << "\t" << p.reason
              << "\n";
  return 1;
}

int import_agencies(const std::filesystem::path& config_path, const std::filesystem::path& csv_path) {
  const PortalConfig config = load_portal_config(config_path);
  Storage storage = open_storage(config);
  store::SqlPeopleStore people(*storage.db, *storage.ids);
  AgenciesImportResult result = import_agencies_csv(people, read_file(csv_path, codes::BAD_REQUEST));
  if (result.problems.empty()) {
    std::cout << "imported " << result.imported << " agencies and units\n";
    return 0;
  }
  std::cout << "nothing imported: " << result.problems.size() << " of " << result.rows << " lines rejected\n";
  for (const auto& p : result.problems) std::cout << "line " << p.line << "\t" << p.reason << "\n";
  return 1;
}

std::chrono::sys_days parse_day(const std::string& text, Clock::time_point now) {
  const auto today = tw::RocDate::today(now).to_sys_days();
  if (text == "today") return today;
  if (text.size() >= 2 && text[0] == '+' && text.find_first_not_of("0123456789", 1) == std::string::npos)
    return today + std::chrono::days(std::stoi(text.substr(1)));
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) == 3) {
    std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
    if (ymd.ok()) return ymd;
  }
  auto roc = tw::RocDate::parse(text);
  if (roc) return roc->to_sys_days();
  throw Error(codes::BAD_REQUEST, "date must be today, +N, YYYY-MM-DD or an ROC date");
}

int add_todo(const std::filesystem::path& config_path, const std::string& national_id,
             const std::string& date, const std::string& title) {
  const PortalConfig config = load_portal_config(config_path);
  Storage storage = open_storage(config);
  store::SqlPeopleStore people(*storage.db, *storage.ids);
  store::SqlTodoStore todos(*storage.db);
  auto id = tw::NationalId::parse(national_id);
  if (!id) throw Error(codes::NATIONAL_ID_FORMAT, std::string(id.reason()));
  auto person = people.find_by_national_id(*id);
  if (!person) throw Error(codes::PERSON_NOT_FOUND, "no person " + id->masked());
  auto todo = todos.add(person->id, parse_day(date, SystemClock::instance().now()), title);
  std::cout << "added to-do " << todo.id << " for " << person->masked_national_id << " on "
            << iso_date(todo.due) << "\n";
  return 0;
}

int add_announcement(const std::filesystem::path& config_path, const std::string& title,
                     const std::filesystem::path& body_file, const std::string& from,
                     const std::string& until, const std::string& audience, const std::string& author) {
  const PortalConfig config = load_portal_config(config_path);
  Storage storage = open_storage(config);
  store::SqlAnnouncementStore announcements(*storage.db);
  const std::string body = read_file(body_file, codes::BAD_REQUEST);
  if (!valid_utf8(body)) throw Error(codes::BAD_REQUEST, "the body is not UTF-8");
  const auto now = SystemClock::instance().now();
  // Days are Taiwan days: an announcement published "today" shows from 00:00 Taiwan time (UTC+8).
  auto start_of = [&](const std::string& day) {
    return Clock::time_point(parse_day(day, now)) - tw::kTaiwanUtcOffset;
  };
  store::NewAnnouncement a;
  a.title = title;
  a.body = body;
  a.audience = audience;
  a.publish_from = from == "now" ? now : start_of(from);
  if (!until.empty()) a.publish_until = start_of(until);
  a.author = author;
  auto added = announcements.add(a, now);
  std::cout << "added announcement " << added.id << " (" << added.audience << ")\n";
  return 0;
}

// An admin command's audit record, written before what it records (AUDIT_UNAVAILABLE otherwise).
void admin_audit(store::Database& db, std::string_view type, std::string_view method, std::int64_t person,
                 const std::string& reason) {
  store::SqlAuditLog audit(db);
  store::AuditEvent ev;
  ev.at = SystemClock::instance().now();
  ev.type = std::string(type);
  ev.method = std::string(method);
  ev.person_id = person;
  ev.reason = reason;
  ev.client_addr = "admin-cli";
  try {
    audit.append(ev);
  } catch (const std::exception& e) {
    throw Error(codes::AUDIT_UNAVAILABLE, std::string("audit record not written: ") + e.what());
  }
}

// An initial password that passes the policy: 16 characters of a random token, drawn again until it does.
std::string generated_password(const PasswordPolicy& policy, std::string_view account) {
  PasswordPolicy p = policy;
  p.min_length = std::max<std::size_t>(p.min_length, 16);
  for (int i = 0; i < 1000; ++i) {
    std::string candidate = random_token().substr(0, std::min<std::size_t>(p.min_length, 43));
    try {
      check_password_text(p, account, candidate);
      return candidate;
    } catch (const Error&) {
    }
  }
  throw Error(codes::INTERNAL_ERROR, "could not draw a password that passes the policy");
}

int set_password(const std::filesystem::path& config_path, const std::string& account, bool from_stdin) {
  const PortalConfig config = load_portal_config(config_path);
  Storage storage = open_storage(config);
  store::SqlAccountStore accounts(*storage.db);
  auto folded = store::fold_account_name(account);
  if (!folded) throw Error(codes::ACCOUNT_NAME_INVALID, "not an account name");
  auto found = accounts.find(*folded);
  if (!found) throw Error(codes::ACCOUNT_NOT_FOUND, "no account " + *folded);
  const PasswordPolicy policy = policy_of(config);
  std::string password;
  // Wiped on every way out, a refused password included.
  struct Wipe {
    std::string& s;
    ~Wipe() { secure_wipe(s); }
  } wipe{password};
  if (from_stdin) {
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    check_password_text(policy, *folded, password);
  } else {
    password = generated_password(policy, *folded);
  }
  const std::string hash = make_hasher(config).hash(password);
  // Recorded before it is done, as every change of a credential is (fail closed).
  admin_audit(*storage.db, "password.initial_set", "password", found->person_id, "admin");
  // An initial password: the person must replace it at their first login (must_change). Their sessions and
  // open reset links end with it.
  accounts.set_password(found->person_id, hash, /*must_change=*/true, SystemClock::instance().now(),
                        policy.history);
  std::cout << "initial password set for " << *folded << " (must be changed at first login)\n";
  if (!from_stdin) std::cout << "password: " << password << "\n";
  return 0;
}

int set_agency_officer(const std::filesystem::path& config_path, const std::string& agency,
                       const std::string& national_id) {
  const PortalConfig config = load_portal_config(config_path);
  Storage storage = open_storage(config);
  store::SqlPeopleStore people(*storage.db, *storage.ids);
  auto id = tw::NationalId::parse(national_id);
  if (!id) throw Error(codes::NATIONAL_ID_FORMAT, std::string(id.reason()));
  auto person = people.find_by_national_id(*id);
  if (!person) throw Error(codes::PERSON_NOT_FOUND, "no person " + id->masked());
  const std::string code = fold_agency_code(agency);
  // Who every card of the agency opens from now on: recorded first, the previous officer named.
  const auto before = people.agency(code);
  if (!before) throw Error(codes::AGENCY_UNKNOWN, "no agency " + code);
  admin_audit(*storage.db, "agency.officer_set", "agency", person->id,
              "agency " + code + "; previous officer " +
                  (before->officer_person_id ? std::to_string(*before->officer_person_id) : "none"));
  people.set_officer(code, person->id, SystemClock::instance().now());
  std::cout << "personnel officer of " << code << ": " << person->masked_national_id << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ecpa-portal: the openecpa personnel portal"};
  app.require_subcommand(1);
  std::filesystem::path config_path;

  auto* serve_cmd = app.add_subcommand("serve", "Serve the portal");
  serve_cmd->add_option("--config", config_path, "configuration file (TOML)")->required();

  auto* admin = app.add_subcommand("admin", "Administer the portal's data");
  admin->require_subcommand(1);
  std::filesystem::path csv_path;
  auto* import_cmd = admin->add_subcommand("import-people", "Import HR's people file (all or nothing)");
  import_cmd->add_option("--config", config_path, "configuration file (TOML)")->required();
  import_cmd->add_option("file", csv_path, "people CSV")->required();

  std::string national_id, date = "today", title;
  auto* todo_cmd = admin->add_subcommand("add-todo", "Add a to-do for a person (demo)");
  todo_cmd->add_option("--config", config_path, "configuration file (TOML)")->required();
  todo_cmd->add_option("--national-id", national_id, "the person's ID number")->required();
  todo_cmd->add_option("--date", date, "today, +N, YYYY-MM-DD or an ROC date");
  todo_cmd->add_option("--title", title, "what to do")->required();

  auto* agencies_cmd =
      admin->add_subcommand("import-agencies", "Import HR's agencies and units file (機關組織)");
  agencies_cmd->add_option("--config", config_path, "configuration file (TOML)")->required();
  agencies_cmd->add_option("file", csv_path, "agencies CSV: code, name, English name, parent code")
      ->required();

  std::string from = "now", until, audience = "public", author = "portal admin";
  std::filesystem::path body_file;
  auto* announce_cmd = admin->add_subcommand("add-announcement", "Publish an announcement (最新公告)");
  announce_cmd->add_option("--config", config_path, "configuration file (TOML)")->required();
  announce_cmd->add_option("--title", title, "its title")->required();
  announce_cmd->add_option("--body-file", body_file, "a UTF-8 text file with its body")->required();
  announce_cmd->add_option("--from", from, "now, today, +N, YYYY-MM-DD or an ROC date");
  announce_cmd->add_option("--until", until, "the first day it is no longer shown (empty: until withdrawn)");
  announce_cmd->add_option("--audience", audience, "public (the login page) or all (everyone logged in)");
  announce_cmd->add_option("--author", author, "who publishes it");

  std::string account;
  bool password_stdin = false;
  auto* password_cmd = admin->add_subcommand(
      "set-password", "Set an account's initial password (to be changed at first login)");
  password_cmd->add_option("--config", config_path, "configuration file (TOML)")->required();
  password_cmd->add_option("--account", account, "the account name")->required();
  password_cmd->add_flag("--password-stdin", password_stdin,
                         "read the password from standard input instead of drawing one");

  std::string agency_code;
  auto* officer_cmd = admin->add_subcommand(
      "set-agency-officer", "Make a person the agency's personnel officer (機關憑證 binds to them)");
  officer_cmd->add_option("--config", config_path, "configuration file (TOML)")->required();
  officer_cmd->add_option("--agency", agency_code, "the agency code")->required();
  officer_cmd->add_option("--national-id", national_id, "the officer's ID number")->required();

  CLI11_PARSE(app, argc, argv);
  try {
    if (serve_cmd->parsed()) return serve(config_path);
    if (import_cmd->parsed()) return import_people(config_path, csv_path);
    if (todo_cmd->parsed()) return add_todo(config_path, national_id, date, title);
    if (agencies_cmd->parsed()) return import_agencies(config_path, csv_path);
    if (announce_cmd->parsed())
      return add_announcement(config_path, title, body_file, from, until, audience, author);
    if (password_cmd->parsed()) return set_password(config_path, account, password_stdin);
    if (officer_cmd->parsed()) return set_agency_officer(config_path, agency_code, national_id);
  } catch (const Error& e) {
    // The cause is for the operator at the console (never shown to a web user); ID numbers masked anyway.
    std::cerr << "ecpa-portal: " << e.code().value << ": " << log::mask_id_like(e.cause()) << std::endl;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "ecpa-portal: " << log::mask_id_like(e.what()) << std::endl;
    return 2;
  }
  return 2;
}
