// identity-comparison-in-query: `x is None` / `x is not None` on a column inside a SQL expression — the
// arguments of `.where()`, `.filter()`, `.having()`, `and_()`, `or_()`, `not_()`, `case()`, a join's `onclause`.
// Python evaluates `is` itself (SQLAlchemy cannot overload it) to the constant True or False before SQLAlchemy sees
// anything, so the statement says `WHERE true` (every row) or `WHERE false` (none). In a migration's data step
// that rewrites or deletes every row, or silently does nothing; in a relationship's primaryjoin it joins wrong.
#include <set>
#include <string>
#include <string_view>

#include "engine/rule.h"

namespace ormlint {

namespace {

// The calls whose arguments are SQL expressions.
bool takes_sql_expressions(std::string_view callee) {
  static const std::set<std::string_view> kSql = {"where",  "filter", "having", "and_", "or_",
                                                  "not_",   "case",   "join",   "outerjoin", "select_from"};
  return kSql.count(callee) > 0;
}

// `t.c.x is not None`: a comparison whose operator is `is` / `is not`, of an attribute (a column) with None.
bool identity_test_of_column(const Expr& e, bool& negated) {
  if (e.kind != Expr::Kind::Other || e.name != "comparison_operator" || e.items.size() != 2) return false;
  const Expr& left = e.items[0];
  const Expr& right = e.items[1];
  if (left.kind != Expr::Kind::Attribute || right.kind != Expr::Kind::None) return false;
  const std::string_view text = e.text;
  const size_t at = text.rfind(" is ");
  if (at == std::string_view::npos) return false;
  negated = text.substr(at).starts_with(" is not ");
  return true;
}

class IdentityComparisonInQuery final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL426",
                               "identity-comparison-in-query",
                               "`column is None` in a SQL expression: Python evaluates it to True or False first, "
                               "so the query matches every row or none",
                               Severity::Error,
                               Profile::Any,
                               true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    std::set<uint32_t> reported;
    auto visit = [&](const Expr& root) {
      root.walk([&](const Expr& call) {
        if (!call.is_call() || !takes_sql_expressions(call.callee_name())) return;
        auto judge = [&](const Expr& argument) {
          argument.walk([&](const Expr& e) {
            bool negated = false;
            if (!identity_test_of_column(e, negated) || !reported.insert(e.loc.start_byte).second) return;
            const std::string column = e.items[0].text;
            out.report(file, e.loc,
                       "`" + column + (negated ? " is not None" : " is None") +
                           "` is evaluated by Python, not SQL: it is always " + (negated ? "True" : "False") +
                           ", so `" + std::string(call.callee_name()) + "()` gets the constant and the query " +
                           (negated ? "matches every row" : "matches no row"),
                       "write `" + column + (negated ? ".is_not(None)`" : ".is_(None)`") +
                           " (or `!= None` / `== None`), which SQLAlchemy turns into IS [NOT] NULL");
          });
        };
        for (const Expr& argument : call.items) judge(argument);
        for (const Keyword& keyword : call.keywords) judge(keyword.value);
      });
    };
    file.facts.for_each_expression(visit);
    if (file.facts.revision) {
      for (const RevisionCall& call : file.facts.revision->calls) visit(call.call);
    }
    for (const FunctionDef& fn : file.facts.functions) {
      if (fn.returned_call) visit(*fn.returned_call);
    }
  }
};

ORMLINT_RULE(IdentityComparisonInQuery);

}  // namespace

}  // namespace ormlint
