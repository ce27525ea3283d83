// unknown-dialect-name: upgrade() or downgrade() compares the database's dialect name with a string no
// SQLAlchemy dialect is named — `bind.dialect.name == "postgres"` (PostgreSQL's dialect is "postgresql"),
// "PostgreSQL", "sqlite3", "sqlserver". The test can never match, so the steps meant for that database are
// skipped there (or, behind `!=`, run there too). Found in mealie and spiff-arena: foreign keys and indexes
// silently never dropped.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/text.h"
#include "engine/rule.h"

namespace ormlint {

namespace {

// SQLAlchemy's own dialects, by their `Dialect.name`, and how they are called in prose.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kDialects = {
    {{"postgresql", "PostgreSQL"},
     {"mysql", "MySQL"},
     {"mariadb", "MariaDB"},
     {"sqlite", "SQLite"},
     {"oracle", "Oracle"},
     {"mssql", "SQL Server"}}};

// Names people write for a dialect whose `name` is another (URL schemes, driver and product names). A name
// outside this list and kDialects may be a third-party dialect's (cockroachdb, snowflake, duckdb): not
// judged.
constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kMistaken = {
    {{"postgres", "postgresql"},
     {"postgre", "postgresql"},
     {"pgsql", "postgresql"},
     {"psql", "postgresql"},
     {"pg", "postgresql"},
     {"psycopg2", "postgresql"},
     {"sqlite3", "sqlite"},
     {"pysqlite", "sqlite"},
     {"sqlserver", "mssql"},
     {"sql_server", "mssql"},
     {"pyodbc", "mssql"},
     {"pymysql", "mysql"},
     {"mysqldb", "mysql"}}};

// The dialect name meant by `written`, when `written` is not it: "postgres" -> "postgresql", "SQLite" ->
// "sqlite", "postgresql+psycopg2" -> "postgresql" (a URL's scheme). Nothing for a right name or an unknown
// one.
std::optional<std::string_view> meant_dialect(std::string_view written) {
  std::string name = lower(written);
  if (size_t plus = name.find('+'); plus != std::string::npos) name.resize(plus);
  for (const auto& [dialect, prose] : kDialects) {
    if (name == dialect) {
      if (written == dialect) return std::nullopt;
      return dialect;
    }
  }
  for (const auto& [mistaken, dialect] : kMistaken) {
    if (name == mistaken) return dialect;
  }
  return std::nullopt;
}

std::string_view prose_name(std::string_view dialect) {
  for (const auto& [name, prose] : kDialects) {
    if (name == dialect) return prose;
  }
  return dialect;
}

class UnknownDialectName final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL233",
        "unknown-dialect-name",
        "Migration compares the dialect name with a name no dialect has (\"postgres\" for "
        "\"postgresql\"): the test never matches",
        Severity::Error,
        Profile::Any,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    for (const Expr& literal : file.facts.revision->database_names) {
      const std::optional<std::string_view> dialect = meant_dialect(literal.text);
      if (!dialect) continue;
      const std::string database(prose_name(*dialect));
      out.report(file, literal.loc,
                 "the dialect name is never `\"" + literal.text + "\"`: SQLAlchemy names " + database +
                     "'s dialect `\"" + std::string(*dialect) + "\"`, so this test never matches on " +
                     database + ", and the migration does there what it meant for the other databases",
                 "compare with `\"" + std::string(*dialect) + "\"`");
    }
  }
};

ORMLINT_RULE(UnknownDialectName);

}  // namespace

}  // namespace ormlint
