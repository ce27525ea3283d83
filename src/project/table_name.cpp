#include "project/table_name.h"

#include <array>
#include <functional>
#include <map>

#include "core/text.h"
#include "project/assigned_value.h"

namespace ormlint {

namespace {

constexpr int kMaxDepth = 16;

bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A zero-width pattern: `insert` before each position where `at(text, i)` holds.
using Position = bool (*)(std::string_view text, size_t i);

struct InsertionPattern {
  std::string_view pattern;
  Position at;
};

bool after_lower_or_digit_before_upper(std::string_view t, size_t i) {
  return i > 0 && (is_lower(t[i - 1]) || is_digit(t[i - 1])) && is_upper(t[i]);
}

// re.sub(PATTERN, "_", name) for the zero-width camel-case patterns, as Python applies them.
constexpr std::array<InsertionPattern, 7> kInsertionPatterns{{
    {R"((?<!^)(?=[A-Z]))", [](std::string_view t, size_t i) { return i > 0 && is_upper(t[i]); }},
    {R"((?=[A-Z]))", [](std::string_view t, size_t i) { return is_upper(t[i]); }},
    {R"((?<=[a-z])(?=[A-Z]))",
     [](std::string_view t, size_t i) { return i > 0 && is_lower(t[i - 1]) && is_upper(t[i]); }},
    {R"((?<=[a-z0-9])(?=[A-Z]))", after_lower_or_digit_before_upper},
    {R"((?<=[a-z\d])(?=[A-Z]))", after_lower_or_digit_before_upper},
    {R"((?<!^)(?=[A-Z][a-z]))",
     [](std::string_view t, size_t i) {
       return i > 0 && is_upper(t[i]) && i + 1 < t.size() && is_lower(t[i + 1]);
     }},
    {R"((?=[A-Z][a-z]))",
     [](std::string_view t, size_t i) { return is_upper(t[i]) && i + 1 < t.size() && is_lower(t[i + 1]); }},
}};

std::string insert_before(std::string_view text, Position at, std::string_view insert) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (at(text, i)) out += insert;
    out += text[i];
  }
  return out;
}

// A two-group pattern: at `i`, the length of a match (0: none) and where its second group starts.
struct GroupMatch {
  size_t length = 0;
  size_t second = 0;
};
using Matcher = GroupMatch (*)(std::string_view text, size_t i);

struct GroupPattern {
  std::string_view pattern;
  Matcher match;
};

GroupMatch lower_or_digit_then_upper(std::string_view t, size_t i) {
  if (i + 1 < t.size() && (is_lower(t[i]) || is_digit(t[i])) && is_upper(t[i + 1])) return {2, i + 1};
  return {};
}

// re.sub(PATTERN, r"\1_\2", name) for the two-group camel-case patterns, matched left to right without
// overlap as Python does (each matcher is the regular expression's own backtracking, written out).
constexpr std::array<GroupPattern, 5> kGroupPatterns{{
    {R"(([a-z0-9])([A-Z]))", lower_or_digit_then_upper},
    {R"(([a-z\d])([A-Z]))", lower_or_digit_then_upper},
    {R"(([a-z])([A-Z]))",
     [](std::string_view t, size_t i) -> GroupMatch {
       if (i + 1 < t.size() && is_lower(t[i]) && is_upper(t[i + 1])) return {2, i + 1};
       return {};
     }},
    {R"((.)([A-Z][a-z]+))",  // any character but a newline, then a capitalised word
     [](std::string_view t, size_t i) -> GroupMatch {
       if (i + 2 >= t.size() || t[i] == '\n' || !is_upper(t[i + 1]) || !is_lower(t[i + 2])) return {};
       size_t end = i + 3;
       while (end < t.size() && is_lower(t[end])) ++end;
       return {end - i, i + 1};
     }},
    {R"(([A-Z]+)([A-Z][a-z]))",  // a run of capitals but its last, then the last and a lower-case letter
     [](std::string_view t, size_t i) -> GroupMatch {
       size_t end = i;
       while (end < t.size() && is_upper(t[end])) ++end;
       if (end - i < 2 || end >= t.size() || !is_lower(t[end])) return {};
       return {end + 1 - i, end - 1};
     }},
}};

std::string join_groups(std::string_view text, Matcher match, std::string_view between) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    GroupMatch m = match(text, i);
    if (m.length == 0) {
      out += text[i++];
      continue;
    }
    out.append(text.substr(i, m.second - i))
        .append(between)
        .append(text.substr(m.second, i + m.length - m.second));
    i += m.length;
  }
  return out;
}

