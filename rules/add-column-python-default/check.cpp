// add-column-python-default: `op.add_column(...)` of a nullable Column given `default=` (or `insert_default=`) but
// no `server_default=`. A Python-side default is applied by SQLAlchemy when it inserts through that Column
// object; a migration's Column never inserts anything, so Alembic emits `ADD COLUMN c type` with no DEFAULT: the
// existing rows get NULL, and the database has no default for new rows. (A NOT NULL column so added fails, which
// add-not-null-column-without-default reports.)
#include <string>
#include <string_view>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

bool given(const Expr* e) {
  return e && e->kind != Expr::Kind::None;
}

// `UPDATE <table> SET ... <column> = ...` (the column among those SET assigns).
bool sets_column(std::string_view sql, const std::string& table, const std::string& column) {
  for (const SqlStatement& statement : split_sql(sql)) {
    SqlWords words(statement.text);
    if (!words.next_is("update") || !words.next_is(lower(table)) || !words.next_is("set")) continue;
    while (!words.at_end() && words.peek() != "where" && words.peek() != "from" &&
           words.peek() != "returning") {
      if (words.take() == lower(column)) return true;
    }
  }
  return false;
}

// Whether a later step of the function may give the existing rows a value for the added column: SQL that sets
// it, SQL ormlint cannot read, or a connection or session call. An UPDATE of other columns fills nothing.
bool may_fill(const ProjectFile& file, const RevisionInfo& revision, const OperationCall& added,
              const std::string& table, const std::string& column) {
  bool later = false;
  for (const OperationCall& other : revision.operations) {
    if (&other == &added) later = true;
    if (!later || &other == &added || other.function != added.function || other.name != "execute") continue;
    std::string sql;
    if (!literal_sql(file.facts, executed_sql(other), sql) || sets_column(sql, table, column)) return true;
  }
  return calls_may_write_rows(revision, added.function);
}

class AddColumnPythonDefault final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL236",
                               "add-column-python-default",
                               "op.add_column of a Column with default= but no server_default=: the migration "
                               "writes no default, so existing rows get NULL",
                               Severity::Warning,
                               Profile::Any,
                               true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    for (const OperationCall& op : revision.operations) {
      if (op.name != "add_column") continue;
      const Expr* column = added_column_call(op);
      if (!column) continue;
      std::string keyword = "default";
      const Expr* python_default = column->keyword(keyword);
      if (!python_default) python_default = column->keyword(keyword = "insert_default");
      if (!given(python_default) || given(column->keyword("server_default"))) continue;
      // NOT NULL without a server default fails outright: add-not-null-column-without-default's finding.
      const Expr* nullable = column->keyword("nullable");
      const Expr* primary_key = column->keyword("primary_key");
      if ((nullable && nullable->is_false()) || (primary_key && primary_key->is_true())) continue;
      // Added nullable, filled, then made NOT NULL (flaskbb, FlexMeasures): no row is left NULL, and an
      // insert that leaves the column out fails loudly, as for any NOT NULL column without a default.
      if (column_made_not_null_after(revision, op)) continue;
      const std::string label = written_table(revision, op).shown() + "." + written_column(op).shown();
      const std::string value = file.written(*python_default, 60);
      // A backfill later in the function (manila's session.execute(update)) fills the existing rows.
      const WrittenName table = written_table(revision, op), name = written_column(op);
      const bool filled =
          !table.literal || !name.literal || may_fill(file, revision, op, table.text, name.text);
      out.report(
          file, python_default->loc,
          "`" + label + "` is added with a Python-side `" + keyword + "=" + value +
              "` only: the migration writes no DEFAULT, so " +
              (filled ? "the database leaves NULL in every row not inserted through the model"
                      : "every existing row gets NULL, and so does every row not inserted through the "
                        "model"),
          "give it `server_default=` (a string, or `sa.text(\"...\")` for SQL), and fill the existing rows "
          "if NULL is not what they should hold");
    }
  }
};

ORMLINT_RULE(AddColumnPythonDefault);

}  // namespace

}  // namespace ormlint
