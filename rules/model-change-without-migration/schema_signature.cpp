#include "schema_signature.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/text.h"
#include "project/project.h"

namespace ormlint::schema_signature {

namespace {

// Options of Column / mapped_column / Field that live only in Python: changing them changes no database.
const std::set<std::string, std::less<>> kPythonSideOptions = {
    "default",   "onupdate",    "insert_default", "default_factory", "doc",           "info",
    "init",      "repr",        "kw_only",        "compare",         "hash",          "deferred",
    "deferred_group", "deferred_raiseload", "active_history", "sort_order", "dataclass_metadata", "description",
    "title",     "alias",       "examples",       "schema_extra",    "json_schema_extra", "exclude",
    "include",   "validation_alias", "serialization_alias", "ge", "gt", "le", "lt", "min_length", "regex", "pattern"};

// Model attributes that are not columns: they add no column to any table.
const std::set<std::string, std::less<>> kNonColumnConstructs = {
    "relationship", "Relationship", "backref", "column_property", "synonym", "composite", "association_proxy",
    "query_expression", "dynamic_loader", "hybrid_property", "declared_attr"};

// Class-level attributes that shape the table itself.
const std::set<std::string, std::less<>> kTableOptions = {"__tablename__", "__table__", "__table_args__",
                                                           "__abstract__"};

std::string_view last_segment(std::string_view dotted) {
  size_t dot = dotted.rfind('.');
  return dot == std::string_view::npos ? dotted : dotted.substr(dot + 1);
}

bool is_column_construct(std::string_view callee) {
  return callee == "Column" || callee == "mapped_column" || callee == "Field";
}

bool contains_column_call(const Expr& value) {
  bool found = false;
  value.walk([&](const Expr& e) {
    if (e.is_call() && (e.callee_name() == "Column" || e.callee_name() == "mapped_column")) found = true;
  });
  return found;
}

// `Mapped[...]` (also `sa.orm.Mapped[...]`).
bool is_mapped_annotation(const Expr& annotation) {
  return annotation.is(Expr::Kind::Subscript) && annotation.target && last_segment(annotation.target->text) == "Mapped";
}

bool is_class_var(const Expr& annotation) {
  const Expr& outer = annotation.is(Expr::Kind::Subscript) && annotation.target ? *annotation.target : annotation;
  return last_segment(outer.text) == "ClassVar";
}

// Renders an expression independently of its layout, with names read through the file's imports
// (`sa.String` and `String` imported from sqlalchemy both read "sqlalchemy.String").
class Renderer {
 public:
  explicit Renderer(const ModuleFacts& facts) {
    for (const Import& import : facts.imports) {
      if (!import.is_star && !import.bound_name.empty()) imports_.emplace(import.bound_name, import.origin);
    }
  }

  std::string render(const Expr& e) const {
    switch (e.kind) {
      case Expr::Kind::Name:
      case Expr::Kind::Attribute:
        return e.target && !e.target->is_name_like() ? render(*e.target) + "." + e.name : name(e.text);
      case Expr::Kind::Call: return render_call(e);
      case Expr::Kind::String: return std::string(e.is_fstring ? "f'" : "'") + e.text + "'";
      case Expr::Kind::Number:
      case Expr::Kind::Bool:
      case Expr::Kind::None: return e.text;
      case Expr::Kind::List: return "[" + join(e.items) + "]";
      case Expr::Kind::Tuple: return "(" + join(e.items) + ")";
      case Expr::Kind::Set: return "{" + join(e.items) + "}";
      case Expr::Kind::Dict: return render_dict(e);
      case Expr::Kind::Subscript: return render_subscript(e);
      case Expr::Kind::BinaryOp: return render_binary(e);
      case Expr::Kind::Lambda: return one_line(e.text);
      case Expr::Kind::Other: return e.items.empty() ? one_line(e.text) : e.name + "(" + join(e.items) + ")";
    }
    return one_line(e.text);
  }

