// ormlint's command line: `check`, `rules`, `explain`, and the version. Exit codes: 0 clean, 1 findings at or
// above the fail level, 2 usage, configuration or I/O error.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  try {
    return ormlint::cli::main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "ormlint: internal error: " << e.what() << "\n";
    return 2;
  }
}
