#include "cli.hpp"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "card_issuer.hpp"
#include "ecpa/cardstate/card_state.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/http/server.hpp"
#include "ecpa/icsc/codec.hpp"
#include "faults.hpp"
#include "registry.hpp"
#include "sim_pki.hpp"
#include "sim_server.hpp"
#include "smtp_sink.hpp"

namespace ecpa::sim {

namespace fs = std::filesystem;

namespace {

Registry registry_of(const fs::path& dir) { return Registry(dir / "registry.json"); }

// Only what `pki init` made; never the directory itself or anything else in it.
void wipe_sim_state(const fs::path& dir) {
  for (const char* name : {"ca", "tokens", "registry.json", "registry.json.lock", "softhsm2.conf",
                           "cards.json", "cards.json.lock", "faults.json", "mail"}) {
    fs::remove_all(dir / name);
  }
}

void pki_init(const fs::path& dir, const std::string& base_url, bool force, int root_bits) {
  if (base_url.rfind("http://", 0) != 0 && base_url.rfind("https://", 0) != 0) {
    throw Error(codes::SIM_ARGUMENT_INVALID, "--base-url must start with http:// or https://");
  }
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (fs::exists(dir / "ca") || fs::exists(dir / "registry.json")) {
    if (!force) throw Error(codes::SIM_ALREADY_INITIALISED, dir.string() + " (use --force)");
    wipe_sim_state(dir);
  }
  fs::create_directories(dir);
  auto now = SystemClock::instance().now();
  SimPki::create(dir, base, now, root_bits);
  RegistryData initial;
  initial.base_url = base;
  registry_of(dir).create(initial);
  prepare_softhsm(dir);
  std::cout << "pki: " << fs::absolute(dir / "ca").string() << "\n"
            << "root: " << fs::absolute(dir / "ca" / "grca.pem").string() << "\n"
            << "base_url: " << base << "\n";
}

void print_card(const Card& card, const fs::path& dir) {
  std::cout << "card_sn: " << card.card_sn << "\n"
            << "kind: " << card.kind << "\n"
            << "token_label: " << card.token_label << "\n"
            << "token_serial: " << card.token_serial << "\n";
  for (const auto& c : card.certs) std::cout << c.usage << "_cert_serial: " << c.serial_hex << "\n";
  std::cout << "softhsm2_conf: " << fs::absolute(dir / "softhsm2.conf").string() << "\n"
            << "cardmod_state: " << fs::absolute(card_state_file(dir)).string() << "\n";
}

nlohmann::json card_json(const Card& card, const std::map<std::string, cardmod::TokenState>& tokens) {
  auto t = tokens.find(card.token_serial);
  nlohmann::json certs = nlohmann::json::array();
  for (const auto& c : card.certs) {
    nlohmann::json cj = {{"serial", c.serial_hex},
                         {"ca", c.ca},
                         {"usage", c.usage},
                         {"status", c.revoked_at ? "revoked" : "good"}};
    if (c.revoked_at) cj["revoked_at"] = to_iso8601(*c.revoked_at);
    certs.push_back(cj);
  }
  return {{"card_sn", card.card_sn},
          {"kind", card.kind},
          {"name", card.name},
          {"token_label", card.token_label},
          {"token_serial", card.token_serial},
          {"person_sn", card.person_sn},
          {"inserted", !(t != tokens.end() && t->second.removed)},
          {"pin_tries_left", t != tokens.end() ? t->second.retries_left : cardmod::kDefaultMaxTries},
          {"renewed_by", card.renewed_by},
          {"certs", certs}};
}

std::pair<std::string, std::uint16_t> parse_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw Error(codes::SIM_ARGUMENT_INVALID, "--listen is ADDRESS:PORT");
  std::string host = listen.substr(0, colon);
  unsigned port = 0;
  auto [p, ec] = std::from_chars(listen.data() + colon + 1, listen.data() + listen.size(), port);
  if (ec != std::errc() || p != listen.data() + listen.size() || port > 65535) {
    throw Error(codes::SIM_ARGUMENT_INVALID, "--listen port must be 0–65535");
  }
  if (host != "127.0.0.1" && host != "::1" && host != "[::1]") {
    // A stand-in for government services that issues test identities: never on a real network.
    throw Error(codes::SIM_ARGUMENT_INVALID, "ecpa-sim serves on loopback only (127.0.0.1 or ::1)");
  }
  if (host == "[::1]") host = "::1";
  return {host, static_cast<std::uint16_t>(port)};
}

// `smtp_port` < 0: no SMTP sink.
void serve(const fs::path& dir, const std::string& listen, int smtp_port) {
  auto [host, port] = parse_listen(listen);
  std::shared_ptr<Mailbox> mailbox;
  if (smtp_port >= 0) mailbox = std::make_shared<Mailbox>(dir / "mail", SystemClock::instance());
  SimService service(dir, SystemClock::instance(), mailbox);
  // Block the stop signals before the server's threads start, so only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  http::ServerOptions options;
  options.address = host;
  options.port = port;
  options.handler_threads = 4;
  options.stop_grace = std::chrono::milliseconds(2000);
  std::unique_ptr<SmtpSink> sink;
  if (mailbox) {
    SmtpSinkOptions smtp;
    smtp.port = static_cast<std::uint16_t>(smtp_port);
    sink = std::make_unique<SmtpSink>(smtp, *mailbox);
  }
  http::Server server(options, service.handler());
  // "listening:" first: tests and scripts wait for that line; the SMTP port follows it.
  std::cout << "listening: " << server.url() << std::endl;
  if (sink) std::cout << "smtp_port: " << sink->port() << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  if (sink) sink->stop();
  server.stop();
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(codes::SIM_ARGUMENT_INVALID, "cannot read " + p.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{
      "ecpa-sim: test stand-in for the GPKI trust services (CA, cards, OCSP, CRL, ICSC). TEST ONLY."};
  app.require_subcommand(1);
  std::string dir_text;
  auto add_dir = [&](CLI::App* cmd) {
    cmd->add_option("--dir", dir_text, "the simulator's data directory")->required();
  };

  auto* pki = app.add_subcommand("pki", "the certificate authorities");
  pki->require_subcommand(1);
  auto* init = pki->add_subcommand("init", "create the CA hierarchy in DIR");
  add_dir(init);
  bool force = false;
  std::string base_url = "http://127.0.0.1:8480";
  int root_bits = 4096;
  init->add_flag("--force", force, "replace an existing hierarchy (deletes every card)");
  init->add_option("--base-url", base_url, "where `ecpa-sim serve` will listen (goes into AIA/CRLDP)");
  init->add_option("--root-bits", root_bits, "root key size")->check(CLI::IsMember({2048, 4096}));

  auto* card = app.add_subcommand("card", "cards (SoftHSM2 tokens)");
  card->require_subcommand(1);
  IssueRequest req;
  std::string not_before, not_after, defect = "none";
  auto* issue = card->add_subcommand("issue", "issue a new card");
  add_dir(issue);
  issue->add_option("--kind", req.kind, "citizen | gca | xca")
      ->check(CLI::IsMember({"citizen", "gca", "xca"}));
  issue->add_option("--name", req.name, "holder's name (agency name for gca/xca)")->required();
  issue->add_option("--id", req.id_number, "national ID (citizen) or agency code")->required();
  issue->add_option("--pin", req.pin, "user PIN, 6–8 digits")->required();
  issue->add_option("--agency-oid", req.agency_oid, "agency OID (gca/xca)");
  issue->add_option("--not-before", not_before, "2026-01-15 or 2026-01-15T08:00:00Z");
  issue->add_option("--not-after", not_after, "2026-01-15 or 2026-01-15T08:00:00Z");
  issue->add_option("--defect", defect, "a damaged card, for tests: none | no-sign-key | no-sign-cert")
      ->check(CLI::IsMember({"none", "no-sign-key", "no-sign-cert"}));
  auto* list = card->add_subcommand("list", "list cards as JSON lines");
  add_dir(list);
  std::string target, reason = "unspecified", pin;
  auto* revoke =
      card->add_subcommand("revoke", "revoke a certificate (serial) or a whole card (card serial)");
  add_dir(revoke);
  revoke->add_option("serial", target, "certificate serial (hex) or card serial")->required();
  revoke->add_option("--reason", reason, "RFC 5280 reason name, e.g. keyCompromise");
  auto* remove = card->add_subcommand("remove", "take the card out of its reader");
  add_dir(remove);
  remove->add_option("card_sn", target)->required();
  auto* insert = card->add_subcommand("insert", "put the card back");
  add_dir(insert);
  insert->add_option("card_sn", target)->required();
  auto* renew = card->add_subcommand("renew", "a new card for the same person");
  add_dir(renew);
  renew->add_option("card_sn", target)->required();
  renew->add_option("--pin", pin, "the new card's PIN")->required();

  auto* serve_cmd = app.add_subcommand("serve", "serve OCSP, CRLs, the repository, ICSC and a status page");
  add_dir(serve_cmd);
  std::string listen = "127.0.0.1:8480";
  serve_cmd->add_option("--listen", listen, "127.0.0.1:PORT (loopback only; 0 picks a port)");
  int smtp_port = -1;
  serve_cmd
      ->add_option("--smtp-port", smtp_port,
                   "also run the SMTP sink on 127.0.0.1:PORT (0 picks a port); off when not given")
      ->check(CLI::Range(0, 65535));

  auto* fault = app.add_subcommand("fault", "OCSP faults for tests (DIR/faults.json)");
  fault->require_subcommand(1);
  std::string fault_name, fault_value = "true";
  auto* fault_set =
      fault->add_subcommand("set", "down|slow_ms|garbage|stale|wrong_signer|no_nonce|try_later");
  add_dir(fault_set);
  fault_set->add_option("name", fault_name)->required();
  fault_set->add_option("value", fault_value, "true/false, or milliseconds for slow_ms");
  auto* fault_clear = fault->add_subcommand("clear", "no faults");
  add_dir(fault_clear);
  auto* fault_show = fault->add_subcommand("show", "print the faults");
  add_dir(fault_show);

  auto* icsc = app.add_subcommand("icsc", "the ICSC identity check");
  icsc->require_subcommand(1);
  std::string cert_file;
  auto* reg = icsc->add_subcommand("register-client", "allow a relying party (its client certificate, PEM)");
  add_dir(reg);
  reg->add_option("cert", cert_file)->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  try {
    fs::path dir = dir_text;
    auto& clock = SystemClock::instance();
    if (init->parsed()) {
      pki_init(dir, base_url, force, root_bits);
    } else if (card->parsed()) {
      if (!fs::exists(dir / "registry.json")) {
        throw Error(codes::SIM_STATE_INVALID, "no simulator in " + dir.string() + " (run ecpa-sim pki init)");
      }
      prepare_softhsm(dir);
      auto sim_pki = SimPki::load(dir);
      auto registry = registry_of(dir);
      CardIssuer issuer(dir, sim_pki, registry, clock);
      if (issue->parsed()) {
        if (!not_before.empty()) req.not_before = parse_iso8601(not_before);
        if (!not_after.empty()) req.not_after = parse_iso8601(not_after);
        req.defect = card_defect_from_name(defect).value_or(CardDefect::None);
        print_card(issuer.issue(req), dir);
      } else if (list->parsed()) {
        auto tokens = cardmod::CardState(card_state_file(dir)).list();
        for (const auto& c : registry.read().cards) std::cout << card_json(c, tokens).dump() << "\n";
      } else if (revoke->parsed()) {
        auto r = crypto::reason_from_name(reason);
        if (!r) throw Error(codes::SIM_ARGUMENT_INVALID, "unknown --reason " + reason);
        for (const auto& s : issuer.revoke(target, *r)) std::cout << "revoked: " << s << "\n";
      } else if (remove->parsed() || insert->parsed()) {
        issuer.set_inserted(target, insert->parsed());
        std::cout << (insert->parsed() ? "inserted: " : "removed: ") << target << "\n";
      } else if (renew->parsed()) {
        print_card(issuer.renew(target, pin), dir);
      }
    } else if (serve_cmd->parsed()) {
      serve(dir, listen, smtp_port);
    } else if (fault->parsed()) {
      fs::path file = dir / "faults.json";
      if (fault_set->parsed()) {
        Faults f = read_faults(file);
        set_fault(f, fault_name, fault_value);
        write_faults(file, f);
      } else if (fault_clear->parsed()) {
        write_faults(file, Faults{});
      }
      std::cout << (fs::exists(file) ? read_file(file) : std::string("no faults\n"));
    } else if (reg->parsed()) {
      auto cert = crypto::Certificate::from_pem(read_file(cert_file));
      std::string client_id = icsc::client_id_of(cert);
      registry_of(dir).update([&](RegistryData& d) {
        for (const auto& c : d.icsc_clients) {
          if (c.client_id == client_id) return false;
        }
        d.icsc_clients.push_back({client_id, cert.pem()});
        return true;
      });
      std::cout << "client_id: " << client_id << "\n";
    }
  } catch (const Error& e) {
    std::cerr << "error: " << e.code().value << ": " << e.cause() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: INTERNAL_ERROR: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace ecpa::sim