 private:
  std::string name(const std::string& dotted) const {
    size_t dot = dotted.find('.');
    auto bound = imports_.find(dotted.substr(0, dot));
    if (bound == imports_.end()) return dotted;
    return canonical_name(bound->second + (dot == std::string::npos ? "" : dotted.substr(dot)));
  }

  std::string join(const FactList<Expr>& items) const {
    std::string out;
    for (const Expr& item : items) out += (out.empty() ? "" : ", ") + render(item);
    return out;
  }

  // Keywords sorted (their order means nothing); Python-side column options left out.
  std::string render_call(const Expr& call) const {
    std::string callee = call.target ? render(*call.target) : "?";
    bool column = is_column_construct(call.callee_name());
    std::vector<std::string> keywords;
    for (const Keyword& keyword : call.keywords) {
      if (column && kPythonSideOptions.count(keyword.name)) continue;
      keywords.push_back(keyword.written_prefix() + render(keyword.value));
    }
    std::sort(keywords.begin(), keywords.end());
    std::string out = callee + "(" + join(call.items);
    for (const auto& keyword : keywords) out += (out.back() == '(' ? "" : ", ") + keyword;
    return out + ")";
  }

  std::string render_dict(const Expr& dict) const {
    std::string out = "{";
    for (size_t i = 0; i + 1 < dict.items.size(); i += 2) {
      out += (i ? ", " : "") + render(dict.items[i]) + ": " + render(dict.items[i + 1]);
    }
    return out + "}";
  }

  static std::string optional_of(const std::string& inner) { return "Optional[" + inner + "]"; }

  std::string render_subscript(const Expr& subscript) const {
    std::string_view outer = subscript.target ? last_segment(subscript.target->text) : "";
    if (outer == "Optional" && subscript.items.size() == 1) return optional_of(render(subscript.items[0]));
    if (outer == "Union") {
      // Union[X, None] is Optional[X]; a Union's arguments may also arrive as one tuple.
      const FactList<Expr>& members =
          subscript.items.size() == 1 && subscript.items[0].is(Expr::Kind::Tuple) ? subscript.items[0].items
                                                                                 : subscript.items;
      if (members.size() == 2 && (members[0].is(Expr::Kind::None) || members[1].is(Expr::Kind::None))) {
        return optional_of(render(members[0].is(Expr::Kind::None) ? members[1] : members[0]));
      }
    }
    return (subscript.target ? render(*subscript.target) : "?") + "[" + join(subscript.items) + "]";
  }

  std::string render_binary(const Expr& op) const {
    if (op.name == "|" && op.items.size() == 2 && (op.items[0].is(Expr::Kind::None) || op.items[1].is(Expr::Kind::None))) {
      return optional_of(render(op.items[0].is(Expr::Kind::None) ? op.items[1] : op.items[0]));
    }
    if (op.items.size() == 2) return "(" + render(op.items[0]) + " " + op.name + " " + render(op.items[1]) + ")";
    return one_line(op.text);
  }

