#include "cli.hpp"

int main(int argc, char** argv) { return ecpa::sim::run_cli(argc, argv); }
