#include "facts/module_builder.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/syntax_tree.h"
#include "facts/dialect_chosen.h"
#include "facts/existence_check.h"
#include "facts/expr_builder.h"
#include "facts/query_calls.h"
#include "facts/revision_builder.h"
#include "facts/spelled_out_return.h"

namespace ormlint {

const ClassAttribute* ClassDef::attribute(std::string_view attr_name) const {
  for (const auto& attr : attributes) {
    if (attr.name == attr_name) return &attr;
  }
  return nullptr;
}

namespace {

template <class Facts, class Fn>
void visit_expressions(Facts& facts, Fn&& fn) {
  for (auto& a : facts.assignments) fn(a.value);
  for (auto& a : facts.attribute_assignments) {
    fn(a.target);
    fn(a.value);
  }
  for (auto& e : facts.module_expressions) fn(e);
  for (auto& cls : facts.classes) {
    for (auto& b : cls.bases) fn(b);
    for (auto& k : cls.class_keywords) fn(k.value);
    for (auto& d : cls.decorators) fn(d);
    for (auto& attr : cls.attributes) {
      if (attr.annotation) fn(*attr.annotation);
      if (attr.value) fn(*attr.value);
    }
    for (auto& call : cls.discarded_calls) fn(call);
  }
  if (facts.revision) {
    for (auto& op : facts.revision->operations) fn(op.call);
  }
}

}  // namespace

void ModuleFacts::for_each_expression(const std::function<void(const Expr&)>& fn) const { visit_expressions(*this, fn); }
void ModuleFacts::for_each_expression(const std::function<void(Expr&)>& fn) { visit_expressions(*this, fn); }

namespace {


// The docstring of a block or module: its first statement, when that is a bare string.
std::optional<std::string> docstring_of(TSNode block, const ExprBuilder& exprs) {
  TSNode first = ts_node_named_child(block, 0);
  while (!ts_node_is_null(first) && is_kind(first, NodeKind::Comment))
    first = ts_node_next_named_sibling(first);
  if (ts_node_is_null(first) || !is_kind(first, NodeKind::ExpressionStatement)) return std::nullopt;
  TSNode inner = ts_node_named_child(first, 0);
  if (ts_node_is_null(inner) ||
      !(is_kind(inner, NodeKind::String) || is_kind(inner, NodeKind::ConcatenatedString))) {
    return std::nullopt;
  }
  bool is_f = false;
  return exprs.string_content(inner, is_f);
}

// The names a block of statements binds in its own scope, as Python binds them: assignment targets of any
// shape, augmented and annotated assignments, for/with/except targets, walrus targets, imports, def/class
// names, type aliases and match captures, in nested compound statements too. Function and class bodies are
// scopes of their own and are not entered. Over-approximates where unsure (a match pattern's class name
// counts as bound): these names only ever silence undefined-name.
class BoundNames {
 public:
  BoundNames(const ExprBuilder& exprs, bool walrus) : exprs_(exprs), walrus_(walrus) {}

  // The names found, kept once each.
  NameSet take() const {
    std::vector<FactText> kept;
    kept.reserve(out_.size());
    for (std::string_view name : out_) kept.push_back(exprs_.keep(name));
    return NameSet(std::move(kept));
  }

  void statements(TSNode block) {
    for_each_named_child(block, [&](TSNode stmt) { statement(stmt); });
  }

  // PEP 695 `class Repo[T, *Ts, **P]`: the parameters' names.
  void type_parameters(TSNode def) {
    TSNode params = field(def, "type_parameters");
    if (ts_node_is_null(params)) return;
    for_each_named_child(params, [&](TSNode param) {
      TSNode name = is_kind(param, NodeKind::Identifier) ? param : ts_node_named_child(param, 0);
      while (!ts_node_is_null(name) && !is_kind(name, NodeKind::Identifier) &&
             ts_node_named_child_count(name) > 0) {
        name = ts_node_named_child(name, 0);
      }
      if (!ts_node_is_null(name) && is_kind(name, NodeKind::Identifier)) out_.insert(exprs_.slice(name));
    });
  }

  // Every `global x` in any function or class body of the tree: assigning x there binds a module name.
  void global_declarations(TSNode root) {
    walk_subtree(root, [&](TSNode n) {
      if (!is_kind(n, NodeKind::GlobalStatement)) return true;
      for_each_named_child(n, [&](TSNode name) { target(name); });
      return false;
    });
  }

 private:
  void statement(TSNode stmt) {
    switch (kind_of(stmt)) {
      case NodeKind::ImportStatement:
      case NodeKind::ImportFromStatement:
      case NodeKind::FutureImportStatement:
        imported(stmt);
        break;
      case NodeKind::FunctionDefinition:
      case NodeKind::ClassDefinition:
        target(field(stmt, "name"));
        break;
      case NodeKind::DecoratedDefinition:
        if (TSNode definition = field(stmt, "definition"); !ts_node_is_null(definition)) {
          target(field(definition, "name"));
        }
        break;
      case NodeKind::ExpressionStatement:
        for_each_named_child(stmt, [&](TSNode inner) { assignment(inner); });
        walrus(stmt);
        break;
      case NodeKind::TypeAliasStatement:
        target(field(stmt, "left"));
        break;
      case NodeKind::Comment:
      case NodeKind::GlobalStatement:
      case NodeKind::DeleteStatement:
        break;
      default:
        compound(stmt);
    }
  }

  void imported(TSNode stmt) {
    for_each_named_child(stmt, [&](TSNode name, const char* f) {
      if (!f || std::strcmp(f, "name") != 0) return;
      if (is_kind(name, NodeKind::AliasedImport)) {
        target(field(name, "alias"));
      } else {
        std::string_view dotted = exprs_.slice(name);  // `import a.b.c` binds `a`
        out_.insert(dotted.substr(0, dotted.find('.')));
      }
    });
  }

  // `a = b = value`, `a, *b = ...`, `x: int = 1`, `x += 1` (also `x: int`, harmless to count).
  void assignment(TSNode node) {
    while (!ts_node_is_null(node) &&
           (is_kind(node, NodeKind::Assignment) || is_kind(node, NodeKind::AugmentedAssignment))) {
      target(field(node, "left"));
      node = field(node, "right");
    }
  }

