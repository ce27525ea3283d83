#include "facts/revision_builder.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/syntax_tree.h"
#include "core/text.h"
#include "facts/core_statement.h"
#include "facts/existence_check.h"
#include "facts/expr_builder.h"
#include "facts/module_builder.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"

namespace ormlint {

namespace {

// Each database of a comma-separated list ("sqlite,mssql").
template <class Fn>
void for_each_database(std::string_view databases, Fn&& fn) {
  while (!databases.empty()) {
    const size_t comma = databases.find(',');
    fn(databases.substr(0, comma));
    databases = comma == std::string_view::npos ? std::string_view() : databases.substr(comma + 1);
  }
}

// `op.<name>` helpers that are not schema operations.
const std::set<std::string, std::less<>> kNotOperations = {"f", "get_bind", "get_context", "inline_literal",
                                                            "implementation_for", "invoke", "run_async"};

// Where an operation names its table: the positional index (or keyword) in `op.<name>(...)`.
struct TableArgument {
  int position;
  const char* keyword;
};
const std::map<std::string, TableArgument, std::less<>> kTableArguments = {
    {"add_column", {0, "table_name"}},
    {"drop_column", {0, "table_name"}},
    {"alter_column", {0, "table_name"}},
    {"create_table", {0, "table_name"}},
    {"drop_table", {0, "table_name"}},
    {"rename_table", {0, "old_table_name"}},
    {"batch_alter_table", {0, "table_name"}},
    {"create_table_comment", {0, "table_name"}},
    {"drop_table_comment", {0, "table_name"}},
    {"create_index", {1, "table_name"}},
    {"drop_index", {1, "table_name"}},
    {"create_unique_constraint", {1, "table_name"}},
    {"create_primary_key", {1, "table_name"}},
    {"create_check_constraint", {1, "table_name"}},
    {"create_exclude_constraint", {1, "table_name"}},
    {"drop_constraint", {1, "table_name"}},
    {"create_foreign_key", {1, "source_table"}},
};

// Alembic's leading parameters of each operation, in order, for `op.<name>(...)` (a batch operation has them
// without its table's: kTableArguments). Only those ormlint reads by position; the rest stay keywords.
const std::map<std::string, std::vector<std::string_view>, std::less<>> kLeadingParameters = {
    {"add_column", {"table_name", "column"}},
    {"drop_column", {"table_name", "column_name"}},
    {"alter_column", {"table_name", "column_name"}},
    {"create_table", {"table_name"}},
    {"drop_table", {"table_name"}},
    {"rename_table", {"old_table_name", "new_table_name"}},
    {"create_index", {"index_name", "table_name", "columns"}},
    {"drop_index", {"index_name", "table_name"}},
    {"create_unique_constraint", {"constraint_name", "table_name", "columns"}},
    {"create_primary_key", {"constraint_name", "table_name", "columns"}},
    {"create_check_constraint", {"constraint_name", "table_name", "condition"}},
    {"create_exclude_constraint", {"constraint_name", "table_name"}},
    {"drop_constraint", {"constraint_name", "table_name"}},
    {"create_foreign_key",
     {"constraint_name", "source_table", "referent_table", "local_cols", "remote_cols"}},
    {"execute", {"sqltext"}},
    {"bulk_insert", {"table", "rows"}},
};

// Moves the leading parameters an operation passes by keyword (`op.add_column(table_name="t",
// column=sa.Column(...))`, `batch_op.alter_column(column_name="x", ...)`) to their positions, as if passed by
// position: Python allows either, Alembic means the same, and every reader of an operation's arguments
// (OperationCall::argument, the columns it adds) then sees one shape.
void keywords_to_positions(Expr& call, std::string_view name, bool in_batch) {
  const auto parameters = kLeadingParameters.find(name);
  if (parameters == kLeadingParameters.end()) return;
  const auto table = kTableArguments.find(name);
  const std::string_view table_keyword = table == kTableArguments.end() ? "" : table->second.keyword;
  size_t position = 0;
  for (std::string_view parameter : parameters->second) {
    if (in_batch && parameter == table_keyword) continue;
    if (position < call.items.size()) {
      ++position;
      continue;
    }
    auto given = std::find_if(call.keywords.begin(), call.keywords.end(),
                              [&](const Keyword& kw) { return kw.name == parameter; });
    if (given == call.keywords.end()) return;  // not given: what follows cannot be placed by position either
    call.items.push_back(std::move(given->value));
    FactList<Keyword> rest;
    rest.reserve(call.keywords.size() - 1);
    for (auto& kw : call.keywords) {
      if (&kw != &*given) rest.push_back(std::move(kw));
    }
    call.keywords = std::move(rest);
    ++position;
  }
}

class RevisionBuilder {
 public:
  RevisionBuilder(TSNode root, const SourceFile& file, const ModuleFacts& module, TextStore& texts)
      : root_(root), file_(file), texts_(texts), exprs_(file, texts), module_(module) {
    for (const auto& import : module.imports) {
      if (import.origin == "alembic.op") op_names_.insert(import.bound_name);
      // `from alembic.op import add_column` (rucio's style): alembic.op exposes each operation as a module
      // function, so `add_column(...)` is `op.add_column(...)`.
      std::string_view origin = import.origin;
      if (origin.starts_with("alembic.op.")) op_functions_[import.bound_name] = origin.substr(11);
    }
    op_names_.insert("op");  // the name every Alembic template uses
    index_functions();
  }

  std::optional<RevisionInfo> build() {
    RevisionInfo info;
    bool has_revision = false;
    for (const auto& assignment : module_.assignments) {
      const std::string& name = assignment.target;
      if (name == "revision" && !info.revision) {
        info.revision = assignment.value;
        info.revision_loc = assignment.loc;
        has_revision = true;
      } else if (name == "down_revision" && !info.down_revision) {
        info.down_revision = assignment.value;
        info.down_revision_loc = assignment.loc;
      } else if (name == "branch_labels" && !info.branch_labels) {
        info.branch_labels = assignment.value;
        info.branch_labels_loc = assignment.loc;
      } else if (name == "depends_on" && !info.depends_on) {
        info.depends_on = assignment.value;
        info.depends_on_loc = assignment.loc;
      }
    }
    auto upgrade = functions_.find("upgrade");
    if (!has_revision || upgrade == functions_.end()) return std::nullopt;
    info.docstring = module_.docstring;
    info.upgrade = describe_function(upgrade->second, exprs_);
    find_guard_helpers();
    walk_function("upgrade", upgrade->second, info);
    auto downgrade = functions_.find("downgrade");
    if (downgrade != functions_.end()) {
      info.downgrade = describe_function(downgrade->second, exprs_);
      walk_function("downgrade", downgrade->second, info);
    }
    return info;
  }

 private:
  // Names that hold one value for a whole function — a string, an SQL text(), an enum type, a Column — and
  // that value (see function_constants).
  using Constants = std::map<std::string, Expr, std::less<>>;
  // Names that hold a test of the database's name, or the name itself, for a whole function, and the
  // expression (see function_constants and database_test).
  using DatabaseFlags = std::map<std::string, TSNode, std::less<>>;

  struct Context {
    const Constants* constants = nullptr;
    const DatabaseFlags* database_flags = nullptr;
    bool guarded = false;
    // Guarded by a check that asks about more than tables (OperationCall::guard_checks_tables_only).
    bool guarded_beyond_tables = false;
    bool conditional = false;  // OperationCall::conditional
    bool autocommit = false;
    std::string dialect;  // OperationCall::dialect
    // Parameters of the helper being walked that its call sets to a literal True/False (`step(upgrade=True)`):
    // `if upgrade:` then takes one branch only.
    std::map<std::string, bool> flags;
    std::map<std::string, std::string> batch_tables;  // batch_op variable -> its table ("" if not literal)
    std::set<std::string> tainted;  // local names holding what the inspector said exists
    std::set<std::string> tainted_tables_only;  // those of them holding only which tables exist
    // Imported functions (as called: `get_columns_for_table`, `utils.columns_of`) that, if they check existence,
    // guard what is walked here; the project decides (Project::resolve_imported_guards).
    std::set<std::string> maybe_guards;
    // Local names holding what such imported functions returned, with those functions.
    std::map<std::string, std::set<std::string>> maybe_tainted;
    // Functions defined so far in the function being walked (`def _create_indexes(): ...` inside upgrade(),
    // mlflow): a call to one is followed like a call to a module-level helper, ahead of one of the same name.
    std::map<std::string, TSNode, std::less<>> local_functions;
  };

  // Names bound in a nested block stay visible after it, as in Python.
  static void keep_taint(Context& into, const Context& from) {
    into.tainted.insert(from.tainted.begin(), from.tainted.end());
    into.tainted_tables_only.insert(from.tainted_tables_only.begin(), from.tainted_tables_only.end());
    for (const auto& [name, helpers] : from.maybe_tainted) into.maybe_tainted[name].insert(helpers.begin(), helpers.end());
  }

  void index_functions() {
    for_each_named_child(root_, [&](TSNode stmt) {
      TSNode def = stmt;
      if (is_kind(stmt, NodeKind::DecoratedDefinition)) def = field(stmt, "definition");
      if (!ts_node_is_null(def) && is_kind(def, NodeKind::FunctionDefinition)) {
        functions_.try_emplace(exprs_.text(field(def, "name")), def);
      }
    });
  }

  // Does this subtree ask the database what exists (facts/existence_check.h): an inspector call, a name derived
  // from one, a same-file helper that does, or a query of the catalog?
  ExistenceChecks checks_existence(TSNode node, const Context& ctx) const {
    if (ctx.tainted.empty()) return subtree_existence_checks(node, exprs_, guard_helpers_);
    return subtree_existence_checks(node, exprs_, guard_helpers_, [&](TSNode n) {
      if (!is_kind(n, NodeKind::Identifier)) return CheckKind::None;
      const std::string name = exprs_.text(n);
      if (!ctx.tainted.count(name)) return CheckKind::None;
      return ctx.tainted_tables_only.count(name) ? CheckKind::Tables : CheckKind::Other;
    });
  }

