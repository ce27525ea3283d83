// Syntax problems, described the way CPython would.
// tree-sitter recovers from every error, and its grammar accepts some code CPython rejects (Python 2 statements,
// any indentation, keywords where a name is expected). Both kinds are described here the way CPython would, as far
// as the tree allows: the bracket that is never closed, the missing `:`, the misindented statement.
#include "facts/syntax_problem.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/syntax_tree.h"

namespace ormlint {

namespace {

// Comments and backslash continuations: tree-sitter "extras" that may sit anywhere and are not code.
bool is_extra(TSNode node) {
  NodeKind kind = kind_of(node);
  return kind == NodeKind::Comment || kind == NodeKind::LineContinuation;
}

std::string line_of(const SourceFile& file, uint32_t byte) { return std::to_string(file.locate(byte, byte).line); }

SyntaxProblem problem_at(const SourceFile& file, TSNode node, std::string message) {
  uint32_t start = ts_node_start_byte(node);
  uint32_t end = std::max(start, ts_node_end_byte(node));
  // One line at most: a multi-line node is pointed at by its first line.
  std::string_view text = file.slice(start, end);
  if (size_t newline = text.find('\n'); newline != std::string_view::npos) end = start + static_cast<uint32_t>(newline);
  return SyntaxProblem{file.locate(start, end), std::move(message)};
}

SyntaxProblem problem_after(const SourceFile& file, TSNode node, std::string message) {
  uint32_t end = ts_node_end_byte(node);
  return SyntaxProblem{file.locate(end, end), std::move(message)};
}

// A token as the user wrote it, for messages: a string delimiter stands for its whole (one-line) string.
std::string token_text(const SourceFile& file, TSNode token) {
  if (ts_node_is_null(token)) return "";
  TSNode parent = ts_node_parent(token);
  if ((is_kind(token, NodeKind::StringStart) || is_kind(token, NodeKind::StringEnd)) &&
      is_kind(parent, NodeKind::String))
    token = parent;
  std::string_view text = file.slice(ts_node_start_byte(token), ts_node_end_byte(token));
  text = text.substr(0, text.find('\n'));
  if (text.size() > 40) return std::string(text.substr(0, 37)) + "...";
  return std::string(text);
}

// The tokens of a subtree in source order, without extras and the zero-width MISSING tokens error recovery
// invents.
std::vector<TSNode> tokens_of(TSNode root) {
  std::vector<TSNode> tokens;
  walk_subtree(root, [&](TSNode n) {
    if (ts_node_child_count(n) > 0) return true;
    if (!ts_node_is_missing(n) && !is_extra(n)) tokens.push_back(n);
    return false;
  });
  return tokens;
}

bool is_opener(TSNode token) {
  NodeKind kind = kind_of(token);
  return kind == NodeKind::LeftParen || kind == NodeKind::LeftBracket || kind == NodeKind::LeftBrace;
}
bool is_closer(TSNode token) {
  NodeKind kind = kind_of(token);
  return kind == NodeKind::RightParen || kind == NodeKind::RightBracket || kind == NodeKind::RightBrace;
}
char closer_of(char opener) { return opener == '(' ? ')' : opener == '[' ? ']' : '}'; }

// Brackets are matched over the tokens tree-sitter lexed, so brackets inside strings and comments do not count.
std::optional<SyntaxProblem> bracket_problem(const std::vector<TSNode>& tokens, const SourceFile& file) {
  std::vector<TSNode> open;
  for (TSNode token : tokens) {
    if (is_opener(token)) {
      open.push_back(token);
      continue;
    }
    if (!is_closer(token)) continue;
    std::string closer = ts_node_type(token);
    if (open.empty()) return problem_at(file, token, "unmatched `" + closer + "`");
    std::string opener = ts_node_type(open.back());
    if (closer[0] != closer_of(opener[0])) {
      return problem_at(file, token, "closing `" + closer + "` does not match `" + opener + "` opened at line " +
                                         line_of(file, ts_node_start_byte(open.back())));
    }
    open.pop_back();
  }
  if (open.empty()) return std::nullopt;
  std::string opener = ts_node_type(open.back());
  return problem_at(file, open.back(), "unclosed `" + opener + "`: no matching `" + std::string(1, closer_of(opener[0])) +
                                           "` before the end of the file");
}

// A string whose closing quote never came: tree-sitter leaves its opening delimiter alone in an ERROR node.
std::optional<SyntaxProblem> unterminated_string(const std::vector<TSNode>& tokens, const SourceFile& file) {
  for (TSNode token : tokens) {
    if (!is_kind(token, NodeKind::StringStart) || is_kind(ts_node_parent(token), NodeKind::String)) continue;
    bool triple = ts_node_end_byte(token) - ts_node_start_byte(token) >= 3 &&
                  file.slice(ts_node_end_byte(token) - 3, ts_node_end_byte(token)).find_first_not_of("\"'") ==
                      std::string_view::npos;
    return problem_at(file, token, triple ? "unterminated triple-quoted string literal" : "unterminated string literal");
  }
  return std::nullopt;
}

// The first ERROR or MISSING node, by descending into the first child that carries the error.
TSNode first_error(TSNode root) {
  TSNode node = root;
  while (!ts_node_is_missing(node) && !is_kind(node, NodeKind::Error)) {
    TSNode next{};
    for (ChildCursor c(node); c.valid(); c.next()) {
      if (ts_node_has_error(c.node()) || ts_node_is_missing(c.node())) {
        next = c.node();
        break;
      }
    }
    if (ts_node_is_null(next)) break;
    node = next;
  }
  return node;
}

bool rest_of_line_blank(const SourceFile& file, uint32_t byte) {
  std::string_view rest = file.slice(byte, static_cast<uint32_t>(file.text().size()));
  rest = rest.substr(0, rest.find('\n'));
  size_t code = rest.find_first_not_of(" \t\r\f");
  return code == std::string_view::npos || rest[code] == '#';
}

const std::set<std::string_view> kCompoundKeywords = {"def",   "class", "if",     "elif",    "else", "for",
                                                       "while", "with",  "try",    "except",  "finally"};
// Python 3 keywords that can never be a name (tree-sitter lexes a keyword it did not expect as an identifier).
// `async`/`await`, and the soft keywords (`match`, `case`, `type`, `print`, `exec`), are left out on purpose.
const std::set<std::string_view> kHardKeywords = {
    "and",  "as",     "assert", "break", "class",  "continue", "def",    "del",   "elif",  "else",  "except",
    "finally", "for", "from",   "global", "if",    "import",   "in",     "is",    "lambda", "nonlocal", "not",
    "or",   "pass",   "raise",  "return", "try",   "while",    "with",   "yield"};
const std::set<std::string_view> kBinaryOperators = {"+",  "-",  "*",  "/",  "//", "%",  "**", "@",  "<<", ">>",
                                                      "&",  "|",  "^",  "<",  ">",  "<=", ">=", "==", "!=", "=",
                                                      "+=", "-=", "*=", "/=", "and", "or", "not", "in", "is", "."};
const std::set<std::string_view> kCollections = {"argument_list", "list", "tuple", "set", "dictionary", "parameters",
                                                 "subscript"};

bool ends_expression(TSNode token) {
  return is_kind(token, NodeKind::Identifier) || is_kind(token, NodeKind::StringEnd) ||
         is_kind(token, NodeKind::Integer) || is_kind(token, NodeKind::Float) || is_closer(token) ||
         is_kind(token, NodeKind::True) || is_kind(token, NodeKind::False) || is_kind(token, NodeKind::None);
}
bool starts_expression(TSNode token) {
  return is_kind(token, NodeKind::Identifier) || is_kind(token, NodeKind::StringStart) ||
         is_kind(token, NodeKind::Integer) || is_kind(token, NodeKind::Float) ||
         is_kind(token, NodeKind::True) || is_kind(token, NodeKind::False) || is_kind(token, NodeKind::None);
}

// The token just before / after a node in the source, or a null node.
TSNode token_before(TSNode node) {
  TSNode n = node;
  while (!ts_node_is_null(n) && ts_node_is_null(ts_node_prev_sibling(n))) n = ts_node_parent(n);
  if (ts_node_is_null(n)) return n;
  n = ts_node_prev_sibling(n);
  while (ts_node_child_count(n) > 0) n = ts_node_child(n, ts_node_child_count(n) - 1);
  return n;
}
TSNode token_after(TSNode node) {
  TSNode n = node;
  while (!ts_node_is_null(n) && ts_node_is_null(ts_node_next_sibling(n))) n = ts_node_parent(n);
  if (ts_node_is_null(n)) return n;
  n = ts_node_next_sibling(n);
  while (ts_node_child_count(n) > 0) n = ts_node_child(n, 0);
  return n;
}

bool inside_collection(TSNode node) {
  for (TSNode n = ts_node_parent(node); !ts_node_is_null(n); n = ts_node_parent(n)) {
    if (kCollections.count(ts_node_type(n))) return true;
    if (std::string_view(ts_node_type(n)).ends_with("statement")) return false;
  }
  return false;
}

// Whether a logical line ends between two tokens: a line break that no backslash continues.
bool line_break_between(const SourceFile& file, TSNode a, TSNode b) {
  std::string_view between = file.slice(ts_node_end_byte(a), ts_node_start_byte(b));
  size_t newline = between.find('\n');
  if (newline == std::string_view::npos) return false;
  std::string_view before = between.substr(0, newline);
  size_t last = before.find_last_not_of(" \t\r\f");
  return last == std::string_view::npos || before[last] != '\\';
}

// `class User(Base)` / `if x == 1` / `except ValueError` without the colon: a logical line of the error that starts
// with a compound statement's keyword and has no `:` outside brackets.
std::optional<SyntaxProblem> missing_colon(const std::vector<TSNode>& tokens, const SourceFile& file) {
  int depth = 0;
  size_t line_start = 0;
  bool colon = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (is_opener(tokens[i])) ++depth;
    if (is_closer(tokens[i]) && depth > 0) --depth;
    if (depth == 0 && is_kind(tokens[i], NodeKind::Colon)) colon = true;
    bool line_ends = i + 1 == tokens.size() ? rest_of_line_blank(file, ts_node_end_byte(tokens[i]))
                                            : line_break_between(file, tokens[i], tokens[i + 1]);
    if (depth > 0 || !line_ends) continue;
    const std::string keyword = token_text(file, tokens[line_start]);
    if (!colon && kCompoundKeywords.count(keyword)) {
      return problem_after(file, tokens[i], "expected `:` at the end of the `" + keyword + "` line");
    }
    line_start = i + 1;
    colon = false;
  }
  return std::nullopt;
}

// Two expressions side by side: in a call, list or dict a `,` is missing (`Column(Integer primary_key=True)`).
std::optional<SyntaxProblem> missing_separator(TSNode error, const std::vector<TSNode>& tokens,
                                               const SourceFile& file) {
  TSNode left{}, right{};
  if (TSNode before = token_before(error); ends_expression(before) && starts_expression(tokens.front())) {
    left = before;
    right = tokens.front();
  } else if (TSNode after = token_after(error); ends_expression(tokens.back()) && starts_expression(after)) {
    left = tokens.back();
    right = after;
  } else {
    return std::nullopt;
  }
  std::string a = token_text(file, left), b = token_text(file, right);
  if (a == "print" || a == "exec") {
    return problem_at(file, left, "Python 2 `" + a + "` statement: Python 3 needs `" + a + "(...)`");
  }
  if (inside_collection(error)) return problem_at(file, right, "missing `,` between `" + a + "` and `" + b + "`");
  return problem_at(file, right, "unexpected `" + b + "` after `" + a + "`");
}

SyntaxProblem describe_missing(TSNode missing, const SourceFile& file) {
  std::string type = ts_node_type(missing);
  std::string what = type == "identifier"          ? "a name"
                     : ts_node_is_named(missing)    ? "a " + type
                                                    : "`" + type + "`";
  for (char& c : what) c = c == '_' ? ' ' : c;
  uint32_t at = ts_node_start_byte(missing);
  return SyntaxProblem{file.locate(at, at), "expected " + what};
}

SyntaxProblem describe_error(TSNode error, const SourceFile& file) {
  if (ts_node_is_missing(error)) return describe_missing(error, file);
  std::vector<TSNode> tokens = tokens_of(error);
  if (tokens.empty() || is_kind(error, NodeKind::Module)) {
    return problem_at(file, error, "invalid syntax");
  }
  TSNode first = tokens.front();
  if (is_kind(first, NodeKind::At) && is_kind(ts_node_parent(first), NodeKind::Decorator)) {
    return problem_at(file, first, "a decorator must be followed by `def` or `class`");
  }
  if (auto colon = missing_colon(tokens, file)) return *colon;
  TSNode parent = ts_node_parent(error);
  if (is_kind(first, NodeKind::Equals) &&
      (is_kind(parent, NodeKind::IfStatement) || is_kind(parent, NodeKind::ElifClause) ||
       is_kind(parent, NodeKind::WhileStatement))) {
    return problem_at(file, first, "`=` in a condition: compare with `==`");
  }
  if (auto separator = missing_separator(error, tokens, file)) return *separator;
  TSNode last = tokens.back();
  if (kBinaryOperators.count(token_text(file, last)) && rest_of_line_blank(file, ts_node_end_byte(last))) {
    return problem_after(file, last, "expected an expression after `" + token_text(file, last) + "`");
  }
  return problem_at(file, first, "unexpected `" + token_text(file, first) + "`");
}

// `<<<<<<< HEAD` left by a merge (revision scripts are a favourite): a marker line outside any string.
std::optional<SyntaxProblem> conflict_marker(TSNode root, const SourceFile& file) {
  for (uint32_t line = 1; line <= file.line_count(); ++line) {
    std::string_view text = file.line_text(line);
    if (!(text.starts_with("<<<<<<<") || text.starts_with(">>>>>>>") || text == "=======")) continue;
    uint32_t at = static_cast<uint32_t>(text.data() - file.text().data());
    TSNode node = ts_node_descendant_for_byte_range(root, at, at + 1);
    if (is_kind(node, NodeKind::StringContent) || is_kind(node, NodeKind::String)) continue;
    uint32_t end = at + static_cast<uint32_t>(text.size());
    return SyntaxProblem{file.locate(at, end), "unresolved merge conflict marker `" +
                                                   std::string(text.substr(0, 7)) + "`"};
  }
  return std::nullopt;
}

// A line starting with a Jinja or Django template tag (`{% extends "base.py.jinja" %}`, `{{ name }}`, `{#
// #}`) outside any string: a template saved as .py (mage-ai's code templates). Python's own error there
// ("invalid syntax") says nothing useful, and tree-sitter's recovery even less.
std::optional<SyntaxProblem> template_tag(TSNode root, const SourceFile& file) {
  for (uint32_t line = 1; line <= file.line_count(); ++line) {
    std::string_view text = file.line_text(line);
    const size_t indent = text.find_first_not_of(" \t");
    if (indent == std::string_view::npos) continue;
    const std::string_view tag = text.substr(indent, 2);
    if (tag != "{%" && tag != "{{" && tag != "{#") continue;
    uint32_t at = static_cast<uint32_t>(text.data() - file.text().data() + indent);
    TSNode node = ts_node_descendant_for_byte_range(root, at, at + 1);
    if (is_kind(node, NodeKind::StringContent) || is_kind(node, NodeKind::String)) continue;
    // `{{` and `{#` can start Python too (a set of sets, a dict with a comment): only where the parse failed.
    if (tag != "{%" && !is_kind(node, NodeKind::Error) && !is_kind(ts_node_parent(node), NodeKind::Error))
      continue;
    return SyntaxProblem{file.locate(at, at + 2),
                         "`" + std::string(tag) +
                             "` starts a template tag (Jinja, Django): this file is a "
                             "template, not Python; leave it out with `exclude`"};
  }
  return std::nullopt;
}

std::optional<SyntaxProblem> earliest(std::optional<SyntaxProblem> a, std::optional<SyntaxProblem> b) {
  if (!a) return b;
  if (!b) return a;
  return b->loc.start_byte < a->loc.start_byte ? b : a;
}

// What tree-sitter could not parse: the bracket or string behind the error when there is one, else the error.
std::optional<SyntaxProblem> parse_error(TSNode root, const SourceFile& file) {
  if (!ts_node_has_error(root)) return std::nullopt;
  TSNode error = first_error(root);
  uint32_t error_end = std::max(ts_node_end_byte(error), ts_node_start_byte(error) + 1);
  std::vector<TSNode> tokens = tokens_of(root);
  std::optional<SyntaxProblem> behind = earliest(unterminated_string(tokens, file), bracket_problem(tokens, file));
  behind = earliest(std::move(behind), conflict_marker(root, file));
  behind = earliest(std::move(behind), template_tag(root, file));
  if (behind && behind->loc.start_byte < error_end) return behind;
  return describe_error(error, file);
}

// Constructs the grammar accepts but CPython rejects. Keeps the earliest problem found.
class StrictChecks {
 public:
  explicit StrictChecks(const SourceFile& file) : file_(file) {}