  // if/elif/else, for/while/else, try/except/finally, with, match: their targets and their blocks.
  void compound(TSNode node) {
    for (ChildCursor c(node); c.valid(); c.next()) {
      TSNode child = c.node();
      const char* f = c.field();
      if (!ts_node_is_named(child)) continue;
      const NodeTypeInfo& info = node_type_info(child);
      if (f && (std::strcmp(f, "left") == 0 || std::strcmp(f, "alias") == 0)) {
        target(child);  // `for x in`, `except E as e`, `with f() as x` (an as_pattern's alias)
      } else if (info.kind == NodeKind::Block) {
        statements(child);
      } else if ((info.suffix & kSuffixClause) || info.kind == NodeKind::WithItem ||
                 info.kind == NodeKind::AsPattern) {
        compound(child);
      } else if (info.kind == NodeKind::CasePattern) {
        target(child);
      } else if (f && std::strcmp(f, "condition") == 0) {
        walrus(child);
      }
    }
    if (is_kind(node, NodeKind::ExceptGroupClause)) {
      // `except* E as e`: the second expression is the name (the grammar gives it no field).
      TSNode alias = ts_node_named_child(node, 1);
      if (!ts_node_is_null(alias) && !is_kind(alias, NodeKind::Block)) target(alias);
    }
  }

  // Identifiers of a target: `a`, `a, b`, `(a, [b, *c])`; `a.b = ...` and `a[i] = ...` bind no name.
  void target(TSNode node) {
    if (ts_node_is_null(node) || is_kind(node, NodeKind::Attribute) || is_kind(node, NodeKind::Subscript)) {
      return;
    }
    if (is_kind(node, NodeKind::Identifier) || ts_node_named_child_count(node) == 0) {
      std::string_view name = exprs_.slice(node);
      if (!name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_' ||
                            static_cast<unsigned char>(name[0]) >= 0x80)) {
        out_.insert(name);
      }
      return;
    }
    for_each_named_child(node, [&](TSNode child) { target(child); });
  }

  // `(x := f())` binds x in the enclosing scope, even from inside a comprehension.
  void walrus(TSNode node) {
    if (!walrus_) return;
    walk_subtree(node, [&](TSNode n) {
      if (is_kind(n, NodeKind::NamedExpression)) target(field(n, "name"));
      return !is_kind(n, NodeKind::Lambda);
    });
  }

  const ExprBuilder& exprs_;
  std::set<std::string_view> out_;  // views into the source, which outlives this
  bool walrus_;  // the file holds `:=` at all (skips the subtree walks otherwise)
};

// Calls that can bind module names no statement shows. A text search: any occurrence (even in a comment) only
// makes undefined-name quieter.
bool binds_names_dynamically(std::string_view text) {
  for (std::string_view call :
       {"globals(", "vars(", "locals(", "exec(", "sys.modules[__name__]", "__builtins__"}) {
    if (text.find(call) != std::string_view::npos) return true;
  }
  return false;
}

class ModuleBuilder {
 public:
  ModuleBuilder(const SourceFile& file, std::string module_key, bool is_package)
      : file_(file),
        exprs_(file, *texts_),
        module_key_(std::move(module_key)),
        is_package_(is_package),
        // Scanned once per file: walrus targets are rare, and per-class scans would make big files quadratic.
        has_walrus_(file.text().find(":=") != std::string::npos) {}

  ModuleFacts build(TSNode root) {
    facts_.texts = texts_;
    facts_.docstring = docstring_of(root, exprs_);
    module_statements(root);
    if (file_.text().find("global") != std::string::npos) values_set_through_global();
    rebind_wrapped_classes();
    facts_.bindings = NameMap<ModuleFacts::Binding>(std::move(bindings_));
    mark_existence_checks();
    module_names(root);
    collect_comments(root);
    facts_.query_calls = query_calls(root, file_, exprs_);
    facts_.dialect_chosen_imports = dialect_chosen_imports(root, facts_.imports, exprs_);
    if (auto revision = build_revision_info(root, file_, facts_, *texts_)) facts_.revision = std::move(revision);
    return std::move(facts_);
  }

 private:
  void module_names(TSNode root) {
    const std::string& text = file_.text();
    BoundNames names(exprs_, has_walrus_);
    names.statements(root);
    if (text.find("global") != std::string::npos) names.global_declarations(root);
    facts_.module_names = names.take();
    facts_.dynamic_globals = binds_names_dynamically(text);
  }

  // `db = None` at module level, and `def init_db(): global db; db = SQLAlchemy(...)` (FlexMeasures): a name
  // created later by a module function holds that function's value once the application runs, so the module
  // assignment of None takes the value the function assigns (its first).
  void values_set_through_global() {
    for (TSNode body : function_bodies_) {
      if (ts_node_is_null(body) ||
          file_.slice(ts_node_start_byte(body), ts_node_end_byte(body)).find("global") ==
              std::string_view::npos) {
        continue;
      }
      std::set<std::string_view> declared;
      std::vector<std::pair<std::string_view, TSNode>> assigned;  // in source order
      walk_subtree(body, [&](TSNode n) {
        if (is_kind(n, NodeKind::GlobalStatement)) {
          for_each_named_child(n, [&](TSNode name) { declared.insert(exprs_.slice(name)); });
          return false;
        }
        if (is_kind(n, NodeKind::Assignment)) {
          TSNode left = field(n, "left"), right = field(n, "right");
          if (!ts_node_is_null(left) && is_kind(left, NodeKind::Identifier) && !ts_node_is_null(right)) {
            assigned.emplace_back(exprs_.slice(left), right);
          }
        }
        return !is_kind(n, NodeKind::FunctionDefinition) && !is_kind(n, NodeKind::ClassDefinition) &&
               !is_kind(n, NodeKind::Lambda);
      });
      for (const auto& [name, value] : assigned) {
        if (!declared.count(name) || is_kind(value, NodeKind::None)) continue;
        const ModuleFacts::Binding* binding = first_binding(name);
        if (!binding || binding->kind != ModuleFacts::BindingKind::Assignment) continue;
        Assignment& held = facts_.assignments[binding->index];
        if (held.value.kind != Expr::Kind::None) continue;
        held.value = exprs_.build(value);
        held.set_in_function = true;
      }
    }
  }

