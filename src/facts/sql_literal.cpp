#include "facts/sql_literal.h"

namespace ormlint {

const Expr* sql_construct_text(const Expr* e) {
  if (!e || !e->is_call()) return nullptr;
  const std::string_view callee = e->callee_name();
  const std::string_view origin = e->origin();
  // By name too: names in revisions resolve late, and `from sqlalchemy import text as sql` resolves by
  // origin.
  if (callee == "text" || origin == "sqlalchemy.text" || origin == "sqlalchemy.sql.text") {
    const Expr* text = e->keyword("text");
    return text ? text : e->arg(0);
  }
  if (callee == "DDL" || origin == "sqlalchemy.DDL" || origin == "sqlalchemy.schema.DDL") {
    const Expr* statement = e->keyword("statement");
    return statement ? statement : e->arg(0);
  }
  return nullptr;
}

bool literal_sql(const ModuleFacts& module, const Expr* e, std::string& out, int depth) {
  if (!e || depth > 8) return false;
  switch (e->kind) {
    case Expr::Kind::Name: {
      auto binding = module.bindings.find(e->text);
      if (binding == module.bindings.end() || binding->second.kind != ModuleFacts::BindingKind::Assignment)
        return false;
      return literal_sql(module, &module.assignments[binding->second.index].value, out, depth + 1);
    }
    case Expr::Kind::String:
      out += e->text;
      return true;
    case Expr::Kind::BinaryOp: {
      if (e->name != "+" && e->name != "%") return false;
      bool left = literal_sql(module, e->arg(0), out, depth + 1);
      if (e->name == "%") return left;
      out += ' ';
      return literal_sql(module, e->arg(1), out, depth + 1) || left;
    }
    case Expr::Kind::Call: {
      std::string_view callee = e->callee_name();
      if (const Expr* text = sql_construct_text(e)) return literal_sql(module, text, out, depth + 1);
      // `"...".format(v)`, `sa.text("...").execution_options(...)`: the SQL is the method's object.
      bool method = e->target && e->target->kind == Expr::Kind::Attribute && e->target->target;
      if (method && (callee == "format" || callee == "strip" || callee == "execution_options" ||
                     callee == "bindparams")) {
        return literal_sql(module, e->target->target.get(), out, depth + 1);
      }
      return false;
    }
    case Expr::Kind::Other:
      return e->name == "parenthesized_expression" && e->items.size() == 1 &&
             literal_sql(module, e->arg(0), out, depth + 1);
    default:
      return false;
  }
}

const Expr* executed_sql(const OperationCall& op) {
  const Expr* sql = op.call.keyword("sqltext");
  return sql ? sql : op.argument(0);
}

}  // namespace ormlint
