// RAII ownership of tree-sitter objects and the few node helpers the fact builders share.
#pragma once
#include <tree_sitter/api.h>

#include <cstring>
#include <memory>
#include <string_view>
#include <type_traits>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace ormlint {

struct TreeDeleter {
  void operator()(TSTree* tree) const { ts_tree_delete(tree); }
};
struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};
using TreeHandle = std::unique_ptr<TSTree, TreeDeleter>;
using ParserHandle = std::unique_ptr<TSParser, ParserDeleter>;

// A Python parser. Not thread-safe: each worker thread owns one.
class PythonParser {
 public:
  PythonParser();
  // Returns null when tree-sitter gave up (timeout).
  TreeHandle parse(std::string_view text, uint64_t timeout_micros) const;

 private:
  ParserHandle parser_;
};

// A tree cursor on loan from a per-thread pool, reset to a node: ts_tree_cursor_new allocates its stack, and the
// fact builders open a cursor for nearly every node. Loans nest (a walk inside a walk) and end in reverse order.
class PooledCursor {
 public:
  explicit PooledCursor(TSNode node);
  ~PooledCursor();
  PooledCursor(const PooledCursor&) = delete;
  PooledCursor& operator=(const PooledCursor&) = delete;
  TSTreeCursor* get() const { return cursor_; }

 private:
  TSTreeCursor* cursor_;
};

// Walks the children of a node with a cursor (ts_node_child(i) is linear in i, so index loops are quadratic).
class ChildCursor {
 public:
  explicit ChildCursor(TSNode parent) : cursor_(parent), valid_(ts_tree_cursor_goto_first_child(cursor_.get())) {}

  bool valid() const { return valid_; }
  TSNode node() const { return ts_tree_cursor_current_node(cursor_.get()); }
  // The child's field name, or null. Costs a search of the parent's field map: ask only when it matters.
  const char* field() const { return ts_tree_cursor_current_field_name(cursor_.get()); }
  void next() { valid_ = ts_tree_cursor_goto_next_sibling(cursor_.get()); }

 private:
  PooledCursor cursor_;
  bool valid_;
};

// Calls fn(child, field_name_or_null) for every named child, or fn(child) when fn takes the node alone (which
// skips the field-name look-up).
template <class Fn>
void for_each_named_child(TSNode parent, Fn&& fn) {
  for (ChildCursor c(parent); c.valid(); c.next()) {
    TSNode child = c.node();
    if (!ts_node_is_named(child)) continue;
    if constexpr (std::is_invocable_v<Fn&, TSNode>) {
      fn(child);
    } else {
      fn(child, c.field());
    }
  }
}

// The node types the fact builders and the syntax checks test most, compared by the grammar's symbol instead of
// by name (a node's type is its symbol's name; several symbols may share a name, and all of them get its kind).
#define ORMLINT_NODE_KINDS(X)                                                                                \
  X(Error, "ERROR") X(Module, "module") X(Block, "block") X(Comment, "comment")                              \
  X(LineContinuation, "line_continuation") X(Identifier, "identifier") X(Attribute, "attribute")             \
  X(Call, "call") X(String, "string") X(ConcatenatedString, "concatenated_string")                           \
  X(StringStart, "string_start") X(StringContent, "string_content") X(StringEnd, "string_end")               \
  X(Interpolation, "interpolation") X(Integer, "integer") X(Float, "float") X(True, "true")                  \
  X(False, "false") X(None, "none") X(Ellipsis, "ellipsis") X(List, "list") X(Tuple, "tuple")                \
  X(Set, "set") X(Dictionary, "dictionary") X(ExpressionList, "expression_list") X(Pair, "pair")             \
  X(ParenthesizedExpression, "parenthesized_expression") X(Type, "type") X(Lambda, "lambda")                 \
  X(Subscript, "subscript") X(GenericType, "generic_type") X(TypeParameter, "type_parameter")                \
  X(BinaryOperator, "binary_operator") X(UnionType, "union_type") X(KeywordArgument, "keyword_argument")     \
  X(ListSplat, "list_splat") X(DictionarySplat, "dictionary_splat")                                          \
  X(GeneratorExpression, "generator_expression") X(ArgumentList, "argument_list")                            \
  X(Parameters, "parameters") X(NamedExpression, "named_expression") X(Assignment, "assignment")             \
  X(TypedParameter, "typed_parameter") X(DefaultParameter, "default_parameter")                              \
  X(TypedDefaultParameter, "typed_default_parameter") X(ListSplatPattern, "list_splat_pattern")              \
  X(DictionarySplatPattern, "dictionary_splat_pattern") X(KeywordSeparator, "keyword_separator")             \
  X(AugmentedAssignment, "augmented_assignment") X(ExpressionStatement, "expression_statement")              \
  X(ImportStatement, "import_statement") X(ImportFromStatement, "import_from_statement")                     \
  X(FutureImportStatement, "future_import_statement") X(AliasedImport, "aliased_import")                     \
  X(WildcardImport, "wildcard_import") X(RelativeImport, "relative_import")                                  \
  X(ImportPrefix, "import_prefix") X(DottedName, "dotted_name")                                              \
  X(FunctionDefinition, "function_definition") X(ClassDefinition, "class_definition")                        \
  X(DecoratedDefinition, "decorated_definition") X(Decorator, "decorator") X(IfStatement, "if_statement")    \
  X(ElifClause, "elif_clause") X(ElseClause, "else_clause") X(TryStatement, "try_statement")                 \
  X(ExceptClause, "except_clause") X(ExceptGroupClause, "except_group_clause")                               \
  X(FinallyClause, "finally_clause") X(ForStatement, "for_statement") X(ForInClause, "for_in_clause")        \
  X(WhileStatement, "while_statement") X(WithStatement, "with_statement") X(WithItem, "with_item")           \
  X(AsPattern, "as_pattern") X(AsPatternTarget, "as_pattern_target") X(CasePattern, "case_pattern")          \
  X(ReturnStatement, "return_statement") X(RaiseStatement, "raise_statement")                                \
  X(PassStatement, "pass_statement") X(GlobalStatement, "global_statement")                                  \
  X(NonlocalStatement, "nonlocal_statement")                                                                 \
  X(DeleteStatement, "delete_statement") X(ContinueStatement, "continue_statement")                          \
  X(TypeAliasStatement, "type_alias_statement") X(PrintStatement, "print_statement")                         \
  X(ExecStatement, "exec_statement") X(Chevron, "chevron") X(LeftParen, "(") X(RightParen, ")")              \
  X(LeftBracket, "[") X(RightBracket, "]") X(LeftBrace, "{") X(RightBrace, "}") X(At, "@") X(Equals, "=")    \
  X(Colon, ":")