  // `class Base: ...` and then `Base = declarative_base(cls=Base)` — SQLAlchemy's documented way to give
  // every model a common base class: from there on, `Base` is what the assignment made of the class. So the
  // name is bound to the assignment, and the class, which the assignment's value names, to a name no code
  // can spell (`Base@class`); the assignment names it so. Any other second binding leaves the first in place.
  void rebind_wrapped_classes() {
    std::map<std::string_view, size_t> first;  // name -> its first entry in bindings_
    for (size_t i = 0; i < bindings_.size(); ++i) {
      auto& [name, binding] = bindings_[i];
      auto [it, added] = first.try_emplace(name, i);
      if (added || binding.kind != ModuleFacts::BindingKind::Assignment) continue;
      auto& [first_name, first_binding] = bindings_[it->second];
      if (first_binding.kind != ModuleFacts::BindingKind::Class) continue;
      Expr& value = facts_.assignments[binding.index].value;
      bool wraps = false;
      value.walk([&](const Expr& e) { wraps = wraps || (e.kind == Expr::Kind::Name && e.text == name); });
      if (!wraps || !value.is_call()) continue;
      const FactText alias = texts_->keep(std::string(name) + "@class");
      value.walk_mutable([&](Expr& e) {
        if (e.kind == Expr::Kind::Name && e.text == name) e.text = e.name = alias;
      });
      first_name = alias;
      first.erase(it);  // a third binding of the name is judged against the assignment (and kept out)
      first.try_emplace(name, i);
    }
  }

  // Statements bind in source order; the first binding of a name wins (ModuleFacts::bindings).
  void bind(FactText name, ModuleFacts::BindingKind kind, size_t index) {
    if (!name.empty()) bindings_.emplace_back(name, ModuleFacts::Binding{kind, index});
  }

  // The binding a name has so far (the first wins), or null. The index is brought up to date on demand: only
  // modules that set attributes on classes or names through `global` ask, and a scan per question would make
  // a huge module quadratic.
  const ModuleFacts::Binding* first_binding(std::string_view name) {
    for (; indexed_bindings_ < bindings_.size(); ++indexed_bindings_) {
      first_binding_.try_emplace(bindings_[indexed_bindings_].first, indexed_bindings_);
    }
    auto found = first_binding_.find(name);
    return found == first_binding_.end() ? nullptr : &bindings_[found->second].second;
  }

  // Statements at module level, and inside module-level if/try/with blocks (`if TYPE_CHECKING:` imports,
  // `try: import x except ImportError: ...`): they bind module names too.
  void module_statements(TSNode block) {
    for_each_named_child(block, [&](TSNode stmt) { module_statement(stmt); });
  }

  void module_statement(TSNode stmt) {
    switch (kind_of(stmt)) {
      case NodeKind::ImportStatement:
        import_statement(stmt);
        break;
      case NodeKind::ImportFromStatement:
      case NodeKind::FutureImportStatement:
        import_from_statement(stmt);
        break;
      case NodeKind::ClassDefinition:
        class_definition(stmt, {}, true);
        break;
      case NodeKind::FunctionDefinition:
        function_definition(stmt);
        break;
      case NodeKind::DecoratedDefinition:
        decorated_definition(stmt, true);
        break;
      case NodeKind::ExpressionStatement:
        expression_statement(stmt);
        break;
      case NodeKind::IfStatement:
      case NodeKind::TryStatement:
      case NodeKind::WithStatement:
        nested_module_blocks(stmt);
        break;
      default:
        break;
    }
  }

  // The blocks and clauses of a module-level compound statement (not its condition).
  void nested_module_blocks(TSNode stmt) {
    // `if TYPE_CHECKING: <stubs> else: from sqlalchemy import Enum as EnumColumn` (fides): a name bound in both is
    // what runs, so the else branch binds first (a module's first binding of a name wins).
    if (is_kind(stmt, NodeKind::IfStatement)) {
      if (tests_type_checking(field(stmt, "condition"))) {
        for_each_named_child(stmt, [&](TSNode clause) {
          if (is_kind(clause, NodeKind::ElseClause)) nested_module_blocks(clause);
        });
        module_statements(field(stmt, "consequence"));
        return;
      }
    }
    for_each_named_child(stmt, [&](TSNode child) {
      switch (kind_of(child)) {
        case NodeKind::Block:
          module_statements(child);
          break;
        case NodeKind::ElifClause:
        case NodeKind::ElseClause:
        case NodeKind::FinallyClause:
          nested_module_blocks(child);  // their statements are in a block
          break;
        case NodeKind::ExceptClause: {
          const bool outer = in_import_fallback_;
          in_import_fallback_ = outer || catches_import_error(child);
          nested_module_blocks(child);
          in_import_fallback_ = outer;
          break;
        }
        default:
          break;
      }
    });
  }

  // `TYPE_CHECKING` / `typing.TYPE_CHECKING`: true only for type checkers, never when the module runs.
  bool tests_type_checking(TSNode condition) const {
    if (ts_node_is_null(condition)) return false;
    const std::string test = exprs_.text(condition);
    return test == "TYPE_CHECKING" || test.ends_with(".TYPE_CHECKING");
  }

  // `except ImportError:`, `except (ImportError, AttributeError) as e:`, `except ModuleNotFoundError:`.
  bool catches_import_error(TSNode clause) const {
    bool catches = false;
    for_each_named_child(clause, [&](TSNode part) {
      if (is_kind(part, NodeKind::Block)) return;
      const std::string caught = exprs_.text(part);
      catches |= caught.find("ImportError") != std::string::npos ||
                 caught.find("ModuleNotFoundError") != std::string::npos;
    });
    return catches;
  }

  void add_import(Import import) {
    import.is_fallback = in_import_fallback_;
    if (in_function_) {
      facts_.function_imports.push_back(std::move(import));
      return;
    }
    facts_.imports.push_back(std::move(import));
    const Import& added = facts_.imports.back();
    if (added.is_star) {
      facts_.has_star_import = true;
    } else {
      bind(added.bound_name, ModuleFacts::BindingKind::Import, facts_.imports.size() - 1);
    }
  }