  // The imported functions this subtree calls, and those behind the names it reads (maybe_tainted): if one of
  // them checks existence, so does the subtree.
  std::set<std::string> guard_candidates(TSNode node, const Context& ctx) const {
    std::set<std::string> found;
    walk_subtree(node, [&](TSNode n) {
      if (is_kind(n, NodeKind::Call)) {
        TSNode function = field(n, "function");
        if (is_imported_callable(function)) found.insert(exprs_.text(function));
      } else if (is_kind(n, NodeKind::Identifier) && !ctx.maybe_tainted.empty()) {
        auto it = ctx.maybe_tainted.find(exprs_.text(n));
        if (it != ctx.maybe_tainted.end()) found.insert(it->second.begin(), it->second.end());
      }
      return true;
    });
    return found;
  }

  // `f` or `module.f` where the first name is bound by an import (the function lives in another module).
  bool is_imported_callable(TSNode function) const {
    TSNode root = function;
    while (is_kind(root, NodeKind::Attribute)) root = field(root, "object");
    if (!is_kind(root, NodeKind::Identifier)) return false;
    auto binding = module_.bindings.find(exprs_.text(root));
    return binding != module_.bindings.end() && binding->second.kind == ModuleFacts::BindingKind::Import;
  }

  // What a subtree says about existence: it asks the database, or it does if one of `candidates` (imported
  // functions it calls) does. `with_candidates` false: the strict answer is all the caller needs.
  struct Existence {
    bool checks = false;
    bool tables_only = false;  // every check it makes asks only which tables exist
    std::set<std::string> candidates;
  };
  Existence existence_of(TSNode node, const Context& ctx, bool with_candidates = true) const {
    Existence e;
    if (ts_node_is_null(node)) return e;
    const ExistenceChecks checks = checks_existence(node, ctx);
    e.checks = checks.any();
    e.tables_only = checks.tables_only();
    if (!e.checks && with_candidates) e.candidates = guard_candidates(node, ctx);
    return e;
  }

  // What a guard test gives the walk inside it (`inner` starts as the context around the test): guarded, or
  // guarded if one of its imported functions checks existence.
  void apply_guard(const Existence& test, Context& inner) const {
    if (test.checks) {
      inner.guarded = true;
      inner.guarded_beyond_tables = inner.guarded_beyond_tables || !test.tables_only;
    } else if (!inner.guarded) {
      inner.maybe_guards.insert(test.candidates.begin(), test.candidates.end());
    }
  }

  // Names assigned what the inspector (or an imported function) said: `existing = [c["name"] for c in ...]`.
  void taint(TSNode target, const Existence& value, Context& ctx) const {
    if (ts_node_is_null(target) || (!value.checks && value.candidates.empty())) return;
    walk_subtree(target, [&](TSNode n) {
      if (!is_kind(n, NodeKind::Identifier)) return true;
      if (value.checks) {
        ctx.tainted.insert(exprs_.text(n));
        if (value.tables_only) {
          ctx.tainted_tables_only.insert(exprs_.text(n));
        } else {
          ctx.tainted_tables_only.erase(exprs_.text(n));
        }
      } else {
        ctx.maybe_tainted[exprs_.text(n)].insert(value.candidates.begin(), value.candidates.end());
      }
      return true;
    });
  }
  void taint_from(TSNode value, TSNode target, Context& ctx) const { taint(target, existence_of(value, ctx), ctx); }

  // Same-file functions that check existence: the module builder marked them (FunctionDef::checks_existence).
  void find_guard_helpers() {
    for (const FunctionDef& fn : module_.functions) {
      if (fn.checks_existence && fn.name != "upgrade" && fn.name != "downgrade") guard_helpers_.insert(fn.name);
    }
  }

  void walk_function(const std::string& function, TSNode def, RevisionInfo& info) {
    DatabaseFlags flags;
    const Constants constants = function_constants(def, {}, flags);
    Context ctx;
    ctx.constants = &constants;
    ctx.database_flags = &flags;
    active_.clear();
    active_.insert(exprs_.text(field(def, "name")));
    walk_block(field(def, "body"), ctx, function, info);
  }

  static bool block_exits(TSNode block) {
    bool exits = false;
    for_each_named_child(block, [&](TSNode stmt) {
      if (is_kind(stmt, NodeKind::ReturnStatement) || is_kind(stmt, NodeKind::RaiseStatement) ||
          is_kind(stmt, NodeKind::ContinueStatement)) {
        exits = true;
      }
    });
    return exits;
  }

  void walk_block(TSNode block, Context& ctx, const std::string& function, RevisionInfo& info) {
    if (ts_node_is_null(block)) return;
    const Constants* outer = ctx.constants;
    Rebindings rebound;
    // Statements after a `raise` or `return` of the block never run (mwdb's dead code in downgrade()).
    bool ended = false;
    for_each_named_child(block, [&](TSNode stmt) {
      if (ended) return;
      forget_rebound_names(stmt, ctx, rebound);
      walk_statement(stmt, ctx, function, info);
      ended = is_kind(stmt, NodeKind::RaiseStatement) || is_kind(stmt, NodeKind::ReturnStatement);
      rebind(stmt, ctx, rebound);
    });
    ctx.constants = outer;
  }

  // A name the function binds more than once (so not among its constants) holds, after a plain `name = value`
  // statement of a block, that value for the statements that follow in the block (pybossa:
  // `query = 'ALTER TABLE ...'; op.execute(query); query = 'UPDATE ...'; op.execute(query)`), until another
  // binding of it — of any kind, anywhere in a later statement (a branch, a loop, `+=`, a walrus, a lambda
  // reading it) — makes it unknown from that statement on.
  struct Rebindings {
    std::optional<Constants> values;  // the constants as they stand, once the block rebinds a name
    std::set<std::string> names;      // the names the block rebound
  };

  Constants& rebound_values(Context& ctx, Rebindings& rebound) {
    if (!rebound.values) rebound.values = ctx.constants ? *ctx.constants : Constants{};
    ctx.constants = &*rebound.values;
    return *rebound.values;
  }

  // `name = value`, a whole statement: its target node, else null.
  static TSNode plain_assignment(TSNode stmt) {
    TSNode assignment =
        is_kind(stmt, NodeKind::ExpressionStatement) ? ts_node_named_child(stmt, 0) : TSNode{};
    if (ts_node_is_null(assignment) || !is_kind(assignment, NodeKind::Assignment)) return TSNode{};
    TSNode left = field(assignment, "left");
    return !ts_node_is_null(field(assignment, "right")) && is_kind(left, NodeKind::Identifier) ? left
                                                                                               : TSNode{};
  }

  void forget_rebound_names(TSNode stmt, Context& ctx, Rebindings& rebound) {
    if (rebound.names.empty()) return;
    const TSNode target = plain_assignment(stmt);
    walk_subtree(stmt, [&](TSNode n) {
      TSNode bound = names_bound_by(n);
      if (ts_node_is_null(bound) || (!ts_node_is_null(target) && ts_node_eq(bound, target))) return true;
      walk_subtree(bound, [&](TSNode name) {
        if (is_kind(name, NodeKind::Identifier) && rebound.names.count(exprs_.text(name))) {
          rebound_values(ctx, rebound).erase(exprs_.text(name));
        }
        return true;
      });
      return true;
    });
  }

  void rebind(TSNode stmt, Context& ctx, Rebindings& rebound) {
    const TSNode target = plain_assignment(stmt);
    if (ts_node_is_null(target)) return;
    const std::string name = exprs_.text(target);
    const TSNode right = field(ts_node_named_child(stmt, 0), "right");
    Expr value = sql_statement_value(exprs_.build(right));
    if (keeps_sql_of(value, name)) return;
    if (holds_constant(right, value)) {
      rebound_values(ctx, rebound).insert_or_assign(name, std::move(value));
      rebound.names.insert(name);
    } else if (ctx.constants && ctx.constants->count(name)) {
      rebound_values(ctx, rebound).erase(name);
    }
  }

  void walk_statement(TSNode stmt, Context& ctx, const std::string& function, RevisionInfo& info) {
    if (is_kind(stmt, NodeKind::IfStatement)) {
      walk_if(stmt, ctx, function, info);
    } else if (is_kind(stmt, NodeKind::WithStatement)) {
      walk_with(stmt, ctx, function, info);
    } else if (is_kind(stmt, NodeKind::Block)) {
      Context inner = ctx;
      walk_block(stmt, inner, function, info);
      keep_taint(ctx, inner);  // try/except/loop bodies
    } else if (is_kind(stmt, NodeKind::ForStatement) || is_kind(stmt, NodeKind::WhileStatement) ||
               is_kind(stmt, NodeKind::TryStatement) || is_kind(stmt, NodeKind::ElseClause) ||
               is_kind(stmt, NodeKind::ExceptClause) || is_kind(stmt, NodeKind::FinallyClause)) {
      // `for name in missing_columns:` / `for col in inspector.get_columns(t):` only visits what the database
      // said is (or is not) there: the loop body is guarded.
      Context loop = ctx;
      if (is_kind(stmt, NodeKind::ForStatement)) {
        const Existence iterable = existence_of(field(stmt, "right"), ctx);
        apply_guard(iterable, loop);
        taint(field(stmt, "left"), iterable, loop);  // `for col in insp.get_columns(t): names.add(col["name"])`
      }
      const std::optional<LoopValues> values =
          is_kind(stmt, NodeKind::ForStatement) ? literal_loop_values(stmt, ctx) : std::nullopt;
      for_each_named_child(stmt, [&](TSNode child, const char* f) {
        if (is_kind(child, NodeKind::Block) && values) {
          // `for table in ("users", "teams"):` runs its body once with each name: walked so, the operations
          // name their tables (substitute_constants), as if written out.
          for (const std::vector<Expr>& row : values->rows) {
            Constants bound = ctx.constants ? *ctx.constants : Constants{};
            for (size_t i = 0; i < row.size(); ++i) bound.insert_or_assign(values->names[i], row[i]);
            Context each = loop;
            each.constants = &bound;
            walk_statement(child, each, function, info);
            keep_taint(loop, each);
          }
        } else if (is_kind(child, NodeKind::Block) && is_kind(stmt, NodeKind::ForStatement)) {
          walk_statement(child, loop, function, info);
        } else if (is_kind(child, NodeKind::Block) || is_kind(child, NodeKind::ElseClause) ||
                   is_kind(child, NodeKind::ExceptClause) || is_kind(child, NodeKind::FinallyClause)) {
          walk_statement(child, ctx, function, info);
        } else if (f && (std::strcmp(f, "right") == 0 || std::strcmp(f, "condition") == 0)) {
          collect_operations(child, ctx, function, info);
        }
      });
      keep_taint(ctx, loop);
    } else if (is_kind(stmt, NodeKind::FunctionDefinition) || is_kind(stmt, NodeKind::ClassDefinition) ||
               is_kind(stmt, NodeKind::DecoratedDefinition)) {
      // Nested definitions run only if called; their operations are not the revision's own. A nested helper
      // that checks existence (`def has_col(t, c): ... inspector.get_columns(t)`) guards like a module one.
      if (is_kind(stmt, NodeKind::FunctionDefinition) && checks_existence(field(stmt, "body"), ctx).any()) {
        guard_helpers_.insert(exprs_.text(field(stmt, "name")));
      }
      const TSNode def = is_kind(stmt, NodeKind::DecoratedDefinition) ? field(stmt, "definition") : stmt;
      if (!ts_node_is_null(def) && is_kind(def, NodeKind::FunctionDefinition)) {
        ctx.local_functions.insert_or_assign(exprs_.text(field(def, "name")), def);
      }
    } else {
      if (is_kind(stmt, NodeKind::ExpressionStatement)) {
        taint_assignment(stmt, ctx);
        note_uncalled_operation(stmt, ctx, function, info);
      }
      collect_operations(stmt, ctx, function, info);
    }
  }

