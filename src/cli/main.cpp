#include "fdtrace/cli.h"

int main(int argc, char** argv) { return fdtrace::run_cli(argc, argv); }
