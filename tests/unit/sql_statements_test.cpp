// The SQL word readers rules share (facts/sql_statements.h).
#include "facts/sql_statements.h"

#include <catch2/catch.hpp>

using namespace ormlint;

TEST_CASE("SQL words: quotes separate words, but the quoted parts of a dotted name are one", "[sql]") {
  CHECK(sql_identifier_words(R"(INSERT INTO "t_new" (id) SELECT id FROM t)") ==
        std::vector<std::string>{"insert", "into", "t_new", "id", "select", "id", "from", "t"});
  CHECK(sql_identifier_words(R"(CREATE INDEX "ix" ON "augur_data"."contributors" (gh_login))") ==
        std::vector<std::string>{"create", "index", "ix", "on", "augur_data.contributors", "gh_login"});
  CHECK(sql_identifier_words("ALTER TABLE `shop`.`orders` DROP COLUMN note -- gone") ==
        std::vector<std::string>{"alter", "table", "shop.orders", "drop", "column", "note"});
}

TEST_CASE("SQL words: a placeholder prefixing a name (a schema filled in) is not part of it", "[sql]") {
  // rucio's `'ALTER TABLE %srules ...' % schema`, `f"... {schema}.rules ..."`.
  CHECK(sql_identifier_words("ALTER TABLE %srules ALTER COLUMN state") ==
        std::vector<std::string>{"alter", "table", "rules", "alter", "column", "state"});
  CHECK(sql_identifier_words("ALTER TABLE {schema}.rules DROP x") ==
        std::vector<std::string>{"alter", "table", "rules", "drop", "x"});
  CHECK(sql_identifier_words("UPDATE %(prefix)susers SET a = 1") ==
        std::vector<std::string>{"update", "users", "set", "a", "1"});
  // A placeholder standing for the whole name stays a word of its own: the name is unknown.
  CHECK(sql_identifier_words("ALTER TABLE {table} DROP x") ==
        std::vector<std::string>{"alter", "table", "table", "drop", "x"});
  CHECK(sql_identifier_words("WHERE a = %s AND b = 1") ==
        std::vector<std::string>{"where", "a", "s", "and", "b", "1"});
}

TEST_CASE("SQL identifiers in help texts are quoted when SQL needs it", "[sql]") {
  CHECK(sql_identifier("users") == "users");
  CHECK(sql_identifier("order_items2") == "order_items2");
  CHECK(sql_identifier("user") == "\"user\"");    // reserved by PostgreSQL
  CHECK(sql_identifier("order") == "\"order\"");  // reserved by SQL
  CHECK(sql_identifier("Users") == "\"Users\"");  // folded to lower case unless quoted
  CHECK(sql_identifier("2fa") == "\"2fa\"");
}

TEST_CASE("SQL drops: tables, indexes and types by name, columns and constraints by ALTER TABLE clause",
          "[sql]") {
  auto shown = [](const std::string& sql) {
    std::vector<std::string> out;
    for (const SqlDrop& drop : sql_drops(sql)) {
      static const char* kinds[] = {"table", "index", "type", "column", "constraint"};
      out.push_back(std::string(kinds[static_cast<int>(drop.kind)]) + ":" + drop.table + ":" + drop.name);
    }
    return out;
  };
  CHECK(shown("DROP TABLE IF EXISTS public.a, \"b\" CASCADE; DROP INDEX CONCURRENTLY ix_a; DROP VIEW v") ==
        std::vector<std::string>{"table::a", "table::b", "index::ix_a"});
  CHECK(shown("ALTER TABLE ONLY t DROP COLUMN IF EXISTS c, DROP CONSTRAINT fk_t, DROP d") ==
        std::vector<std::string>{"column:t:c", "constraint:t:fk_t", "column:t:d"});
  // Not columns: a column's default or NOT NULL, MySQL's DROP INDEX / PRIMARY KEY.
  CHECK(
      shown(
          "ALTER TABLE t ALTER COLUMN c DROP DEFAULT, ALTER c DROP NOT NULL, DROP INDEX ix, DROP PRIMARY KEY")
          .empty());
}

TEST_CASE("SQL statement verbs: the statement after a WITH clause", "[sql]") {
  auto verbs = [](std::string_view sql) {
    std::vector<std::string> found;
    for (const SqlStatement& statement : split_sql(sql)) found.push_back(sql_statement_verb(statement));
    return found;
  };
  CHECK(verbs("UPDATE t SET a = 1; delete from t") == std::vector<std::string>{"UPDATE", "DELETE"});
  CHECK(verbs("WITH todo AS (SELECT id FROM t LIMIT 5) UPDATE t SET a = 1 FROM todo") ==
        std::vector<std::string>{"UPDATE"});
  // Column lists, nested parentheses, several CTEs, a RECURSIVE one.
  CHECK(verbs("WITH RECURSIVE n(i) AS (SELECT 1 UNION SELECT i + 1 FROM n WHERE (i < 5)), m AS (SELECT 2) "
              "DELETE FROM t WHERE id IN (SELECT i FROM n)") == std::vector<std::string>{"DELETE"});
  CHECK(verbs("with d as (select id from defaults) insert into settings (id) select id from d") ==
        std::vector<std::string>{"INSERT"});
  // A SELECT over a CTE that changes rows is that change.
  CHECK(verbs("WITH x AS (UPDATE t SET a = 1 RETURNING id) SELECT count(*) FROM x") ==
        std::vector<std::string>{"UPDATE"});
  CHECK(verbs("WITH broken AS (") == std::vector<std::string>{"WITH"});
}

TEST_CASE("SQL renames: tables and columns by ALTER TABLE, not constraints", "[sql]") {
  const auto renames = sql_renames(
      "ALTER TABLE app RENAME TO project; ALTER TABLE project RENAME COLUMN app_id TO project_id;"
      "ALTER TABLE IF EXISTS ONLY task RENAME app_id TO project_id; ALTER TABLE t RENAME CONSTRAINT a TO b");
  REQUIRE(renames.size() == 3);
  CHECK((renames[0].table == "app" && renames[0].column.empty() && renames[0].to == "project"));
  CHECK((renames[1].table == "project" && renames[1].column == "app_id" && renames[1].to == "project_id"));
  CHECK((renames[2].table == "task" && renames[2].column == "app_id" && renames[2].to == "project_id"));
}
