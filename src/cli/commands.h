// The subcommands behind main(): parse arguments, load configuration, run, print, choose the exit code.
#pragma once

namespace ormlint::cli {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitError = 2;

int main(int argc, char** argv);

}  // namespace ormlint::cli