  void import_statement(TSNode stmt) {
    for_each_named_child(stmt, [&](TSNode name, const char* f) {
      if (!f || std::strcmp(f, "name") != 0) return;
      Import import;
      import.loc = exprs_.locate(name);
      import.statement_loc = exprs_.locate(stmt);
      if (is_kind(name, NodeKind::AliasedImport)) {
        import.origin = exprs_.kept_text(field(name, "name"));
        import.bound_name = exprs_.kept_text(field(name, "alias"));
      } else {
        // `import a.b.c` binds `a`, and `a.b.c.x` then resolves through it.
        import.module = exprs_.kept_text(name);
        import.bound_name = FactText(import.module.substr(0, import.module.find('.')));  // a view of the same store
        import.origin = import.bound_name;
      }
      if (import.module.empty()) import.module = import.origin;
      add_import(std::move(import));
    });
  }

  // `from ..types import X`: the absolute module, from this file's own dotted key.
  std::string absolute_module(TSNode module_name, bool& is_relative) const {
    if (!is_kind(module_name, NodeKind::RelativeImport)) {
      is_relative = false;
      return exprs_.text(module_name);
    }
    is_relative = true;
    size_t dots = 0;
    std::string rest;
    for_each_named_child(module_name, [&](TSNode part) {
      if (is_kind(part, NodeKind::ImportPrefix)) dots = exprs_.text(part).size();
      if (is_kind(part, NodeKind::DottedName)) rest = exprs_.text(part);
    });
    std::string package = module_key_;
    size_t levels_up = is_package_ ? dots - 1 : dots;
    for (size_t i = 0; i < levels_up; ++i) {
      size_t dot = package.rfind('.');
      package = dot == std::string::npos ? "" : package.substr(0, dot);
    }
    if (rest.empty()) return package;
    return package.empty() ? rest : package + "." + rest;
  }

  void import_from_statement(TSNode stmt) {
    TSNode module_name = field(stmt, "module_name");
    bool is_relative = false;
    std::string module = is_kind(stmt, NodeKind::FutureImportStatement) ? "__future__"
                         : ts_node_is_null(module_name)           ? ""
                                                                  : absolute_module(module_name, is_relative);
    for_each_named_child(stmt, [&](TSNode child, const char* f) {
      Import import;
      import.module = texts_->keep(module);
      import.is_relative = is_relative;
      import.loc = exprs_.locate(child);
      import.statement_loc = exprs_.locate(stmt);
      if (is_kind(child, NodeKind::WildcardImport)) {
        import.is_star = true;
        import.origin = texts_->keep(module);
        add_import(std::move(import));
        return;
      }
      if (!f || std::strcmp(f, "name") != 0) return;
      std::string name;
      if (is_kind(child, NodeKind::AliasedImport)) {
        name = exprs_.text(field(child, "name"));
        import.bound_name = exprs_.kept_text(field(child, "alias"));
      } else {
        name = exprs_.text(child);
        import.bound_name = texts_->keep(name);
      }
      import.origin = texts_->keep(module.empty() ? name : module + "." + name);
      add_import(std::move(import));
    });
  }

  void expression_statement(TSNode stmt) {
    TSNode inner = ts_node_named_child(stmt, 0);
    if (ts_node_is_null(inner)) return;
    if (is_kind(inner, NodeKind::Assignment)) {
      // `a = b = value` nests assignments on the right; every plain-name target binds the final value.
      std::vector<TSNode> targets;
      TSNode node = inner;
      TSNode value{};
      while (true) {
        targets.push_back(field(node, "left"));
        TSNode right = field(node, "right");
        if (!ts_node_is_null(right) && is_kind(right, NodeKind::Assignment)) {
          node = right;
          continue;
        }
        value = right;
        break;
      }
      if (ts_node_is_null(value)) return;  // a bare annotation `x: int`
      for (TSNode target : targets) {
        if (!ts_node_is_null(target) && is_kind(target, NodeKind::Attribute)) {
          facts_.attribute_assignments.push_back(AttributeAssignment{exprs_.build(target), exprs_.build(value)});
          attribute_added_to_class(target, facts_.attribute_assignments.back().value);
          continue;
        }
        if (ts_node_is_null(target) || !is_kind(target, NodeKind::Identifier)) continue;
        facts_.assignments.push_back(Assignment{exprs_.kept_text(target), exprs_.build(value), exprs_.locate(target)});
        bind(facts_.assignments.back().target, ModuleFacts::BindingKind::Assignment, facts_.assignments.size() - 1);
      }
    } else if (!is_kind(inner, NodeKind::String)) {
      facts_.module_expressions.push_back(exprs_.build(inner));
    }
  }

  // `Instance.metadata = relationship(...)` after the class body (nova: the name is reserved inside it):
  // declarative maps an attribute set on a mapped class as one of its body, so the class gets it, marked as
  // added after.
  void attribute_added_to_class(TSNode target, const Expr& value) {
    TSNode object = field(target, "object"), attribute = field(target, "attribute");
    if (!value.is_call() || ts_node_is_null(object) || ts_node_is_null(attribute) ||
        !is_kind(object, NodeKind::Identifier)) {
      return;
    }
    const std::string_view name = exprs_.slice(object);
    const ModuleFacts::Binding* binding = first_binding(name);
    if (!binding || binding->kind != ModuleFacts::BindingKind::Class) return;
    ClassAttribute attr;
    attr.name = exprs_.kept_text(attribute);
    attr.loc = exprs_.locate(attribute);
    attr.value = value;
    attr.added_after_class = true;
    facts_.classes[binding->index].attributes.push_back(std::move(attr));
  }

  void function_definition(TSNode def) {
    FunctionDef fn = describe_function(def, exprs_);
    function_bodies_.push_back(field(def, "body"));
    facts_.functions.push_back(std::move(fn));
    bind(facts_.functions.back().name, ModuleFacts::BindingKind::Function, facts_.functions.size() - 1);
    function_imports(field(def, "body"));
  }

  // Which module-level functions ask the database what exists, so that a helper calling another helper of the
  // file counts too (FunctionDef::checks_existence): helpers on helpers, four levels deep (as the revision builder
  // always followed them). Each round walks every unmarked body, so an unbounded chain would be quadratic.
  void mark_existence_checks() {
    if (!may_check_existence(file_.text())) return;
    std::set<std::string, std::less<>> checking;
    constexpr int kLevels = 4;
    bool changed = true;
    for (int round = 0; changed && round < kLevels; ++round) {
      changed = false;
      for (size_t i = 0; i < facts_.functions.size(); ++i) {
        FunctionDef& fn = facts_.functions[i];
        if (fn.checks_existence || !subtree_checks_existence(function_bodies_[i], exprs_, checking)) continue;
        fn.checks_existence = true;
        checking.insert(fn.name);
        changed = true;
      }
    }
  }

