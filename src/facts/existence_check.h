// What "asks the database what exists" means, for the guards around Alembic operations: inspector and dialect
// calls (`inspector.get_columns(t)`, `has_table`), functions named like existence checks (`column_exists`,
// `has_column`), and SQL that reads the catalog (information_schema, pg_catalog, sqlite_master). Shared by the
// revision builder (guards in upgrade()/downgrade()) and the module builder (which module-level functions are
// such checks, so that revision scripts importing them are judged guarded by the project).
#pragma once
#include <tree_sitter/api.h>

#include <functional>
#include <set>
#include <string>
#include <string_view>

namespace ormlint {

class ExprBuilder;

// A called function's last name that asks what exists: an inspector/dialect method, or a helper named like one.
bool is_existence_call(std::string_view callee);

// String content that queries the database catalog.
bool names_catalog(std::string_view text);

// Whether source text can hold an existence check at all (a cheap test before walking its functions).
bool may_check_existence(std::string_view source);

// The last name of a call's callee (`get_columns` for `insp.get_columns(t)`), "" when it is no plain name.
std::string callee_last_name(TSNode call, const ExprBuilder& exprs);

// What an existence check asks about: only whether tables exist (`has_table`, `get_table_names`, a helper
// named like `table_exists`, catalog SQL on tables alone), or anything else (columns, indexes, constraints; a
// helper whose name does not say). A table check proves nothing about a column: `if "groups" in
// get_table_names(): op.add_column("groups", ...)` adds the column a second time when run again.
enum class CheckKind { None, Tables, Other };
struct ExistenceChecks {
  bool tables = false;  // some check asks about tables only
  bool other = false;   // some check asks about something else
  bool any() const { return tables || other; }
  bool tables_only() const { return tables && !other; }
};

// The existence checks in the subtree: existence calls, calls of a function in `helpers` (same-file functions
// known to check existence), catalog SQL. `also` may add a check for other nodes (a local name known to hold
// what exists); it is asked of every node.
ExistenceChecks subtree_existence_checks(TSNode subtree, const ExprBuilder& exprs,
                                         const std::set<std::string, std::less<>>& helpers,
                                         const std::function<CheckKind(TSNode)>& also = nullptr);

// Whether the subtree asks what exists at all (subtree_existence_checks(...).any()).
bool subtree_checks_existence(TSNode subtree, const ExprBuilder& exprs, const std::set<std::string, std::less<>>& helpers,
                              const std::function<bool(TSNode)>& also = nullptr);

}  // namespace ormlint