  std::optional<SyntaxProblem> run(TSNode root) {
    find_keyword_candidates();
    walk_subtree(root, [&](TSNode n) {
      const NodeTypeInfo& info = node_type_info(n);
      if (info.kind == NodeKind::Error) return false;
      if (ts_node_child_count(n) == 0) {
        if (info.kind == NodeKind::Identifier) keyword_as_name(n);
        return false;
      }
      if (info.kind == NodeKind::Module || info.kind == NodeKind::Block) {
        statements(n, info.kind == NodeKind::Module);
      } else if (info.suffix & (kSuffixStatement | kSuffixDefinition | kSuffixClause)) {
        // Only statements hold blocks and clauses: expressions are walked for their tokens alone.
        clauses(n);
        empty_blocks(n);
        python2_statement(n);
        except_list_with_as(n);
      } else {
        // An expression: the grammar nests no statement in one, so only its identifiers matter here, and one
        // without a word spelled like a hard keyword is skipped (the walk over every token cost a third of it).
        return may_hold_keyword(n);
      }
      return true;
    });
    return found_;
  }

 private:
  // Where an identifier spelled like a hard keyword may start: every word spelled like one that does not continue
  // a name (a digit may come before it: `1if`). A superset of what keyword_as_name reports, from one text scan.
  void find_keyword_candidates() {
    std::string_view text = file_.text();
    auto ascii_name_char = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    };
    for (size_t at = 0; at < text.size(); ++at) {
      char c = text[at];
      if (c < 'a' || c > 'y') continue;  // every hard keyword is lower case, from `and` to `yield`
      if (at > 0 && ascii_name_char(text[at - 1]) && !(text[at - 1] >= '0' && text[at - 1] <= '9')) continue;
      size_t end = at;
      while (end < text.size() && ascii_name_char(text[end])) ++end;
      // Hard keywords are 2 to 8 letters long: most words need no set look-up.
      if (end - at >= 2 && end - at <= 8 && kHardKeywords.count(text.substr(at, end - at))) {
        keyword_starts_.push_back(static_cast<uint32_t>(at));
      }
      at = end > at ? end - 1 : at;
    }
  }

