#include "facts/expr.h"

#include <algorithm>

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

namespace {

// `"%s %s" % ("a", "b")`: each `%s` in turn.
std::optional<std::string> filled_percent(std::string_view format, const std::vector<const Expr*>& values) {
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    if (i + 1 >= format.size()) return std::nullopt;
    const char conversion = format[++i];
    if (conversion == '%') {
      out += '%';
    } else if (conversion == 's' && next < values.size()) {
      out += values[next++]->text;
    } else {
      return std::nullopt;
    }
  }
  if (next != values.size()) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string> folded_string(const Expr& e) {
  auto plain = [](const Expr* x) { return x && x->is_string(); };
  if (e.kind == Expr::Kind::BinaryOp && e.items.size() == 2 && plain(&e.items[0])) {
    const Expr& right = e.items[1];
    if (e.name == "+" && plain(&right)) return std::string(e.items[0].text) + std::string(right.text);
    if (e.name != "%") return std::nullopt;
    std::vector<const Expr*> values;
    if (right.kind == Expr::Kind::Tuple) {
      for (const Expr& item : right.items) values.push_back(&item);
    } else {
      values.push_back(&right);
    }
    if (!std::all_of(values.begin(), values.end(), plain)) return std::nullopt;
    return filled_percent(e.items[0].text, values);
  }
  const Expr* receiver = e.receiver();
  if (e.is_call() && e.callee_name() == "format" && plain(receiver)) {
    size_t next = 0;
    auto value_of = [&](std::string_view field) -> const Expr* {
      if (field.empty()) return e.arg(next++);
      if (field.find_first_not_of("0123456789") == std::string_view::npos)
        return e.arg(std::stoul(std::string(field)));
      return e.keyword(field);
    };
    return filled_fstring(receiver->text, value_of);
  }
  return std::nullopt;
}

}  // namespace ormlint
