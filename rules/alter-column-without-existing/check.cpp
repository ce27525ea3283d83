// alter-column-without-existing: `op.alter_column(...)` / `batch_op.alter_column(...)` that MySQL runs as
// `ALTER TABLE ... MODIFY` (or `CHANGE`, for a rename) without the `existing_*=` keywords that describe the
// rest of the column. MySQL has no statement that changes one attribute of a column: MODIFY restates the
// whole definition, and Alembic fills what the call does not say with defaults (checked with Alembic 1.8's
// SQL output). So a type change or a rename without `existing_nullable=False` makes a NOT NULL column NULL,
// one without `existing_server_default=` drops the server default, without `existing_autoincrement=True` the
// id loses AUTO_INCREMENT, without `existing_comment=` the comment goes, and without a type at all Alembic
// refuses the call. The migration succeeds and says nothing; PostgreSQL and SQLite (batch mode) keep what is
// not named, so the loss shows only on MySQL. What the column has is read from the models and from the
// revisions that created it.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rule.h"
#include "project/migration_ops.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

bool given(const Expr* e) {
  return e && e->kind != Expr::Kind::None;
}

// The keywords that make Alembic's MySQL dialect restate the column (MySQLImpl.alter_column): anything but a
// lone server_default=, which is `ALTER COLUMN ... SET DEFAULT`.
bool restates_column(const Expr& call) {
  const Expr* comment = call.keyword("comment");
  return given(call.keyword("type_")) || given(call.keyword("new_column_name")) ||
         given(call.keyword("nullable")) || given(call.keyword("autoincrement")) ||
         (comment && !comment->is_false());
}

// In a batch that copies the table (`batch_alter_table(..., recreate="always")`) Alembic changes only what
// the call names on the reflected column and emits no MODIFY: nothing is restated.
bool in_recreated_batch(const RevisionInfo& revision, const OperationCall& op) {
  if (!op.in_batch) return false;
  const OperationCall* batch = nullptr;  // the closest batch_alter_table before it, as written_table reads it
  for (const OperationCall& other : revision.operations) {
    if (&other == &op) break;
    if (other.name == "batch_alter_table" && other.function == op.function) batch = &other;
  }
  const Expr* recreate = batch ? batch->call.keyword("recreate") : nullptr;
  return recreate && recreate->is_string() && recreate->text == "always";
}

// `sqlalchemy.BigInteger`, `sqlalchemy.dialects.mysql.INTEGER`: an integer type, which MySQL may give
// AUTO_INCREMENT.
bool integer_type(std::string_view origin) {
  if (!origin.starts_with("sqlalchemy.")) return false;
  std::string name(origin.substr(origin.rfind('.') + 1));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name.ends_with("int") || name.ends_with("integer");
}

// What ormlint knows the column has, besides what the call changes.
struct KnownColumn {
  bool not_null = false;  // NOT NULL (nullable=False, a primary key, a non-Optional Mapped[...])
  bool nullable = false;  // nullable, and nothing says NOT NULL
  const ProjectFile* default_file = nullptr;
  const Expr* server_default = nullptr;
  bool autoincrement = false;  // the table's single integer primary key
  bool comment = false;
  std::string source;  // "the model" / "its create_table" ...: where not_null was read
};

void read_model(const Project& project, const std::string& table, const std::string& column,
                KnownColumn& known) {
  const auto tables = project.tables().named(table);
  if (tables.size() != 1) return;  // unknown, or defined twice: nothing certain
  const TableDef& def = *tables.front();
  const ColumnDef* col = def.column(column);
  if (!col) return;
  using Source = ColumnDef::NullableSource;
  if (col->nullable_source != Source::Unknown) {
    if (col->nullable) {
      known.nullable = true;
    } else {
      known.not_null = true;
      known.source = "the model";
    }
  }
  if (col->server_default) {
    known.server_default = col->server_default;
    known.default_file = col->file;
  }
  const Expr* autoincrement = col->construct ? col->construct->keyword("autoincrement") : nullptr;
  const auto primary_keys =
      std::count_if(def.columns.begin(), def.columns.end(), [](const ColumnDef& c) { return c.primary_key; });
  known.autoincrement = col->primary_key && primary_keys == 1 && integer_type(col->type) &&
                        !(autoincrement && autoincrement->is_false());
  known.comment = col->construct && given(col->construct->keyword("comment"));
}

// The create_table / add_column of the column in revisions not after this one (what later revisions do is no
// history of `op`).
void read_history(const Project& project, const ProjectFile& file, const OperationCall& op,
                  const std::string& column, RevisionsAround& around, KnownColumn& known) {
  const auto history = project.migration_columns(op.table, column);
  if (history.empty()) return;
  bool created_nullable = false;  // some creation makes it nullable (nullable=True, or no nullable= at all)
  for (const ColumnInfo* c : history) {
    const OperationCall& created = *c->operation;
    if (created.function != "upgrade" || (created.name != "create_table" && created.name != "add_column"))
      continue;
    if (c->file == &file ? created.call.loc.start_byte > op.call.loc.start_byte : around.after(c->file))
      continue;
    const Expr* nullable = c->keyword("nullable");
    const Expr* primary_key = c->keyword("primary_key");
    if ((nullable && nullable->is_false()) || (primary_key && primary_key->is_true())) {
      known.not_null = true;
      known.nullable = false;
      if (known.source.empty()) known.source = "its " + std::string(created.name);
    } else {
      created_nullable = true;
    }
    if (!known.server_default && given(c->keyword("server_default"))) {
      known.server_default = c->keyword("server_default");
      known.default_file = c->file;
    }
    if (given(c->keyword("comment"))) known.comment = true;
    const Expr* autoincrement = c->keyword("autoincrement");
    if (primary_key && primary_key->is_true() && integer_type(c->type.origin) &&
        !(autoincrement && autoincrement->is_false())) {
      known.autoincrement = true;
    }
  }
  // Created nullable and nothing (models or history) says NOT NULL: MODIFY's NULL loses nothing (pybossa's
  // columns no model maps any more).
  if (created_nullable && !known.not_null) known.nullable = true;
}

