#include "facts/core_statement.h"

namespace ormlint {

namespace {

bool is_core_table_call(const Expr* e) {
  return !core_table_name(e).empty();
}

}  // namespace

std::optional<CoreStatement::Verb> core_statement_verb(std::string_view method) {
  if (method == "update") return CoreStatement::Verb::Update;
  if (method == "delete") return CoreStatement::Verb::Delete;
  if (method == "insert") return CoreStatement::Verb::Insert;
  return std::nullopt;
}

std::string_view core_table_name(const Expr* table) {
  if (!table || !table->is_call()) return {};
  const std::string_view callee = table->callee_name();
  if (callee != "table" && callee != "Table") return {};
  const Expr* name = table->arg(0);
  return name && name->is_string() ? std::string_view(name->text) : std::string_view();
}

std::optional<CoreStatement> read_core_statement(const Expr& statement) {
  CoreStatement found;
  // Down the chain of method calls to the one that makes the statement; the links above it refine it.
  for (const Expr* link = &statement; link && link->is_call(); link = link->receiver()) {
    const std::string_view method = link->callee_name();
    if (const auto verb = core_statement_verb(method)) {
      found.verb = *verb;
      const Expr* receiver = link->receiver();
      // `t.delete()` on a table; `sa.delete(t)` names it as its argument. A bare name receiver is ambiguous
      // (`t.delete(whereclause)` or `sa.delete(t)`): a Core table argument decides, else the receiver is
      // the table when nothing is passed.
      if (is_core_table_call(receiver) || (!is_core_table_call(link->arg(0)) && link->items.empty())) {
        found.table = receiver;
        found.filtered |= !link->items.empty() || link->keyword("whereclause");
      } else {
        found.table = link->arg(0);
        found.filtered |= link->keyword("whereclause") != nullptr;
      }
      return found;
    }
    if (method == "where" || method == "filter") {
      found.filtered = true;
    } else if (method == "values") {
      for (const Keyword& kw : link->keywords) {
        if (!kw.is_list_splat()) found.set_columns.push_back(kw.name);
      }
      if (const Expr* mapping = link->arg(0); mapping && mapping->is(Expr::Kind::Dict)) {
        for (size_t key = 0; key < mapping->items.size(); key += 2) {
          const Expr& column = mapping->items[key];
          if (column.is_string()) found.set_columns.push_back(column.text);
          // `{t.c.kind: t.c.old_kind}` (gnocchi): a column of the table, by its attribute.
          const Expr* columns = column.is(Expr::Kind::Attribute) ? column.target.get() : nullptr;
          if (columns && columns->is(Expr::Kind::Attribute) &&
              (columns->name == "c" || columns->name == "columns")) {
            found.set_columns.push_back(column.name);
          }
        }
      }
    } else if (method != "execution_options" && method != "returning") {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace ormlint
