#include "facts/module_builder.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>
#include <string_view>
#include <vector>

#include "core/syntax_tree.h"
#include "facts/expr_builder.h"
#include "facts/revision_builder.h"

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
  for (auto& e : facts.module_expressions) fn(e);
  for (auto& cls : facts.classes) {
    for (auto& b : cls.bases) fn(b);
    for (auto& k : cls.class_keywords) fn(k.value);
    for (auto& d : cls.decorators) fn(d);
    for (auto& attr : cls.attributes) {
      if (attr.annotation) fn(*attr.annotation);
      if (attr.value) fn(*attr.value);
    }
  }
  if (facts.revision) {
    for (auto& op : facts.revision->operations) fn(op.call);
  }
}

}  // namespace

void ModuleFacts::for_each_expression(const std::function<void(const Expr&)>& fn) const { visit_expressions(*this, fn); }
void ModuleFacts::for_each_expression(const std::function<void(Expr&)>& fn) { visit_expressions(*this, fn); }

namespace {

bool type_is(TSNode node, const char* type) { return std::strcmp(ts_node_type(node), type) == 0; }

// The docstring of a block or module: its first statement, when that is a bare string.
std::optional<std::string> docstring_of(TSNode block, const ExprBuilder& exprs) {
  TSNode first = ts_node_named_child(block, 0);
  while (!ts_node_is_null(first) && type_is(first, "comment")) first = ts_node_next_named_sibling(first);
  if (ts_node_is_null(first) || !type_is(first, "expression_statement")) return std::nullopt;
  TSNode inner = ts_node_named_child(first, 0);
  if (ts_node_is_null(inner) || !(type_is(inner, "string") || type_is(inner, "concatenated_string"))) {
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
  using Names = std::set<std::string, std::less<>>;
  BoundNames(const ExprBuilder& exprs, Names& out, bool walrus) : exprs_(exprs), out_(out), walrus_(walrus) {}

  void statements(TSNode block) {
    for_each_named_child(block, [&](TSNode stmt, const char*) { statement(stmt); });
  }

  // PEP 695 `class Repo[T, *Ts, **P]`: the parameters' names.
  void type_parameters(TSNode def) {
    TSNode params = field(def, "type_parameters");
    if (ts_node_is_null(params)) return;
    for_each_named_child(params, [&](TSNode param, const char*) {
      TSNode name = type_is(param, "identifier") ? param : ts_node_named_child(param, 0);
      while (!ts_node_is_null(name) && !type_is(name, "identifier") && ts_node_named_child_count(name) > 0) {
        name = ts_node_named_child(name, 0);
      }
      if (!ts_node_is_null(name) && type_is(name, "identifier")) out_.insert(exprs_.text(name));
    });
  }

  // Every `global x` in any function or class body of the tree: assigning x there binds a module name.
  void global_declarations(TSNode root) {
    walk_subtree(root, [&](TSNode n) {
      if (!type_is(n, "global_statement")) return true;
      for_each_named_child(n, [&](TSNode name, const char*) { target(name); });
      return false;
    });
  }

 private:
  void statement(TSNode stmt) {
    if (type_is(stmt, "import_statement") || type_is(stmt, "import_from_statement") ||
        type_is(stmt, "future_import_statement")) {
      imported(stmt);
    } else if (type_is(stmt, "function_definition") || type_is(stmt, "class_definition")) {
      target(field(stmt, "name"));
    } else if (type_is(stmt, "decorated_definition")) {
      TSNode definition = field(stmt, "definition");
      if (!ts_node_is_null(definition)) target(field(definition, "name"));
    } else if (type_is(stmt, "expression_statement")) {
      for_each_named_child(stmt, [&](TSNode inner, const char*) { assignment(inner); });
      walrus(stmt);
    } else if (type_is(stmt, "type_alias_statement")) {
      target(field(stmt, "left"));
    } else if (!type_is(stmt, "comment") && !type_is(stmt, "global_statement") &&
               !type_is(stmt, "delete_statement")) {
      compound(stmt);
    }
  }

  void imported(TSNode stmt) {
    for_each_named_child(stmt, [&](TSNode name, const char* f) {
      if (!f || std::strcmp(f, "name") != 0) return;
      if (type_is(name, "aliased_import")) {
        target(field(name, "alias"));
      } else {
        std::string dotted = exprs_.text(name);  // `import a.b.c` binds `a`
        out_.insert(dotted.substr(0, dotted.find('.')));
      }
    });
  }

  // `a = b = value`, `a, *b = ...`, `x: int = 1`, `x += 1` (also `x: int`, harmless to count).
  void assignment(TSNode node) {
    while (!ts_node_is_null(node) && (type_is(node, "assignment") || type_is(node, "augmented_assignment"))) {
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
      std::string_view type = ts_node_type(child);
      if (f && (std::strcmp(f, "left") == 0 || std::strcmp(f, "alias") == 0)) {
        target(child);  // `for x in`, `except E as e`, `with f() as x` (an as_pattern's alias)
      } else if (type == "block") {
        statements(child);
      } else if (type.ends_with("_clause") || type == "with_item" || type == "as_pattern") {
        compound(child);
      } else if (type == "case_pattern") {
        target(child);
      } else if (f && std::strcmp(f, "condition") == 0) {
        walrus(child);
      }
    }
    if (type_is(node, "except_group_clause")) {
      // `except* E as e`: the second expression is the name (the grammar gives it no field).
      TSNode alias = ts_node_named_child(node, 1);
      if (!ts_node_is_null(alias) && !type_is(alias, "block")) target(alias);
    }
  }

  // Identifiers of a target: `a`, `a, b`, `(a, [b, *c])`; `a.b = ...` and `a[i] = ...` bind no name.
  void target(TSNode node) {
    if (ts_node_is_null(node) || type_is(node, "attribute") || type_is(node, "subscript")) return;
    if (type_is(node, "identifier") || ts_node_named_child_count(node) == 0) {
      std::string name = exprs_.text(node);
      if (!name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_' ||
                            static_cast<unsigned char>(name[0]) >= 0x80)) {
        out_.insert(std::move(name));
      }
      return;
    }
    for_each_named_child(node, [&](TSNode child, const char*) { target(child); });
  }

  // `(x := f())` binds x in the enclosing scope, even from inside a comprehension.
  void walrus(TSNode node) {
    if (!walrus_) return;
    walk_subtree(node, [&](TSNode n) {
      if (type_is(n, "named_expression")) target(field(n, "name"));
      return !type_is(n, "lambda");
    });
  }

  const ExprBuilder& exprs_;
  Names& out_;
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
        exprs_(file),
        module_key_(std::move(module_key)),
        is_package_(is_package),
        // Scanned once per file: walrus targets are rare, and per-class scans would make big files quadratic.
        has_walrus_(file.text().find(":=") != std::string::npos) {}

  ModuleFacts build(TSNode root) {
    facts_.docstring = docstring_of(root, exprs_);
    module_statements(root);
    module_names(root);
    collect_comments(root);
    if (auto revision = build_revision_info(root, file_, facts_)) facts_.revision = std::move(revision);
    return std::move(facts_);
  }

 private:
  void module_names(TSNode root) {
    const std::string& text = file_.text();
    BoundNames names(exprs_, facts_.module_names, has_walrus_);
    names.statements(root);
    if (text.find("global") != std::string::npos) names.global_declarations(root);
    facts_.dynamic_globals = binds_names_dynamically(text);
  }

  void bind(const std::string& name, ModuleFacts::BindingKind kind, size_t index) {
    if (!name.empty()) facts_.bindings.try_emplace(name, ModuleFacts::Binding{kind, index});
  }

  // Statements at module level, and inside module-level if/try/with blocks (`if TYPE_CHECKING:` imports,
  // `try: import x except ImportError: ...`): they bind module names too.
  void module_statements(TSNode block) {
    for_each_named_child(block, [&](TSNode stmt, const char*) { module_statement(stmt); });
  }

  void module_statement(TSNode stmt) {
    if (type_is(stmt, "import_statement")) {
      import_statement(stmt);
    } else if (type_is(stmt, "import_from_statement") || type_is(stmt, "future_import_statement")) {
      import_from_statement(stmt);
    } else if (type_is(stmt, "class_definition")) {
      class_definition(stmt, {}, true);
    } else if (type_is(stmt, "function_definition")) {
      function_definition(stmt);
    } else if (type_is(stmt, "decorated_definition")) {
      decorated_definition(stmt, true);
    } else if (type_is(stmt, "expression_statement")) {
      expression_statement(stmt);
    } else if (type_is(stmt, "if_statement") || type_is(stmt, "try_statement") || type_is(stmt, "with_statement") ||
               type_is(stmt, "elif_clause") || type_is(stmt, "else_clause") || type_is(stmt, "except_clause") ||
               type_is(stmt, "finally_clause") || type_is(stmt, "block")) {
      for_each_named_child(stmt, [&](TSNode child, const char* f) {
        if (f && std::strcmp(f, "condition") == 0) return;
        if (type_is(child, "block") || type_is(child, "elif_clause") || type_is(child, "else_clause") ||
            type_is(child, "except_clause") || type_is(child, "finally_clause")) {
          module_statements(child);
        }
      });
    }
  }

  void add_import(Import import) {
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
      if (type_is(name, "aliased_import")) {
        import.origin = exprs_.text(field(name, "name"));
        import.bound_name = exprs_.text(field(name, "alias"));
      } else {
        // `import a.b.c` binds `a`, and `a.b.c.x` then resolves through it.
        import.module = exprs_.text(name);
        import.bound_name = import.module.substr(0, import.module.find('.'));
        import.origin = import.bound_name;
      }
      if (import.module.empty()) import.module = import.origin;
      add_import(std::move(import));
    });
  }

  // `from ..types import X`: the absolute module, from this file's own dotted key.
  std::string absolute_module(TSNode module_name, bool& is_relative) const {
    if (!type_is(module_name, "relative_import")) {
      is_relative = false;
      return exprs_.text(module_name);
    }
    is_relative = true;
    size_t dots = 0;
    std::string rest;
    for_each_named_child(module_name, [&](TSNode part, const char*) {
      if (type_is(part, "import_prefix")) dots = exprs_.text(part).size();
      if (type_is(part, "dotted_name")) rest = exprs_.text(part);
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
    std::string module = type_is(stmt, "future_import_statement") ? "__future__"
                         : ts_node_is_null(module_name)           ? ""
                                                                  : absolute_module(module_name, is_relative);
    for_each_named_child(stmt, [&](TSNode child, const char* f) {
      Import import;
      import.module = module;
      import.is_relative = is_relative;
      import.loc = exprs_.locate(child);
      import.statement_loc = exprs_.locate(stmt);
      if (type_is(child, "wildcard_import")) {
        import.is_star = true;
        import.origin = module;
        add_import(std::move(import));
        return;
      }
      if (!f || std::strcmp(f, "name") != 0) return;
      std::string name;
      if (type_is(child, "aliased_import")) {
        name = exprs_.text(field(child, "name"));
        import.bound_name = exprs_.text(field(child, "alias"));
      } else {
        name = exprs_.text(child);
        import.bound_name = name;
      }
      import.origin = module.empty() ? name : module + "." + name;
      add_import(std::move(import));
    });
  }

  void expression_statement(TSNode stmt) {
    TSNode inner = ts_node_named_child(stmt, 0);
    if (ts_node_is_null(inner)) return;
    if (type_is(inner, "assignment")) {
      // `a = b = value` nests assignments on the right; every plain-name target binds the final value.
      std::vector<TSNode> targets;
      TSNode node = inner;
      TSNode value{};
      while (true) {
        targets.push_back(field(node, "left"));
        TSNode right = field(node, "right");
        if (!ts_node_is_null(right) && type_is(right, "assignment")) {
          node = right;
          continue;
        }
        value = right;
        break;
      }
      if (ts_node_is_null(value)) return;  // a bare annotation `x: int`
      for (TSNode target : targets) {
        if (ts_node_is_null(target) || !type_is(target, "identifier")) continue;
        facts_.assignments.push_back(Assignment{exprs_.text(target), exprs_.build(value), exprs_.locate(target)});
        bind(facts_.assignments.back().target, ModuleFacts::BindingKind::Assignment, facts_.assignments.size() - 1);
      }
    } else if (!type_is(inner, "string")) {
      facts_.module_expressions.push_back(exprs_.build(inner));
    }
  }

  void function_definition(TSNode def) {
    FunctionDef fn = describe_function(def, exprs_);
    facts_.functions.push_back(std::move(fn));
    bind(facts_.functions.back().name, ModuleFacts::BindingKind::Function, facts_.functions.size() - 1);
    function_imports(field(def, "body"));
  }

  // `def upgrade(): from app.models import User`: recorded apart, as they bind no module name.
  void function_imports(TSNode body) {
    if (ts_node_is_null(body)) return;
    in_function_ = true;
    walk_subtree(body, [&](TSNode n) {
      if (type_is(n, "import_statement")) {
        import_statement(n);
      } else if (type_is(n, "import_from_statement")) {
        import_from_statement(n);
      } else {
        return !type_is(n, "class_definition");
      }
      return false;
    });
    in_function_ = false;
  }

  void decorated_definition(TSNode stmt, bool module_level) {
    std::vector<Expr> decorators;
    TSNode definition = field(stmt, "definition");
    for_each_named_child(stmt, [&](TSNode child, const char*) {
      if (type_is(child, "decorator")) {
        TSNode expr = ts_node_named_child(child, 0);
        if (!ts_node_is_null(expr)) decorators.push_back(exprs_.build(expr));
      }
    });
    if (ts_node_is_null(definition)) return;
    if (type_is(definition, "class_definition")) {
      class_definition(definition, std::move(decorators), module_level);
    } else if (type_is(definition, "function_definition") && module_level) {
      function_definition(definition);
    }
  }

  void class_definition(TSNode def, std::vector<Expr> decorators, bool module_level) {
    ClassDef cls;
    TSNode name = field(def, "name");
    cls.name = exprs_.text(name);
    cls.loc = exprs_.locate(name);
    cls.decorators = std::move(decorators);
    cls.module_level = module_level;
    TSNode superclasses = field(def, "superclasses");
    if (!ts_node_is_null(superclasses)) {
      Expr args;
      args.kind = Expr::Kind::Call;
      for_each_named_child(superclasses, [&](TSNode arg, const char*) {
        if (type_is(arg, "keyword_argument")) {
          TSNode kw_name = field(arg, "name"), kw_value = field(arg, "value");
          if (!ts_node_is_null(kw_name) && !ts_node_is_null(kw_value)) {
            cls.class_keywords.push_back(Keyword{exprs_.text(kw_name), exprs_.build(kw_value), exprs_.locate(arg)});
          }
        } else if (!type_is(arg, "comment") && !type_is(arg, "list_splat") && !type_is(arg, "dictionary_splat")) {
          cls.bases.push_back(exprs_.build(arg));
        }
      });
    }
    size_t index = facts_.classes.size();
    facts_.classes.push_back(std::move(cls));
    if (module_level) bind(facts_.classes[index].name, ModuleFacts::BindingKind::Class, index);
    TSNode body = field(def, "body");
    if (ts_node_is_null(body)) return;
    BoundNames names(exprs_, facts_.classes[index].body_names, has_walrus_);
    names.statements(body);
    names.type_parameters(def);  // `class Repo[T]`: T is visible in the bases and the body
    class_body(body, index);
  }

  void class_body(TSNode body, size_t class_index) {
    for_each_named_child(body, [&](TSNode stmt, const char*) {
      if (type_is(stmt, "expression_statement")) {
        TSNode inner = ts_node_named_child(stmt, 0);
        if (ts_node_is_null(inner) || !type_is(inner, "assignment")) return;
        TSNode left = field(inner, "left");
        if (ts_node_is_null(left) || !type_is(left, "identifier")) return;
        ClassAttribute attr;
        attr.name = exprs_.text(left);
        attr.loc = exprs_.locate(left);
        TSNode annotation = field(inner, "type");
        if (!ts_node_is_null(annotation)) attr.annotation = exprs_.build(annotation);
        TSNode right = field(inner, "right");
        if (!ts_node_is_null(right)) attr.value = exprs_.build(right);
        facts_.classes[class_index].attributes.push_back(std::move(attr));
      } else if (type_is(stmt, "class_definition")) {
        class_definition(stmt, {}, false);
      } else if (type_is(stmt, "decorated_definition")) {
        declared_attribute(stmt, class_index);
      }
    });
  }

  // `@declared_attr def fk(cls): return Column(ForeignKey(...))` is an attribute whose value is the return.
  void declared_attribute(TSNode stmt, size_t class_index) {
    TSNode definition = field(stmt, "definition");
    if (ts_node_is_null(definition)) return;
    if (type_is(definition, "class_definition")) {
      decorated_definition(stmt, false);
      return;
    }
    bool is_declared_attr = false;
    for_each_named_child(stmt, [&](TSNode child, const char*) {
      if (type_is(child, "decorator") && exprs_.text(child).find("declared_attr") != std::string::npos) {
        is_declared_attr = true;
      }
    });
    if (!is_declared_attr || !type_is(definition, "function_definition")) return;
    TSNode name = field(definition, "name");
    TSNode body = field(definition, "body");
    ClassAttribute attr;
    attr.name = exprs_.text(name);
    attr.loc = exprs_.locate(name);
    attr.from_declared_attr = true;
    TSNode returns = field(definition, "return_type");
    if (!ts_node_is_null(returns)) attr.annotation = exprs_.build(returns);
    for_each_named_child(body, [&](TSNode inner, const char*) {
      if (attr.value || !type_is(inner, "return_statement")) return;
      TSNode value = ts_node_named_child(inner, 0);
      if (!ts_node_is_null(value)) attr.value = exprs_.build(value);
    });
    facts_.classes[class_index].attributes.push_back(std::move(attr));
  }

  // Comments anywhere in the file (for suppressions), by an iterative walk: no recursion on deep trees.
  // A comment starts with `#`, so only subtrees whose bytes hold a `#` are entered: walking the whole tree
  // cost as much as a fifth of the parse.
 public:
  std::vector<Comment> comments_only(TSNode root) {
    collect_comments(root);
    return std::move(facts_.comments);
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
      if (!type_is(node, "comment")) return true;
      Location loc = exprs_.locate(node);
      facts_.comments.push_back(Comment{loc.line, exprs_.text(node), loc});
      return false;
    });
  }

  const SourceFile& file_;
  ExprBuilder exprs_;
  std::string module_key_;
  bool is_package_;
  bool has_walrus_;
  bool in_function_ = false;  // collecting the imports of a function body (see function_imports)
  ModuleFacts facts_;
};

}  // namespace