// Whether upgrade() adds or drops the column `column` of op's table, or changes whether it is nullable (by
// its name before or after a rename): then the models, which show the schema after upgrade(), do not show
// what the downgrade() operation `op` finds.
bool upgrade_reshapes(const RevisionInfo& revision, const OperationCall& op, const std::string& column) {
  return std::any_of(revision.operations.begin(), revision.operations.end(), [&](const OperationCall& other) {
    if (other.function != "upgrade" || other.table != op.table) return false;
    if (other.name == "add_column" || other.name == "drop_column") return other.column_name() == column;
    if (other.name != "alter_column" || !other.call.keyword("nullable")) return false;
    const Expr* renamed = other.call.keyword("new_column_name");
    return other.column_name() == column || (renamed && renamed->is_string() && renamed->text == column);
  });
}

class AlterColumnWithoutExisting final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL237",
        "alter-column-without-existing",
        "alter_column restates the column on MySQL (MODIFY) without existing_nullable= / "
        "existing_server_default= / existing_type=: NOT NULL and defaults are silently lost",
        Severity::Warning,
        Profile::Portable,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    RevisionsAround around(project, file);
    for (const OperationCall& op : revision.operations) {
      // MariaDB connections mostly say "mysql" too: a branch that excludes "mysql" is taken for not MySQL.
      if (op.name != "alter_column" || !op.runs_on("mysql")) continue;
      const Expr& call = op.call;
      if (!restates_column(call) || alter_column_given_column(op) || in_recreated_batch(revision, op))
        continue;
      const std::string label = written_table(revision, op).shown() + "." + written_column(op).shown();
      if (!given(call.keyword("type_")) && !given(call.keyword("existing_type"))) {
        out.report(
            file, call.loc,
            "`" + label +
                "`: on MySQL alter_column restates the whole column (MODIFY), which needs its "
                "type: without `type_=` or `existing_type=` Alembic stops the migration with \"All MySQL "
                "CHANGE/MODIFY COLUMN operations require the existing type\"",
            "pass `existing_type=` (the column's current type), and `existing_nullable=` / "
            "`existing_server_default=` as the column has them");
        continue;
      }
      report_lost_attributes(file, project, op, label, around, out);
    }
  }

 private:
  static void report_lost_attributes(const ProjectFile& file, const Project& project, const OperationCall& op,
                                     const std::string& label, RevisionsAround& around, Reporter& out) {
    const Expr& call = op.call;
    KnownColumn known;
    const std::string column = op.column_name();
    if (!op.table.empty() && !column.empty()) {
      // The models describe the column as upgrade() leaves it: under its new name after upgrade()'s rename;
      // as downgrade() finds it, unless upgrade() changed what they would say.
      const Expr* renamed = call.keyword("new_column_name");
      if (op.function == "upgrade") {
        read_model(project, std::string(op.table),
                   renamed && renamed->is_string() ? std::string(renamed->text) : column, known);
      } else if (!upgrade_reshapes(*file.facts.revision, op, column)) {
        read_model(project, std::string(op.table), column, known);
      }
      read_history(project, file, op, column, around, known);
    }
    std::vector<std::string> lost;
    std::vector<std::string> keywords;
    if (!call.keyword("nullable") && !call.keyword("existing_nullable") && !known.nullable) {
      lost.push_back(known.not_null ? "it becomes NULL, though " + known.source + " makes it NOT NULL"
                                    : "it becomes NULL (a NOT NULL column silently loses NOT NULL)");
      keywords.push_back(known.not_null ? "existing_nullable=False" : "existing_nullable=");
    }
    if (known.server_default && !call.keyword("server_default") && !call.keyword("existing_server_default")) {
      lost.push_back("its server default `" + known.default_file->written(*known.server_default, 40) +
                     "` is dropped");
      keywords.push_back("existing_server_default=" + known.default_file->written(*known.server_default, 40));
    }
    if (known.autoincrement && !call.keyword("autoincrement") && !call.keyword("existing_autoincrement")) {
      lost.push_back("it loses AUTO_INCREMENT, so inserts without an id fail");
      keywords.push_back("existing_autoincrement=True");
    }
    if (known.comment && !call.keyword("comment") && !call.keyword("existing_comment")) {
      lost.push_back("its comment is dropped");
      keywords.push_back("existing_comment=");
    }
    if (lost.empty()) return;
    std::string effects, fix;
    for (size_t i = 0; i < lost.size(); ++i) {
      effects += (i == 0 ? "" : i + 1 == lost.size() ? ", and " : ", ") + lost[i];
      fix += (i == 0 ? "`" : ", `") + keywords[i] + "`";
    }
    out.report(file, call.loc,
               "`" + label +
                   "`: on MySQL alter_column restates the whole column (MODIFY), filling in what the "
                   "call does not say: " +
                   effects,
               "pass what the column keeps: " + fix + " (as `alembic revision --autogenerate` writes them)");
  }
};

ORMLINT_RULE(AlterColumnWithoutExisting);

}  // namespace

}  // namespace ormlint
