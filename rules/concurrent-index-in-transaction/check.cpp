// concurrent-index-in-transaction: `op.create_index(..., postgresql_concurrently=True)` or the same
// drop_index outside `with op.get_context().autocommit_block():`. Alembic runs each migration inside a
// transaction, and PostgreSQL refuses `CREATE INDEX CONCURRENTLY cannot run inside a transaction block`: the
// migration fails. Judged in downgrade() too — unlike the lock rules, this is not a slowdown but a rollback
// that cannot run.
#include <set>
#include <string>

#include "engine/rule.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

class ConcurrentIndexInTransaction final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL213",
                               "concurrent-index-in-transaction",
                               "postgresql_concurrently=True outside autocommit_block(): PostgreSQL refuses "
                               "CONCURRENTLY inside the migration's transaction",
                               Severity::Error,
                               Profile::PostgreSQL,
                               true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    std::set<uint32_t> reported;  // a helper called from upgrade() and downgrade() is one finding, not two
    for (const OperationCall& op : file.facts.revision->operations) {
      if (op.name != "create_index" && op.name != "drop_index") continue;
      if (!op.runs_on("postgresql")) continue;  // a branch for another database (`if dialect.name == "sqlite":`)
      if (!declares_concurrently(op) || op.in_autocommit_block) continue;
      if (!reported.insert(op.call.loc.start_byte).second) continue;
      std::string statement =
          op.name == "create_index" ? "CREATE INDEX CONCURRENTLY" : "DROP INDEX CONCURRENTLY";
      std::string name = index_name(op);
      out.report(file, op.call.loc,
                 statement + (name.empty() ? std::string() : " `" + name + "`") +
                     " runs inside the transaction of " + op.function + "(): PostgreSQL fails with \"" +
                     statement + " cannot run inside a transaction block\"",
                 "move the call into `with op.get_context().autocommit_block():`");
    }
  }
};

ORMLINT_RULE(ConcurrentIndexInTransaction);

}  // namespace

}  // namespace ormlint