enum class NodeKind : uint8_t {
  Other,  // any type not listed
#define ORMLINT_NODE_KIND_ENUMERATOR(name, type) name,
  ORMLINT_NODE_KINDS(ORMLINT_NODE_KIND_ENUMERATOR)
#undef ORMLINT_NODE_KIND_ENUMERATOR
};

// What the syntax checks ask of a type name's ending, kept per symbol too.
enum NodeTypeSuffix : uint8_t {
  kSuffixNone = 0,
  kSuffixStatement = 1,   // "..._statement"
  kSuffixDefinition = 2,  // "..._definition"
  kSuffixClause = 4,      // "..._clause"
};

struct NodeTypeInfo {
  NodeKind kind = NodeKind::Other;
  uint8_t suffix = kSuffixNone;
};

// Per symbol of the Python grammar (ts_node_symbol), built once; ids past the table (the ERROR symbols) are
// looked up apart.
struct NodeTypeTable {
  const NodeTypeInfo* by_symbol;
  uint32_t size;
  NodeTypeInfo error;         // ts_builtin_sym_error, "ERROR"
  NodeTypeInfo error_repeat;  // ts_builtin_sym_error_repeat, "_ERROR"
};
const NodeTypeTable& node_type_table();

inline const NodeTypeInfo& node_type_info(TSNode node) {
  static const NodeTypeTable& table = node_type_table();
  static const NodeTypeInfo none{};
  if (ts_node_is_null(node)) return none;
  TSSymbol symbol = ts_node_symbol(node);
  if (symbol < table.size) return table.by_symbol[symbol];
  if (symbol == static_cast<TSSymbol>(-1)) return table.error;
  if (symbol == static_cast<TSSymbol>(-2)) return table.error_repeat;
  return none;
}
// NodeKind::Other for a null node and for any type not listed.
inline NodeKind kind_of(TSNode node) { return node_type_info(node).kind; }
// Same answer as is_type(node, <the kind's type name>), without comparing strings.
inline bool is_kind(TSNode node, NodeKind kind) { return kind_of(node) == kind; }

inline bool is_type(TSNode node, const char* type) { return !ts_node_is_null(node) && std::strcmp(ts_node_type(node), type) == 0; }
// The Python grammar's id of a field name, 0 if it has none. A hash lookup: ts_language_field_id_for_name compares
// the name with every field name in turn, and the fact builders ask for fields on nearly every node.
TSFieldId python_field_id(std::string_view name);
inline TSNode field(TSNode node, const char* name) {
  if (TSFieldId id = python_field_id(name)) return ts_node_child_by_field_id(node, id);
  return ts_node_child_by_field_name(node, name, static_cast<uint32_t>(std::strlen(name)));
}

// `((x))` -> `x`: the expression inside parentheses that hold one.
inline TSNode without_parentheses(TSNode node) {
  while (is_kind(node, NodeKind::ParenthesizedExpression) && ts_node_named_child_count(node) == 1) {
    node = ts_node_named_child(node, 0);
  }
  return node;
}

// An `if` test without a leading `not`: `not upgrade` -> `upgrade`, with `negated` set. Any other test is itself.
inline TSNode without_not(TSNode condition, bool& negated) {
  negated = is_type(condition, "not_operator");
  return negated ? field(condition, "argument") : condition;
}

}  // namespace ormlint

namespace ormlint {

// Pre-order walk of a subtree without recursion. fn(node) returns whether to descend into node's children.
template <class Fn>
void walk_subtree(TSNode root, Fn&& fn) {
  PooledCursor pooled(root);
  TSTreeCursor* cursor = pooled.get();
  uint32_t depth = 0;
  while (true) {
    TSNode node = ts_tree_cursor_current_node(cursor);
    if (fn(node) && ts_tree_cursor_goto_first_child(cursor)) {
      ++depth;
      continue;
    }
    bool moved = false;
    while (depth > 0) {
      if (ts_tree_cursor_goto_next_sibling(cursor)) {
        moved = true;
        break;
      }
      ts_tree_cursor_goto_parent(cursor);
      --depth;
    }
    if (!moved) break;
  }
}

}  // namespace ormlint