  bool may_hold_keyword(TSNode node) const {
    auto candidate = std::lower_bound(keyword_starts_.begin(), keyword_starts_.end(), ts_node_start_byte(node));
    return candidate != keyword_starts_.end() && *candidate < ts_node_end_byte(node);
  }

  void note(SyntaxProblem problem) { found_ = earliest(std::move(found_), std::move(problem)); }

  void keyword_as_name(TSNode token) {
    uint32_t size = ts_node_end_byte(token) - ts_node_start_byte(token);
    if (size < 2 || size > 8) return;
    std::string_view text = file_.slice(ts_node_start_byte(token), ts_node_end_byte(token));
    if (kHardKeywords.count(text)) note(problem_at(file_, token, "unexpected keyword `" + std::string(text) + "`"));
  }

  void python2_statement(TSNode n) {
    if (is_kind(n, NodeKind::PrintStatement)) {
      // `print >>f, x` is valid Python 3 syntax (a tuple); it only fails when it runs.
      bool chevron = false;
      for_each_named_child(n, [&](TSNode child) { chevron = chevron || is_kind(child, NodeKind::Chevron); });
      if (!chevron) note(problem_at(file_, n, "Python 2 `print` statement: Python 3 needs `print(...)`"));
    } else if (is_kind(n, NodeKind::ExecStatement)) {
      note(problem_at(file_, n, "Python 2 `exec` statement: Python 3 needs `exec(...)`"));
    } else if (is_kind(n, NodeKind::RaiseStatement) &&
               is_kind(ts_node_named_child(n, 0), NodeKind::ExpressionList)) {
      note(problem_at(file_, n, "Python 2 `raise E, message`: Python 3 needs `raise E(message)`"));
    }
  }

