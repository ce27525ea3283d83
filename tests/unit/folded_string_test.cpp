// Strings an expression of string literals makes (facts/expr.h: folded_string), as a revision's SQL is built.
#include <catch2/catch.hpp>

#include "facts/expr.h"

using namespace ormlint;

namespace {

Expr string(const char* text) {
  Expr e;
  e.kind = Expr::Kind::String;
  e.text = FactText(std::string_view(text));
  return e;
}

Expr binary(const char* op, Expr left, Expr right) {
  Expr e;
  e.kind = Expr::Kind::BinaryOp;
  e.name = FactText(std::string_view(op));
  e.items.emplace_back(std::move(left));
  e.items.emplace_back(std::move(right));
  return e;
}

// `receiver.format(args..., keyword=value)`.
Expr format_call(Expr receiver, std::vector<Expr> args, const char* keyword = nullptr,
                 const char* value = nullptr) {
  Expr attribute;
  attribute.kind = Expr::Kind::Attribute;
  attribute.name = FactText("format");
  attribute.text = FactText("x.format");
  attribute.target = std::make_unique<Expr>(std::move(receiver));
  Expr call;
  call.kind = Expr::Kind::Call;
  call.target = std::make_unique<Expr>(std::move(attribute));
  for (Expr& arg : args) call.items.emplace_back(std::move(arg));
  if (keyword) call.keywords.emplace_back(Keyword{FactText(std::string_view(keyword)), string(value), {}});
  return call;
}

}  // namespace

TEST_CASE("folded strings: +, %-formatting and str.format of literals", "[sql]") {
  CHECK(folded_string(binary("+", string("DROP TABLE "), string("users"))) == "DROP TABLE users");
  CHECK(folded_string(binary("%", string("ALTER TABLE %s DROP c"), string("users"))) ==
        "ALTER TABLE users DROP c");
  Expr pair;
  pair.kind = Expr::Kind::Tuple;
  pair.items.emplace_back(string("t"));
  pair.items.emplace_back(string("c"));
  CHECK(folded_string(binary("%", string("%s.%s LIKE '%%x'"), std::move(pair))) == "t.c LIKE '%x'");
  CHECK(folded_string(format_call(string("ON {} ({})"), {})) == std::nullopt);  // too few values
  std::vector<Expr> args;
  args.push_back(string("t"));
  args.push_back(string("c"));
  CHECK(folded_string(format_call(string("ON {} ({})"), std::move(args))) == "ON t (c)");
  CHECK(folded_string(format_call(string("ON {table}"), {}, "table", "t")) == "ON t");
  // Not made of strings alone, or a conversion other than %s: left as it is.
  Expr name;
  name.kind = Expr::Kind::Name;
  name.text = FactText("table");
  CHECK(folded_string(binary("%", string("DROP TABLE %s"), std::move(name))) == std::nullopt);
  CHECK(folded_string(binary("%", string("LIMIT %d"), string("5"))) == std::nullopt);
  CHECK(folded_string(binary("-", string("a"), string("b"))) == std::nullopt);
}
