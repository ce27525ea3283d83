// batch-op-table-argument: a `batch_op.<operation>(...)` inside `with op.batch_alter_table("t") as batch_op:`
// called with op's signature, the table name included (`batch_op.drop_column("t", "c")`). A batch operation's
// table is the batch's own: the arguments shift by one, so the call fails with a TypeError, or acts on a
// column named after the table. Common when a migration is moved into a batch block (for SQLite) by hand.
#include <optional>
#include <string>
#include <string_view>

#include "engine/rule.h"

namespace ormlint {

namespace {

bool is_splat(const Expr& e) {
  return e.kind == Expr::Kind::Other && e.name.find("splat") != std::string_view::npos;
}

// Why `op`'s positional arguments are op's, not the batch operation's: nullopt when they fit.
std::optional<std::string> misfit(const OperationCall& op) {
  const auto& args = op.call.items;
  for (const Expr& arg : args) {
    if (is_splat(arg)) return std::nullopt;  // `*columns`: the count is unknown
  }
  const size_t n = args.size();
  auto string_at = [&](size_t i) { return i < n && args[i].kind == Expr::Kind::String; };
  const std::string_view name = op.name;
  if (name == "add_column" && string_at(0)) return "takes the Column first";
  if ((name == "drop_column" || name == "drop_index") && n > 1) return "takes one positional argument";
  if (name == "alter_column" && string_at(1)) return "takes the column name, then nullable=";
  if ((name == "create_index" || name == "create_unique_constraint" || name == "create_primary_key") &&
      (n > 2 || string_at(1))) {
    return "takes the name, then the columns";
  }
  if (name == "create_check_constraint" && n > 2) return "takes the name, then the condition";
  if (name == "create_foreign_key" && n > 4)
    return "takes the name, the referred table, then the two column lists";
  if (name == "drop_constraint" && string_at(1)) {
    const std::string_view second = args[1].text;
    if (second != "foreignkey" && second != "primary" && second != "unique" && second != "check") {
      return "takes the constraint name, then type_=";
    }
  }
  return std::nullopt;
}

class BatchOpTableArgument final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL232",
                               "batch-op-table-argument",
                               "A batch_op call passes the table name: the batch's table is implied, so the "
                               "arguments shift by one",
                               Severity::Error,
                               Profile::Any,
                               true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    for (const OperationCall& op : file.facts.revision->operations) {
      if (!op.in_batch || op.receiver == "op") continue;
      std::optional<std::string> why = misfit(op);
      if (!why) continue;
      const std::string call = std::string(op.receiver) + "." + std::string(op.name);
      out.report(
          file, op.call.loc,
          "`" + call + "(...)` is given op." + std::string(op.name) +
              "'s arguments, table name included, but " + call + " " + *why +
              ": the batch's table is implied, so the arguments shift by one and the call "
              "fails (TypeError) or acts on the wrong column",
          "drop the table argument: `" + call + "(...)` acts on the table of its `batch_alter_table(...)`");
    }
  }
};

ORMLINT_RULE(BatchOpTableArgument);

}  // namespace

}  // namespace ormlint
