// set-not-null: alter_column(nullable=False) in upgrade() on a column that already exists. The database checks
// every row while holding an ACCESS EXCLUSIVE lock (PostgreSQL; MySQL copies the table), and the migration fails
// with NotNullViolation if a single row still holds NULL.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

// Lower case without identifier quotes: `"Users"` and `users` compare equal.
std::string unquoted_lower(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '"' && c != '`') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The text holds the word `name` (as a whole identifier).
bool mentions(const std::string& text, const std::string& name) {
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    bool starts = at == 0 || !identifier_char(text[at - 1]);
    bool ends = at + name.size() >= text.size() || !identifier_char(text[at + name.size()]);
    if (starts && ends) return true;
  }
  return false;
}

// `email IS NOT NULL` (any spacing and case, quotes ignored).
bool says_not_null(const std::string& text, const std::string& column) {
  std::string collapsed;
  for (char c : unquoted_lower(text)) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!collapsed.empty() && collapsed.back() != ' ') collapsed += ' ';
    } else {
      collapsed += c;
    }
  }
  return mentions(collapsed, unquoted_lower(column) + " is not null");
}

// A string argument, also inside `sa.text("...")`.
const Expr* sql_string(const Expr* e) {
  e = unwrapped_sql_text(e);
  return e && e->kind == Expr::Kind::String ? e : nullptr;
}

// `sa.column("has_link").is_not(None)` / `.isnot(None)` (also on `t.c.has_link`): the expression SQLAlchemy
// renders as `has_link IS NOT NULL` (notifications-api's check constraints).
bool is_not_null_test(const Expr& condition, const std::string& column) {
  const std::string_view method = condition.callee_name();
  const Expr* tested = condition.receiver();
  const Expr* none = condition.arg(0);
  if ((method != "is_not" && method != "isnot") || !tested || !none || !none->is(Expr::Kind::None))
    return false;
  if (tested->is_call() && tested->callee_name() == "column" && tested->arg(0) &&
      tested->arg(0)->is_string()) {
    return unquoted_lower(tested->arg(0)->text) == unquoted_lower(column);
  }
  return tested->is(Expr::Kind::Attribute) && unquoted_lower(tested->name) == unquoted_lower(column);
}

// Does this operation add a CHECK (column IS NOT NULL) on the table?
bool adds_not_null_check(const OperationCall& op, const std::string& table, const std::string& column) {
  if (op.function != "upgrade") return false;
  if (op.name == "create_check_constraint" && op.table == table) {
    const Expr* condition = op.call.keyword("condition");
    if (!condition) condition = op.argument(1);
    const Expr* text = sql_string(condition);
    return (text && says_not_null(text->text, column)) || (condition && is_not_null_test(*condition, column));
  }
  if (op.name == "execute") {
    const Expr* sql = op.call.keyword("sqltext");
    const Expr* text = sql_string(sql ? sql : op.call.arg(0));
    if (!text) return false;
    std::string normalized = unquoted_lower(text->text);
    return mentions(normalized, "check") && mentions(normalized, unquoted_lower(table)) &&
           says_not_null(text->text, column);
  }
  return false;
}

// PostgreSQL 12+ skips the scan when a validated CHECK (column IS NOT NULL) proves there is no NULL. That
// constraint is the recipe's first step, in an earlier migration (in the same transaction it would scan under the
// same lock), or in an autocommit block of this one.
bool proven_by_check_constraint(const ProjectFile& file, const Project& project, const std::string& table,
                                const std::string& column) {
  for (const auto& other : project.files()) {
    if (!other->facts.revision) continue;
    for (const OperationCall& op : other->facts.revision->operations) {
      if ((other.get() != &file || op.in_autocommit_block) && adds_not_null_check(op, table, column)) return true;
    }
  }
  return false;
}

// A create_table whose table-level `sa.PrimaryKeyConstraint("device_id", ...)` lists the column (tacker): a
// primary-key column is NOT NULL.
bool in_table_primary_key(const OperationCall& create, const std::string& column) {
  if (create.name != "create_table") return false;
  return std::any_of(create.call.items.begin(), create.call.items.end(), [&](const Expr& item) {
    return item.is_call() && item.callee_name() == "PrimaryKeyConstraint" &&
           std::any_of(item.items.begin(), item.items.end(), [&](const Expr& name) {
             return name.is_string() && unquoted_lower(name.text) == column;
           });
  });
}