  // `except A, B as e:`: PEP 758 drops the parentheses of an exception list only without `as`. The grammar takes
  // it for Python 2's `except A, e` whose target is `B as e`.
  void except_list_with_as(TSNode n) {
    if (!is_kind(n, NodeKind::ExceptClause)) return;
    TSNode types = ts_node_child_by_field_name(n, "value", 5);
    TSNode alias = ts_node_child_by_field_name(n, "alias", 5);
    if (ts_node_is_null(types) || ts_node_is_null(alias) || !is_kind(alias, NodeKind::AsPattern)) return;
    SyntaxProblem problem = problem_at(file_, alias, "multiple exception types must be parenthesized when using `as`: "
                                                     "`except (A, B) as e:`");
    problem.loc = file_.locate(ts_node_start_byte(types), problem.loc.end_byte);
    note(std::move(problem));
  }

  // The whitespace before a node, when nothing else precedes it on its line (and the line does not continue the
  // previous one with a backslash); a form feed resets the indentation, as in CPython's tokenizer.
  std::optional<std::string_view> indent_of(TSNode node) const {
    std::string_view before = line_prefix(node);
    if (before.find_first_not_of(" \t\f") != std::string_view::npos) return std::nullopt;
    std::string_view previous = file_.slice(0, ts_node_start_byte(node) - static_cast<uint32_t>(before.size()));
    if (!previous.empty() && previous.back() == '\n') previous.remove_suffix(1);
    if (!previous.empty() && previous.back() == '\r') previous.remove_suffix(1);
    if (!previous.empty() && previous.back() == '\\') return std::nullopt;
    size_t form_feed = before.rfind('\f');
    return form_feed == std::string_view::npos ? before : before.substr(form_feed + 1);
  }