FunctionDef describe_function(TSNode def, const ExprBuilder& exprs) {
  FunctionDef fn;
  TSNode name = field(def, "name");
  fn.name = exprs.text(name);
  fn.loc = exprs.locate(name);
  fn.def_loc = exprs.locate(def);
  fn.def_loc.end_byte = fn.loc.end_byte;
  fn.def_loc.end_line = fn.loc.end_line;
  fn.def_loc.end_column = fn.loc.end_column;
  TSNode body = field(def, "body");
  size_t statements = 0, trivial = 0, raises = 0;
  bool first = true;
  for_each_named_child(body, [&](TSNode stmt, const char*) {
    if (type_is(stmt, "comment")) return;
    ++statements;
    bool docstring = false;
    if (type_is(stmt, "expression_statement")) {
      TSNode inner = ts_node_named_child(stmt, 0);
      docstring = first && !ts_node_is_null(inner) && (type_is(inner, "string") || type_is(inner, "concatenated_string"));
      if (docstring || (!ts_node_is_null(inner) && type_is(inner, "ellipsis"))) ++trivial;
    } else if (type_is(stmt, "pass_statement")) {
      ++trivial;
    } else if (type_is(stmt, "raise_statement")) {
      ++raises;
    }
    first = false;
  });
  fn.trivial_body = statements == trivial;
  fn.raises_only = raises > 0 && statements == trivial + raises;
  return fn;
}