// The revision history says the column is NOT NULL already: every migration before `op` (earlier revisions,
// and earlier operations of its own) that creates it (create_table or add_column) makes it NOT NULL
// (nullable=False, or a primary key), and none makes it nullable again. Autogenerate repeats `nullable=False`
// when it changes a primary key's type (fides, pgAdmin). What later revisions do (gnocchi renames `type` away
// and adds a new nullable `type`) is no history of this one.
bool not_null_in_history(const Project& project, const ProjectFile& file, const OperationCall& op,
                         const std::string& table, const std::string& column) {
  const std::set<const ProjectFile*> before = project.revisions_before(file);
  auto earlier = [&](const ProjectFile* other, const OperationCall& other_op) {
    return other == &file ? other_op.call.loc.start_byte < op.call.loc.start_byte : before.count(other) > 0;
  };
  // One pass over the earlier upgrade() operations: the table renames (to follow the table to the names it
  // had before: `rename_table("devicetemplates", "vnfd")`, tacker) and the alter_columns that make a column
  // of some table nullable.
  std::vector<std::pair<std::string, std::string>> renames;  // (old, new), lower case
  std::vector<const OperationCall*> relaxed;
  // Drops of the column, and columns renamed to its name (`alter_column("item", "new_owner_id",
  // new_column_name="owner_id")` after dropping the old one, the FastAPI template): the name then holds
  // another column, whose history is not the one read here. Unprovable: not NOT NULL.
  std::vector<const OperationCall*> replaced;
  for (const auto& other : project.files()) {
    if (!other->facts.revision) continue;
    for (const OperationCall& other_op : other->facts.revision->operations) {
      if (other_op.function != "upgrade" || !earlier(other.get(), other_op)) continue;
      if (other_op.name == "rename_table" && !other_op.table.empty()) {
        const Expr* renamed = other_op.call.keyword("new_table_name");
        if (!renamed) renamed = other_op.argument(0);
        if (renamed && renamed->is_string()) {
          renames.emplace_back(unquoted_lower(other_op.table), unquoted_lower(renamed->text));
        }
      } else if (other_op.name == "alter_column") {
        const Expr* nullable = other_op.call.keyword("nullable");
        if (nullable && !nullable->is_false() && unquoted_lower(other_op.column_name()) == column) {
          relaxed.push_back(&other_op);
        }
        const Expr* new_name = other_op.call.keyword("new_column_name");
        if (new_name && new_name->is_string() && unquoted_lower(new_name->text) == column)
          replaced.push_back(&other_op);
      } else if (other_op.name == "drop_column" && unquoted_lower(other_op.column_name()) == column) {
        replaced.push_back(&other_op);
      }
    }
  }
  std::set<std::string> names{table};
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [old_name, new_name] : renames) {
      if (names.count(new_name)) grew = names.insert(old_name).second || grew;
    }
  }
  bool created = false;
  for (const ColumnInfo& c : project.columns()) {
    if (c.context != ColumnInfo::Context::Migration || !c.operation || c.operation->function != "upgrade") continue;
    if (c.operation->name == "alter_column" || !names.count(unquoted_lower(c.table)) ||
        unquoted_lower(c.name) != column) {
      continue;
    }
    if (!earlier(c.file, *c.operation)) continue;
    const Expr* nullable = c.keyword("nullable");
    const Expr* primary_key = c.keyword("primary_key");
    const bool key = (primary_key && primary_key->is_true()) || in_table_primary_key(*c.operation, column);
    if (nullable ? !nullable->is_false() : !key) return false;
    created = true;
  }
  if (!created) return false;
  auto on_table = [&](const OperationCall* other) { return names.count(unquoted_lower(other->table)) > 0; };
  return std::none_of(relaxed.begin(), relaxed.end(), on_table) &&
         std::none_of(replaced.begin(), replaced.end(), on_table);
}

// `add_column(Column("c", nullable=True))` then `alter_column("c", nullable=False)` with nothing written in
// between: every existing row holds NULL, so the migration fails on any table with rows. `shown`:
// `table.column`.
void report_never_filled(const ProjectFile& file, const OperationCall& op, const std::string& shown,
                         Reporter& out) {
  out.report(
      file, op.call.loc,
      "upgrade() adds `" + shown +
          "` without a default and makes it NOT NULL with nothing written in between: every existing row "
          "holds NULL, so the migration fails (NotNullViolation) on any table that has rows",
      "fill the column before making it NOT NULL (`UPDATE ... SET ... = ...`), or add it with a "
      "`server_default=` (then drop the default if the application always sets it)",
      Severity::Error);
}

// The finding for an existing column made NOT NULL where the database locks the table for the scan: the names
// as shown in the message, and as SQL must spell them in the help (`UPDATE "user" ...`: PostgreSQL reserves
// `user`).
struct NotNullColumn {
  std::string table, column, table_sql, column_sql;
};

std::string backfill_help(const NotNullColumn& c) {
  return "backfill first (`UPDATE " + c.table_sql + " SET " + c.column_sql + " = ... WHERE " + c.column_sql +
         " IS NULL`)";
}

