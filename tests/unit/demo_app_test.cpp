// The bundled demo project (fixtures/demo-app) holds every pitfall: with its own configuration and the default
// rule set, ormlint reports exactly the lines marked `# expect:` — and every default rule fires at least once.
#include <catch2/catch.hpp>
#include <set>

#include "engine/rule.h"
#include "fixture_support.h"

using namespace ormlint;
using namespace ormlint::testing;

TEST_CASE("demo app: findings are exactly the expected ones", "[demo]") {
  auto demo = source_dir() / "fixtures" / "demo-app";
  Config config = load_config(demo / "pyproject.toml");
  auto rules = active_rules(config, "demo-app");
  RunResult result;
  auto actual = run_and_collect(demo, config, rules, &result);
  CHECK(compare(read_expectations(demo), actual, &result) == "");
  CHECK(result.errors.empty());
}

TEST_CASE("demo app: every default rule of the portable profile is demonstrated", "[demo]") {
  auto demo = source_dir() / "fixtures" / "demo-app";
  std::set<std::string> demonstrated;
  for (const auto& e : read_expectations(demo)) demonstrated.insert(e.rule);
  Config config = load_config(demo / "pyproject.toml");
  for (const Rule* rule : active_rules(config, "demo-app")) {
    if (rule->info().name == "syntax-error") continue;  // the demo app parses
    if (rule->info().git_aware) continue;  // needs a base commit: demonstrated in git_rules_test.cpp and its doc
    INFO("rule " << rule->info().name << " has no example in fixtures/demo-app");
    CHECK(demonstrated.count(rule->info().name) == 1);
  }
}