// `\1_\2` (or `\\1_\\2`, the same spelled without r"..."): what stands between the groups; nullopt otherwise.
std::optional<std::string_view> between_groups(std::string_view repl) {
  for (std::string_view slash : {std::string_view("\\"), std::string_view("\\\\")}) {
    const std::string first = std::string(slash) + "1";
    const std::string second = std::string(slash) + "2";
    if (repl.size() >= first.size() + second.size() && repl.substr(0, first.size()) == first &&
        repl.substr(repl.size() - second.size()) == second) {
      std::string_view between = repl.substr(first.size(), repl.size() - first.size() - second.size());
      if (between.find('\\') == std::string_view::npos) return between;
    }
  }
  return std::nullopt;
}

// re.sub(pattern, repl, text) when the pattern is on the lists above and repl fits it.
std::optional<std::string> substitute(std::string_view pattern, std::string_view repl,
                                      std::string_view text) {
  for (const InsertionPattern& p : kInsertionPatterns) {
    if (p.pattern != pattern) continue;
    if (repl.find('\\') != std::string_view::npos) return std::nullopt;
    return insert_before(text, p.at, repl);
  }
  for (const GroupPattern& p : kGroupPatterns) {
    if (p.pattern != pattern) continue;
    auto between = between_groups(repl);
    if (!between) return std::nullopt;
    return join_groups(text, p.match, *between);
  }
  return std::nullopt;
}

// str.strip/lstrip/rstrip with `chars` (Python's default: whitespace).
std::string strip(std::string_view text, std::string_view method, std::string_view chars) {
  size_t first = method == "rstrip" ? 0 : text.find_first_not_of(chars);
  if (first == std::string_view::npos) return "";
  size_t last = method == "lstrip" ? text.size() : text.find_last_not_of(chars) + 1;
  return std::string(text.substr(first, last - first));
}

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  if (from.empty()) return std::string(text);
  std::string out;
  size_t at = 0;
  for (size_t hit = text.find(from); hit != std::string_view::npos; hit = text.find(from, at)) {
    out.append(text.substr(at, hit - at)).append(to);
    at = hit + from.size();
  }
  return out.append(text.substr(at));
}

class Evaluator {
 public:
  Evaluator(const Project& project, std::string_view class_name)
      : project_(project), class_name_(class_name) {}

  // `parameters`: a helper function's parameters, bound to the values of its arguments.
  std::optional<std::string> value(
      const ProjectFile& file, const Expr& e, int depth,
      const std::map<std::string, std::string, std::less<>>* parameters = nullptr) const {
    if (depth > kMaxDepth) return std::nullopt;
    if (e.kind == Expr::Kind::String)
      return e.is_fstring ? interpolated(e.text) : std::optional<std::string>(e.text);
    if (e.kind == Expr::Kind::Attribute && e.name == "__name__" && e.target &&
        e.target->kind == Expr::Kind::Name) {
      return std::string(class_name_);
    }
    if (e.kind == Expr::Kind::Name && parameters) {
      if (auto it = parameters->find(std::string_view(e.text)); it != parameters->end()) return it->second;
    }
    if (e.is_name_like()) {
      const Expr* constant = string_literal(project_, file, &e);
      return constant ? std::optional<std::string>(constant->text) : std::nullopt;
    }
    if (e.kind == Expr::Kind::BinaryOp && e.name == "+" && e.items.size() == 2) {
      auto left = value(file, e.items[0], depth + 1, parameters);
      auto right = left ? value(file, e.items[1], depth + 1, parameters) : std::nullopt;
      if (right) return *left + *right;
      return std::nullopt;
    }
    if (e.is_call() && e.target && e.keywords.empty()) return call(file, e, depth, parameters);
    return std::nullopt;
  }