void report_locked_scan(const ProjectFile& file, const OperationCall& op, const NotNullColumn& c,
                        const std::string& how, Reporter& out) {
  out.report(
      file, op.call.loc,
      "upgrade() makes `" + c.table + "." + c.column + "` NOT NULL" + how +
          ": the database scans every row under an ACCESS EXCLUSIVE lock, and the migration fails with "
          "NotNullViolation if any row is still NULL",
      backfill_help(c) + "; on PostgreSQL 12+ add `CHECK (" + c.column_sql +
          " IS NOT NULL) NOT VALID` in one migration, then VALIDATE it and SET NOT NULL in the next");
}

class SetNotNull final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL225", "set-not-null",
                               "upgrade() makes an existing column NOT NULL: a full-table scan under lock, and the "
                               "migration fails on any NULL left",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    for (const OperationCall& op : revision.operations) {
      if (op.function != "upgrade") continue;
      if (op.name == "execute") check_sql(file, project, revision, op, out);
      if (op.name != "alter_column") continue;
      const Expr* nullable = op.call.keyword("nullable");
      if (!nullable || !nullable->is_false() || revision.creates_table_before(op)) continue;
      // existing_nullable=False: the column is NOT NULL already, PostgreSQL does nothing.
      if (const Expr* existing = op.call.keyword("existing_nullable"); existing && existing->is_false()) continue;
      std::string column = op.column_name();
      const WrittenName written_table_name = written_table(*file.facts.revision, op);
      const WrittenName written_column_name = written_column(op);
      // Added earlier in this upgrade(): it is new, not an existing column — and, unless filled in between,
      // NULL in every row, which SET NOT NULL refuses as surely as an ADD COLUMN ... NOT NULL without a
      // default.
      if (column_added_before(revision, op)) {
        if (!op.table.empty() && !column.empty() &&
            column_all_null_at(revision, op, unquoted_lower(op.table), unquoted_lower(column))) {
          report_never_filled(file, op, written_table_name.shown() + "." + written_column_name.shown(), out);
        }
        continue;
      }
      if (!op.table.empty() && !column.empty() && proven_by_check_constraint(file, project, op.table, column)) continue;
      if (!op.table.empty() && !column.empty() &&
          not_null_in_history(project, file, op, unquoted_lower(op.table), unquoted_lower(column))) {
        continue;
      }
      const NotNullColumn shown{
          written_table_name.shown(), written_column_name.shown(),
          written_table_name.literal ? sql_identifier(written_table_name.text) : written_table_name.shown(),
          written_column_name.literal ? sql_identifier(written_column_name.text)
                                      : written_column_name.shown()};
      // A branch only SQLite runs (`if dialect.name == "sqlite":`, a sqlite_versions/ folder): batch mode
      // copies the table, with no lock for other sessions to wait on, but a NULL left still fails the copy.
      if (!op.runs_on("postgresql") && !op.runs_on("mysql")) {
        const bool backfilled = any_sql_before(
            file.facts, op, [&](const std::string& sql) { return updates_column(sql, op.table, column); });
        if (backfilled) continue;
        out.report(
            file, op.call.loc,
            "upgrade() makes `" + shown.table + "." + shown.column +
                "` NOT NULL: the migration fails (NOT NULL constraint failed) if any row is still NULL",
            backfill_help(shown) + " in the same upgrade()");
        continue;
      }
      report_locked_scan(file, op, shown, "", out);
    }
  }

 private:
  // `op.execute('ALTER TABLE "projects" ALTER "published" SET NOT NULL')` (osparc-simcore): the statement
  // alter_column(nullable=False) emits, judged the same way. PostgreSQL's spelling (MySQL writes MODIFY).
  static void check_sql(const ProjectFile& file, const Project& project, const RevisionInfo& revision,
                        const OperationCall& op, Reporter& out) {
    std::string sql;
    if (!op.runs_on("postgresql") || !literal_sql(file.facts, executed_sql(op), sql)) return;
    for (const SqlColumnName& set : sql_set_not_nulls(sql)) {
      const std::string table = unqualified_name(set.table);
      if (revision.creates_table_before(op, table)) continue;
      // Names an f-string or %-formatting fills in (a loop over tables): unknown, so no history can prove
      // them.
      const bool known = !sql_interpolates(sql, table) && !sql_interpolates(sql, set.column);
      if (known && column_added_before(revision, op, table, set.column)) {
        if (!column_all_null_at(revision, op, table, set.column)) continue;
        report_never_filled(file, op, table + "." + set.column, out);
        return;  // one finding per operation
      }
      if (known && (proven_by_check_constraint(file, project, table, set.column) ||
                    not_null_in_history(project, file, op, table, set.column))) {
        continue;
      }
      const NotNullColumn shown =
          known ? NotNullColumn{table, set.column, sql_identifier(table), sql_identifier(set.column)}
                : NotNullColumn{"?", "?", "<table>", "<column>"};
      report_locked_scan(file, op, shown, " in SQL", out);
      return;  // one finding per operation
    }
  }
};

ORMLINT_RULE(SetNotNull);

}  // namespace

}  // namespace ormlint