  // `def upgrade(): from app.models import User`: recorded apart, as they bind no module name.
  void function_imports(TSNode body) {
    if (ts_node_is_null(body)) return;
    // Every import statement spells `import`: a body without the word holds none, and is not walked.
    if (file_.slice(ts_node_start_byte(body), ts_node_end_byte(body)).find("import") == std::string_view::npos) {
      return;
    }
    in_function_ = true;
    walk_subtree(body, [&](TSNode n) {
      if (is_kind(n, NodeKind::ImportStatement)) {
        import_statement(n);
      } else if (is_kind(n, NodeKind::ImportFromStatement)) {
        import_from_statement(n);
      } else {
        return !is_kind(n, NodeKind::ClassDefinition);
      }
      return false;
    });
    in_function_ = false;
  }

  void decorated_definition(TSNode stmt, bool module_level) {
    std::vector<Expr> decorators;
    TSNode definition = field(stmt, "definition");
    for_each_named_child(stmt, [&](TSNode child) {
      if (is_kind(child, NodeKind::Decorator)) {
        TSNode expr = ts_node_named_child(child, 0);
        if (!ts_node_is_null(expr)) decorators.push_back(exprs_.build(expr));
      }
    });
    if (ts_node_is_null(definition)) return;
    if (is_kind(definition, NodeKind::ClassDefinition)) {
      class_definition(definition, std::move(decorators), module_level);
    } else if (is_kind(definition, NodeKind::FunctionDefinition) && module_level) {
      function_definition(definition);
    }
  }

  void class_definition(TSNode def, std::vector<Expr> decorators, bool module_level) {
    ClassDef cls;
    TSNode name = field(def, "name");
    cls.name = exprs_.kept_text(name);
    cls.loc = exprs_.locate(name);
    cls.decorators = std::move(decorators);
    cls.module_level = module_level;
    TSNode superclasses = field(def, "superclasses");
    if (!ts_node_is_null(superclasses)) {
      Expr args;
      args.kind = Expr::Kind::Call;
      for_each_named_child(superclasses, [&](TSNode arg) {
        if (is_kind(arg, NodeKind::KeywordArgument)) {
          TSNode kw_name = field(arg, "name"), kw_value = field(arg, "value");
          if (!ts_node_is_null(kw_name) && !ts_node_is_null(kw_value)) {
            cls.class_keywords.push_back(
                Keyword{exprs_.kept_text(kw_name), exprs_.build(kw_value), exprs_.locate(arg)});
          }
        } else if (!is_kind(arg, NodeKind::Comment) && !is_kind(arg, NodeKind::ListSplat) &&
                   !is_kind(arg, NodeKind::DictionarySplat)) {
          cls.bases.push_back(exprs_.build(arg));
        }
      });
    }
    size_t index = facts_.classes.size();
    facts_.classes.push_back(std::move(cls));
    if (module_level) bind(facts_.classes[index].name, ModuleFacts::BindingKind::Class, index);
    TSNode body = field(def, "body");
    if (ts_node_is_null(body)) return;
    BoundNames names(exprs_, has_walrus_);
    names.statements(body);
    names.type_parameters(def);  // `class Repo[T]`: T is visible in the bases and the body
    facts_.classes[index].body_names = names.take();
    class_body(body, index);
  }

  // `cast(dict[str, Any], Column(JSONB, default={}))` (fides, for type checkers): typing.cast returns its second
  // argument as it is, so the attribute is that value.
  TSNode typing_cast_value(TSNode value) const {
    if (!is_kind(value, NodeKind::Call)) return value;
    const std::string callee = exprs_.text(field(value, "function"));
    if (callee != "cast" && callee != "typing.cast" && callee != "t.cast") return value;
    TSNode arguments = field(value, "arguments");
    if (ts_node_is_null(arguments) || ts_node_named_child_count(arguments) != 2) return value;
    TSNode second = ts_node_named_child(arguments, 1);
    return is_kind(second, NodeKind::KeywordArgument) ? value : second;
  }

  void class_body(TSNode body, size_t class_index) {
    for_each_named_child(body, [&](TSNode stmt) {
      if (is_kind(stmt, NodeKind::ExpressionStatement)) {
        TSNode inner = ts_node_named_child(stmt, 0);
        if (!ts_node_is_null(inner) && is_kind(inner, NodeKind::Call)) {
          facts_.classes[class_index].discarded_calls.push_back(exprs_.build(inner));
          return;
        }
        if (ts_node_is_null(inner) || !is_kind(inner, NodeKind::Assignment)) return;
        TSNode left = field(inner, "left");
        if (ts_node_is_null(left) || !is_kind(left, NodeKind::Identifier)) return;
        ClassAttribute attr;
        attr.name = exprs_.kept_text(left);
        attr.loc = exprs_.locate(left);
        TSNode annotation = field(inner, "type");
        if (!ts_node_is_null(annotation)) attr.annotation = exprs_.build(annotation);
        TSNode right = field(inner, "right");
        if (!ts_node_is_null(right)) attr.value = exprs_.build(typing_cast_value(right));
        facts_.classes[class_index].attributes.push_back(std::move(attr));
      } else if (is_kind(stmt, NodeKind::ClassDefinition)) {
        class_definition(stmt, {}, false);
      } else if (is_kind(stmt, NodeKind::DecoratedDefinition)) {
        declared_attribute(stmt, class_index);
      } else if (is_kind(stmt, NodeKind::IfStatement)) {
        if (!runtime_branch_of_type_checking(stmt, class_index)) conditional_branches(stmt, class_index);
      }
    });
  }