  // The text of a node's line before the node.
  std::string_view line_prefix(TSNode node) const {
    uint32_t start = ts_node_start_byte(node);
    return file_.slice(start - ts_node_start_point(node).column, start);
  }

  // The indentation of the line a node starts on, in columns (tabs to multiples of 8, as CPython counts).
  uint32_t line_indent(TSNode node) const {
    std::string_view line = line_prefix(node);
    return columns(line.substr(0, std::min(line.size(), line.find_first_not_of(" \t\f"))));
  }

  static uint32_t columns(std::string_view whitespace) {
    uint32_t column = 0;
    for (char c : whitespace) column = c == '\t' ? (column / 8 + 1) * 8 : c == '\f' ? 0 : column + 1;
    return column;
  }

  // The innermost statement a compound statement ends with (`def f(): ... if x: y = 1` -> `y = 1`).
  static TSNode last_statement(TSNode node) {
    for (int depth = 0; depth < 64; ++depth) {
      TSNode last{};
      for_each_named_child(node, [&](TSNode child) {
        if (!is_extra(child)) last = child;
      });
      if (ts_node_is_null(last)) return node;
      const NodeTypeInfo& info = node_type_info(last);
      if (info.kind != NodeKind::Block && !(info.suffix & (kSuffixClause | kSuffixDefinition))) return node;
      node = last;
    }
    return node;
  }