  // `op.bulk_insert` (or `batch_op.drop_column`, or `conn.execute` with `conn = op.get_bind()`) as a whole
  // statement: named, never called.
  void note_uncalled_operation(TSNode stmt, const Context& ctx, const std::string& function,
                               RevisionInfo& info) {
    if (ts_node_named_child_count(stmt) != 1) return;
    TSNode attribute = ts_node_named_child(stmt, 0);
    if (!is_kind(attribute, NodeKind::Attribute)) return;
    TSNode object = field(attribute, "object");
    if (ts_node_is_null(object)) return;
    const std::string name = exprs_.text(field(attribute, "attribute"));
    if (is_kind(object, NodeKind::Identifier)) {
      const std::string receiver = exprs_.text(object);
      const bool operation =
          (op_names_.count(receiver) || ctx.batch_tables.count(receiver)) && !kNotOperations.count(name);
      if (!operation && !(executes(name) && names_migration_connection(receiver, ctx))) return;
    } else if (!(executes(name) && is_migration_connection(exprs_.build(object)))) {
      return;  // `op.get_bind().execute` alone is the same mistake
    }
    info.uncalled_operations.push_back({texts_.keep(function), exprs_.build(attribute)});
  }

  // The methods of the migration's connection that run a statement (sent_through_migration_connection).
  static bool executes(std::string_view method) { return method == "execute" || method == "exec_driver_sql"; }

  // `conn` holds the migration's connection for the whole function (`conn = op.get_bind()`).
  bool names_migration_connection(const std::string& name, const Context& ctx) const {
    if (!ctx.constants) return false;
    const auto bound = ctx.constants->find(name);
    return bound != ctx.constants->end() && is_migration_connection(bound->second);
  }

  // The part of `n` whose names it binds: an assignment's or a loop's target, a walrus's name; the whole node
  // for what binds every name it holds (a def, class or lambda — a scope of its own, where any name may be
  // `nonlocal` — an `as` or case pattern, `global`, `nonlocal`, `del`, an import); null for anything else.
  static TSNode names_bound_by(TSNode n) {
    switch (kind_of(n)) {
      case NodeKind::Assignment:
      case NodeKind::AugmentedAssignment:
      case NodeKind::ForStatement:
      case NodeKind::ForInClause:
        return field(n, "left");
      case NodeKind::NamedExpression:
        return field(n, "name");
      case NodeKind::FunctionDefinition:
      case NodeKind::ClassDefinition:
      case NodeKind::Lambda:
      case NodeKind::AsPatternTarget:
      case NodeKind::GlobalStatement:
      case NodeKind::NonlocalStatement:
      case NodeKind::DeleteStatement:
      case NodeKind::CasePattern:
      case NodeKind::ImportStatement:
      case NodeKind::ImportFromStatement:
        return n;
      default:
        return TSNode{};
    }
  }

  // A loop over literal strings — `for table in ("users", "teams"):`, `for table, column in [("hist",
  // "alarm_id"), ...]:`, `for t, c in {"hist": "alarm_id"}.items():`, the list or dict also as a module-level
  // name bound once (`FKS = [...]`) — and its names, which the body never binds again: each row gives each
  // name its string.
  struct LoopValues {
    std::vector<std::string> names;
    std::vector<std::vector<Expr>> rows;
  };
  static constexpr size_t kMaxLoopValues = 32;  // a longer list is data, not a few tables written out

  std::optional<LoopValues> literal_loop_values(TSNode loop, const Context& ctx) {
    TSNode target = field(loop, "left");
    LoopValues values;
    if (is_kind(target, NodeKind::Identifier)) {
      values.names.push_back(exprs_.text(target));
    } else if (is_type(target, "pattern_list") || is_type(target, "tuple_pattern")) {
      bool plain = true;
      for_each_named_child(target, [&](TSNode name) {
        plain = plain && is_kind(name, NodeKind::Identifier);
        if (plain) values.names.push_back(exprs_.text(name));
      });
      if (!plain || values.names.empty()) return std::nullopt;
    } else {
      return std::nullopt;
    }
    Expr iterable = exprs_.build(field(loop, "right"));
    // `reversed(TABLES)`, `sorted(...)`, `list(...)`, `tuple(...)`: the same names (ckan's downgrade).
    while (iterable.is_call() && iterable.items.size() == 1 && iterable.keywords.empty() && iterable.target &&
           iterable.target->is(Expr::Kind::Name) &&
           (iterable.target->text == "reversed" || iterable.target->text == "sorted" ||
            iterable.target->text == "list" || iterable.target->text == "tuple")) {
      Expr inner = std::move(iterable.items[0]);
      iterable = std::move(inner);
    }
    // `{...}.items()`: the key and value of each pair.
    const bool pairs = iterable.is_call() && iterable.callee_name() == "items" && iterable.items.empty() &&
                       iterable.receiver() && values.names.size() == 2;
    const Expr* collection = pairs ? iterable.receiver() : &iterable;
    if (collection->is(Expr::Kind::Name)) {
      // A list the function binds once (`fks = [("vnf", "vnfd_id")]`, tacker), else a module-level one.
      auto held = ctx.constants ? ctx.constants->find(collection->text) : Constants::const_iterator();
      collection =
          ctx.constants && held != ctx.constants->end() ? &held->second : module_collection(collection->text);
    }
    if (!collection) return std::nullopt;
    if (pairs != collection->is(Expr::Kind::Dict)) return std::nullopt;
    if (!pairs && !(collection->is(Expr::Kind::List) || collection->is(Expr::Kind::Tuple)))
      return std::nullopt;
    const size_t step = pairs ? 2 : 1;
    if (collection->items.empty() || collection->items.size() / step > kMaxLoopValues) return std::nullopt;
    for (size_t i = 0; i + step <= collection->items.size(); i += step) {
      std::vector<Expr> row;
      if (pairs) {
        row = {collection->items[i], collection->items[i + 1]};
      } else if (values.names.size() == 1) {
        row = {collection->items[i]};
      } else if (const Expr& item = collection->items[i];
                 (item.is(Expr::Kind::Tuple) || item.is(Expr::Kind::List)) &&
                 item.items.size() == values.names.size()) {
        row.assign(item.items.begin(), item.items.end());
      }
      if (row.size() != values.names.size() ||
          !std::all_of(row.begin(), row.end(), [](const Expr& e) { return e.is_string(); })) {
        return std::nullopt;
      }
      values.rows.push_back(std::move(row));
    }
    bool rebound = false;
    walk_subtree(field(loop, "body"), [&](TSNode n) {
      if (rebound) return false;
      TSNode bound = names_bound_by(n);
      if (ts_node_is_null(bound)) return true;
      walk_subtree(bound, [&](TSNode id) {
        if (is_kind(id, NodeKind::Identifier) &&
            std::find(values.names.begin(), values.names.end(), exprs_.slice(id)) != values.names.end()) {
          rebound = true;
        }
        return !rebound;
      });
      return !rebound;
    });
    if (rebound) return std::nullopt;
    return values;
  }

  // The list, tuple or dict a module-level name is bound to once (`FKS = [("hist", "alarm_id")]`), or null.
  const Expr* module_collection(std::string_view name) const {
    const Assignment* found = nullptr;
    for (const Assignment& assignment : module_.assignments) {
      if (assignment.target != name) continue;
      if (found) return nullptr;  // bound twice: which value the loop sees is not known here
      found = &assignment;
    }
    if (!found) return nullptr;
    const Expr& value = found->value;
    const bool collection =
        value.is(Expr::Kind::List) || value.is(Expr::Kind::Tuple) || value.is(Expr::Kind::Dict);
    return collection ? &value : nullptr;
  }

  // `existing.add(col["name"])` / `.append(...)` with what the inspector said: `existing` holds it too.
  void taint_collection(TSNode call, Context& ctx) const {
    static const std::set<std::string, std::less<>> kAdders = {"add", "append", "extend", "update", "insert"};
    TSNode function = field(call, "function");
    if (ts_node_is_null(function) || !is_kind(function, NodeKind::Attribute)) return;
    TSNode object = field(function, "object");
    if (!is_kind(object, NodeKind::Identifier) || !kAdders.count(exprs_.text(field(function, "attribute")))) {
      return;
    }
    taint_from(field(call, "arguments"), object, ctx);
  }

