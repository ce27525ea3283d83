#include "facts/expr.h"

namespace ormlint {

// Expressions are the bulk of a run's memory (see core/fact_list.h): keep one inside the allocator's 128-byte
// size class on 64-bit platforms.
static_assert(sizeof(void*) != 8 || sizeof(Expr) <= 128, "an Expr outgrew the 128-byte size class");

Expr::Expr(const Expr& other)
    : kind(other.kind),
      is_fstring(other.is_fstring),
      loc(other.loc),
      text(other.text),
      name(other.name),
      resolved(other.resolved),
      target(other.target ? std::make_unique<Expr>(*other.target) : nullptr),
      items(other.items),
      keywords(other.keywords) {}

Expr& Expr::operator=(const Expr& other) {
  if (this != &other) *this = Expr(other);
  return *this;
}

FactText Expr::origin() const {
  if (kind == Kind::Call) return target ? target->resolved : FactText();
  if (is_name_like()) return resolved;
  return {};
}

const Expr* Expr::keyword(std::string_view wanted) const {
  for (const auto& kw : keywords) {
    if (kw.name == wanted) return &kw.value;
  }
  return nullptr;
}

std::string_view Expr::callee_name() const {
  if (kind != Kind::Call || !target) return {};
  if (target->kind == Kind::Attribute || target->kind == Kind::Name) return target->name;
  return {};
}

std::optional<std::string> filled_fstring(std::string_view text,
                                          const std::function<const Expr*(std::string_view name)>& value_of) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {  // `{{` / `}}`: a literal brace
      out += c;
      ++i;
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    const size_t close = text.find('}', i);
    if (close == std::string_view::npos) return std::nullopt;
    const Expr* value = value_of(text.substr(i + 1, close - i - 1));
    if (!value || !value->is_string()) return std::nullopt;
    out += value->text;
    i = close;
  }
  return out;
}

}  // namespace ormlint
