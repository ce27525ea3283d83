#include "facts/existence_check.h"

#include "core/syntax_tree.h"
#include "facts/expr_builder.h"

namespace ormlint {

namespace {

// Inspector and dialect calls that ask the database what exists.
const std::set<std::string, std::less<>> kExistenceCalls = {
    "get_columns",     "has_table",    "get_table_names", "has_column",          "get_indexes",
    "has_index",       "get_foreign_keys", "get_unique_constraints", "get_check_constraints",
    "get_pk_constraint", "get_enums",  "has_sequence",    "get_sequence_names",  "get_view_names"};

// A helper named like an existence check, wherever it is defined (`from migrations.utils import column_exists`,
// `helpers.has_column(...)`): such names say what they test.
bool named_like_existence_check(std::string_view name) {
  while (!name.empty() && name.front() == '_') name.remove_prefix(1);
  return name.rfind("has_", 0) == 0 || name.find("_has_") != std::string_view::npos ||
         (name != "exists" && name.find("exist") != std::string_view::npos);
}

}  // namespace

bool is_existence_call(std::string_view callee) {
  return kExistenceCalls.count(callee) > 0 || named_like_existence_check(callee);
}

bool names_catalog(std::string_view text) {
  return text.find("information_schema") != std::string_view::npos ||
         text.find("pg_catalog") != std::string_view::npos || text.find("sqlite_master") != std::string_view::npos;
}

bool may_check_existence(std::string_view source) {
  // Every existence call holds "get_" or "has_" or "exist" (see kExistenceCalls and named_like_existence_check).
  return source.find("get_") != std::string_view::npos || source.find("has_") != std::string_view::npos ||
         source.find("exist") != std::string_view::npos || names_catalog(source);
}

std::string callee_last_name(TSNode call, const ExprBuilder& exprs) {
  TSNode function = field(call, "function");
  if (ts_node_is_null(function)) return "";
  if (is_kind(function, NodeKind::Identifier)) return exprs.text(function);
  if (is_kind(function, NodeKind::Attribute)) return exprs.text(field(function, "attribute"));
  return "";
}

namespace {

// What a called name asks about: table checks by name (`has_table`, `get_table_names`, `table_exists`,
// `_has_table`), anything else that checks existence is Other.
CheckKind call_kind(std::string_view callee) {
  if (callee == "has_table" || callee == "get_table_names") return CheckKind::Tables;
  if (callee.find("table") != std::string_view::npos && callee.find("column") == std::string_view::npos) {
    return CheckKind::Tables;
  }
  return CheckKind::Other;
}

// Catalog SQL: about tables alone unless it reads columns (information_schema.columns, pg_attribute, SQLite's
// table_info pragma) or other objects.
CheckKind catalog_kind(std::string_view sql) {
  for (std::string_view other :
       {"column", "attribute", "table_info", "index", "constraint", "pg_type", "enum"}) {
    if (sql.find(other) != std::string_view::npos) return CheckKind::Other;
  }
  return CheckKind::Tables;
}

}  // namespace

ExistenceChecks subtree_existence_checks(TSNode subtree, const ExprBuilder& exprs,
                                         const std::set<std::string, std::less<>>& helpers,
                                         const std::function<CheckKind(TSNode)>& also) {
  ExistenceChecks found;
  auto add = [&](CheckKind kind) {
    if (kind == CheckKind::Tables) found.tables = true;
    if (kind == CheckKind::Other) found.other = true;
  };
  walk_subtree(subtree, [&](TSNode n) {
    if (found.other) return false;  // nothing can make it tables only again
    if (is_kind(n, NodeKind::Call)) {
      std::string callee = callee_last_name(n, exprs);
      TSNode function = field(n, "function");
      if (is_existence_call(callee) ||
          (!ts_node_is_null(function) && is_kind(function, NodeKind::Identifier) && helpers.count(callee))) {
        add(call_kind(callee));
      }
    } else if (is_kind(n, NodeKind::StringContent)) {
      const std::string text = exprs.text(n);
      if (names_catalog(text)) add(catalog_kind(text));
    }
    if (also) add(also(n));
    return !found.other;
  });
  return found;
}

bool subtree_checks_existence(TSNode subtree, const ExprBuilder& exprs,
                              const std::set<std::string, std::less<>>& helpers,
                              const std::function<bool(TSNode)>& also) {
  if (!also) return subtree_existence_checks(subtree, exprs, helpers).any();
  return subtree_existence_checks(subtree, exprs, helpers,
                                  [&](TSNode n) { return also(n) ? CheckKind::Other : CheckKind::None; })
      .any();
}

}  // namespace ormlint