  // Every statement of a block starts at the block's indentation; at module level, in column 1.
  void statements(TSNode container, bool module) {
    std::optional<std::string_view> expected = module ? std::optional<std::string_view>("") : std::nullopt;
    TSNode previous{};
    for_each_named_child(container, [&](TSNode stmt) {
      if (is_extra(stmt)) return;
      std::optional<std::string_view> indent =
          is_kind(stmt, NodeKind::Error) ? std::nullopt : indent_of(stmt);
      if (indent && !expected) expected = indent;
      if (indent && *indent != *expected) misindented(stmt, *indent, *expected, previous);
      previous = stmt;
    });
  }

  // `else:`, `elif`, `except`, `finally` line up with the statement they belong to.
  void clauses(TSNode stmt) {
    NodeKind kind = kind_of(stmt);
    if (kind != NodeKind::IfStatement && kind != NodeKind::TryStatement && kind != NodeKind::ForStatement &&
        kind != NodeKind::WhileStatement) {
      return;
    }
    std::string_view expected = line_prefix(stmt);
    if (expected.find_first_not_of(" \t\f") != std::string_view::npos) return;
    TSNode previous{};
    for_each_named_child(stmt, [&](TSNode clause) {
      std::optional<std::string_view> indent =
          (node_type_info(clause).suffix & kSuffixClause) ? indent_of(clause) : std::nullopt;
      if (indent && *indent != expected) misindented(clause, *indent, expected, previous);
      if (!is_extra(clause)) previous = clause;
    });
  }