  std::map<std::string, std::string, std::less<>> imports_;
};

bool keyword_true(const ClassDef& def, std::string_view name) {
  for (const Keyword& keyword : def.class_keywords) {
    if (keyword.name == name && keyword.value.is_true()) return true;
  }
  return false;
}

bool looks_mapped(const ClassDef& def) {
  if (keyword_true(def, "table")) return true;
  for (const ClassAttribute& attr : def.attributes) {
    if (attr.name == "__tablename__" || attr.name == "__table__" || attr.name == "__table_args__") return true;
    if (attr.value && contains_column_call(*attr.value)) return true;
    if (attr.annotation && is_mapped_annotation(*attr.annotation)) return true;
  }
  return false;
}

// `class Base(DeclarativeBase)`: the base of the models, not one of them (it maps no columns).
bool is_declarative_base(const ClassDef& def) {
  return std::any_of(def.bases.begin(), def.bases.end(), [](const Expr& base) {
    std::string_view name = last_segment(base.text);
    return name == "DeclarativeBase" || name == "DeclarativeBaseNoMeta";
  });
}

bool derives_from_sqlmodel(const ClassDef& def) {
  return std::any_of(def.bases.begin(), def.bases.end(),
                     [](const Expr& base) { return last_segment(base.text) == "SQLModel"; });
}

// The class's bases that name classes of the same file.
std::vector<std::string> local_bases(const ClassDef& def, const std::set<std::string>& local_names) {
  std::vector<std::string> out;
  for (const Expr& base : def.bases) {
    if (base.kind == Expr::Kind::Name && local_names.count(base.text)) out.push_back(base.text);
  }
  return out;
}

bool is_column_attribute(const ClassAttribute& attr, bool sqlmodel) {
  if (attr.name.rfind("__", 0) == 0) return false;
  if (attr.annotation && is_class_var(*attr.annotation)) return false;
  if (attr.value && contains_column_call(*attr.value)) return true;
  if (attr.value && attr.value->is_call()) {
    std::string_view callee = attr.value->callee_name();
    if (kNonColumnConstructs.count(callee)) return false;
    return sqlmodel && callee == "Field" && attr.annotation;
  }
  if (!attr.annotation) return false;
  // A bare `x: Mapped[T]`, or a SQLModel field with a plain default.
  return is_mapped_annotation(*attr.annotation) ? !attr.value : sqlmodel;
}

const Expr* string_argument(const Expr& call, size_t index) {
  const Expr* arg = call.arg(index);
  return arg && arg->is_string() ? arg : nullptr;
}

class EntryCollector {
 public:
  EntryCollector(const ModuleFacts& facts, const ModelClasses& classes) : facts_(facts), classes_(classes), renderer_(facts) {}

  std::vector<Entry> collect() {
    for (const ClassDef& def : facts_.classes) {
      if (def.module_level && classes_.models.count(def.name)) add_class(def);
    }
    for (const Assignment& assignment : facts_.assignments) add_module_construct(assignment.value, assignment.target);
    for (const Expr& expression : facts_.module_expressions) add_module_construct(expression, "");
    std::stable_sort(out_.begin(), out_.end(), [](const Entry& a, const Entry& b) {
      return std::tie(a.loc.line, a.loc.column) < std::tie(b.loc.line, b.loc.column);
    });
    return std::move(out_);
  }

 private:
  void add_class(const ClassDef& def) {
    bool sqlmodel = classes_.sqlmodels.count(def.name) > 0;
    std::string table = def.name;
    bool has_table_name = false;
    std::string definition;
    // A new mixin may bring columns. By name only: the same base is "Base" where it is defined and
    // "app.models.Base" where it is imported, and which imported classes bring columns is not known of a base
    // version (a model moved to another file must keep its signature).
    for (const Expr& base : def.bases) definition += "base " + std::string(last_segment(base.text)) + "; ";
    if (keyword_true(def, "table")) definition += "table=True; ";
    for (const ClassAttribute& attr : def.attributes) {
      if (!kTableOptions.count(attr.name) || !attr.value) continue;
      definition += attr.name + " = " + renderer_.render(*attr.value) + "; ";
      if (attr.name == "__tablename__" && attr.value->is_string()) {
        table = attr.value->text;
        has_table_name = true;
      }
    }
    // Keyed by table where the table is named, so a model moved to another file is the same table.
    std::string key = has_table_name ? "Table " + table : "class " + def.name;
    out_.push_back(Entry{Entry::Kind::Table, key, "", has_table_name ? "table `" + table + "`" : "class `" + def.name + "`",
                         table, definition, def.loc});
    for (const ClassAttribute& attr : def.attributes) {
      if (!is_column_attribute(attr, sqlmodel)) continue;
      std::string column_definition;
      if (attr.annotation && (sqlmodel || is_mapped_annotation(*attr.annotation))) {
        column_definition = ": " + renderer_.render(*attr.annotation);
      }
      if (attr.value) column_definition += " = " + renderer_.render(*attr.value);
      out_.push_back(Entry{Entry::Kind::Column, key + "." + attr.name, key, "column `" + table + "." + attr.name + "`",
                           table + "." + attr.name, column_definition, attr.loc});
    }
  }