  // `if settings.engine == "postgres": embedding = mapped_column(Vector(...))` / `else: embedding =
  // Column(JSON)` (letta): one branch runs, and ormlint cannot tell which. Each name the branches bind is
  // read once, from the first branch that binds it — as a reader of the class would take it — so the column
  // exists in the table model, its rules check that definition, and the alternatives are not two attributes
  // mapping one column.
  void conditional_branches(TSNode stmt, size_t class_index) {
    const size_t before = facts_.classes[class_index].attributes.size();
    auto read_branch = [&](TSNode body) {
      const size_t branch_start = facts_.classes[class_index].attributes.size();
      class_body(body, class_index);  // may add nested classes: take the reference after it
      auto& attributes = facts_.classes[class_index].attributes;
      auto bound_earlier = [&](const ClassAttribute& attr) {
        return std::any_of(attributes.begin() + static_cast<std::ptrdiff_t>(before),
                           attributes.begin() + static_cast<std::ptrdiff_t>(branch_start),
                           [&](const ClassAttribute& earlier) { return earlier.name == attr.name; });
      };
      attributes.erase(std::remove_if(attributes.begin() + static_cast<std::ptrdiff_t>(branch_start),
                                      attributes.end(), bound_earlier),
                       attributes.end());
    };
    read_branch(field(stmt, "consequence"));
    for_each_named_child(stmt, [&](TSNode clause) {
      if (is_kind(clause, NodeKind::ElifClause)) read_branch(field(clause, "consequence"));
      if (is_kind(clause, NodeKind::ElseClause)) read_branch(field(clause, "body"));
    });
  }

  // `if TYPE_CHECKING: id: UUID_ID` / `else: id: Mapped[UUID_ID] = mapped_column(...)` in a class body
  // (fastapi-users): the else branch is what runs, so its attributes are the class's; likewise the body of
  // `if not TYPE_CHECKING:`. False when the test is not about TYPE_CHECKING.
  bool runtime_branch_of_type_checking(TSNode stmt, size_t class_index) {
    bool negated = false;
    if (!tests_type_checking(without_not(field(stmt, "condition"), negated))) return false;
    if (negated) {
      class_body(field(stmt, "consequence"), class_index);
      return true;
    }
    for_each_named_child(stmt, [&](TSNode clause) {
      if (is_kind(clause, NodeKind::ElseClause)) class_body(field(clause, "body"), class_index);
    });
    return true;
  }

  // `@declared_attr def fk(cls): return Column(ForeignKey(...))` is an attribute whose value is the return.
  void declared_attribute(TSNode stmt, size_t class_index) {
    TSNode definition = field(stmt, "definition");
    if (ts_node_is_null(definition)) return;
    if (is_kind(definition, NodeKind::ClassDefinition)) {
      decorated_definition(stmt, false);
      return;
    }
    bool is_declared_attr = false;
    for_each_named_child(stmt, [&](TSNode child) {
      if (is_kind(child, NodeKind::Decorator) &&
          exprs_.text(child).find("declared_attr") != std::string::npos) {
        is_declared_attr = true;
      }
    });
    if (!is_kind(definition, NodeKind::FunctionDefinition)) return;
    if (!is_declared_attr) {
      hybrid_definition(stmt, definition, class_index);
      return;
    }
    TSNode name = field(definition, "name");
    TSNode body = field(definition, "body");
    ClassAttribute attr;
    attr.name = exprs_.kept_text(name);
    attr.loc = exprs_.locate(name);
    attr.from_declared_attr = true;
    TSNode returns = field(definition, "return_type");
    if (!ts_node_is_null(returns)) attr.annotation = exprs_.build(returns);
    if (attr.name == "__tablename__") {
      // Often computed in steps (`name = re.sub(...)`, `return f"{name}s"`): the table model evaluates it.
      attr.value = spelled_out_return(body, exprs_);
    } else {
      TSNode value = returned_value(body);
      // `return cls._user_by_id()` (letta): the value of a method of the same class body that only returns
      // one.
      if (!ts_node_is_null(value)) {
        if (TSNode method = own_method_called(value, ts_node_parent(stmt)); !ts_node_is_null(method)) {
          if (TSNode inlined = returned_value(field(method, "body")); !ts_node_is_null(inlined))
            value = inlined;
        }
        attr.value = exprs_.build(value);
      }
    }
    facts_.classes[class_index].attributes.push_back(std::move(attr));
  }

  // `@hybrid_property def has_password(self): return ...` (HybridProperty), and the
  // `@has_password.expression` (or `.comparator`) that gives it SQL of its own.
  void hybrid_definition(TSNode stmt, TSNode definition, size_t class_index) {
    std::vector<HybridProperty>& hybrids = facts_.classes[class_index].hybrids;
    for_each_named_child(stmt, [&](TSNode child) {
      if (!is_kind(child, NodeKind::Decorator)) return;
      const std::string decorator = exprs_.text(ts_node_named_child(child, 0));
      if (decorator.ends_with("hybrid_property") || decorator.ends_with("hybrid_method")) {
        HybridProperty hybrid;
        TSNode name = field(definition, "name");
        hybrid.name = exprs_.kept_text(name);
        hybrid.loc = exprs_.locate(name);
        if (TSNode value = returned_value(field(definition, "body")); !ts_node_is_null(value))
          hybrid.returned = exprs_.build(value);
        hybrids.push_back(std::move(hybrid));
      } else if (decorator.ends_with(".expression") || decorator.ends_with(".comparator")) {
        const std::string_view owner = std::string_view(decorator).substr(0, decorator.find('.'));
        for (HybridProperty& hybrid : hybrids) {
          if (hybrid.name == owner) hybrid.has_expression = true;
        }
      }
    });
  }

  // The value of a function body's first top-level `return`; null when there is none.
  static TSNode returned_value(TSNode body) {
    TSNode found{};
    if (ts_node_is_null(body)) return found;
    for_each_named_child(body, [&](TSNode inner) {
      if (!ts_node_is_null(found) || !is_kind(inner, NodeKind::ReturnStatement)) return;
      found = ts_node_named_child(inner, 0);
    });
    return found;
  }

