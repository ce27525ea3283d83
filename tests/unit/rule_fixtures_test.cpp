// Every rule's fixtures: fixtures/rules/<rule-name>/ holds cases — a .py file, or a folder that is a small
// project (with an optional ormlint.toml). The rule runs alone on each case; its findings must be exactly the
// lines marked `# expect: <rule-name>`. Missing and extra findings both fail.
// A folder case with an ormlint.toml runs the rules that configuration selects too, as `ormlint check` would:
// rules about other rules' findings (unused-suppression) need them. Only the rule under test's findings count.
// A .change case is a git change as text (tests/unit/change_support.h: `# file: P (HEAD)` blocks hold the base
// versions): the git-aware rules' cases; it is written to a temporary folder and run against its base.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "change_support.h"
#include "engine/rule.h"
#include "fixture_support.h"

using namespace ormlint;
using namespace ormlint::testing;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> sorted_entries(const fs::path& dir) {
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(dir)) entries.push_back(entry.path());
  std::sort(entries.begin(), entries.end());
  return entries;
}

Config case_config(const fs::path& case_path) {
  Config config;
  config.root = fs::is_directory(case_path) ? case_path : case_path.parent_path();
  if (fs::is_directory(case_path) && fs::exists(case_path / "ormlint.toml")) config = load_config(case_path / "ormlint.toml");
  return config;
}

// The rule under test, plus the rules a folder case's ormlint.toml selects.
std::vector<const Rule*> case_rules(const fs::path& case_path, const Config& config, const Rule* rule) {
  std::vector<const Rule*> rules{rule};
  if (!fs::is_directory(case_path) || !fs::exists(case_path / "ormlint.toml")) return rules;
  for (const Rule* selected : active_rules(config, (case_path / "ormlint.toml").string())) {
    if (selected != rule) rules.push_back(selected);
  }
  return rules;
}

std::vector<Expectation> only_rule(std::vector<Expectation> found, const std::string& name) {
  found.erase(std::remove_if(found.begin(), found.end(), [&](const Expectation& e) { return e.rule != name; }),
              found.end());
  return found;
}

// A .change case: the expected findings (`# expect:` in the current files) and the actual ones.
struct ChangeCase {
  std::vector<Expectation> expected, actual;
  RunResult result;
};

ChangeCase run_change_case(const fs::path& case_path, const Rule* rule) {
  TempDir dir;
  const WrittenChange change = write_change(dir.path(), read_file(case_path), "change.py");
  ChangeCase out;
  out.expected = read_expectations(dir.path(), rule->info().name);
  out.result = run_change(dir.path(), change, {rule});
  out.actual = only_rule(findings_of(out.result), rule->info().name);
  return out;
}

// Every case's expected findings: `# expect:` lines in .py files and folders, and in .change cases' current files.
std::vector<Expectation> all_expectations(const fs::path& dir, const Rule* rule) {
  std::vector<Expectation> out = read_expectations(dir, rule->info().name);
  for (const fs::path& case_path : sorted_entries(dir)) {
    if (case_path.extension() != ".change") continue;
    auto expected = run_change_case(case_path, rule).expected;
    out.insert(out.end(), expected.begin(), expected.end());
  }
  return out;
}

}  // namespace

TEST_CASE("every rule has fixtures with at least one expected finding", "[fixtures]") {
  for (const Rule* rule : all_rules()) {
    const std::string& name = rule->info().name;
    fs::path dir = source_dir() / "fixtures" / "rules" / name;
    INFO("rule " << name << ": expected fixtures in " << dir);
    REQUIRE(fs::is_directory(dir));
    CHECK_FALSE(all_expectations(dir, rule).empty());
  }
}

TEST_CASE("rule fixtures report exactly the expected lines", "[fixtures]") {
  fs::path root = source_dir() / "fixtures" / "rules";
  for (const fs::path& rule_dir : sorted_entries(root)) {
    std::string name = rule_dir.filename().string();
    const Rule* rule = find_rule(name);
    INFO("fixtures folder " << rule_dir << " names no rule");
    REQUIRE(rule != nullptr);
    for (const fs::path& case_path : sorted_entries(rule_dir)) {
      if (case_path.extension() == ".change") {
        ChangeCase change = run_change_case(case_path, rule);
        INFO("case " << case_path.lexically_relative(source_dir()).string());
        CHECK(compare(change.expected, change.actual, &change.result) == "");
        continue;
      }
      if (case_path.extension() != ".py" && !fs::is_directory(case_path)) continue;
      RunResult result;
      const Config config = case_config(case_path);
      auto actual = only_rule(run_and_collect(case_path, config, case_rules(case_path, config, rule), &result), name);
      auto expected = read_expectations(case_path, name);
      INFO("case " << case_path.lexically_relative(source_dir()).string());
      CHECK(compare(expected, actual, &result) == "");
    }
  }
}
