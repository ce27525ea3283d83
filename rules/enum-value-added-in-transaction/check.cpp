// enum-value-added-in-transaction: `op.execute("ALTER TYPE ... ADD VALUE ...")` (also through `sa.text(...)`,
// an f-string or `.format()`) outside `with op.get_context().autocommit_block():`. Before PostgreSQL 12 the
// statement fails ("ALTER TYPE ... ADD cannot run inside a transaction block"); from 12 on it runs, but the
// new value cannot be used until the transaction commits ("unsafe use of new value"), so a data update in the
// same migration fails. Judged in downgrade() too: a rollback that fails is as broken as an upgrade that
// does. Exempt: a type created by an earlier `CREATE TYPE ... AS ENUM` in the same function (its new values
// are usable in that transaction), and statements after an `op.execute("COMMIT")` (transaction-control-in-
// migration's finding).
#include <cctype>
#include <set>
#include <string>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

// Every type an op.execute("CREATE TYPE <name> AS ENUM ...") before `op` in the same function creates (lower
// case): PostgreSQL lets a transaction use values added to a type it created itself.
bool type_created_before(const ModuleFacts& module, const OperationCall& op, const std::string& type) {
  return any_sql_before(module, op, [&](const std::string& sql) {
    for (const std::string& created : created_enum_types(sql)) {
      if (lower(created) == lower(type)) return true;
    }
    return false;
  });
}

class EnumValueAddedInTransaction final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL215",
        "enum-value-added-in-transaction",
        "ALTER TYPE ... ADD VALUE outside autocommit_block(): fails before PostgreSQL 12, "
        "and the new value is unusable until the migration commits",
        Severity::Warning,
        Profile::PostgreSQL,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    std::set<uint32_t> reported;  // a helper called from upgrade() and downgrade() is one finding, not two
    for (const OperationCall& op : file.facts.revision->operations) {
      std::string sql;
      if (!op.runs_on("postgresql") || !sql_run_in_transaction(file.facts, op, sql)) continue;
      std::string type = added_enum_type(sql);
      // After an `op.execute("COMMIT")` (bodhi): transaction-control-in-migration reports that COMMIT; the
      // ADD VALUE after it is not a second problem.
      if (type.empty() || type_created_before(file.facts, op, type) || committed_before(file.facts, op))
        continue;
      if (!reported.insert(op.call.loc.start_byte).second) continue;
      out.report(
          file, op.call.loc,
          "`ALTER TYPE " + type + " ADD VALUE` runs inside the transaction of " + op.function +
              "(): PostgreSQL before 12 refuses it, and from 12 on the new value cannot be used until the "
              "migration commits (\"unsafe use of new value\")",
          "move the op.execute into `with op.get_context().autocommit_block():` (and any UPDATE using the "
          "new "
          "value after that block)");
    }
  }
};

ORMLINT_RULE(EnumValueAddedInTransaction);

}  // namespace

}  // namespace ormlint