  // For `cls.name()` (no arguments): the definition of `name` in the class body `block`, decorated or not;
  // null for anything else.
  TSNode own_method_called(TSNode value, TSNode block) {
    TSNode none{};
    if (!is_kind(value, NodeKind::Call) || ts_node_is_null(block)) return none;
    TSNode callee = field(value, "function");
    TSNode arguments = field(value, "arguments");
    if (ts_node_is_null(callee) || !is_kind(callee, NodeKind::Attribute) ||
        (!ts_node_is_null(arguments) && ts_node_named_child_count(arguments) > 0)) {
      return none;
    }
    TSNode object = field(callee, "object");
    TSNode attribute = field(callee, "attribute");
    if (ts_node_is_null(object) || exprs_.text(object) != "cls" || ts_node_is_null(attribute)) return none;
    const std::string wanted = exprs_.text(attribute);
    TSNode found = none;
    for_each_named_child(block, [&](TSNode stmt) {
      TSNode definition = is_kind(stmt, NodeKind::DecoratedDefinition) ? field(stmt, "definition") : stmt;
      if (!ts_node_is_null(found) || ts_node_is_null(definition) ||
          !is_kind(definition, NodeKind::FunctionDefinition)) {
        return;
      }
      TSNode name = field(definition, "name");
      if (!ts_node_is_null(name) && exprs_.text(name) == wanted) found = definition;
    });
    return found;
  }

  // Comments anywhere in the file (for suppressions), by an iterative walk: no recursion on deep trees.
  // A comment starts with `#`, so only subtrees whose bytes hold a `#` are entered: walking the whole tree
  // cost as much as a fifth of the parse.
 public:
  ModuleFacts comments_only(TSNode root) {
    facts_.texts = texts_;
    collect_comments(root);
    return std::move(facts_);
  }

 private:
  void collect_comments(TSNode root) {
    const std::string& text = file_.text();
    std::vector<uint32_t> hashes;
    for (size_t at = text.find('#'); at != std::string::npos; at = text.find('#', at + 1)) {
      hashes.push_back(static_cast<uint32_t>(at));
    }
    if (hashes.empty()) return;
    walk_subtree(root, [&](TSNode node) {
      auto hash = std::lower_bound(hashes.begin(), hashes.end(), ts_node_start_byte(node));
      if (hash == hashes.end() || *hash >= ts_node_end_byte(node)) return false;
      if (!is_kind(node, NodeKind::Comment)) return true;
      Location loc = exprs_.locate(node);
      facts_.comments.push_back(Comment{loc.line, exprs_.kept_text(node), loc});
      return false;
    });
  }

  const SourceFile& file_;
  std::shared_ptr<TextStore> texts_ = std::make_shared<TextStore>();  // becomes the facts' store
  ExprBuilder exprs_;
  std::string module_key_;
  bool is_package_;
  bool has_walrus_;
  bool in_function_ = false;  // collecting the imports of a function body (see function_imports)
  bool in_import_fallback_ = false;  // in a module-level `except ImportError:` handler (Import::is_fallback)
  ModuleFacts facts_;
  std::vector<std::pair<FactText, ModuleFacts::Binding>> bindings_;  // facts_.bindings, until module_statements ends
  std::unordered_map<std::string_view, size_t> first_binding_;       // first_binding()'s index into bindings_
  size_t indexed_bindings_ = 0;                                      // how many of bindings_ it holds
  std::vector<TSNode> function_bodies_;  // parallel to facts_.functions
};

}  // namespace

namespace {

// `if <test>: return` (no value, no elif/else): a guard that skips the rest (`if legacy_engine(): return`), doing
// nothing itself.
bool is_early_return_guard(TSNode stmt) {
  if (!is_kind(stmt, NodeKind::IfStatement)) return false;
  bool has_other_branch = false;
  for_each_named_child(stmt, [&](TSNode clause) {
    if (is_kind(clause, NodeKind::ElifClause) || is_kind(clause, NodeKind::ElseClause)) has_other_branch = true;
  });
  if (has_other_branch) return false;
  bool only_return = true;
  size_t statements = 0;
  for_each_named_child(field(stmt, "consequence"), [&](TSNode inner) {
    if (is_kind(inner, NodeKind::Comment)) return;
    ++statements;
    if (!is_kind(inner, NodeKind::ReturnStatement) || ts_node_named_child_count(inner) != 0) only_return = false;
  });
  return statements == 1 && only_return;
}


// Whether a subtree, outside nested functions, classes and lambdas, holds a `return` or a `yield`.
bool returns_or_yields(TSNode root) {
  bool found = false;
  walk_subtree(root, [&](TSNode n) {
    if (found) return false;
    if (is_kind(n, NodeKind::ReturnStatement) || is_type(n, "yield")) {
      found = true;
      return false;
    }
    return !is_kind(n, NodeKind::FunctionDefinition) && !is_kind(n, NodeKind::ClassDefinition) &&
           !is_kind(n, NodeKind::Lambda);
  });
  return found;
}

// FunctionDef::forwarded_callee: the callee of `return f(*args, **kwargs)` ending the body of a function that
// takes only `*args, **kwargs` and passes both on, in that order and nothing else; no other statement of the body
// may return (or yield). What the body does before (setting a keyword, logging) does not change what is made.
std::optional<Expr> forwarded_callee(TSNode body, const std::vector<Parameter>& parameters, const ExprBuilder& exprs) {
  if (parameters.size() != 2 || parameters[0].kind != Parameter::Kind::VarPositional ||
      parameters[1].kind != Parameter::Kind::VarKeyword) {
    return std::nullopt;
  }
  TSNode last = {};
  bool returns_before = false;
  for_each_named_child(body, [&](TSNode stmt) {
    if (is_kind(stmt, NodeKind::Comment)) return;
    if (!ts_node_is_null(last) && returns_or_yields(last)) returns_before = true;
    last = stmt;
  });
  if (returns_before || !is_kind(last, NodeKind::ReturnStatement) || ts_node_named_child_count(last) != 1) {
    return std::nullopt;
  }
  TSNode call = ts_node_named_child(last, 0);
  if (!is_kind(call, NodeKind::Call)) return std::nullopt;
  TSNode callee = field(call, "function");
  TSNode arguments = field(call, "arguments");
  if (!is_kind(callee, NodeKind::Identifier) && !is_kind(callee, NodeKind::Attribute)) return std::nullopt;
  if (!is_kind(arguments, NodeKind::ArgumentList)) return std::nullopt;
  std::vector<TSNode> passed;
  for_each_named_child(arguments, [&](TSNode arg) {
    if (!is_kind(arg, NodeKind::Comment)) passed.push_back(arg);
  });
  auto splat_of = [&](TSNode arg, NodeKind kind, const std::string& name) {
    if (!is_kind(arg, kind) || ts_node_named_child_count(arg) != 1) return false;
    TSNode inner = ts_node_named_child(arg, 0);
    return is_kind(inner, NodeKind::Identifier) && exprs.text(inner) == name;
  };
  if (passed.size() != 2 || !splat_of(passed[0], NodeKind::ListSplat, parameters[0].name) ||
      !splat_of(passed[1], NodeKind::DictionarySplat, parameters[1].name)) {
    return std::nullopt;
  }
  return exprs.build(callee);
}

}  // namespace

