#include "facts/revision_builder.h"

#include <cstring>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "core/syntax_tree.h"
#include "facts/expr_builder.h"
#include "facts/module_builder.h"

namespace ormlint {

namespace {

bool type_is(TSNode node, const char* type) { return std::strcmp(ts_node_type(node), type) == 0; }

// Inspector and dialect calls that ask the database what exists.
const std::set<std::string, std::less<>> kExistenceCalls = {
    "get_columns",     "has_table",    "get_table_names", "has_column",          "get_indexes",
    "has_index",       "get_foreign_keys", "get_unique_constraints", "get_check_constraints",
    "get_pk_constraint", "get_enums",  "has_sequence",    "get_sequence_names",  "get_view_names"};

// A helper named like an existence check, wherever it is defined (`from migrations.utils import column_exists`,
// `helpers.has_column(...)`): the revision builder sees one file, and such names say what they test.
bool named_like_existence_check(const std::string& callee) {
  std::string_view name(callee);
  while (!name.empty() && name.front() == '_') name.remove_prefix(1);
  return name.rfind("has_", 0) == 0 || name.find("_has_") != std::string_view::npos ||
         (name != "exists" && name.find("exist") != std::string_view::npos);
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

class RevisionBuilder {
 public:
  RevisionBuilder(TSNode root, const SourceFile& file, const ModuleFacts& module)
      : root_(root), exprs_(file), module_(module) {
    for (const auto& import : module.imports) {
      if (import.origin == "alembic.op") op_names_.insert(import.bound_name);
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
  struct Context {
    bool guarded = false;
    bool autocommit = false;
    std::map<std::string, std::string> batch_tables;  // batch_op variable -> its table ("" if not literal)
    std::set<std::string> tainted;  // local names holding what the inspector said exists
  };

  void index_functions() {
    for_each_named_child(root_, [&](TSNode stmt, const char*) {
      TSNode def = stmt;
      if (type_is(stmt, "decorated_definition")) def = field(stmt, "definition");
      if (!ts_node_is_null(def) && type_is(def, "function_definition")) {
        functions_.try_emplace(exprs_.text(field(def, "name")), def);
      }
    });
  }

  static std::string callee_last_name(TSNode call, const ExprBuilder& exprs) {
    TSNode function = field(call, "function");
    if (ts_node_is_null(function)) return "";
    if (type_is(function, "identifier")) return exprs.text(function);
    if (type_is(function, "attribute")) return exprs.text(field(function, "attribute"));
    return "";
  }

  // Does this subtree ask the database what exists: an inspector call, a name derived from one,
  // a same-file helper that does, or a query of the information schema?
  bool checks_existence(TSNode node, const Context& ctx) const {
    bool found = false;
    walk_subtree(node, [&](TSNode n) {
      if (found) return false;
      if (type_is(n, "call")) {
        std::string callee = callee_last_name(n, exprs_);
        TSNode function = field(n, "function");
        if (kExistenceCalls.count(callee) || named_like_existence_check(callee) ||
            (!ts_node_is_null(function) && type_is(function, "identifier") && guard_helpers_.count(callee))) {
          found = true;
        }
      } else if (type_is(n, "identifier")) {
        if (ctx.tainted.count(exprs_.text(n))) found = true;
      } else if (type_is(n, "string_content")) {
        std::string text = exprs_.text(n);
        if (text.find("information_schema") != std::string::npos || text.find("pg_catalog") != std::string::npos ||
            text.find("sqlite_master") != std::string::npos) {
          found = true;
        }
      }
      return !found;
    });
    return found;
  }

  // Same-file functions that check existence (`def column_exists(table, column): ...get_columns...`),
  // to a fixed point so helpers built on helpers count too.
  void find_guard_helpers() {
    Context empty;
    bool changed = true;
    for (int round = 0; changed && round < 4; ++round) {
      changed = false;
      for (const auto& [name, def] : functions_) {
        if (name == "upgrade" || name == "downgrade" || guard_helpers_.count(name)) continue;
        if (checks_existence(field(def, "body"), empty)) {
          guard_helpers_.insert(name);
          changed = true;
        }
      }
    }
  }

  void walk_function(const std::string& function, TSNode def, RevisionInfo& info) {
    Context ctx;
    active_.clear();
    active_.insert(exprs_.text(field(def, "name")));
    walk_block(field(def, "body"), ctx, function, info);
  }

  static bool block_exits(TSNode block) {
    bool exits = false;
    for_each_named_child(block, [&](TSNode stmt, const char*) {
      if (type_is(stmt, "return_statement") || type_is(stmt, "raise_statement") ||
          type_is(stmt, "continue_statement")) {
        exits = true;
      }
    });
    return exits;
  }

  void walk_block(TSNode block, Context& ctx, const std::string& function, RevisionInfo& info) {
    if (ts_node_is_null(block)) return;
    for_each_named_child(block, [&](TSNode stmt, const char*) { walk_statement(stmt, ctx, function, info); });
  }

  void walk_statement(TSNode stmt, Context& ctx, const std::string& function, RevisionInfo& info) {
    if (type_is(stmt, "if_statement")) {
      walk_if(stmt, ctx, function, info);
    } else if (type_is(stmt, "with_statement")) {
      walk_with(stmt, ctx, function, info);
    } else if (type_is(stmt, "block")) {
      Context inner = ctx;
      walk_block(stmt, inner, function, info);
      // Names bound in a nested block (try/except/loop bodies) stay visible after it, as in Python.
      ctx.tainted.insert(inner.tainted.begin(), inner.tainted.end());
    } else if (type_is(stmt, "for_statement") || type_is(stmt, "while_statement") || type_is(stmt, "try_statement") ||
               type_is(stmt, "else_clause") || type_is(stmt, "except_clause") || type_is(stmt, "finally_clause")) {
      // `for name in missing_columns:` / `for col in inspector.get_columns(t):` only visits what the database
      // said is (or is not) there: the loop body is guarded.
      Context loop = ctx;
      if (type_is(stmt, "for_statement") && checks_existence(field(stmt, "right"), ctx)) {
        loop.guarded = true;
        taint_names(field(stmt, "left"), loop);  // `for col in insp.get_columns(t): names.add(col["name"])`
      }
      for_each_named_child(stmt, [&](TSNode child, const char* f) {
        if (type_is(child, "block") && type_is(stmt, "for_statement")) {
          walk_statement(child, loop, function, info);
        } else if (type_is(child, "block") || type_is(child, "else_clause") || type_is(child, "except_clause") ||
                   type_is(child, "finally_clause")) {
          walk_statement(child, ctx, function, info);
        } else if (f && (std::strcmp(f, "right") == 0 || std::strcmp(f, "condition") == 0)) {
          collect_operations(child, ctx, function, info);
        }
      });
      ctx.tainted.insert(loop.tainted.begin(), loop.tainted.end());
    } else if (type_is(stmt, "function_definition") || type_is(stmt, "class_definition") ||
               type_is(stmt, "decorated_definition")) {
      // Nested definitions run only if called; their operations are not the revision's own. A nested helper
      // that checks existence (`def has_col(t, c): ... inspector.get_columns(t)`) guards like a module one.
      if (type_is(stmt, "function_definition") && checks_existence(field(stmt, "body"), ctx)) {
        guard_helpers_.insert(exprs_.text(field(stmt, "name")));
      }
    } else {
      if (type_is(stmt, "expression_statement")) taint_assignment(stmt, ctx);
      collect_operations(stmt, ctx, function, info);
    }
  }

  void taint_names(TSNode target, Context& ctx) const {
    if (ts_node_is_null(target)) return;
    walk_subtree(target, [&](TSNode n) {
      if (type_is(n, "identifier")) ctx.tainted.insert(exprs_.text(n));
      return true;
    });
  }

  // `existing.add(col["name"])` / `.append(...)` with what the inspector said: `existing` holds it too.
  void taint_collection(TSNode call, Context& ctx) const {
    static const std::set<std::string, std::less<>> kAdders = {"add", "append", "extend", "update", "insert"};
    TSNode function = field(call, "function");
    if (ts_node_is_null(function) || !type_is(function, "attribute")) return;
    TSNode object = field(function, "object");
    if (!type_is(object, "identifier") || !kAdders.count(exprs_.text(field(function, "attribute")))) return;
    if (checks_existence(field(call, "arguments"), ctx)) ctx.tainted.insert(exprs_.text(object));
  }

  void taint_assignment(TSNode stmt, Context& ctx) const {
    TSNode inner = ts_node_named_child(stmt, 0);
    if (!ts_node_is_null(inner) && type_is(inner, "call")) taint_collection(inner, ctx);
    if (ts_node_is_null(inner) || !(type_is(inner, "assignment") || type_is(inner, "augmented_assignment"))) return;
    TSNode right = field(inner, "right");
    if (ts_node_is_null(right) || !checks_existence(right, ctx)) return;
    walk_subtree(field(inner, "left"), [&](TSNode n) {
      if (type_is(n, "identifier")) ctx.tainted.insert(exprs_.text(n));
      return true;
    });
  }

  // `if (cols := [c["name"] for c in insp.get_columns("t")]) ...`: the name holds what exists afterwards too.
  void taint_walrus(TSNode condition, Context& ctx) const {
    if (ts_node_is_null(condition)) return;
    walk_subtree(condition, [&](TSNode n) {
      if (!type_is(n, "named_expression")) return true;
      TSNode name = field(n, "name");
      if (!ts_node_is_null(name) && checks_existence(field(n, "value"), ctx)) ctx.tainted.insert(exprs_.text(name));
      return true;
    });
  }

  void walk_if(TSNode stmt, Context& ctx, const std::string& function, RevisionInfo& info) {
    taint_walrus(field(stmt, "condition"), ctx);
    bool guard = checks_existence(field(stmt, "condition"), ctx);
    TSNode consequence = field(stmt, "consequence");
    Context inner = ctx;
    inner.guarded = ctx.guarded || guard;
    walk_block(consequence, inner, function, info);
    for_each_named_child(stmt, [&](TSNode clause, const char*) {
      if (type_is(clause, "elif_clause")) {
        Context elif = ctx;
        elif.guarded = ctx.guarded || guard || checks_existence(field(clause, "condition"), ctx);
        walk_block(field(clause, "consequence"), elif, function, info);
        ctx.tainted.insert(elif.tainted.begin(), elif.tainted.end());
      } else if (type_is(clause, "else_clause")) {
        Context otherwise = ctx;
        otherwise.guarded = ctx.guarded || guard;
        walk_block(field(clause, "body"), otherwise, function, info);
        ctx.tainted.insert(otherwise.tainted.begin(), otherwise.tainted.end());
      }
    });
    // Names bound in any branch stay visible after the if, as in Python.
    ctx.tainted.insert(inner.tainted.begin(), inner.tainted.end());
    // `if "x" in existing: return` guards everything after it in the same block.
    if (guard && block_exits(consequence)) ctx.guarded = true;
  }

  void walk_with(TSNode stmt, Context& ctx, const std::string& function, RevisionInfo& info) {
    Context inner = ctx;
    walk_subtree(stmt, [&](TSNode n) {
      if (type_is(n, "block")) return false;
      if (!type_is(n, "with_item")) return true;
      TSNode value = field(n, "value");
      if (ts_node_is_null(value)) return false;
      TSNode call = value;
      std::string alias;
      if (type_is(value, "as_pattern")) {
        call = ts_node_named_child(value, 0);
        walk_subtree(value, [&](TSNode t) {
          if (type_is(t, "as_pattern_target")) {
            alias = exprs_.text(t);
            return false;
          }
          return true;
        });
      }
      if (ts_node_is_null(call) || !type_is(call, "call")) return false;
      std::string callee = callee_last_name(call, exprs_);
      if (callee == "autocommit_block") inner.autocommit = true;
      if (callee == "batch_alter_table") {
        size_t before = info.operations.size();
        collect_operations(call, ctx, function, info);
        std::string table = info.operations.size() > before ? info.operations[before].table : "";
        if (!alias.empty()) inner.batch_tables[alias] = table;
      } else if (callee != "autocommit_block") {
        record_call(call, call, function, info);  // `with Session(bind=op.get_bind()) as session:`
      }
      return false;
    });
    walk_block(field(stmt, "body"), inner, function, info);
    // Names tainted inside the with block stay visible after it, as in Python.
    ctx.tainted.insert(inner.tainted.begin(), inner.tainted.end());
  }

  // Records every operation call in the statement (calls nested in arguments too), and follows calls to
  // same-file helper functions so `def upgrade(): _add_columns()` is seen through.
  void collect_operations(TSNode stmt, const Context& ctx, const std::string& function, RevisionInfo& info) {
    walk_subtree(stmt, [&](TSNode n) {
      if (type_is(n, "lambda") || type_is(n, "function_definition")) return false;
      if (!type_is(n, "call")) return true;
      TSNode fn = field(n, "function");
      if (ts_node_is_null(fn)) return true;
      if (type_is(fn, "attribute")) {
        TSNode object = field(fn, "object");
        std::string receiver = ts_node_is_null(object) ? "" : exprs_.text(object);
        std::string name = exprs_.text(field(fn, "attribute"));
        bool is_op = type_is(object, "identifier") && op_names_.count(receiver);
        auto batch = ctx.batch_tables.find(receiver);
        if ((is_op || batch != ctx.batch_tables.end()) && !kNotOperations.count(name)) {
          record(n, receiver, name, batch != ctx.batch_tables.end() ? &batch->second : nullptr, ctx, function, info);
        } else {
          record_call(n, stmt, function, info);
        }
      } else if (type_is(fn, "identifier")) {
        std::string name = exprs_.text(fn);
        auto helper = functions_.find(name);
        if (helper == functions_.end()) record_call(n, stmt, function, info);
        if (helper != functions_.end() && !active_.count(name) && active_.size() < 4) {
          active_.insert(name);
          Context inner = ctx;
          inner.tainted.clear();
          walk_block(field(helper->second, "body"), inner, function, info);
          active_.erase(name);
        }
      } else {
        record_call(n, stmt, function, info);  // `sessionmaker(bind=bind)()`
      }
      return true;
    });
  }

  // Keeps a call that is not an operation (RevisionCall) when no other call of `stmt` holds it and it is not a
  // method of `op` itself (`op.get_bind()`; `op.get_bind().execute(...)` is kept).
  void record_call(TSNode call, TSNode stmt, const std::string& function, RevisionInfo& info) const {
    if (!ts_node_eq(call, stmt)) {
      for (TSNode up = ts_node_parent(call); !ts_node_is_null(up); up = ts_node_parent(up)) {
        if (type_is(up, "call")) return;
        if (ts_node_eq(up, stmt)) break;
      }
    }
    TSNode fn = field(call, "function");
    if (!ts_node_is_null(fn) && type_is(fn, "attribute")) {
      TSNode object = field(fn, "object");
      if (!ts_node_is_null(object) && type_is(object, "identifier") && op_names_.count(exprs_.text(object))) return;
    }
    info.calls.push_back(RevisionCall{function, exprs_.build(call)});
  }

  void record(TSNode call, const std::string& receiver, const std::string& name, const std::string* batch_table,
              const Context& ctx, const std::string& function, RevisionInfo& info) {
    OperationCall op;
    op.function = function;
    op.name = name;
    op.receiver = receiver;
    op.in_batch = batch_table != nullptr;
    op.guarded = ctx.guarded;
    op.in_autocommit_block = ctx.autocommit;
    op.call = exprs_.build(call);
    if (batch_table) {
      op.table = *batch_table;
    } else if (auto where = kTableArguments.find(name); where != kTableArguments.end()) {
      const Expr* table = op.call.keyword(where->second.keyword);
      if (!table) table = op.call.arg(static_cast<size_t>(where->second.position));
      if (table && table->is_string()) op.table = table->text;
      if (!op.call.keyword(where->second.keyword)) op.table_position = where->second.position;
    }
    info.operations.push_back(std::move(op));
  }

  TSNode root_;
  ExprBuilder exprs_;
  const ModuleFacts& module_;
  std::set<std::string, std::less<>> op_names_;
  std::map<std::string, TSNode, std::less<>> functions_;
  std::set<std::string, std::less<>> guard_helpers_;
  std::set<std::string> active_;  // helper functions being followed (no recursion)
};

}  // namespace

const Expr* OperationCall::argument(size_t index) const {
  if (table_position >= 0 && index >= static_cast<size_t>(table_position)) ++index;
  return call.arg(index);
}

std::string OperationCall::column_name() const {
  const Expr* column = nullptr;
  if (name == "add_column") {
    column = argument(0);
    if (column && column->is_call() && !column->items.empty() && column->items[0].is_string()) return column->items[0].text;
    return "";
  }
  if (name == "drop_column" || name == "alter_column") {
    column = call.keyword("column_name");
    if (!column) column = argument(0);
  }
  return column && column->is_string() ? column->text : "";
}

bool RevisionInfo::creates_table_before(const OperationCall& op) const {
  if (op.table.empty()) return false;
  for (const OperationCall& earlier : operations) {
    if (&earlier == &op) return false;
    if (earlier.function == op.function && earlier.name == "create_table" && earlier.table == op.table) return true;
  }
  return false;
}

std::optional<RevisionInfo> build_revision_info(TSNode root, const SourceFile& file, const ModuleFacts& module) {
  bool has_revision = false;
  for (const auto& assignment : module.assignments) has_revision = has_revision || assignment.target == "revision";
  if (!has_revision) return std::nullopt;
  return RevisionBuilder(root, file, module).build();
}

}  // namespace ormlint
