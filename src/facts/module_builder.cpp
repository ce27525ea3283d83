#include "facts/module_builder.h"

#include <cstring>

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

class ModuleBuilder {
 public:
  ModuleBuilder(const SourceFile& file, std::string module_key, bool is_package)
      : file_(file), exprs_(file), module_key_(std::move(module_key)), is_package_(is_package) {}

  ModuleFacts build(TSNode root) {
    facts_.docstring = docstring_of(root, exprs_);
    module_statements(root);
    collect_comments(root);
    if (auto revision = build_revision_info(root, file_, facts_)) facts_.revision = std::move(revision);
    return std::move(facts_);
  }

 private:
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
    if (!ts_node_is_null(body)) class_body(body, index);
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
  void collect_comments(TSNode root) {
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    bool more = true;
    while (more) {
      TSNode node = ts_tree_cursor_current_node(&cursor);
      if (type_is(node, "comment")) {
        Location loc = exprs_.locate(node);
        facts_.comments.push_back(Comment{loc.line, exprs_.text(node), loc});
      }
      // Only statements, blocks and their direct parts hold comments worth reading; still, walk everything.
      if (ts_tree_cursor_goto_first_child(&cursor)) continue;
      while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
        if (!ts_tree_cursor_goto_parent(&cursor)) {
          more = false;
          break;
        }
      }
    }
    ts_tree_cursor_delete(&cursor);
  }

  const SourceFile& file_;
  ExprBuilder exprs_;
  std::string module_key_;
  bool is_package_;
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

ModuleFacts build_module_facts(TSNode root, const SourceFile& file, const std::string& module_key, bool is_package) {
  return ModuleBuilder(file, module_key, is_package).build(root);
}

std::optional<SyntaxProblem> find_syntax_problem(TSNode root, const SourceFile& file) {
  if (!ts_node_has_error(root)) return std::nullopt;
  // Descend into the first child that carries the error until the ERROR or MISSING node itself.
  TSNode node = root;
  while (true) {
    if (ts_node_is_missing(node)) {
      return SyntaxProblem{file.locate(ts_node_start_byte(node), ts_node_start_byte(node)),
                           std::string("expected `") + ts_node_type(node) + "`"};
    }
    if (type_is(node, "ERROR")) break;
    TSNode next{};
    bool found = false;
    for (ChildCursor c(node); c.valid(); c.next()) {
      TSNode child = c.node();
      if (ts_node_has_error(child) || ts_node_is_missing(child)) {
        next = child;
        found = true;
        break;
      }
    }
    if (!found) break;
    node = next;
  }
  uint32_t start = ts_node_start_byte(node);
  uint32_t end = std::min<uint32_t>(ts_node_end_byte(node), start + 1);
  return SyntaxProblem{file.locate(start, end), "invalid syntax: the Python parser could not read this statement"};
}

}  // namespace ormlint
