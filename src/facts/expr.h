// A Python expression as facts: an owned, tree-sitter-free value that rules can read and the project resolver
// can annotate with the origin of every name ("sa.Column" -> "sqlalchemy.Column").
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fact_list.h"
#include "core/fact_text.h"
#include "core/location.h"

namespace ormlint {

struct Keyword;

struct Expr {
  // One byte, beside is_fstring: a run holds hundreds of thousands of expressions, so their size shows.
  enum class Kind : uint8_t { Name, Attribute, Call, String, Number, Bool, None, List, Tuple, Set, Dict, Lambda,
                              Subscript, BinaryOp, Other };

  Kind kind = Kind::Other;
  bool is_fstring = false;
  Location loc;
  // Name/Attribute: the dotted source text ("sa.Column"); String: the literal's content (escapes kept as
  // written); Number/Bool/BinaryOp/Other: the source text (shortened for long nodes).
  FactText text;
  // Name: the identifier; Attribute: the attribute ("Column"); BinaryOp: the operator; Other: the node type.
  FactText name;
  // Name/Attribute: canonical origin filled by the project resolver ("sqlalchemy.Column"); empty when
  // unknown. A call's result is written with "()" ("flask_sqlalchemy.SQLAlchemy().Model").
  FactText resolved;
  // Call: callee. Attribute: object. Subscript: value. Lambda: body.
  std::unique_ptr<Expr> target;
  // Call: positional arguments. List/Tuple/Set: elements. Subscript: indices. Dict: key, value, key, value...
  // BinaryOp: left, right. Other: named sub-expressions.
  FactList<Expr> items;
  // Call: keyword arguments; a `*values` splat is the keyword named kListSplat (the first one only: where it
  // stood among the positional arguments is not kept), a `**kw` splat is skipped.
  FactList<Keyword> keywords;
  static constexpr std::string_view kListSplat = "*";

  Expr() = default;
  Expr(Expr&&) noexcept = default;
  Expr& operator=(Expr&&) noexcept = default;
  Expr(const Expr& other);  // deep copy
  Expr& operator=(const Expr& other);

  bool is(Kind k) const { return kind == k; }
  bool is_call() const { return kind == Kind::Call; }
  bool is_name_like() const { return kind == Kind::Name || kind == Kind::Attribute; }
  // For a call: the callee's resolved name; for a name/attribute: its own. Empty otherwise.
  FactText origin() const;
  // The keyword argument's value, or null.
  const Expr* keyword(std::string_view name) const;
  const Expr* arg(size_t index) const { return index < items.size() ? &items[index] : nullptr; }
  bool is_true() const { return kind == Kind::Bool && text == "True"; }
  bool is_false() const { return kind == Kind::Bool && text == "False"; }
  bool is_string() const { return kind == Kind::String && !is_fstring; }
  // The callee's last dotted segment ("add_column" for "op.add_column(...)"), for calls; else "".
  std::string_view callee_name() const;
  // For a method call `x.m(...)`: `x` (the receiver of a chain link: `t.update()` for
  // `t.update().values(...)`); null for any other expression.
  const Expr* receiver() const {
    return is_call() && target && target->kind == Kind::Attribute ? target->target.get() : nullptr;
  }

  // Visits this expression and every sub-expression, parents first. Templates, not std::function: rules walk
  // every expression of every file, and an indirect call per node showed in the profile.
  template <class Fn>
  void walk(Fn&& fn) const;
  template <class Fn>
  void walk_mutable(Fn&& fn);
  // Gives this expression and every sub-expression the location `at`: code copied to where it takes effect (a
  // column factory's return at its call, an Annotated alias's mapped_column at the attribute).
  void relocate(const Location& at) {
    walk_mutable([&](Expr& e) { e.loc = at; });
  }
};

struct Keyword {
  FactText name;
  Expr value;
  Location loc;

  bool is_list_splat() const { return name == Expr::kListSplat; }
  // What precedes the value where a call is shown again: `name=`, or `*` for a splat.
  std::string written_prefix() const { return is_list_splat() ? "*" : std::string(name) + "="; }
};

template <class Fn>
void Expr::walk(Fn&& fn) const {
  fn(*this);
  if (target) target->walk(fn);
  for (const auto& item : items) item.walk(fn);
  for (const auto& kw : keywords) kw.value.walk(fn);
}

template <class Fn>
void Expr::walk_mutable(Fn&& fn) {
  fn(*this);
  if (target) target->walk_mutable(fn);
  for (auto& item : items) item.walk_mutable(fn);
  for (auto& kw : keywords) kw.value.walk_mutable(fn);
}

// An f-string's text with each `{name}` replaced by the plain string literal `value_of(name)` gives
// (`f"{target}.{column}"` with target="org", column="id" -> "org.id"); nullopt when a part stays unknown (an
// expression, a format spec, a name bound to something else or to nothing: null).
std::optional<std::string> filled_fstring(std::string_view text,
                                          const std::function<const Expr*(std::string_view name)>& value_of);

// The one string an expression made only of plain string literals spells — `"a" + "b"`, `"ALTER TABLE %s ..."
// % "users"` (`%s` filled in order, also from a tuple; `%%` is a percent sign), `"DROP TABLE
// {}".format("users")`
// (`{}`, `{0}`, `{name}`) — once the names in it were written as the strings they hold; nullopt otherwise
// (another conversion, a format spec, a value that is no string).
std::optional<std::string> folded_string(const Expr& e);

}  // namespace ormlint