 private:
  std::optional<std::string> call(const ProjectFile& file, const Expr& e, int depth,
                                  const std::map<std::string, std::string, std::less<>>* parameters) const {
    auto argument = [&](size_t i) { return value(file, e.items[i], depth + 1, parameters); };
    auto literal = [&](size_t i) { return string_literal(project_, file, &e.items[i]); };
    const Expr& callee = *e.target;
    const FactText origin = e.origin();
    if (origin == "re.sub" || (origin.empty() && callee.text == "re.sub")) {
      if (e.items.size() != 3) return std::nullopt;
      const Expr* pattern = literal(0);
      const Expr* repl = literal(1);
      auto text = argument(2);
      if (!pattern || !repl || !text) return std::nullopt;
      return substitute(pattern->text, repl->text, *text);
    }
    if (origin == "inflection.underscore" && e.items.size() == 1) {
      // inflection's own code: two substitutions, dashes to underscores, lower case.
      auto word = argument(0);
      if (!word) return std::nullopt;
      auto split = substitute(R"(([A-Z]+)([A-Z][a-z]))", R"(\1_\2)", *word);
      if (split) split = substitute(R"(([a-z\d])([A-Z]))", R"(\1_\2)", *split);
      if (!split) return std::nullopt;
      return lower(replace_all(*split, "-", "_"));
    }
    if (callee.kind == Expr::Kind::Attribute && callee.target) {
      const std::string_view method = callee.name;
      if (method == "sub" && callee.target->is_name_like()) return compiled_sub(file, e, depth, parameters);
      auto receiver = value(file, *callee.target, depth + 1, parameters);
      if (!receiver) return std::nullopt;
      if (e.items.empty() && method == "lower") return lower(*receiver);
      if (e.items.empty() && method == "upper") return upper(*receiver);
      if (method == "strip" || method == "lstrip" || method == "rstrip") {
        if (e.items.empty()) return strip(*receiver, method, " \t\n\r\f\v");
        const Expr* chars = e.items.size() == 1 ? literal(0) : nullptr;
        return chars ? std::optional<std::string>(strip(*receiver, method, chars->text)) : std::nullopt;
      }
      if (method == "replace" && e.items.size() == 2) {
        const Expr* from = literal(0);
        const Expr* to = literal(1);
        if (from && to) return replace_all(*receiver, from->text, to->text);
      }
      return std::nullopt;
    }
    return helper(file, e, depth, parameters);
  }

  // `CAMEL.sub("_", name)` with `CAMEL = re.compile(PATTERN)` at module level (here or imported).
  std::optional<std::string> compiled_sub(
      const ProjectFile& file, const Expr& e, int depth,
      const std::map<std::string, std::string, std::less<>>* parameters) const {
    if (e.items.size() != 2) return std::nullopt;
    const ProjectFile* holder = &file;
    const Expr* compiled = assigned_value(project_, holder, std::string(e.target->target->text), kMaxDepth);
    if (!compiled || !compiled->is_call() || compiled->origin() != "re.compile" ||
        compiled->items.size() != 1 || !compiled->keywords.empty() || !compiled->items[0].is_string()) {
      return std::nullopt;
    }
    const Expr* repl = string_literal(project_, file, &e.items[0]);
    auto text = value(file, e.items[1], depth + 1, parameters);
    if (!repl || !text) return std::nullopt;
    return substitute(compiled->items[0].text, repl->text, *text);
  }

  // A project function whose body is `return <call>` (FunctionDef::returned_call), called with positional
  // arguments that all have values here.
  std::optional<std::string> helper(const ProjectFile& file, const Expr& e, int depth,
                                    const std::map<std::string, std::string, std::less<>>* parameters) const {
    const ProjectFile* module = nullptr;
    const FunctionDef* function = project_function(project_, e.origin(), &module);
    if (!function) return std::nullopt;
    const FunctionDef& fn = *function;
    if (!fn.returned_call || fn.parameters.size() != e.items.size()) return std::nullopt;
    std::map<std::string, std::string, std::less<>> bound;
    for (size_t i = 0; i < fn.parameters.size(); ++i) {
      if (fn.parameters[i].kind != Parameter::Kind::Positional) return std::nullopt;
      auto argument = value(file, e.items[i], depth + 1, parameters);
      if (!argument) return std::nullopt;
      bound[std::string(fn.parameters[i].name)] = std::move(*argument);
    }
    return value(*module, *fn.returned_call, depth + 1, &bound);
  }

  // f"{cls.__name__.lower()}s" kept as text (an f-string the facts could not spell out as a concatenation):
  // each interpolation must be the class name, lower- or upper-cased.
  std::optional<std::string> interpolated(std::string_view t) const {
    std::string out;
    size_t i = 0;
    while (i < t.size()) {
      if (t[i] != '{') {
        out += t[i++];
        continue;
      }
      size_t close = t.find('}', i);
      if (close == std::string_view::npos) return std::nullopt;
      std::string inner(trim(t.substr(i + 1, close - i - 1)));
      size_t dunder = inner.find(".__name__");
      if (dunder == std::string::npos || dunder == 0) return std::nullopt;
      std::string rest = inner.substr(dunder + 9);
      if (rest.empty()) {
        out += class_name_;
      } else if (rest == ".lower()") {
        out += lower(class_name_);
      } else if (rest == ".upper()") {
        out += upper(class_name_);
      } else {
        return std::nullopt;
      }
      i = close + 1;
    }
    return out;
  }

  const Project& project_;
  std::string_view class_name_;
};

}  // namespace

std::optional<std::string> computed_table_name(const Project& project, const ProjectFile& file,
                                               const Expr& value, std::string_view class_name) {
  return Evaluator(project, class_name).value(file, value, 0);
}

}  // namespace ormlint