  void taint_assignment(TSNode stmt, Context& ctx) const {
    TSNode inner = ts_node_named_child(stmt, 0);
    if (!ts_node_is_null(inner) && is_kind(inner, NodeKind::Call)) taint_collection(inner, ctx);
    if (ts_node_is_null(inner) ||
        !(is_kind(inner, NodeKind::Assignment) || is_kind(inner, NodeKind::AugmentedAssignment))) {
      return;
    }
    taint_from(field(inner, "right"), field(inner, "left"), ctx);
  }

  // `if (cols := [c["name"] for c in insp.get_columns("t")]) ...`: the name holds what exists afterwards too.
  void taint_walrus(TSNode condition, Context& ctx) const {
    if (ts_node_is_null(condition)) return;
    walk_subtree(condition, [&](TSNode n) {
      if (!is_kind(n, NodeKind::NamedExpression)) return true;
      taint_from(field(n, "value"), field(n, "name"), ctx);
      return true;
    });
  }

  // What a call to a same-file helper gives the helper's parameters, bound once (by position, by keyword, or
  // a default).
  struct HelperArguments {
    // Set to True or False, or left at a literal default: `if upgrade:` then takes one branch only.
    std::map<std::string, bool> flags;
    // Values the helper's body may read its parameters as: the migration's connection
    // (`_backfill(op.get_bind())`, or a name bound to it: `_backfill(bind)`; in the helper, `conn.commit()`
    // is then the connection's method), or a string (`migrate("server")`, pgadmin: the helper's operations
    // touch `server`, not `<table_name>`).
    Constants values;
  };
  HelperArguments helper_arguments(TSNode call, TSNode def, const Context& ctx) const {
    HelperArguments given;
    const Expr called = exprs_.build(call);
    const std::vector<Parameter> parameters = describe_parameters(field(def, "parameters"), exprs_);
    for (const auto& [name, argument] : bind_arguments(parameters, called)) {
      if (!argument.value) continue;
      const Expr* value = argument.is_default ? nullptr : argument.value;
      if (value && value->is(Expr::Kind::Name) && ctx.constants) {
        auto held = ctx.constants->find(value->text);
        value = held == ctx.constants->end() ? nullptr : &held->second;
      }
      // `helper(False)`, or `upgrade = False` then `helper(upgrade)` (augur).
      const Expr* flag = argument.value->kind == Expr::Kind::Bool ? argument.value : value;
      if (flag && flag->kind == Expr::Kind::Bool) given.flags[name] = flag->is_true();
      if (value && (is_migration_connection(*value) || value->is_string()))
        given.values.emplace(name, *value);
    }
    return given;
  }

  // `if flag:` / `if not flag:` on such a parameter: which way it goes, if known.
  static std::optional<bool> flag_test(TSNode condition, const Context& ctx, const ExprBuilder& exprs) {
    if (ctx.flags.empty() || ts_node_is_null(condition)) return std::nullopt;
    bool negated = false;
    condition = without_not(condition, negated);
    if (ts_node_is_null(condition) || !is_kind(condition, NodeKind::Identifier)) return std::nullopt;
    auto flag = ctx.flags.find(exprs.text(condition));
    if (flag == ctx.flags.end()) return std::nullopt;
    return flag->second != negated;
  }

  void walk_if(TSNode stmt, Context& ctx, const std::string& function, RevisionInfo& info) {
    // `if upgrade: ... else: ...` in a helper called with `upgrade=False`: only the branch that runs.
    if (const std::optional<bool> taken = flag_test(field(stmt, "condition"), ctx, exprs_)) {
      bool has_elif = false;
      TSNode otherwise{};
      for_each_named_child(stmt, [&](TSNode clause) {
        has_elif |= is_kind(clause, NodeKind::ElifClause);
        if (is_kind(clause, NodeKind::ElseClause)) otherwise = field(clause, "body");
      });
      if (*taken || !has_elif) {
        Context branch = ctx;
        walk_block(*taken ? field(stmt, "consequence") : otherwise, branch, function, info);
        keep_taint(ctx, branch);
        return;
      }
    }
    taint_walrus(field(stmt, "condition"), ctx);
    TSNode consequence = field(stmt, "consequence");
    // Every branch stands under the test: the else branch runs when it found the opposite.
    Context tested = ctx;
    apply_guard(existence_of(field(stmt, "condition"), ctx, !ctx.guarded), tested);
    tested.conditional = ctx.conditional || !database_test(field(stmt, "condition"), ctx, 0);
    // `if bind.dialect.name == "sqlite":`: the branches are for one database, and the rest for the others.
    std::string otherwise_dialect = ctx.dialect;
    Context inner = tested;
    if (narrow_dialect(field(stmt, "condition"), inner, otherwise_dialect, info))
      walk_block(consequence, inner, function, info);
    for_each_named_child(stmt, [&](TSNode clause) {
      if (is_kind(clause, NodeKind::ElifClause)) {
        Context elif = tested;
        elif.dialect = otherwise_dialect;
        elif.conditional = elif.conditional || !database_test(field(clause, "condition"), tested, 0);
        apply_guard(existence_of(field(clause, "condition"), tested, !tested.guarded), elif);
        if (narrow_dialect(field(clause, "condition"), elif, otherwise_dialect, info))
          walk_block(field(clause, "consequence"), elif, function, info);
        keep_taint(ctx, elif);
      } else if (is_kind(clause, NodeKind::ElseClause)) {
        Context otherwise = tested;
        otherwise.dialect = otherwise_dialect;
        walk_block(field(clause, "body"), otherwise, function, info);
        keep_taint(ctx, otherwise);
      }
    });
    keep_taint(ctx, inner);  // names bound in any branch stay visible after the if, as in Python
    // `if "x" in existing: return` guards everything after it in the same block.
    if (block_exits(consequence)) {
      ctx.guarded = tested.guarded;
      ctx.guarded_beyond_tables = tested.guarded_beyond_tables;
      ctx.conditional = tested.conditional;
      ctx.maybe_guards = tested.maybe_guards;
      // `if bind.dialect.name != "mysql": return` (keystone): the rest of the block runs only on MySQL.
      bool clauses = false;
      for_each_named_child(stmt, [&](TSNode clause) {
        clauses = clauses || is_kind(clause, NodeKind::ElifClause) || is_kind(clause, NodeKind::ElseClause);
      });
      if (!clauses) ctx.dialect = otherwise_dialect;
    }
  }

  // `dialect` ("" or "!a,b": not on these) without `databases` ("c" or "c,d") too.
  static std::string excluding(const std::string& dialect, const std::string& databases) {
    return dialect.empty() ? "!" + databases : dialect + "," + databases;
  }

  // Those of `databases` ("c,d") a branch of `dialect` ("" or "!a,b") can still meet: "" when none.
  static std::string still_possible(const std::string& dialect, const std::string& databases) {
    if (dialect.empty() || dialect.front() != '!') return databases;
    std::set<std::string, std::less<>> excluded;
    for_each_database(std::string_view(dialect).substr(1), [&](std::string_view d) { excluded.emplace(d); });
    std::string possible;
    for_each_database(databases, [&](std::string_view d) {
      if (!excluded.count(d)) possible += (possible.empty() ? "" : ",") + std::string(d);
    });
    return possible;
  }

  // A test of the database's name — `<...>.dialect.name == "postgresql"` or `!=` — sets the branch's dialect
  // (OperationCall::dialect) and what the later branches get, unless a test outside already chose one
  // database. Returns false for a branch no database reaches (rucio's `elif dialect == "postgresql":` after
  // `if dialect in ["oracle", "mysql", "postgresql"]:`): its operations never run.
  bool narrow_dialect(TSNode condition, Context& branch, std::string& later, RevisionInfo& info) {
    if ((!branch.dialect.empty() && branch.dialect.front() != '!') || ts_node_is_null(condition)) return true;
    const std::optional<DatabaseTest> test = database_test(condition, branch, 0);
    if (!test) return true;
    for (const Expr& literal : test->literals) {  // once each: a helper's test may decide several branches
      auto& names = info.database_names;
      const bool seen = std::any_of(names.begin(), names.end(), [&](const Expr& e) {
        return e.loc.start_byte == literal.loc.start_byte;
      });
      if (!seen) names.push_back(literal);
    }
    if (test->equal) {
      const std::string possible = still_possible(branch.dialect, test->databases);
      later = excluding(branch.dialect, test->databases);
      if (possible.empty()) return false;
      branch.dialect = possible;
    } else {
      later = test->databases;
      branch.dialect = excluding(branch.dialect, test->databases);
    }
    return true;
  }

  struct DatabaseTest {
    std::string databases;  // "postgresql"; for `in ("sqlite", "mssql")`: "sqlite,mssql"
    bool equal = true;      // `==` / `in` (true), or `!=` / `not in`
    std::vector<Expr> literals;  // the string literals naming them (RevisionInfo::database_names)
  };

