// rename-table: op.rename_table in upgrade(). The application version still running while the migration is
// deployed queries the old name and fails with UndefinedTable until every instance runs the new code.
#include <algorithm>
#include <cctype>
#include <string>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/revision_builder.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

// The SQL an `op.execute(...)` spells out (facts/sql_literal.h), lower-cased, quotes dropped, blanks
// collapsed.
std::string normalized_sql(const ModuleFacts& module, const OperationCall& op) {
  std::string sql;
  if (!literal_sql(module, executed_sql(op), sql)) return "";
  std::string out;
  for (char c : sql) {
    if (c == '"' || c == '`') continue;
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// Later in the same upgrade(), the old name is made again: `op.execute("CREATE VIEW orders AS SELECT * FROM
// purchase_orders")` keeps it working through an updatable view while the code moves over, and a new table of
// that name (`op.create_table`, CREATE TABLE) refilled from the renamed one is a table rebuild — renamed
// away, re-created, refilled (securedrop) — after which the name works as before. A new, empty table under
// the old name (agenta) is not: the running code finds no rows, or other columns.
bool old_name_kept(const ModuleFacts& module, const OperationCall& op, const std::string& old_name,
                   const std::string& new_name) {
  const RevisionInfo& revision = *module.revision;
  const bool refilled = rows_copied(module, op.function, lower(new_name), lower(old_name));
  if (refilled && table_operation_after(revision, op, "create_table")) return true;
  bool after = false;
  for (const OperationCall& later : revision.operations) {
    if (&later == &op) {
      after = true;
      continue;
    }
    if (!after || later.function != op.function || later.name != "execute") continue;
    if (refilled && sql_creates_table(later, old_name)) return true;
    std::string sql = normalized_sql(module, later);
    for (std::string create : {"create view ", "create or replace view "}) {
      size_t at = sql.find(create);
      if (at == std::string::npos) continue;
      std::string view = sql.substr(at + create.size());
      view = view.substr(0, view.find_first_of(" ("));
      view = view.substr(view.rfind('.') == std::string::npos ? 0 : view.rfind('.') + 1);  // `public.orders`
      if (view == lower(old_name)) return true;
    }
  }
  return false;
}

class RenameTable final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL223", "rename-table",
                               "upgrade() renames a table: the running application's queries fail until every "
                               "instance runs the new code",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    for (const OperationCall& op : revision.operations) {
      if (op.function == "upgrade" && op.name == "execute") report_sql_renames(file, project, op, out);
      // A table this upgrade() created is not known to any running code yet.
      if (op.function != "upgrade" || op.name != "rename_table" || revision.creates_table_before(op)) continue;
      const Expr* old_name = op.call.keyword("old_table_name");
      if (!old_name) old_name = op.call.arg(0);
      const Expr* new_name = op.call.keyword("new_table_name");
      if (!new_name && !op.call.keyword("old_table_name")) new_name = op.call.arg(1);
      std::string from = written_name(old_name).shown(), to = written_name(new_name).shown();
      if (old_name && old_name->is_string() && old_name_kept(file.facts, op, from, to)) continue;
      report(file, op, from, to, "", out);
    }
  }

 private:
  static void report(const ProjectFile& file, const OperationCall& op, const std::string& from,
                     const std::string& to, const std::string& how, Reporter& out) {
    out.report(file, op.call.loc,
               "upgrade() renames table `" + from + "` to `" + to + "`" + how +
                   ": the application version still running during the deploy queries `" + from +
                   "` and fails with UndefinedTable",
               "keep the old name working: right after the rename, `op.execute(\"CREATE VIEW " + from +
                   " AS SELECT * FROM " + to + "\")`, and drop the view once no code uses `" + from + "`");
  }

  // `op.execute("ALTER TABLE app RENAME TO project")` (pybossa): the same rename in SQL. PostgreSQL's ALTER
  // TABLE renames indexes and sequences too (`ALTER TABLE app_pkey RENAME TO project_pkey`), which no query
  // names: a name such objects are given is taken for one, unless the models or a revision create a table so
  // named.
  static void report_sql_renames(const ProjectFile& file, const Project& project, const OperationCall& op,
                                 Reporter& out) {
    std::string sql;
    if (!literal_sql(file.facts, executed_sql(op), sql)) return;
    const RevisionInfo& revision = *file.facts.revision;
    for (const SqlRename& rename : sql_renames(sql)) {
      const std::string from = unqualified_name(rename.table);
      if (!rename.column.empty() || sql_interpolates(sql, from) || revision.creates_table_before(op, from) ||
          (index_like(from) && !known_table(project, from)) ||
          old_name_kept(file.facts, op, from, unqualified_name(rename.to))) {
        continue;
      }
      report(file, op, from, unqualified_name(rename.to), " in SQL", out);
    }
  }

  // The names indexes, constraints and sequences get: `app_pkey`, `app_name_key`, `ix_app_name`,
  // `app_id_seq`.
  static bool index_like(const std::string& name) {
    for (const char* suffix : {"_pkey", "_key", "_fkey", "_idx", "_index", "_seq", "_uniq", "_uq"}) {
      if (name.ends_with(suffix)) return true;
    }
    for (const char* prefix : {"ix_", "idx_", "uq_", "pk_", "fk_"}) {
      if (name.starts_with(prefix)) return true;
    }
    return false;
  }

  // A table of the models, or one some revision creates.
  static bool known_table(const Project& project, const std::string& name) {
    if (!project.tables().named(name).empty()) return true;
    return std::any_of(project.files().begin(), project.files().end(), [&](const auto& file) {
      const auto& revision = file->facts.revision;
      return revision && std::any_of(revision->operations.begin(), revision->operations.end(),
                                     [&](const OperationCall& op) {
                                       return op.name == "create_table" && lower(op.table) == name;
                                     });
    });
  }
};

ORMLINT_RULE(RenameTable);

}  // namespace

}  // namespace ormlint