std::vector<Parameter> describe_parameters(TSNode parameters, const ExprBuilder& exprs) {
  std::vector<Parameter> result;
  if (ts_node_is_null(parameters)) return result;
  bool keyword_only = false;  // after `*` or `*args`
  for_each_named_child(parameters, [&](TSNode node) {
    Parameter p;
    p.kind = keyword_only ? Parameter::Kind::KeywordOnly : Parameter::Kind::Positional;
    TSNode name = node;
    if (is_kind(node, NodeKind::DefaultParameter) || is_kind(node, NodeKind::TypedDefaultParameter)) {
      name = field(node, "name");
      TSNode value = field(node, "value");
      if (!ts_node_is_null(value)) p.default_value = exprs.build(value);
    } else if (is_kind(node, NodeKind::TypedParameter)) {
      name = ts_node_named_child(node, 0);  // an identifier, or `*args: T` / `**kw: T`
    } else if (is_kind(node, NodeKind::KeywordSeparator)) {
      keyword_only = true;
      return;
    }
    if (ts_node_is_null(name)) return;
    if (is_kind(name, NodeKind::ListSplatPattern) || is_kind(name, NodeKind::DictionarySplatPattern)) {
      p.kind = is_kind(name, NodeKind::ListSplatPattern) ? Parameter::Kind::VarPositional : Parameter::Kind::VarKeyword;
      keyword_only = true;
      name = ts_node_named_child(name, 0);
    }
    if (ts_node_is_null(name) || !is_kind(name, NodeKind::Identifier)) return;  // `/` and the like
    p.name = exprs.kept_text(name);
    result.push_back(std::move(p));
  });
  return result;
}

std::map<std::string, BoundArgument, std::less<>> bind_arguments(const std::vector<Parameter>& parameters,
                                                                const Expr& call) {
  std::map<std::string, BoundArgument, std::less<>> bound;
  size_t positional = 0;
  for (const Parameter& p : parameters) {
    BoundArgument argument;
    if (p.kind == Parameter::Kind::Positional && positional < call.items.size()) {
      argument.value = &call.items[positional++];
    }
    if (!argument.value && p.kind != Parameter::Kind::VarPositional && p.kind != Parameter::Kind::VarKeyword) {
      argument.value = call.keyword(p.name);
    }
    if (!argument.value && p.default_value) argument = {&*p.default_value, true};
    bound[p.name] = argument;
  }
  return bound;
}

FunctionDef describe_function(TSNode def, const ExprBuilder& exprs) {
  FunctionDef fn;
  TSNode name = field(def, "name");
  fn.name = exprs.kept_text(name);
  fn.loc = exprs.locate(name);
  fn.def_loc = exprs.locate(def);
  fn.def_loc.end_byte = fn.loc.end_byte;
  fn.def_loc.end_line = fn.loc.end_line;
  fn.def_loc.end_column = fn.loc.end_column;
  TSNode body = field(def, "body");
  size_t statements = 0, trivial = 0, raises = 0;
  bool first = true;
  std::optional<Expr> returned;  // `return <call>`
  bool ended = false;  // after a `raise` or `return` of the body itself: dead code, as Python never runs it
  for_each_named_child(body, [&](TSNode stmt) {
    if (ended || is_kind(stmt, NodeKind::Comment)) return;
    ++statements;
    ended = is_kind(stmt, NodeKind::RaiseStatement) || is_kind(stmt, NodeKind::ReturnStatement);
    if (is_kind(stmt, NodeKind::ReturnStatement) && ts_node_named_child_count(stmt) == 1) {
      TSNode value = ts_node_named_child(stmt, 0);
      if (is_kind(value, NodeKind::Call)) returned = exprs.build(value);
    }
    bool docstring = false;
    if (is_kind(stmt, NodeKind::ExpressionStatement)) {
      TSNode inner = ts_node_named_child(stmt, 0);
      docstring = first && !ts_node_is_null(inner) &&
                  (is_kind(inner, NodeKind::String) || is_kind(inner, NodeKind::ConcatenatedString));
      if (docstring || (!ts_node_is_null(inner) && is_kind(inner, NodeKind::Ellipsis))) ++trivial;
    } else if (is_kind(stmt, NodeKind::PassStatement) || is_early_return_guard(stmt) ||
               (is_kind(stmt, NodeKind::ReturnStatement) && ts_node_named_child_count(stmt) == 0)) {
      ++trivial;
    } else if (is_kind(stmt, NodeKind::RaiseStatement)) {
      ++raises;
    }
    first = false;
  });
  fn.trivial_body = statements == trivial;
  fn.raises_only = raises > 0 && statements == trivial + raises;
  if (!returned.has_value()) return fn;
  // Read once, for a pass-through wrapper (it takes `**kwargs`) and for a function that only returns a call.
  const TSNode parameter_list = field(def, "parameters");
  const bool only_returns = statements == trivial + 1;
  const bool may_forward = exprs.slice(parameter_list).find("**") != std::string_view::npos;
  if (!only_returns && !may_forward) return fn;
  std::vector<Parameter> parameters = describe_parameters(parameter_list, exprs);
  if (may_forward) fn.forwarded_callee = forwarded_callee(body, parameters, exprs);
  if (!only_returns) return fn;
  fn.returned_call = std::move(returned);
  fn.parameters = std::move(parameters);
  return fn;
}

ModuleFacts comments_only_facts(TSNode root, const SourceFile& file) {
  return ModuleBuilder(file, "", false).comments_only(root);
}

ModuleFacts build_module_facts(TSNode root, const SourceFile& file, const std::string& module_key, bool is_package) {
  return ModuleBuilder(file, module_key, is_package).build(root);
}

}  // namespace ormlint