  // What a condition says about the database's name: `bind.dialect.name == "postgresql"` (or `.engine.name`,
  // Engine.name being its dialect's, or a local name holding either), `!=`, `not ...`, a local flag holding
  // such a test (`is_pg = ...; if is_pg:`), or a call of a function of this module that returns one (dify's
  // `if _is_pg(conn):`).
  std::optional<DatabaseTest> database_test(TSNode condition, const Context& ctx, int depth) const {
    condition = without_parentheses(condition);
    if (depth > 4 || ts_node_is_null(condition)) return std::nullopt;
    const std::string_view type = ts_node_type(condition);
    if (type == "not_operator") {
      auto test = database_test(field(condition, "argument"), ctx, depth + 1);
      if (test) test->equal = !test->equal;
      return test;
    }
    if (is_kind(condition, NodeKind::Identifier)) {
      if (!ctx.database_flags) return std::nullopt;
      auto flag = ctx.database_flags->find(exprs_.text(condition));
      if (flag == ctx.database_flags->end()) return std::nullopt;
      return database_test(flag->second, ctx, depth + 1);
    }
    if (is_kind(condition, NodeKind::Call)) {
      if (auto test = url_prefix_test(condition, ctx)) return test;
      TSNode returned = helper_return(condition);
      if (ts_node_is_null(returned)) return std::nullopt;
      return database_test(returned, Context{}, depth + 1);
    }
    if (type != "comparison_operator" || ts_node_named_child_count(condition) != 2) return std::nullopt;
    TSNode left_node = ts_node_named_child(condition, 0);
    // `dialect = bind.dialect.name` earlier, then `if dialect == "mysql":` (keep).
    if (is_kind(left_node, NodeKind::Identifier) && ctx.database_flags) {
      auto held = ctx.database_flags->find(exprs_.text(left_node));
      if (held != ctx.database_flags->end()) left_node = held->second;
    }
    const Expr right = exprs_.build(ts_node_named_child(condition, 1));
    if (!names_database(left_node)) return std::nullopt;
    const std::string op = exprs_.comparison_operator(condition);
    if ((op == "==" || op == "!=") && right.is_string() && !right.text.empty()) {
      return DatabaseTest{std::string(right.text), op == "==", {right}};
    }
    // `dialect.name in ("sqlite", "mssql")` (airflow): any of those databases.
    if ((op == "in" || op == "not in") &&
        (right.is(Expr::Kind::Tuple) || right.is(Expr::Kind::List) || right.is(Expr::Kind::Set))) {
      std::string databases;
      for (const Expr& item : right.items) {
        if (!item.is_string() || item.text.empty()) return std::nullopt;
        databases += (databases.empty() ? "" : ",") + std::string(item.text);
      }
      if (!databases.empty())
        return DatabaseTest{databases, op == "in", {right.items.begin(), right.items.end()}};
    }
    return std::nullopt;
  }

  // `url.startswith("mysql")` with `url = str(op.get_bind().engine.url)` (CTFd), or
  // `bind.dialect.name.startswith("postgres")`: the databases whose name starts so (a URL starts with its
  // dialect's name: `postgresql+psycopg2://...`). The prefix is no dialect name itself, so it is not among
  // RevisionInfo::database_names.
  std::optional<DatabaseTest> url_prefix_test(TSNode call, const Context& ctx) const {
    TSNode callee = field(call, "function");
    if (!is_kind(callee, NodeKind::Attribute) || exprs_.text(field(callee, "attribute")) != "startswith")
      return std::nullopt;
    TSNode subject = field(callee, "object");
    if (is_kind(subject, NodeKind::Identifier) && ctx.database_flags) {
      auto held = ctx.database_flags->find(exprs_.text(subject));
      if (held != ctx.database_flags->end()) subject = held->second;
    }
    if (!names_database(subject) && !names_database_url(subject)) return std::nullopt;
    TSNode arguments = field(call, "arguments");
    if (ts_node_is_null(arguments) || ts_node_named_child_count(arguments) != 1) return std::nullopt;
    const Expr prefix = exprs_.build(ts_node_named_child(arguments, 0));
    if (!prefix.is_string() || prefix.text.empty()) return std::nullopt;
    static constexpr std::string_view kDatabases[] = {"postgresql", "mysql", "mariadb",
                                                      "sqlite",     "mssql", "oracle"};
    std::string databases;
    for (std::string_view database : kDatabases) {
      if (database.starts_with(prefix.text))
        databases += (databases.empty() ? "" : ",") + std::string(database);
    }
    if (databases.empty()) return std::nullopt;
    return DatabaseTest{databases, true, {}};
  }

  // The database URL as text: `str(op.get_bind().engine.url)`, `str(bind.url)`, `bind.engine.url.drivername`.
  bool names_database_url(TSNode node) const {
    if (is_kind(node, NodeKind::Call) && exprs_.text(field(node, "function")) == "str") {
      TSNode arguments = field(node, "arguments");
      if (ts_node_is_null(arguments) || ts_node_named_child_count(arguments) != 1) return false;
      node = ts_node_named_child(arguments, 0);
      const std::string text = exprs_.text(node);
      return text == "url" || text.ends_with(".url");
    }
    const std::string text = exprs_.text(node);
    return text.ends_with(".url.drivername") || text == "url.drivername";
  }

  // For a call of a function of this module whose body is one `return <expression>` (comments aside), that
  // expression; a null node otherwise.
  TSNode helper_return(TSNode call) const {
    TSNode callee = field(call, "function");
    auto helper =
        is_kind(callee, NodeKind::Identifier) ? functions_.find(exprs_.text(callee)) : functions_.end();
    if (helper == functions_.end()) return TSNode{};
    TSNode only{};
    int statements = 0;
    for_each_named_child(field(helper->second, "body"), [&](TSNode statement) {
      if (is_kind(statement, NodeKind::Comment)) return;
      only = statement;
      ++statements;
    });
    if (statements != 1 || !is_kind(only, NodeKind::ReturnStatement) ||
        ts_node_named_child_count(only) != 1) {
      return TSNode{};
    }
    return ts_node_named_child(only, 0);
  }

  // `bind.dialect.name`, `op.get_bind().engine.name` (Engine.name is its dialect's name), or a call of a
  // helper of this module returning one (mealie's `get_db_type()`).
  bool names_database(TSNode node, int depth = 0) const {
    const std::string text = exprs_.text(node);
    // `engine = op.get_bind().engine` then `engine.name` (tacker) like `bind.engine.name`.
    if (text == "dialect.name" || text.ends_with(".dialect.name") || text == "engine.name" ||
        text.ends_with(".engine.name")) {
      return true;
    }
    if (depth > 4 || !is_kind(node, NodeKind::Call)) return false;
    TSNode returned = helper_return(node);
    return !ts_node_is_null(returned) && names_database(returned, depth + 1);
  }

  void walk_with(TSNode stmt, Context& ctx, const std::string& function, RevisionInfo& info) {
    Context inner = ctx;
    walk_subtree(stmt, [&](TSNode n) {
      if (is_kind(n, NodeKind::Block)) return false;
      if (!is_kind(n, NodeKind::WithItem)) return true;
      TSNode value = field(n, "value");
      if (ts_node_is_null(value)) return false;
      // `with (op.batch_alter_table("t") as batch_op):` (Python 3.10's parenthesized form, black's for long
      // lines): the grammar reads one item in parentheses as a parenthesized as_pattern.
      value = without_parentheses(value);
      TSNode call = value;
      std::string alias;
      if (is_kind(value, NodeKind::AsPattern)) {
        call = ts_node_named_child(value, 0);
        walk_subtree(value, [&](TSNode t) {
          if (is_kind(t, NodeKind::AsPatternTarget)) {
            alias = exprs_.text(t);
            return false;
          }
          return true;
        });
      }
      if (ts_node_is_null(call) || !is_kind(call, NodeKind::Call)) return false;
      std::string callee = callee_last_name(call, exprs_);
      if (callee == "autocommit_block") inner.autocommit = true;
      if (callee == "batch_alter_table") {
        size_t before = info.operations.size();
        collect_operations(call, ctx, function, info);
        std::string table = info.operations.size() > before ? info.operations[before].table : "";
        if (!alias.empty()) inner.batch_tables[alias] = table;
      } else if (callee != "autocommit_block") {
        record_call(call, call, ctx, function, info);  // `with Session(bind=op.get_bind()) as session:`
      }
      return false;
    });
    walk_block(field(stmt, "body"), inner, function, info);
    keep_taint(ctx, inner);  // names tainted inside the with block stay visible after it, as in Python
  }

  // Records every operation call in the statement (calls nested in arguments too), and follows calls to
  // same-file helper functions so `def upgrade(): _add_columns()` is seen through.
  void collect_operations(TSNode stmt, const Context& ctx, const std::string& function, RevisionInfo& info) {
    walk_subtree(stmt, [&](TSNode n) {
      if (is_kind(n, NodeKind::Lambda) || is_kind(n, NodeKind::FunctionDefinition)) return false;
      if (!is_kind(n, NodeKind::Call)) return holds_open_paren(n);
      TSNode fn = field(n, "function");
      if (ts_node_is_null(fn)) return true;
      if (is_kind(fn, NodeKind::Attribute)) {
        TSNode object = field(fn, "object");
        std::string receiver = ts_node_is_null(object) ? "" : exprs_.text(object);
        std::string name = exprs_.text(field(fn, "attribute"));
        bool is_op = is_kind(object, NodeKind::Identifier) && op_names_.count(receiver);
        auto batch = ctx.batch_tables.find(receiver);
        if ((is_op || batch != ctx.batch_tables.end()) && !kNotOperations.count(name)) {
          record(n, receiver, name, batch != ctx.batch_tables.end() ? &batch->second : nullptr, ctx, function, info);
        } else {
          record_call(n, stmt, ctx, function, info);
        }
      } else if (is_kind(fn, NodeKind::Identifier)) {
        std::string name = exprs_.text(fn);
        auto local = ctx.local_functions.find(name);
        auto helper = local != ctx.local_functions.end() ? local : functions_.find(name);
        const bool found = local != ctx.local_functions.end() || helper != functions_.end();
        if (const std::string operation = imported_operation(name); !found && !operation.empty()) {
          record(n, "", operation, nullptr, ctx, function, info);
          return true;
        }
        if (!found) record_call(n, stmt, ctx, function, info);
        if (found && !active_.count(name) && active_.size() < 4) {
          active_.insert(name);
          HelperArguments given = helper_arguments(n, helper->second, ctx);
          DatabaseFlags flags;
          const Constants constants = function_constants(helper->second, given.values, flags);
          Context inner = ctx;
          inner.tainted.clear();
          inner.maybe_tainted.clear();
          inner.constants = &constants;
          inner.database_flags = &flags;
          inner.flags = std::move(given.flags);
          walk_block(field(helper->second, "body"), inner, function, info);
          active_.erase(name);
        }
      } else {
        record_call(n, stmt, ctx, function, info);  // `sessionmaker(bind=bind)()`
      }
      return true;
    });
  }

