// eager-relationship-default: `relationship(..., lazy="joined")`, "subquery" or "immediate" (also
// `lazy=False`, the old spelling of "joined", on relationship(), backref() and SQLModel's
// sa_relationship_kwargs): every query for the class then loads the related rows too, wanted or not. Reported
// at the `lazy=` argument. `selectin`, `select`, `raise`, `dynamic`, `write_only` and per-query options
// (joinedload()) are not flagged.
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "engine/rule.h"

namespace ormlint {

namespace {

bool is_relationship_call(const Expr& e) {
  if (!e.is_call()) return false;
  const FactText origin = e.origin();
  return origin == "sqlalchemy.orm.relationship" || origin == "sqlalchemy.orm.relation" ||
         origin == "sqlalchemy.orm.backref" || origin == "sqlmodel.Relationship";
}

// "joined" / "subquery" / "immediate" for an eager loader strategy, nullopt otherwise.
std::optional<std::string> eager_strategy(const Expr& value) {
  if (value.is_false()) return std::string("joined");  // lazy=False: the legacy spelling
  if (!value.is_string()) return std::nullopt;
  if (value.text == "joined" || value.text == "subquery" || value.text == "immediate") return value.text;
  return std::nullopt;
}

class EagerRelationshipDefault final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL407",
                               "eager-relationship-default",
                               "relationship() loads eagerly by default (lazy=\"joined\" / \"subquery\")",
                               Severity::Info,
                               Profile::Any,
                               true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    // A revision script's snapshot classes load rows only while the migration runs, not in every endpoint.
    if (!file.declares_schema()) return;
    // Class attributes first, so a finding can name `Organization.users`; then every other expression
    // (imperative mappings, module-level helpers).
    std::set<const Expr*> seen;
    for (const ClassDef& def : file.facts.classes) {
      for (const ClassAttribute& attr : def.attributes) {
        if (!attr.value) continue;
        seen.insert(&*attr.value);
        check_expression(file, *attr.value, "`" + def.name + "." + attr.name + "`", out);
      }
    }
    file.facts.for_each_expression([&](const Expr& top) {
      if (!seen.count(&top)) check_expression(file, top, "", out);
    });
  }

 private:
  // `attribute` names what `top` is assigned to, if anything.
  static void check_expression(const ProjectFile& file, const Expr& top, const std::string& attribute,
                               Reporter& out) {
    top.walk([&](const Expr& e) {
      if (!is_relationship_call(e)) return;
      const std::string what = &e == &top && !attribute.empty() ? attribute : "`" + call_text(e) + "`";
      for (const Keyword& kw : e.keywords) {
        if (kw.name == "lazy") check_lazy(file, what, kw.value, kw.loc, out);
      }
      // SQLModel: Relationship(sa_relationship_kwargs={"lazy": "joined"}).
      const Expr* extra = e.keyword("sa_relationship_kwargs");
      if (!extra || extra->kind != Expr::Kind::Dict) return;
      for (size_t i = 0; i + 1 < extra->items.size(); i += 2) {
        const Expr& key = extra->items[i];
        if (key.is_string() && key.text == "lazy") check_lazy(file, what, extra->items[i + 1], key.loc, out);
      }
    });
  }

  // `relationship("User")`, `backref("reports")`: the callee and its first argument.
  static std::string call_text(const Expr& call) {
    std::string target;
    if (const Expr* first = call.arg(0))
      target = first->is_string() ? "\"" + first->text + "\"" : std::string(first->text);
    return std::string(call.callee_name()) + "(" + target + ")";
  }

  static void check_lazy(const ProjectFile& file, const std::string& what, const Expr& value,
                         const Location& where, Reporter& out) {
    auto strategy = eager_strategy(value);
    if (!strategy) return;
    const bool joined = *strategy == "joined";
    const std::string written = value.is_false() ? "lazy=False" : "lazy=\"" + *strategy + "\"";
    const std::string how =
        joined ? ", with a LEFT OUTER JOIN, whether the code needs them or not"
        : *strategy == "subquery"
            ? ", re-running the original query as a subquery, whether the code needs them or not"
            : ", with one more SELECT per parent row (N+1 queries), whether the code needs them or not";
    std::string message =
        what + " uses `" + written + "`: every query that loads the parent also loads the related rows" + how;
    out.report(
        file, where, std::move(message),
        "keep the default lazy loading and load it where it is needed: `select(...).options(" +
            std::string(joined ? "joinedload" : "selectinload") +
            "(...))`; for a collection nearly always needed, `lazy=\"selectin\"` is the cheaper default");
  }
};

ORMLINT_RULE(EagerRelationshipDefault);

}  // namespace

}  // namespace ormlint