  void misindented(TSNode stmt, std::string_view indent, std::string_view expected, TSNode previous) {
    // Same width with tabs counted as 1 or as 8 columns, but not both: CPython's TabError.
    if ((columns(indent) == columns(expected)) != (indent.size() == expected.size())) {
      note(problem_at(file_, stmt, "inconsistent use of tabs and spaces in indentation"));
      return;
    }
    bool dedent = !ts_node_is_null(previous) && line_indent(last_statement(previous)) > columns(indent);
    note(problem_at(file_, stmt, dedent ? "unindent does not match any outer indentation level" : "unexpected indent"));
  }

  // `class A:` followed by an unindented line (or only comments): CPython wants an indented block. Found from the
  // header, not the block: ts_node_parent is unreliable for a zero-width node.
  void empty_blocks(TSNode header) {
    for_each_named_child(header, [&](TSNode child) {
      if (!is_kind(child, NodeKind::Block)) return;
      if (holds_only_extras(child)) empty_block(header);
    });
  }

  // Whether a block has no named child but comments and line continuations; stops at the first statement.
  static bool holds_only_extras(TSNode block) {
    for (ChildCursor c(block); c.valid(); c.next()) {
      TSNode child = c.node();
      if (ts_node_is_named(child) && !is_extra(child)) return false;
    }
    return true;
  }

  void empty_block(TSNode header) {
    TSNode keyword = ts_node_child(header, 0);
    std::string message = "expected an indented block after `" + token_text(file_, keyword) + "` on line " +
                          line_of(file_, ts_node_start_byte(header));
    for (TSNode n = header; !ts_node_is_null(n); n = ts_node_parent(n)) {
      TSNode next = ts_node_next_named_sibling(n);
      while (!ts_node_is_null(next) && is_extra(next)) next = ts_node_next_named_sibling(next);
      if (!ts_node_is_null(next)) {
        note(problem_at(file_, next, message));
        return;
      }
    }
    note(problem_after(file_, header, message));
  }

  const SourceFile& file_;
  std::vector<uint32_t> keyword_starts_;  // sorted
  std::optional<SyntaxProblem> found_;
};

}  // namespace

std::optional<SyntaxProblem> find_syntax_problem(TSNode root, const SourceFile& file) {
  return earliest(parse_error(root, file), StrictChecks(file).run(root));
}

}  // namespace ormlint