  // Keeps a call that is not an operation (RevisionCall) when no other call of `stmt` holds it and it is not
  // a method of `op` itself (`op.get_bind()`); an execute through the migration's connection is recorded as
  // an operation instead.
  void record_call(TSNode call, TSNode stmt, const Context& ctx, const std::string& function,
                   RevisionInfo& info) {
    if (!ts_node_eq(call, stmt)) {
      for (TSNode up = ts_node_parent(call); !ts_node_is_null(up); up = ts_node_parent(up)) {
        if (is_kind(up, NodeKind::Call)) return;
        if (ts_node_eq(up, stmt)) break;
      }
    }
    TSNode fn = field(call, "function");
    if (!ts_node_is_null(fn) && is_kind(fn, NodeKind::Attribute)) {
      TSNode object = field(fn, "object");
      if (!ts_node_is_null(object) && is_kind(object, NodeKind::Identifier) &&
          op_names_.count(exprs_.text(object))) {
        return;
      }
    }
    if (!ts_node_is_null(fn) && is_kind(fn, NodeKind::Identifier) && op_functions_.count(exprs_.text(fn)))
      return;
    RevisionCall kept{texts_.keep(function), exprs_.build(call), ctx.autocommit};
    if (ctx.constants) substitute_constants(kept.call, *ctx.constants);
    // `conn.execute(sa.text("ALTER TABLE ..."))` with `conn = op.get_bind()`: the same statement on the same
    // connection, in the same transaction, as op.execute — one operation for every reader of executed SQL.
    if (sent_through_migration_connection(kept.call)) {
      record(call, exprs_.text(field(fn, "object")), "execute", nullptr, ctx, function, info);
      info.operations.back().through_connection = true;
      return;
    }
    info.calls.push_back(std::move(kept));
  }

  // `<the migration's connection>.execute(...)` / `.exec_driver_sql(...)`, the receiver as
  // substitute_constants left it (`conn` bound to `op.get_bind()` is written as that).
  bool sent_through_migration_connection(const Expr& e) const {
    if (!e.is_call() || !executes(e.callee_name())) return false;
    const Expr* receiver = e.receiver();
    return receiver && is_migration_connection(*receiver);
  }

  void record(TSNode call, const std::string& receiver, const std::string& name, const std::string* batch_table,
              const Context& ctx, const std::string& function, RevisionInfo& info) {
    OperationCall op;
    op.function = texts_.keep(function);
    op.name = texts_.keep(name);
    op.receiver = texts_.keep(receiver);
    op.in_batch = batch_table != nullptr;
    op.guarded = ctx.guarded;
    op.guard_checks_tables_only = ctx.guarded && !ctx.guarded_beyond_tables;
    op.conditional = ctx.conditional;
    if (!op.guarded) op.guard_candidates.assign(ctx.maybe_guards.begin(), ctx.maybe_guards.end());
    op.in_autocommit_block = ctx.autocommit;
    op.dialect = texts_.keep(ctx.dialect);
    op.call = exprs_.build(call);
    if (ctx.constants) substitute_constants(op.call, *ctx.constants);
    keywords_to_positions(op.call, name, op.in_batch);
    TSNode parent = ts_node_parent(call);
    if (!ts_node_is_null(parent) && is_kind(parent, NodeKind::Assignment)) {
      TSNode left = field(parent, "left");
      if (!ts_node_is_null(left) && is_kind(left, NodeKind::Identifier)) op.result_name = exprs_.kept_text(left);
    }
    if (batch_table) {
      op.table = texts_.keep(*batch_table);
    } else if (auto where = kTableArguments.find(name); where != kTableArguments.end()) {
      if (const Expr* table = written_table_argument(op); table && table->is_string()) op.table = table->text;
      if (!op.call.keyword(where->second.keyword)) op.table_position = where->second.position;
    }
    info.operations.push_back(std::move(op));
  }

  // `sa.Enum("a", "b", name="kind")` / `postgresql.ENUM(...)`: a column type a function builds once and passes to
  // its columns (`kind = sa.Enum(...)`, `kind.create(bind)`, `op.add_column("t", sa.Column("kind", kind))`).
  static bool is_enum_type(const Expr& e) {
    return e.is_call() && (e.callee_name() == "Enum" || e.callee_name() == "ENUM");
  }

  // `sa.Column("visibility", visibility_enum, nullable=False)` held in a name and passed to op.add_column
  // (glance): the column the operation adds.
  static bool is_column_construct(const Expr& e) { return e.is_call() && e.callee_name() == "Column"; }

  // `["a", "b"]`, `(("t", "c"), ...)`, `{"t": "c"}`: strings, or rows of strings — names a loop walks, or
  // columns an index is given.
  static bool is_string_collection(const Expr& value) {
    if (!(value.is(Expr::Kind::List) || value.is(Expr::Kind::Tuple) || value.is(Expr::Kind::Dict)))
      return false;
    if (value.items.empty() || value.items.size() > 2 * kMaxLoopValues) return false;
    return std::all_of(value.items.begin(), value.items.end(), [&](const Expr& item) {
      if (item.is_string()) return true;
      const bool row =
          !value.is(Expr::Kind::Dict) && (item.is(Expr::Kind::Tuple) || item.is(Expr::Kind::List));
      return row && !item.items.empty() &&
             std::all_of(item.items.begin(), item.items.end(), [](const Expr& e) { return e.is_string(); });
    });
  }

  // Whether `name = <right>` makes the name hold a value the operations may be read with (is_constant_value),
  // or a Column factory (is_column_lambda).
  bool holds_constant(TSNode right, const Expr& value) const {
    return is_constant_value(value) || is_column_lambda(right, value);
  }

  // `temp_col = lambda: sa.Column(name + "_ts", ...)` (gnocchi): a Column factory without parameters, whose
  // call `temp_col()` is the Column it returns (substitute_constants).
  static bool is_column_lambda(TSNode node, const Expr& value) {
    return is_kind(node, NodeKind::Lambda) && ts_node_is_null(field(node, "parameters")) && value.target &&
           is_column_construct(*value.target);
  }

  // `op.get_bind()`: the connection Alembic runs the migration's transaction on (`bind = op.get_bind()`).
  bool is_migration_connection(const Expr& e) const {
    if (!e.is_call() || !e.items.empty() || !e.keywords.empty()) return false;
    if (e.callee_name() != "get_bind") return false;
    if (e.target && e.target->is(Expr::Kind::Name)) {  // `get_bind()` imported from alembic.op
      auto it = op_functions_.find(std::string(e.target->text));
      return it != op_functions_.end() && it->second == "get_bind";
    }
    const Expr* receiver = e.target ? e.target->target.get() : nullptr;
    return receiver && receiver->is(Expr::Kind::Name) && op_names_.count(receiver->text) > 0;
  }

  // `text("UPDATE ...")` / `sa.DDL(...)` of one string: an SQL statement a migration hands to execute().
  static bool is_sql_text(const Expr& e) {
    const Expr* text = sql_construct_text(&e);
    return text && text->is_string();
  }

  // A string built from a literal: a plain string, an f-string, `"..." + x`, `"... %s" % x`,
  // `"...{}".format(x)`. Its parts vary, its words do not: `update_query = f"UPDATE projects SET mode = 1
  // WHERE id = {row.id}"` then `op.execute(sa.text(update_query))` (tasking-manager) runs an UPDATE, as the
  // same f-string written inline does.
  static bool is_built_string(const Expr& value) {
    const Expr* head = &value;
    for (int depth = 0; depth < 8; ++depth) {
      if (head->kind == Expr::Kind::String) return true;
      if (head->kind == Expr::Kind::BinaryOp && (head->name == "+" || head->name == "%")) {
        head = head->arg(0);
      } else if (head->is_call() && head->callee_name() == "format" && head->receiver()) {
        head = head->receiver();
      } else {
        return false;
      }
      if (!head) return false;
    }
    return false;
  }

  // What a name may stand for in the operations that read it: True or False (a helper's direction), a string,
  // SQL text, an enum type, a Column, a list of names, the migration's connection, a Core table or a Core
  // statement.
  bool is_constant_value(const Expr& value) const {
    return value.kind == Expr::Kind::Bool || is_built_string(value) || is_sql_text(value) ||
           is_enum_type(value) || is_column_construct(value) || is_string_collection(value) ||
           is_migration_connection(value) || !core_table_name(&value).empty() ||
           read_core_statement(value).has_value();  // `stmt = t.update().values(...)`, run as execute(stmt)
  }

  // `sa.text("UPDATE ...").bindparams(...)` (privacyidea): binding parameters or options keeps the SQL, so
  // the name holds the text(...) as far as readers of the SQL are concerned.
  static Expr sql_statement_value(Expr value) {
    while (value.is_call() &&
           (value.callee_name() == "bindparams" || value.callee_name() == "execution_options") &&
           value.target && value.target->is(Expr::Kind::Attribute) && value.target->target &&
           is_sql_text(*value.target->target)) {
      Expr inner = std::move(*value.target->target);
      value = std::move(inner);
    }
    return value;
  }

  // `name.bindparams(...)` / `name.execution_options(...)`: the statement `name` holds, with parameters.
  static bool keeps_sql_of(const Expr& e, std::string_view name) {
    if (!e.is_call() || !e.target || !e.target->is(Expr::Kind::Attribute) || !e.target->target) return false;
    std::string_view method = e.callee_name();
    return (method == "bindparams" || method == "execution_options") && e.target->target->is(Expr::Kind::Name) &&
           e.target->target->text == name;
  }

