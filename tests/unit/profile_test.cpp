// The portability rules run in the default (portable) profile and stay silent in the postgresql profile, where
// native enums, PostgreSQL types and dialect imports are the intended design.
#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "engine/config.h"
#include "engine/rule.h"

using namespace ormlint;

namespace {

bool contains(const std::vector<const Rule*>& rules, const Rule* rule) {
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

}  // namespace

TEST_CASE("portability rules follow the profile", "[profile]") {
  for (const char* name : {"native-enum", "postgresql-type", "postgresql-import"}) {
    INFO("rule " << name);
    const Rule* rule = find_rule(name);
    REQUIRE(rule != nullptr);
    CHECK(rule->info().profile == Profile::Portable);
    CHECK(rule->info().enabled_by_default);

    Config portable;  // the default profile
    REQUIRE(portable.profile == Profile::Portable);
    CHECK(contains(active_rules(portable, "test"), rule));

    Config postgresql;
    postgresql.profile = Profile::PostgreSQL;
    CHECK_FALSE(contains(active_rules(postgresql, "test"), rule));

    // "ALL" stays within the profile too; naming the rule explicitly still runs it.
    postgresql.select = std::vector<std::string>{"ALL"};
    CHECK_FALSE(contains(active_rules(postgresql, "test"), rule));
    postgresql.select = std::vector<std::string>{name};
    CHECK(contains(active_rules(postgresql, "test"), rule));
  }
}

TEST_CASE("portability rules are found by code", "[profile]") {
  CHECK(find_rule("OL102") == find_rule("native-enum"));
  CHECK(find_rule("OL103") == find_rule("postgresql-type"));
  CHECK(find_rule("OL104") == find_rule("postgresql-import"));
}
