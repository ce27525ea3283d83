// The PostgreSQL lock and transaction rules belong to the postgresql profile: a project on the default
// (portable) profile never sees them, and `profile = "postgresql"` turns them on.
// transaction-control-in-migration is wrong on every database and runs in both.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/rule.h"
#include "fixture_support.h"

using namespace ormlint;
using namespace ormlint::testing;

namespace {

const std::vector<std::string> kPostgresqlRules = {
    "create-index-not-concurrently", "drop-index-not-concurrently", "concurrent-index-in-transaction",
    "unique-constraint-on-existing-table", "enum-value-added-in-transaction"};

// One revision that trips every PostgreSQL rule above and transaction-control-in-migration.
const char* const kRevision = R"(# file: versions/0002_tool_lookups.py
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    op.create_index("ix_tools_owner_id", "tools", ["owner_id"])
    op.drop_index("ix_tools_owner", table_name="tools")
    op.create_index("ix_tools_slug", "tools", ["slug"], postgresql_concurrently=True)
    op.create_unique_constraint("uq_tools_name", "tools", ["name"])
    op.execute("ALTER TYPE tooltype ADD VALUE 'website'")
    op.execute("COMMIT")


def downgrade():
    pass
)";

bool contains(const std::vector<const Rule*>& rules, const Rule* rule) {
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

// The rules that report something on kRevision with this configuration's default rule set.
std::set<std::string> rules_reporting(const TempDir& dir, const Config& config) {
  RunResult result;
  run_and_collect(dir.path(), config, active_rules(config, "test"), &result);
  std::set<std::string> names;
  for (const Diagnostic& d : result.diagnostics) names.insert(d.rule);
  return names;
}

}  // namespace

TEST_CASE("PostgreSQL lock rules are off by default and on with profile = \"postgresql\"", "[profile]") {
  TempDir dir;
  write_files(dir.path(),
              std::string("# file: pyproject.toml\n[tool.ormlint]\nprofile = \"postgresql\"\n") + kRevision,
              "unused.py");
  Config portable;  // the default profile
  portable.root = dir.path();
  REQUIRE(portable.profile == Profile::Portable);
  Config postgresql = load_config(dir.path() / "pyproject.toml");
  REQUIRE(postgresql.profile == Profile::PostgreSQL);

  for (const std::string& name : kPostgresqlRules) {
    INFO("rule " << name);
    const Rule* rule = find_rule(name);
    REQUIRE(rule != nullptr);
    CHECK(rule->info().profile == Profile::PostgreSQL);
    CHECK(rule->info().enabled_by_default);
    CHECK_FALSE(contains(active_rules(portable, "test"), rule));
    CHECK(contains(active_rules(postgresql, "test"), rule));
  }

  std::set<std::string> silent = rules_reporting(dir, portable);
  std::set<std::string> loud = rules_reporting(dir, postgresql);
  for (const std::string& name : kPostgresqlRules) {
    INFO("rule " << name);
    CHECK(silent.count(name) == 0);
    CHECK(loud.count(name) == 1);
  }
  // Not a PostgreSQL-only mistake: reported in both profiles.
  CHECK(silent.count("transaction-control-in-migration") == 1);
  CHECK(loud.count("transaction-control-in-migration") == 1);
}

TEST_CASE("PostgreSQL lock rules are found by code", "[profile]") {
  CHECK(find_rule("OL211") == find_rule("create-index-not-concurrently"));
  CHECK(find_rule("OL212") == find_rule("drop-index-not-concurrently"));
  CHECK(find_rule("OL213") == find_rule("concurrent-index-in-transaction"));
  CHECK(find_rule("OL214") == find_rule("unique-constraint-on-existing-table"));
  CHECK(find_rule("OL215") == find_rule("enum-value-added-in-transaction"));
  CHECK(find_rule("OL216") == find_rule("transaction-control-in-migration"));
  CHECK(find_rule("OL216")->info().profile == Profile::Any);
}
