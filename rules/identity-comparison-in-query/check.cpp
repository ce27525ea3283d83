// identity-comparison-in-query: `x is None` / `x is not None` on a column inside a SQL expression — the
// arguments of `.where()`, `.filter()`, `.having()`, `and_()`, `or_()`, `not_()`, `case()`, a join's `onclause`.
// Python evaluates `is` itself (SQLAlchemy cannot overload it) to the constant True or False before SQLAlchemy sees
// anything, so the statement says `WHERE true` (every row) or `WHERE false` (none). In a migration's data step
// that rewrites or deletes every row, or silently does nothing; in a relationship's primaryjoin it joins wrong.
#include <set>
#include <string>
#include <string_view>

#include "engine/rule.h"
#include "facts/query_calls.h"

namespace ormlint {

namespace {

// `t.c.x is not None`: a comparison whose operator is `is` / `is not`, of an attribute with None.
bool identity_test_of_attribute(const Expr& e, bool& negated) {
  if (e.kind != Expr::Kind::Other || e.name != "comparison_operator" || e.items.size() != 2) return false;
  const Expr& left = e.items[0];
  const Expr& right = e.items[1];
  if (left.kind != Expr::Kind::Attribute || !left.target || right.kind != Expr::Kind::None) return false;
  const std::string_view text = e.text;
  const size_t at = text.rfind(" is ");
  if (at == std::string_view::npos) return false;
  negated = text.substr(at).starts_with(" is not ");
  return true;
}

// Whether the attribute is a column SQLAlchemy would compare: `t.c.x` / `t.columns.x`, `Model.x` of a mapped
// class (or a mixin of one), `cls.x` (a model's classmethod). `filters.name is None` (an object's value, the
// optional-filter idiom `or_(filters.name is None, User.name == filters.name)`) and `self.x` are Python's own
// tests, meant as such.
bool is_column(const Expr& attribute, const ProjectFile& file, const Project& project) {
  const Expr& owner = *attribute.target;
  if (owner.kind == Expr::Kind::Attribute && (owner.name == "c" || owner.name == "columns")) return true;
  if (owner.kind == Expr::Kind::Name && owner.text == "cls") return true;
  if (!owner.is_name_like()) return false;
  const ClassInfo* cls = project.resolve_class(file, owner.text);
  return cls && cls->contributes_mapped_attributes();
}

// Calls `fn` on the parts of a SQL argument that reach SQLAlchemy: not the test of a conditional expression
// (`A == x if x is not None else A.is_(None)`) nor a comprehension's `if`, which Python evaluates as intended.
template <class Fn>
void each_sql_part(const Expr& e, Fn&& fn) {
  fn(e);
  if (e.kind == Expr::Kind::Other && e.name == "if_clause") return;
  if (e.kind == Expr::Kind::Other && e.name == "conditional_expression" && e.items.size() == 3) {
    each_sql_part(e.items[0], fn);
    each_sql_part(e.items[2], fn);
    return;
  }
  if (e.target) each_sql_part(*e.target, fn);
  for (const Expr& item : e.items) each_sql_part(item, fn);
  for (const Keyword& keyword : e.keywords) each_sql_part(keyword.value, fn);
}

// What the constant does to the query: a filter keeps every row or none; a `case()` branch is taken by every
// row or by none (Kotti triage: the query still returns every row, with the other branch's value).
std::string consequence(std::string_view callee, bool always_true) {
  if (callee == "case") {
    return always_true ? "every row takes that branch's value"
                       : "no row takes that branch: every row gets the next branch's value (or `else_`)";
  }
  return always_true ? "the query matches every row" : "the query matches no row";
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

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    std::set<uint32_t> reported;
    // A query call holds those it continues or nests (`q.filter(a).filter(b)`, `and_()` in `where()`).
    auto visit = [&](const Expr& root) {
      root.walk([&](const Expr& call) {
        if (!call.is_call() || !takes_sql_expressions(call.callee_name())) return;
        auto judge = [&](const Expr& argument) {
          each_sql_part(argument, [&](const Expr& e) {
            bool negated = false;
            if (!identity_test_of_attribute(e, negated) || !is_column(e.items[0], file, project) ||
                !reported.insert(e.loc.start_byte).second) {
              return;
            }
            const std::string column = e.items[0].text;
            out.report(file, e.loc,
                       "`" + column + (negated ? " is not None" : " is None") +
                           "` is evaluated by Python, not SQL: it is always " + (negated ? "True" : "False") +
                           ", so `" + std::string(call.callee_name()) + "()` gets the constant and " +
                           consequence(call.callee_name(), negated),
                       "write `" + column + (negated ? ".is_not(None)`" : ".is_(None)`") +
                           " (or `!= None` / `== None`), which SQLAlchemy turns into IS [NOT] NULL");
          });
        };
        for (const Expr& argument : call.items) judge(argument);
        for (const Keyword& keyword : call.keywords) judge(keyword.value);
      });
    };
    for (const Expr& query : file.facts.query_calls) visit(query);
    for (const ClassDef& cls : file.facts.classes) check_hybrids(file, project, cls, out);
  }

 private:
  // `@hybrid_property def has_password(self): return self.hashed_password is not None` without an
  // `.expression`: at class level SQLAlchemy calls the same function with the class, so `User.has_password`
  // in a query is the constant Python made of `User.hashed_password is not None` (litestar-fullstack).
  static void check_hybrids(const ProjectFile& file, const Project& project, const ClassDef& cls,
                            Reporter& out) {
    const ClassInfo* info = project.class_info(cls);
    if (!info || !info->contributes_mapped_attributes()) return;
    for (const HybridProperty& hybrid : cls.hybrids) {
      if (hybrid.has_expression || !hybrid.returned) continue;
      const Expr& test = *hybrid.returned;
      bool negated = false;
      if (!identity_test_of_attribute(test, negated)) continue;
      const Expr& attribute = test.items[0];
      if (!attribute.target || !attribute.target->is(Expr::Kind::Name) || attribute.target->text != "self" ||
          !cls.attribute(attribute.name)) {
        continue;
      }
      const std::string at_class = std::string(cls.name) + "." + std::string(attribute.name);
      out.report(file, test.loc,
                 "hybrid `" + std::string(hybrid.name) + "` has no `.expression`, so in a query `" +
                     std::string(cls.name) + "." + std::string(hybrid.name) + "` is what Python makes of `" +
                     at_class +
                     (negated ? " is not None` at class level: always True, and a query filtering "
                                "on it matches every row"
                              : " is None` at class level: always False, and a query filtering on "
                                "it matches no row"),
                 "add `@" + std::string(hybrid.name) + ".expression` returning `cls." +
                     std::string(attribute.name) + (negated ? ".is_not(None)`" : ".is_(None)`") +
                     " (the instance-level test can stay)");
    }
  }
};

ORMLINT_RULE(IdentityComparisonInQuery);

}  // namespace

}  // namespace ormlint
