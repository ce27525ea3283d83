#include "facts/sql_literal.h"

namespace ormlint {

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
      if (callee == "text" || e->origin() == "sqlalchemy.text") {  // also `from sqlalchemy import text as sql`
        const Expr* text = e->keyword("text");
        return literal_sql(module, text ? text : e->arg(0), out, depth + 1);
      }
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
