// Every rule's fixtures: fixtures/rules/<rule-name>/ holds cases — a .py file, or a folder that is a small
// project (with an optional ormlint.toml). The rule runs alone on each case; its findings must be exactly the
// lines marked `# expect: <rule-name>`. Missing and extra findings both fail.
#include <catch2/catch.hpp>
#include <filesystem>

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

}  // namespace

TEST_CASE("every rule has fixtures with at least one expected finding", "[fixtures]") {
  for (const Rule* rule : all_rules()) {
    const std::string& name = rule->info().name;
    fs::path dir = source_dir() / "fixtures" / "rules" / name;
    INFO("rule " << name << ": expected fixtures in " << dir);
    REQUIRE(fs::is_directory(dir));
    CHECK_FALSE(read_expectations(dir, name).empty());
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
      if (case_path.extension() != ".py" && !fs::is_directory(case_path)) continue;
      RunResult result;
      auto actual = run_and_collect(case_path, case_config(case_path), {rule}, &result);
      auto expected = read_expectations(case_path, name);
      INFO("case " << case_path.lexically_relative(source_dir()).string());
      CHECK(compare(expected, actual, &result) == "");
    }
  }
}
