// Every rule's documentation has the sections users rely on, and its bad example really triggers the rule
// while its good example really does not.
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "engine/rule.h"
#include "change_support.h"
#include "fixture_support.h"

using namespace ormlint;
using namespace ormlint::testing;

namespace {

// The first ```python block after the heading `## <section>`.
std::string code_block(std::string_view doc, const std::string& section) {
  size_t heading = doc.find("\n## " + section + "\n");
  if (heading == std::string_view::npos) return "";
  size_t open = doc.find("```python\n", heading);
  size_t next_heading = doc.find("\n## ", heading + 4);
  if (open == std::string_view::npos || (next_heading != std::string_view::npos && open > next_heading)) return "";
  open += 10;
  size_t close = doc.find("```", open);
  return close == std::string_view::npos ? "" : std::string(doc.substr(open, close - open));
}

// An example may be a change against HEAD (`# file: P (HEAD)` / `# file: P (new)` blocks, change_support.h):
// git-aware rules report nothing without a base.
size_t findings_for(const Rule* rule, const std::string& code) {
  TempDir dir;
  WrittenChange change = write_change(dir.path(), code, "example.py");
  return run_change(dir.path(), change, {rule}).diagnostics.size();
}

}  // namespace

TEST_CASE("every rule is documented with what, why, example, use instead and fix", "[docs]") {
  for (const Rule* rule : all_rules()) {
    const RuleInfo& info = rule->info();
    std::string_view doc = rule_documentation(info.name);
    INFO("rule " << info.name << " (rules/" << info.name << "/doc.md)");
    REQUIRE_FALSE(doc.empty());
    CHECK(doc.rfind("# " + info.name + " (" + info.code + ")", 0) == 0);
    for (const char* section : {"## What it does", "## Why is this bad?", "## Example", "## Use instead", "## How to fix"}) {
      INFO("section " << section);
      CHECK(doc.find(section) != std::string_view::npos);
    }
    CHECK_FALSE(info.summary.empty());
    CHECK(std::regex_match(info.code, std::regex("OL[0-9]{3}")));
    CHECK(std::regex_match(info.name, std::regex("[a-z0-9]+(-[a-z0-9]+)*")));
  }
}

TEST_CASE("every rule's bad example triggers it and its good example does not", "[docs]") {
  for (const Rule* rule : all_rules()) {
    const std::string& name = rule->info().name;
    std::string_view doc = rule_documentation(name);
    std::string bad = code_block(doc, "Example");
    std::string good = code_block(doc, "Use instead");
    INFO("rule " << name);
    REQUIRE_FALSE(bad.empty());
    REQUIRE_FALSE(good.empty());
    CHECK(findings_for(rule, bad) > 0);
    CHECK(findings_for(rule, good) == 0);
  }
}

TEST_CASE("rule codes and names are unique", "[docs]") {
  std::set<std::string> codes, names;
  for (const Rule* rule : all_rules()) {
    CHECK(codes.insert(rule->info().code).second);
    CHECK(names.insert(rule->info().name).second);
  }
}