  // Module-level `Table("name", metadata, Column(...), ...)` and `Index("name", ...)`, assigned or not.
  void add_module_construct(const Expr& value, const std::string& target) {
    if (!value.is_call()) return;
    std::string_view callee = value.callee_name();
    if (callee == "Table") {
      add_table(value, target);
    } else if (callee == "Index") {
      const Expr* name = string_argument(value, 0);
      std::string subject = name ? std::string(name->text) : !target.empty() ? target : renderer_.render(value);
      out_.push_back(Entry{Entry::Kind::Index, "Index " + subject, "", "index `" + subject + "`", subject,
                           renderer_.render(value), value.loc});
    }
  }

  void add_table(const Expr& call, const std::string& target) {
    const Expr* name = string_argument(call, 0);
    std::string table = name ? std::string(name->text) : target;
    if (table.empty()) return;
    std::string key = "Table " + table;
    // The table's own definition without its columns: each column is an entry of its own.
    Expr options = call;
    options.items.clear();
    std::vector<const Expr*> columns;
    for (const Expr& item : call.items) {
      if (item.is_call() && item.callee_name() == "Column" && string_argument(item, 0)) {
        columns.push_back(&item);
      } else {
        options.items.push_back(item);
      }
    }
    out_.push_back(Entry{Entry::Kind::Table, key, "", "table `" + table + "`", table, renderer_.render(options), call.loc});
    for (const Expr* column : columns) {
      std::string column_name = column->arg(0)->text;
      out_.push_back(Entry{Entry::Kind::Column, key + "." + column_name, key, "column `" + table + "." + column_name + "`",
                           table + "." + column_name, renderer_.render(*column), column->loc});
    }
  }

  const ModuleFacts& facts_;
  const ModelClasses& classes_;
  Renderer renderer_;
  std::vector<Entry> out_;
};

}  // namespace

void ModelClasses::merge(const ModelClasses& other) {
  models.insert(other.models.begin(), other.models.end());
  sqlmodels.insert(other.sqlmodels.begin(), other.sqlmodels.end());
}

ModelClasses model_classes(const ModuleFacts& facts) {
  ModelClasses out;
  std::set<std::string> local_names;
  std::vector<const ClassDef*> defs;
  for (const ClassDef& def : facts.classes) {
    if (!def.module_level) continue;
    defs.push_back(&def);
    local_names.insert(def.name);
    if (looks_mapped(def)) out.models.insert(def.name);
    if (keyword_true(def, "table") || derives_from_sqlmodel(def)) out.sqlmodels.insert(def.name);
  }
  // A local base of a model feeds it columns (a mixin, a SQLModel base); a class deriving from a local SQLModel
  // class is a SQLModel class. Repeat until nothing changes (class chains are short).
  for (bool changed = true; changed;) {
    changed = false;
    for (const ClassDef* def : defs) {
      for (const std::string& base : local_bases(*def, local_names)) {
        bool declarative_base = std::any_of(defs.begin(), defs.end(), [&](const ClassDef* other) {
          return other->name == base && is_declarative_base(*other);
        });
        if (out.models.count(def->name) && !declarative_base) changed |= out.models.insert(base).second;
        if (out.sqlmodels.count(base)) changed |= out.sqlmodels.insert(def->name).second;
      }
    }
  }
  return out;
}

std::vector<Entry> entries(const ModuleFacts& facts, const ModelClasses& classes) {
  return EntryCollector(facts, classes).collect();
}

}  // namespace ormlint::schema_signature