  // Names that hold one value for the whole function `def`: bound exactly once in it, by `name = "literal"`
  // (the seeds' safe-migration template keeps its names so: `table_name = 'users'`), by
  // `stmt = sa.text("...")` (lemur's `stmt = text("update ..."); stmt = stmt.bindparams(...)`: binding
  // parameters keeps the SQL), by `kind = sa.Enum(..., name="kind")` (agenta: a type built once, created,
  // then given to columns) or by `bind = op.get_bind()`; or module constants (`TABLE = "users"`, bound once)
  // that the function never binds. Any other binding of a name anywhere in the function — a parameter, a loop
  // or `with ... as` target, an augmented assignment, `global`, `del`, a second assignment, any use inside a
  // nested def, class or lambda — rules the name out. `parameter_values`: parameters whose value the call is
  // known to give (helper_arguments), kept when the body never binds them again. `flags` gets the names bound
  // once, by the same rule, to a test of the database's name or to the name itself (`is_pg =
  // bind.dialect.name == "postgresql"`, `dialect = bind.dialect.name`).
  Constants function_constants(TSNode def, const Constants& parameter_values, DatabaseFlags& flags) {
    std::map<std::string, int, std::less<>> stores;
    Constants literals;
    auto store_names = [&](TSNode target) {
      walk_subtree(target, [&](TSNode n) {
        if (is_kind(n, NodeKind::Identifier)) ++stores[exprs_.text(n)];
        return true;
      });
    };
    store_names(field(def, "parameters"));
    walk_subtree(field(def, "body"), [&](TSNode n) {
      if (is_kind(n, NodeKind::Assignment)) {
        TSNode left = field(n, "left");
        TSNode right = field(n, "right");
        if (is_kind(left, NodeKind::Identifier) && !ts_node_is_null(right)) {
          const std::string name = exprs_.text(left);
          Expr value = sql_statement_value(exprs_.build(right));
          // `stmt = stmt.bindparams(...)` keeps the statement's SQL: not another value.
          if (keeps_sql_of(value, name)) return true;
          if (holds_constant(right, value)) {
            literals[name] = std::move(value);
          } else if (names_database(right) || names_database_url(right) ||
                     database_test(right, Context{}, 0)) {
            flags[name] = right;
          }
        }
      }
      TSNode bound = names_bound_by(n);
      if (ts_node_is_null(bound)) return true;
      store_names(bound);
      return !ts_node_eq(bound, n);  // what binds every name it holds is counted whole, not entered again
    });
    Constants constants;
    for (auto& [name, value] : literals) {
      if (stores[name] == 1) constants.emplace(name, std::move(value));
    }
    for (const auto& [name, value] : parameter_values) {
      if (stores[name] == 1) constants.emplace(name, value);  // bound by the parameter list only
    }
    std::erase_if(flags, [&](const auto& flag) { return stores[flag.first] != 1; });
    for (const auto& [name, value] : module_constants()) {
      if (!stores.count(name)) constants.emplace(name, value);
    }
    return constants;
  }

  // Module names bound once, by an assignment of a string literal (`TABLE = "users"`) or a Core table
  // (`users = sa.table("users", ...)`); found on first use.
  const Constants& module_constants() {
    if (module_constants_) return *module_constants_;
    std::map<std::string_view, int> assigned;
    for (const Assignment& assignment : module_.assignments) ++assigned[assignment.target];
    module_constants_.emplace();
    for (const Assignment& assignment : module_.assignments) {
      auto binding = module_.bindings.find(assignment.target);
      const bool constant = assignment.value.is_string() || !core_table_name(&assignment.value).empty();
      if (constant && assigned[assignment.target] == 1 && binding != module_.bindings.end() &&
          binding->second.kind == ModuleFacts::BindingKind::Assignment) {
        module_constants_->emplace(assignment.target, assignment.value);
      }
    }
    return *module_constants_;
  }

  // Writes the value a name holds (function_constants) where a call passes that name as an argument —
  // `op.add_column(table_name, sa.Column(column_name, ...))`, `conn.execute(stmt)` — so rules see the table and
  // column it names, the SQL it runs. The location stays the name's.
  void substitute_constants(Expr& call, const Constants& constants) const {
    if (constants.empty()) return;
    // A Core table (`event = sa.table("event", ...)`) is written only where a statement is built on it
    // (`event.delete()`, `sa.delete(event)`): readers of the statement see which table it changes, while
    // everything else (`op.bulk_insert(event, rows)`) keeps the name.
    auto replace = [&](Expr& e, bool builds_statement = false) {
      if (e.kind != Expr::Kind::Name) return;
      auto it = constants.find(e.text);
      if (it == constants.end()) return;
      const bool core_table = !core_table_name(&it->second).empty();
      if (!builds_statement && core_table) return;
      const Location at = e.loc;
      e = it->second;
      // Of a Core table, only its name: its columns and constraints (a snapshot's ForeignKeyConstraint) are
      // no operation's own.
      if (core_table) {
        FactList<Expr> name;
        name.reserve(1);
        name.emplace_back(std::move(e.items[0]));
        e.items = std::move(name);
        e.keywords = {};
      }
      e.loc = at;
    };
    auto value_of = [&](std::string_view name) -> const Expr* {
      auto it = constants.find(name);
      return it == constants.end() ? nullptr : &it->second;
    };
    call.walk_mutable([&](Expr& e) {
      // `temp_col()` of `temp_col = lambda: sa.Column(...)`: the Column, its names then written as below.
      if (e.is_call() && e.items.empty() && e.keywords.empty() && e.target &&
          e.target->is(Expr::Kind::Name)) {
        auto it = constants.find(e.target->text);
        if (it != constants.end() && it->second.is(Expr::Kind::Lambda) && it->second.target) {
          const Location at = e.loc;
          Expr column = *it->second.target;
          e = std::move(column);
          e.relocate(at);
        }
      }
      // `f"{TABLE_NAME}_new"` of constants (cognee's table rebuild): the string it always is.
      if (e.kind == Expr::Kind::String && e.is_fstring) {
        if (auto filled = filled_fstring(e.text, value_of)) {
          e.text = texts_.keep(*filled);
          e.is_fstring = false;
        }
        return;
      }
      const bool builds_statement = e.is_call() && core_statement_verb(e.callee_name()).has_value();
      if (e.is_call() || e.kind == Expr::Kind::List || e.kind == Expr::Kind::Tuple ||
          e.kind == Expr::Kind::BinaryOp) {
        for (Expr& item : e.items) replace(item, builds_statement);
      }
      if (e.is_call()) {
        for (Keyword& keyword : e.keywords) replace(keyword.value);
        // A method of the migration's connection (`bind.commit()`): the receiver is written as what it holds,
        // `op.get_bind()`, so rules see whose method it is.
        Expr* method = e.target.get();
        Expr* receiver = method && method->is(Expr::Kind::Attribute) ? method->target.get() : nullptr;
        // Through the DBAPI connection underneath (`bind.connection.commit()`): the same connection.
        while (receiver && receiver->is(Expr::Kind::Attribute) &&
               (receiver->name == "connection" || receiver->name == "dbapi_connection" ||
                receiver->name == "driver_connection")) {
          receiver = receiver->target.get();
        }
        if (receiver && receiver->is(Expr::Kind::Name)) {
          auto it = constants.find(receiver->text);
          if (it != constants.end() && is_migration_connection(it->second)) replace(*receiver);
          if (builds_statement) replace(*receiver, true);
          // `ALTER_SQL.format(table=...)` (notifications-api): the string the name holds, to be filled in.
          if (it != constants.end() && it->second.is_string() && e.callee_name() == "format")
            replace(*receiver);
        }
      }
    });
    fold_strings(call);
  }

  // `"ALTER TABLE %s ..." % table` once `table` was written as the string it holds: the one string it makes
  // (folded_string), innermost first, so rules read the SQL and the names as if written out (gnocchi's loop
  // over tables). The location stays the expression's.
  void fold_strings(Expr& e) const {
    if (e.target) fold_strings(*e.target);
    for (Expr& item : e.items) fold_strings(item);
    for (Keyword& keyword : e.keywords) fold_strings(keyword.value);
    if (e.kind != Expr::Kind::BinaryOp && !e.is_call()) return;
    const std::optional<std::string> folded = folded_string(e);
    if (!folded) return;
    Expr string;
    string.kind = Expr::Kind::String;
    string.loc = e.loc;
    string.text = texts_.keep(*folded);
    e = std::move(string);
  }

  // Whether a node's bytes hold a `(`: every call's arguments start with one, so a subtree without any holds no
  // call, and the walks for calls skip it.
  bool holds_open_paren(TSNode node) {
    if (!open_parens_) {
      open_parens_.emplace();
      const std::string& text = file_.text();
      for (size_t at = text.find('('); at != std::string::npos; at = text.find('(', at + 1)) {
        open_parens_->push_back(static_cast<uint32_t>(at));
      }
    }
    auto paren = std::lower_bound(open_parens_->begin(), open_parens_->end(), ts_node_start_byte(node));
    return paren != open_parens_->end() && *paren < ts_node_end_byte(node);
  }

  TSNode root_;
  const SourceFile& file_;
  std::optional<std::vector<uint32_t>> open_parens_;  // positions, sorted; found on first use
  std::optional<Constants> module_constants_;
  TextStore& texts_;  // the module's: what the operations' texts point into
  ExprBuilder exprs_;
  const ModuleFacts& module_;
  std::set<std::string, std::less<>> op_names_;
  // Names bound by `from alembic.op import <operation> [as name]`: name -> the operation.
  std::map<std::string, std::string, std::less<>> op_functions_;

