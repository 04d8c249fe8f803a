// ecpa-agent: the citizen's local card component (HiPKI-compatible, on 127.0.0.1:61161).
#include <signal.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "agent_config.hpp"
#include "agent_service.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/common/log.hpp"
#include "ecpa/http/server.hpp"

#ifndef ECPA_AGENT_WEB_DIR
#define ECPA_AGENT_WEB_DIR "/usr/share/ecpa-agent/web"
#endif

int main(int argc, char** argv) {
  CLI::App app{"ecpa-agent: local card component for the eCPA portal (HiPKI-compatible API)"};
  ecpa::agent::CommandLine cli;
  app.add_option("--module", cli.module, "absolute path of the PKCS#11 module (HiCOS, OpenSC, …)");
  app.add_option("--config", cli.config_file, "TOML configuration file ([agent] table)");
  app.add_option("--listen", cli.listen, "127.0.0.1:PORT (default 127.0.0.1:61161)");
  app.add_option("--web-dir", cli.web_dir, "directory of the agent's own pages");
  app.add_option("--approvals", cli.approvals_file, "file of sites the user approved");
  app.add_option("--log-file", cli.log_file, "append JSON log lines here instead of standard error");
  CLI11_PARSE(app, argc, argv);

  // Signals are taken by sigwait below, not by a handler: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A page closing its connection mid-answer must not kill the agent.
  signal(SIGPIPE, SIG_IGN);

  try {
    const auto config =
        ecpa::agent::load_agent_config(cli, ECPA_AGENT_WEB_DIR, ecpa::agent::default_approvals_path());
    const auto level = ecpa::log::parse_level(config.log_level);
    auto logger = config.log_file.empty() ? ecpa::log::Logger::to_stderr("agent", level)
                                          : ecpa::log::Logger::to_file("agent", config.log_file, level);
    ecpa::agent::AgentService service(config.service, logger);

    ecpa::http::ServerOptions options;
    options.address = config.listen_address;
    options.port = config.service.port;
    options.io_threads = 1;
    // PIN pad requests wait in a handler thread until the person types; keep threads for the others.
    options.handler_threads = 8;
    options.max_connections = 64;
    options.logger = logger;
    ecpa::http::Server server(options, service.handler());
    logger.info("agent.started", {{"url", server.url()},
                                  {"module", config.service.module_path},
                                  {"approvals", config.service.approvals_file.string()}});
    int received = 0;
    sigwait(&signals, &received);
    logger.info("agent.stopping", {{"signal", received}});
    // A request waiting for a PIN would hold its handler thread, and so the stop, for minutes.
    service.pin_broker().shut_down();
    server.stop();
    logger.flush();
    return 0;
  } catch (const ecpa::Error& e) {
    std::cerr << "ecpa-agent: " << e.code().value << ": " << e.cause() << "\n";
    return 2;
  }
}