std::vector<Comment> collect_comments(TSNode root, const SourceFile& file) {
  return ModuleBuilder(file, "", false).comments_only(root);
}

ModuleFacts build_module_facts(TSNode root, const SourceFile& file, const std::string& module_key, bool is_package) {
  return ModuleBuilder(file, module_key, is_package).build(root);
}

// ---- Syntax problems ------------------------------------------------------------------------------------------
// tree-sitter recovers from every error, and its grammar accepts some code CPython rejects (Python 2 statements,
// any indentation, keywords where a name is expected). Both kinds are described here the way CPython would, as far
// as the tree allows: the bracket that is never closed, the missing `:`, the misindented statement.

namespace {

bool has_type(TSNode node, std::string_view type) { return !ts_node_is_null(node) && type == ts_node_type(node); }

// Comments and backslash continuations: tree-sitter "extras" that may sit anywhere and are not code.
bool is_extra(TSNode node) { return has_type(node, "comment") || has_type(node, "line_continuation"); }

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
  if ((has_type(token, "string_start") || has_type(token, "string_end")) && has_type(parent, "string")) token = parent;
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

bool is_opener(TSNode token) { return has_type(token, "(") || has_type(token, "[") || has_type(token, "{"); }
bool is_closer(TSNode token) { return has_type(token, ")") || has_type(token, "]") || has_type(token, "}"); }
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
    if (!has_type(token, "string_start") || has_type(ts_node_parent(token), "string")) continue;
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
  while (!ts_node_is_missing(node) && !has_type(node, "ERROR")) {
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
  return has_type(token, "identifier") || has_type(token, "string_end") || has_type(token, "integer") ||
         has_type(token, "float") || is_closer(token) || has_type(token, "true") || has_type(token, "false") ||
         has_type(token, "none");
}
bool starts_expression(TSNode token) {
  return has_type(token, "identifier") || has_type(token, "string_start") || has_type(token, "integer") ||
         has_type(token, "float") || has_type(token, "true") || has_type(token, "false") || has_type(token, "none");
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
    if (depth == 0 && has_type(tokens[i], ":")) colon = true;
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
  if (tokens.empty() || has_type(error, "module")) {
    return problem_at(file, error, "invalid syntax");
  }
  TSNode first = tokens.front();
  if (has_type(first, "@") && has_type(ts_node_parent(first), "decorator")) {
    return problem_at(file, first, "a decorator must be followed by `def` or `class`");
  }
  if (auto colon = missing_colon(tokens, file)) return *colon;
  TSNode parent = ts_node_parent(error);
  if (has_type(first, "=") &&
      (has_type(parent, "if_statement") || has_type(parent, "elif_clause") || has_type(parent, "while_statement"))) {
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
    if (has_type(node, "string_content") || has_type(node, "string")) continue;
    uint32_t end = at + static_cast<uint32_t>(text.size());
    return SyntaxProblem{file.locate(at, end), "unresolved merge conflict marker `" +
                                                   std::string(text.substr(0, 7)) + "`"};
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
  if (behind && behind->loc.start_byte < error_end) return behind;
  return describe_error(error, file);
}

// Constructs the grammar accepts but CPython rejects. Keeps the earliest problem found.
class StrictChecks {
 public:
  explicit StrictChecks(const SourceFile& file) : file_(file) {}

  std::optional<SyntaxProblem> run(TSNode root) {
    walk_subtree(root, [&](TSNode n) {
      if (has_type(n, "ERROR")) return false;
      if (ts_node_child_count(n) == 0) {
        keyword_as_name(n);
        return false;
      }
      std::string_view type = ts_node_type(n);
      if (type == "module" || type == "block") {
        statements(n, type == "module");
      } else if (type.ends_with("_statement") || type.ends_with("_definition") || type.ends_with("_clause")) {
        // Only statements hold blocks and clauses: expressions are walked for their tokens alone.
        clauses(n);
        empty_blocks(n);
        python2_statement(n);
      }
      return true;
    });
    return found_;
  }

 private:
  void note(SyntaxProblem problem) { found_ = earliest(std::move(found_), std::move(problem)); }

  void keyword_as_name(TSNode token) {
    if (!has_type(token, "identifier")) return;
    uint32_t size = ts_node_end_byte(token) - ts_node_start_byte(token);
    if (size < 2 || size > 8) return;
    std::string_view text = file_.slice(ts_node_start_byte(token), ts_node_end_byte(token));
    if (kHardKeywords.count(text)) note(problem_at(file_, token, "unexpected keyword `" + std::string(text) + "`"));
  }

  void python2_statement(TSNode n) {
    if (has_type(n, "print_statement")) {
      // `print >>f, x` is valid Python 3 syntax (a tuple); it only fails when it runs.
      bool chevron = false;
      for_each_named_child(n, [&](TSNode child, const char*) { chevron = chevron || has_type(child, "chevron"); });
      if (!chevron) note(problem_at(file_, n, "Python 2 `print` statement: Python 3 needs `print(...)`"));
    } else if (has_type(n, "exec_statement")) {
      note(problem_at(file_, n, "Python 2 `exec` statement: Python 3 needs `exec(...)`"));
    } else if (has_type(n, "raise_statement") && has_type(ts_node_named_child(n, 0), "expression_list")) {
      note(problem_at(file_, n, "Python 2 `raise E, message`: Python 3 needs `raise E(message)`"));
    }
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
      for_each_named_child(node, [&](TSNode child, const char*) {
        if (!is_extra(child)) last = child;
      });
      if (ts_node_is_null(last)) return node;
      std::string_view type = ts_node_type(last);
      if (type != "block" && !type.ends_with("_clause") && !type.ends_with("_definition")) return node;
      node = last;
    }
    return node;
  }

  // Every statement of a block starts at the block's indentation; at module level, in column 1.
  void statements(TSNode container, bool module) {
    std::optional<std::string_view> expected = module ? std::optional<std::string_view>("") : std::nullopt;
    TSNode previous{};
    for_each_named_child(container, [&](TSNode stmt, const char*) {
      if (is_extra(stmt)) return;
      std::optional<std::string_view> indent = has_type(stmt, "ERROR") ? std::nullopt : indent_of(stmt);
      if (indent && !expected) expected = indent;
      if (indent && *indent != *expected) misindented(stmt, *indent, *expected, previous);
      previous = stmt;
    });
  }

  // `else:`, `elif`, `except`, `finally` line up with the statement they belong to.
  void clauses(TSNode stmt) {
    std::string_view type = ts_node_type(stmt);
    if (type != "if_statement" && type != "try_statement" && type != "for_statement" && type != "while_statement") return;
    std::string_view expected = line_prefix(stmt);
    if (expected.find_first_not_of(" \t\f") != std::string_view::npos) return;
    TSNode previous{};
    for_each_named_child(stmt, [&](TSNode clause, const char*) {
      std::optional<std::string_view> indent =
          std::string_view(ts_node_type(clause)).ends_with("_clause") ? indent_of(clause) : std::nullopt;
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
    for_each_named_child(header, [&](TSNode child, const char*) {
      if (!has_type(child, "block")) return;
      bool empty = true;
      for_each_named_child(child, [&](TSNode stmt, const char*) { empty = empty && is_extra(stmt); });
      if (empty) empty_block(header);
    });
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
  std::optional<SyntaxProblem> found_;
};

}  // namespace

std::optional<SyntaxProblem> find_syntax_problem(TSNode root, const SourceFile& file) {
  return earliest(parse_error(root, file), StrictChecks(file).run(root));
}

}  // namespace ormlint