  // The operation a bare call of `name` runs (`add_column` imported from alembic.op); "" for any other name
  // and for alembic.op's functions that are no operation (`get_bind`).
  std::string imported_operation(const std::string& name) const {
    auto it = op_functions_.find(name);
    return it == op_functions_.end() || kNotOperations.count(it->second) ? "" : it->second;
  }
  std::map<std::string, TSNode, std::less<>> functions_;
  std::set<std::string, std::less<>> guard_helpers_;
  std::set<std::string> active_;  // helper functions being followed (no recursion)
};

}  // namespace

const Expr* written_table_argument(const OperationCall& op) {
  if (op.in_batch) return nullptr;
  auto where = kTableArguments.find(op.name);
  if (where == kTableArguments.end()) return nullptr;
  const Expr* table = op.call.keyword(where->second.keyword);
  return table ? table : op.call.arg(static_cast<size_t>(where->second.position));
}

const Expr* OperationCall::argument(size_t index) const {
  if (table_position >= 0 && index >= static_cast<size_t>(table_position)) ++index;
  return call.arg(index);
}

bool excludes_dialect_of(const OperationCall& a, const OperationCall& b) {
  // Only a branch for one database can rule the other out: `if dialect == "sqlite": ... else: ...`.
  auto runs_on_none_of = [](const OperationCall& op, std::string_view databases) {
    bool none = true;
    for_each_database(databases, [&](std::string_view database) { none = none && !op.runs_on(database); });
    return none;
  };
  if (!a.dialect.empty() && a.dialect.front() != '!') return runs_on_none_of(b, a.dialect);
  if (!b.dialect.empty() && b.dialect.front() != '!') return runs_on_none_of(a, b.dialect);
  return false;
}

bool OperationCall::runs_on(std::string_view database) const {
  if (dialect.empty()) return true;
  const bool excluded = dialect.front() == '!';
  bool listed = false;
  for_each_database(std::string_view(dialect).substr(excluded ? 1 : 0),
                    [&](std::string_view named) { listed = listed || named == database; });
  return excluded ? !listed : listed;
}

bool OperationCall::repeats_table() const {
  const Expr* first = call.arg(0);
  const Expr* second = call.arg(1);
  return in_batch && first && first->is_string() && second &&
         (second->is_string() || (name == "add_column" && second->is_call()));
}

std::string OperationCall::column_name() const {
  const Expr* column = nullptr;
  const Expr* positional = repeats_table() ? call.arg(1) : argument(0);
  if (name == "add_column") {
    column = positional;
    if (column && column->is_call() && !column->items.empty() && column->items[0].is_string()) return column->items[0].text;
    return "";
  }
  if (name == "drop_column" || name == "alter_column") {
    column = call.keyword("column_name");
    if (!column) column = positional;
  }
  return column && column->is_string() ? column->text : "";
}

namespace {

// The statements of an op.execute whose SQL is spelled out in a string (directly or through `sa.text(...)`); an
// f-string too: table names are usually literal, only values interpolated. Empty for anything else.
std::vector<SqlStatement> executed_statements(const OperationCall& op) {
  if (op.name != "execute") return {};
  const Expr* sql = executed_sql(op);
  if (sql && sql->is_call() && !sql->items.empty()) sql = &sql->items[0];
  if (!sql || sql->kind != Expr::Kind::String) return {};
  return split_sql(sql->text);
}

}  // namespace

bool sql_creates_table(const OperationCall& op, const std::string& table) {
  const std::string wanted = upper(table);
  for (const SqlStatement& statement : executed_statements(op)) {
    const std::vector<std::string>& words = statement.words;
    size_t i = 1;
    if (words.empty() || words[0] != "CREATE") continue;
    while (i < words.size() && (words[i] == "TEMP" || words[i] == "TEMPORARY" || words[i] == "UNLOGGED")) ++i;
    if (i >= words.size() || words[i] != "TABLE") continue;
    ++i;
    if (i + 2 < words.size() && words[i] == "IF" && words[i + 1] == "NOT" && words[i + 2] == "EXISTS") i += 3;
    if (i < words.size() && words[i] == wanted) return true;
  }
  return false;
}

namespace {

// Whether an op.execute removes every row of `table`: `DELETE FROM <table>` without a WHERE, or
// `TRUNCATE [TABLE] [ONLY] <table>[, ...]` (fides wipes a table before giving it a NOT NULL column), or the
// same as a Core `t.delete()` without `.where()` (sync-engine).
bool empties_table(const OperationCall& op, const std::string& table) {
  if (const Expr* executed = op.name == "execute" ? executed_sql(op) : nullptr) {
    const auto core = read_core_statement(*executed);
    if (core && core->verb == CoreStatement::Verb::Delete && !core->filtered &&
        lower(core_table_name(core->table)) == lower(table)) {
      return true;
    }
  }
  const std::string wanted = upper(table);
  for (const SqlStatement& statement : executed_statements(op)) {
    const std::vector<std::string>& words = statement.words;
    if (words.size() >= 3 && words[0] == "DELETE" && words[1] == "FROM" && words[2] == wanted &&
        std::find(words.begin(), words.end(), "WHERE") == words.end()) {
      return true;
    }
    if (words.empty() || words[0] != "TRUNCATE") continue;
    for (size_t i = 1; i < words.size(); ++i) {
      if (words[i] == wanted) return true;
      if (words[i] == "CASCADE" || words[i] == "RESTRICT" || words[i] == "RESTART" || words[i] == "CONTINUE") break;
    }
  }
  return false;
}

// Two operations name the same table through the same f-string (`f"{prefix}items"` both times).
bool same_fstring_table(const OperationCall& a, const OperationCall& b) {
  const Expr* x = written_table_argument(a);
  const Expr* y = written_table_argument(b);
  return x && y && x->kind == Expr::Kind::String && x->is_fstring && y->kind == Expr::Kind::String &&
         y->is_fstring && x->text == y->text;
}

// `other`, run in the same function as `op` and on its databases, creates the table `wanted` (lower case):
// op.create_table, or a literal CREATE TABLE.
bool creates_named_table(const OperationCall& other, const OperationCall& op, const std::string& wanted) {
  return other.function == op.function && !excludes_dialect_of(other, op) &&
         ((other.name == "create_table" && lower(other.table) == wanted) || sql_creates_table(other, wanted));
}

}  // namespace

bool RevisionInfo::creates_table_before(const OperationCall& op) const {
  if (!op.table.empty()) return creates_table_before(op, op.table);
  for (const OperationCall& earlier : operations) {
    if (&earlier == &op) return false;
    if (earlier.function == op.function && !excludes_dialect_of(earlier, op) &&
        earlier.name == "create_table" && same_fstring_table(earlier, op)) {
      return true;
    }
  }
  return false;
}

bool RevisionInfo::creates_table_before(const OperationCall& op, std::string_view table) const {
  const std::string wanted = lower(table);
  for (const OperationCall& earlier : operations) {
    if (&earlier == &op) return false;
    if (earlier.function != op.function || excludes_dialect_of(earlier, op)) continue;
    if (creates_named_table(earlier, op, wanted)) return true;
    // `op.rename_table("conda_package_tmp", "conda_package")` of a table created before it (conda-store's
    // rebuild): the table under its new name is as new.
    if (earlier.name == "rename_table" && !earlier.table.empty()) {
      const Expr* renamed_to = earlier.argument(0);
      if (renamed_to && renamed_to->is_string() && lower(renamed_to->text) == wanted &&
          creates_table_before(earlier, earlier.table)) {
        return true;
      }
    }
  }
  return false;
}

bool RevisionInfo::creates_table_after(const OperationCall& op, std::string_view table) const {
  const std::string wanted = lower(table);
  bool after = false;
  for (const OperationCall& later : operations) {
    if (after && creates_named_table(later, op, wanted)) return true;
    after = after || &later == &op;
  }
  return false;
}

bool RevisionInfo::creates_unread_table_in_root_before(const OperationCall& op) const {
  const auto none = [](const std::optional<Expr>& e) { return !e || e->kind == Expr::Kind::None; };
  if (!none(down_revision) || !none(depends_on)) return false;
  for (const OperationCall& earlier : operations) {
    if (&earlier == &op) return false;
    if (earlier.function == op.function && !excludes_dialect_of(earlier, op) &&
        earlier.name == "create_table" && earlier.table.empty()) {
      return true;
    }
  }
  return false;
}

bool RevisionInfo::empties_table_before(const OperationCall& op) const {
  if (op.table.empty()) return false;
  for (const OperationCall& earlier : operations) {
    if (&earlier == &op) return false;
    if (earlier.function == op.function && !excludes_dialect_of(earlier, op) &&
        empties_table(earlier, op.table)) {
      return true;
    }
  }
  return false;
}

namespace {

// The database named among a folder name's words ("sqlite_versions": sqlite), whether `versions` / `migrations` is
// among them too, and whether the database is all the name says ("sqlite").
struct FolderWords {
  std::string database;
  bool versions = false;
  bool only_database = false;
};

FolderWords folder_words(const std::string& folder) {
  static const std::map<std::string, std::string, std::less<>> kDatabases = {
      {"sqlite", "sqlite"},   {"mysql", "mysql"}, {"mariadb", "mysql"}, {"postgresql", "postgresql"},
      {"postgres", "postgresql"}, {"pg", "postgresql"}, {"mssql", "mssql"}, {"oracle", "oracle"}};
  FolderWords found;
  size_t start = 0;
  const std::string name = lower(folder);
  while (start <= name.size()) {
    size_t end = name.find_first_of("_-.", start);
    if (end == std::string::npos) end = name.size();
    const std::string word = name.substr(start, end - start);
    if (auto it = kDatabases.find(word); it != kDatabases.end()) found.database = it->second;
    found.versions |= word == "versions" || word == "version" || word == "migrations";
    start = end + 1;
  }
  found.only_database = kDatabases.count(name) > 0;
  return found;
}

}  // namespace

std::string folder_database(const std::filesystem::path& dir) {
  const FolderWords own = folder_words(dir.filename().string());
  if (own.versions) return own.database;
  if (own.only_database && folder_words(dir.parent_path().filename().string()).versions) return own.database;
  return "";
}

std::optional<RevisionInfo> build_revision_info(TSNode root, const SourceFile& file, const ModuleFacts& module,
                                                 TextStore& texts) {
  bool has_revision = false;
  for (const auto& assignment : module.assignments) has_revision = has_revision || assignment.target == "revision";
  if (!has_revision) return std::nullopt;
  std::optional<RevisionInfo> info = RevisionBuilder(root, file, module, texts).build();
  if (!info) return info;
  // A version folder named for one database (`sqlite_versions/`): its operations run only there, unless a branch
  // in the code says otherwise. (The folder is part of the file's module key, so of its facts cache key too.)
  if (const std::string database = folder_database(file.path().parent_path()); !database.empty()) {
    for (OperationCall& op : info->operations) {
      if (op.dialect.empty()) op.dialect = texts.keep(database);
    }
  }
  return info;
}

}  // namespace ormlint
