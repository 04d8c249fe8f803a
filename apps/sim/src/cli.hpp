#pragma once
// `ecpa-sim` command line: pki init, card issue|list|revoke|remove|insert|renew, serve, fault, icsc.
// Returns the process exit code: 0 done, 1 a typed error (printed as "error: CODE: cause"), 2 usage.
namespace ecpa::sim {
int run_cli(int argc, char** argv);
}
