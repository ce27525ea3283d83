// run_process and StartedProcess: input, outputs, exit codes, environment overrides, and a started program
// that is never finished (it must end, not linger or block).
#include "core/subprocess.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>

using ormlint::ProcessResult;
using ormlint::run_process;
using ormlint::StartedProcess;

TEST_CASE("run_process feeds the input and collects both outputs and the exit code", "[subprocess]") {
  std::string error;
  auto result = run_process({"sh", "-c", "cat; echo oops >&2; exit 3"}, {}, "line one\nline two\n", error);
  REQUIRE(result);
  CHECK(result->out == "line one\nline two\n");
  CHECK(result->err == "oops\n");
  CHECK(result->exit_code == 3);
}

TEST_CASE("run_process reports a program that cannot be started", "[subprocess]") {
  std::string error;
  CHECK_FALSE(run_process({"ormlint-no-such-program"}, {}, {}, error));
  CHECK(error.find("ormlint-no-such-program") != std::string::npos);
}

TEST_CASE("a started program is given its input later, a large one without deadlock", "[subprocess]") {
  std::string error;
  auto process = StartedProcess::start({"cat"}, {}, error);
  REQUIRE(process);
  // More than a pipe holds both ways: cat writes back while it is still being fed.
  const std::string input(1 << 20, 'x');
  ProcessResult result = process->finish(input);
  CHECK(result.exit_code == 0);
  CHECK(result.out == input);
}

TEST_CASE("a started program never finished gets end-of-file and is waited for", "[subprocess]") {
  std::string error;
  const auto start = std::chrono::steady_clock::now();
  {
    auto process = StartedProcess::start({"cat"}, {}, error);  // would wait for input forever
    REQUIRE(process);
    StartedProcess moved = std::move(*process);  // the moved-from one owns nothing
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("environment overrides replace a variable for the child only", "[subprocess]") {
  ::setenv("ORMLINT_SUBPROCESS_TEST", "outer", 1);
  std::string error;
  auto result = run_process(
      {"sh", "-c", "printf '%s' \"$ORMLINT_SUBPROCESS_TEST\"; env | grep -c '^ORMLINT_SUBPROCESS_TEST='"}, {},
      {}, error, {"ORMLINT_SUBPROCESS_TEST=inner"});
  REQUIRE(result);
  CHECK(result->out == "inner1\n");  // replaced, not listed twice
  auto inherited = run_process({"sh", "-c", "printf '%s' \"$ORMLINT_SUBPROCESS_TEST\""}, {}, {}, error);
  REQUIRE(inherited);
  CHECK(inherited->out == "outer");
  ::unsetenv("ORMLINT_SUBPROCESS_TEST");
}
