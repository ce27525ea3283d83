// Builds the TableModel from the project's facts. The order of the work matters: tables (and their columns) are
// created and sorted first, so that foreign keys, constraints and relationships can point at them; pointer lists
// on TableDef/MappedClassDef are filled last, once every vector has its final size.
//
// Everything is keyed by hash maps (class -> plan, assignment -> table, (metadata, schema, name) -> tables,
// class name -> classes): the work is linear in the number of classes, attributes and tables.
#include "project/table_model.h"

#include <algorithm>
#include <array>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <unordered_set>

#include "core/parallel.h"
#include "core/text.h"
#include "project/assigned_value.h"
#include "project/sqlalchemy_names.h"
#include "project/table_name.h"

namespace ormlint {

namespace {

constexpr size_t kNone = std::numeric_limits<size_t>::max();
constexpr int kMaxDepth = 16;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string last_segment(std::string_view dotted) {
  size_t dot = dotted.rfind('.');
  return std::string(dot == std::string_view::npos ? dotted : dotted.substr(dot + 1));
}

std::string qualified(const ClassInfo& cls) {
  return std::string(cls.qualified_name);
}

bool is_call_to(const Expr& e, std::string_view origin) { return e.is_call() && e.origin() == origin; }
bool is_call_to(const Expr* e, std::string_view origin) { return e && is_call_to(*e, origin); }

FactText literal(const Expr* e) { return e && e->is_string() ? e->text : FactText(); }

// A keyword value that says something: absent and a literal `None` are the same to SQLAlchemy.
const Expr* given(const Expr* e) { return e && e->kind != Expr::Kind::None ? e : nullptr; }

bool is_relationship_call(const Expr& e) {
  if (!e.is_call()) return false;
  const FactText o = e.origin();
  return o == "sqlalchemy.orm.relationship" || o == "sqlalchemy.orm.relation" || o == "sqlalchemy.orm.dynamic_loader" ||
         o == "sqlmodel.Relationship";
}

bool is_column_call(const Expr& e) { return is_call_to(e, "sqlalchemy.Column"); }
bool is_mapped_column_call(const Expr& e) { return is_call_to(e, "sqlalchemy.orm.mapped_column"); }
bool is_table_call(const Expr& e) { return is_call_to(e, "sqlalchemy.Table"); }

std::optional<ConstraintDef::Kind> constraint_kind(const Expr& e) {
  if (!e.is_call()) return std::nullopt;
  const FactText o = e.origin();
  if (o == "sqlalchemy.Index") return ConstraintDef::Kind::Index;
  if (o == "sqlalchemy.UniqueConstraint") return ConstraintDef::Kind::Unique;
  if (o == "sqlalchemy.CheckConstraint") return ConstraintDef::Kind::Check;
  if (o == "sqlalchemy.ForeignKeyConstraint") return ConstraintDef::Kind::ForeignKey;
  if (o == "sqlalchemy.PrimaryKeyConstraint") return ConstraintDef::Kind::PrimaryKey;
  return std::nullopt;
}

// The type of a Column(...)/mapped_column(...) call: `type_=`, else the first positional argument that is neither
// the name nor a schema item (as the engine's column facts do, for calls that have no ColumnInfo).
FactText type_of_call(const Expr& call) {
  const Expr* found = column_type_argument(call);
  if (!found) return {};
  return found->is_call() ? found->origin() : found->resolved;
}

std::string render(const Expr& e, int depth = 0) {
  if (depth > 6) return "...";
  switch (e.kind) {
    case Expr::Kind::String: return "\"" + e.text + "\"";
    case Expr::Kind::Call: {
      std::string out = e.target ? render(*e.target, depth + 1) : "";
      out += "(";
      bool first = true;
      for (const Expr& item : e.items) {
        out += (first ? "" : ", ") + render(item, depth + 1);
        first = false;
      }
      for (const Keyword& kw : e.keywords) {
        out += (first ? "" : ", ") + kw.written_prefix() + render(kw.value, depth + 1);
        first = false;
      }
      return out + ")";
    }
    default: return e.text;
  }
}

// `Mapped[Optional[X]]`, `Mapped[X | None]`, `Union[X, None]`, `Optional["X"]`, a string "X | None" ...
bool is_optional_type(const Expr& e, int depth = 0) {
  if (depth > 8) return false;
  if (e.is_string()) {
    const FactText t = e.text;
    return t.find("Optional[") != std::string::npos || t.find("| None") != std::string::npos ||
           t.find("None |") != std::string::npos || (t.find("Union[") != std::string::npos && t.find("None") != std::string::npos);
  }
  if (e.kind == Expr::Kind::None) return true;
  if (e.kind == Expr::Kind::BinaryOp && e.name == "|") {
    for (const Expr& item : e.items) {
      if (is_optional_type(item, depth + 1)) return true;
    }
    return false;
  }
  if (e.kind == Expr::Kind::Subscript && e.target) {
    const std::string wrapper = last_segment(e.target->resolved.empty() ? e.target->text : e.target->resolved);
    if (wrapper == "Optional") return true;
    if (wrapper == "Union") {
      for (const Expr& item : e.items) {
        if (item.kind == Expr::Kind::None || (item.is_name_like() && item.text == "None")) return true;
      }
      return false;
    }
    if (wrapper == "Annotated" && !e.items.empty()) return is_optional_type(e.items[0], depth + 1);
  }
  return false;
}

bool is_mapped_wrapper(const Expr& e) {
  if (e.kind != Expr::Kind::Subscript || !e.target || e.items.empty()) return false;
  const FactText r = e.target->resolved;
  return r == "sqlalchemy.orm.Mapped" || r == "sqlalchemy.orm.WriteOnlyMapped" || r == "sqlalchemy.orm.DynamicMapped";
}

// Splits "A, B[C, D]" at its top-level commas.
std::vector<std::string> split_top_level(std::string_view s, char sep) {
  std::vector<std::string> parts;
  int nesting = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '[' || s[i] == '(') ++nesting;
    if (s[i] == ']' || s[i] == ')') --nesting;
    if (s[i] == sep && nesting == 0) {
      parts.push_back(std::string(trim(s.substr(start, i - start))));
      start = i + 1;
    }
  }
  parts.push_back(std::string(trim(s.substr(start))));
  return parts;
}

bool is_collection_wrapper(std::string_view name) {
  static const std::set<std::string, std::less<>> kCollections = {
      "List", "list", "Set", "set", "Sequence", "Collection", "FrozenSet", "frozenset", "Tuple", "tuple",
      "MutableSequence", "MutableSet", "Iterable", "AbstractSet", "WriteOnlyMapped", "DynamicMapped"};
  return kCollections.count(name) > 0;
}

bool is_mapping_wrapper(std::string_view name) {
  return name == "Dict" || name == "dict" || name == "Mapping" || name == "MutableMapping";
}

// The class a relationship annotation names, from its text: "List[User]", "Optional['User']", "User | None".
std::string annotation_target_text(std::string s, bool& collection, int depth = 0) {
  s = std::string(trim(s));
  if (depth > 8 || s.empty()) return "";
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    return annotation_target_text(s.substr(1, s.size() - 2), collection, depth + 1);
  }
  auto alternatives = split_top_level(s, '|');
  if (alternatives.size() > 1) {
    for (const auto& alt : alternatives) {
      if (alt != "None") return annotation_target_text(alt, collection, depth + 1);
    }
    return "";
  }
  size_t open = s.find('[');
  if (open != std::string::npos && s.back() == ']') {
    std::string head = last_segment(trim(s.substr(0, open)));
    std::string inner = s.substr(open + 1, s.size() - open - 2);
    auto args = split_top_level(inner, ',');
    if (head == "Optional" || head == "Annotated" || head == "Mapped") return annotation_target_text(args[0], collection, depth + 1);
    if (head == "Union") {
      for (const auto& arg : args) {
        if (arg != "None") return annotation_target_text(arg, collection, depth + 1);
      }
      return "";
    }
    if (is_collection_wrapper(head)) {
      collection = true;
      return annotation_target_text(args[0], collection, depth + 1);
    }
    if (is_mapping_wrapper(head)) {
      collection = true;
      return annotation_target_text(args.back(), collection, depth + 1);
    }
    return "";
  }
  return s;
}

// The target of a relationship from its annotation expression: the Name/Attribute expression or the string.
const Expr* annotation_target(const Expr& e, bool& collection, std::string& text, int depth = 0) {
  if (depth > 8) return nullptr;
  if (e.is_string()) {
    text = annotation_target_text(e.text, collection);
    return &e;
  }
  if (e.is_name_like()) {
    text = e.text;
    return &e;
  }
  if (e.kind == Expr::Kind::BinaryOp && e.name == "|") {
    for (const Expr& item : e.items) {
      if (item.kind != Expr::Kind::None && !(item.is_name_like() && item.text == "None")) {
        return annotation_target(item, collection, text, depth + 1);
      }
    }
    return nullptr;
  }
  if (e.kind == Expr::Kind::Subscript && e.target && !e.items.empty()) {
    const std::string head = last_segment(e.target->resolved.empty() ? e.target->text : e.target->resolved);
    if (head == "Mapped" || head == "Optional" || head == "Annotated") return annotation_target(e.items[0], collection, text, depth + 1);
    if (head == "Union") {
      for (const Expr& item : e.items) {
        if (item.kind != Expr::Kind::None && !(item.is_name_like() && item.text == "None")) {
          return annotation_target(item, collection, text, depth + 1);
        }
      }
      return nullptr;
    }
    if (is_collection_wrapper(head)) {
      collection = true;
      return annotation_target(e.items[0], collection, text, depth + 1);
    }
    if (is_mapping_wrapper(head)) {
      collection = true;
      return annotation_target(e.items.back(), collection, text, depth + 1);
    }
  }
  return nullptr;
}

// `__table_args__` as (constraint items, options dict): a dict, a tuple/list whose last item may be a dict, or
// `dict(...)`.
struct TableArgs {
  std::vector<const Expr*> items;
  const Expr* options = nullptr;  // a Dict, or a dict(...) call
};

TableArgs split_table_args(const Expr* value) {
  TableArgs args;
  if (!value) return args;
  auto is_dict = [](const Expr& e) { return e.kind == Expr::Kind::Dict || is_call_to(e, "builtins.dict"); };
  if (is_dict(*value)) {
    args.options = value;
  } else if (value->kind == Expr::Kind::Tuple || value->kind == Expr::Kind::List) {
    for (size_t i = 0; i < value->items.size(); ++i) {
      const Expr& item = value->items[i];
      if (i + 1 == value->items.size() && is_dict(item)) {
        args.options = &item;
      } else {
        args.items.push_back(&item);
      }
    }
  } else if (value->is_call()) {
    args.items.push_back(value);  // `(UniqueConstraint(...))` without the comma: SQLAlchemy rejects it, but it is meant
  }
  return args;
}

// A base class from outside the project that may bring mapped columns: not SQLAlchemy's, SQLModel's or
// Flask-SQLAlchemy's own classes, nor the standard library's and Pydantic's (which map nothing).
bool may_bring_columns(const std::string& base) {
  for (std::string_view known : {"sqlalchemy.", "sqlmodel.", "flask_sqlalchemy.", "flask_sqlalchemy_lite.", "builtins.",
                                 "typing.", "typing_extensions.", "abc.", "enum.", "dataclasses.", "pydantic."}) {
    if (base.rfind(known, 0) == 0) return false;
  }
  return base != "object";
}

// Whether ormlint can read `__table_args__` (a dict, a tuple, a lone constraint) — not a value some function or
// variable computes (`auto_table_args(cls)`), whose schema and constraints stay unknown.
bool readable_table_args(const Expr& value) {
  if (value.kind == Expr::Kind::Dict || value.kind == Expr::Kind::Tuple || value.kind == Expr::Kind::List) return true;
  return value.is_call() && (is_call_to(value, "builtins.dict") || constraint_kind(value).has_value());
}

// A `schema=` that is given, yet not a literal (None is no schema).
bool unreadable_schema(const Expr* schema) {
  return schema && schema->kind != Expr::Kind::None && !schema->is_string();
}

// An option of `__table_args__`'s dict ({"schema": "x"} or dict(schema="x")).
const Expr* table_option(const Expr* options, std::string_view name) {
  if (!options) return nullptr;
  if (options->is_call()) return options->keyword(name);
  for (size_t i = 0; i + 1 < options->items.size(); i += 2) {
    if (options->items[i].is_string() && options->items[i].text == name) return &options->items[i + 1];
  }
  return nullptr;
}

// A keyword of a call, or the same key in one of its dict-valued keywords (SQLModel's sa_column_kwargs /
// sa_relationship_kwargs).
const Expr* keyword_or_in(const Expr* call, std::string_view name, std::string_view dict_keyword) {
  if (!call) return nullptr;
  if (const Expr* v = call->keyword(name)) return v;
  return table_option(call->keyword(dict_keyword), name);
}

// The keywords of a column construct that column_flags reads, found in one pass over its keyword arguments
// and SQLModel's `sa_column_kwargs` (as keyword_or_in would find each: the construct's own first), since a
// project has tens of thousands of columns and ten lookups of two scans each showed in the profile.
class ColumnKeywords {
 public:
  explicit ColumnKeywords(const Expr* construct) {
    if (!construct) return;
    const Expr* extra = nullptr;
    for (const Keyword& kw : construct->keywords) {
      if (kw.name == "sa_column_kwargs" && !extra) extra = &kw.value;
      take(kw.name, &kw.value);
    }
    if (!extra) return;
    if (extra->is_call()) {
      for (const Keyword& kw : extra->keywords) take(kw.name, &kw.value);
      return;
    }
    for (size_t i = 0; i + 1 < extra->items.size(); i += 2) {
      if (extra->items[i].is_string()) take(extra->items[i].text, &extra->items[i + 1]);
    }
  }

  const Expr* get(std::string_view name) const {
    for (size_t i = 0; i < kNames.size(); ++i) {
      if (kNames[i] == name) return found_[i];
    }
    return nullptr;  // not one column_flags reads
  }

 private:
  static constexpr std::array<std::string_view, 10> kNames = {
      "primary_key",     "unique",         "index",    "default",         "insert_default",
      "default_factory", "server_default", "onupdate", "server_onupdate", "nullable"};

  void take(std::string_view name, const Expr* value) {
    for (size_t i = 0; i < kNames.size(); ++i) {
      if (kNames[i] == name) {
        if (!found_[i]) found_[i] = value;  // the first one, as Expr::keyword finds it
        return;
      }
    }
  }

  std::array<const Expr*, 10> found_{};
};

std::string table_key(std::string_view metadata, std::string_view schema, std::string_view name) {
  std::string key(metadata);
  key += '\x1f';
  key += schema;
  key += '\x1f';
  key += name;
  return key;
}

}  // namespace

std::string flask_table_name(std::string_view name) {
  // re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower().lstrip("_")
  auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool after_lower_or_digit = i > 0 && (is_lower(name[i - 1]) || is_digit(name[i - 1]));
    bool before_lower = i + 1 < name.size() && is_lower(name[i + 1]);
    if (is_upper(c) && (after_lower_or_digit || (i > 0 && before_lower))) out += '_';
    out += c;
  }
  out = lower(out);
  size_t first = out.find_first_not_of('_');
  return first == std::string::npos ? "" : out.substr(first);
}

std::string sqlmodel_table_name(std::string_view name) {
  return lower(name);
}

std::string expression_text(const Expr& e) { return render(e); }

const ColumnDef* TableDef::column(std::string_view column_name) const {
  for (const ColumnDef& c : columns) {
    if (c.name == column_name) return &c;
  }
  return nullptr;
}

const ColumnDef* TableDef::column_by_attribute(std::string_view attribute) const {
  for (const ColumnDef& c : columns) {
    if (!c.attribute.empty() && c.attribute == attribute) return &c;
  }
  // Core columns have no attribute: `table.c.x` names the column.
  return kind == Kind::Table ? column(attribute) : nullptr;
}

// ---- Builder ----------------------------------------------------------------------------------------------------

class TableModelBuilder {
 public:
  TableModelBuilder(const Project& project, TableModel& model, unsigned jobs)
      : project_(project), m_(model), jobs_(jobs) {}

  void build() {
    index_column_facts();
    plan_mapped_classes();
    plan_core_tables();
    create_tables();
    collect_constraints_and_foreign_keys();
    collect_module_level_constraints();
    apply_primary_key_constraints();
    resolve_foreign_keys();
    collect_relationships();
    apply_assigned_conventions();
    finish();
  }

 private:
  // Where a name is bound to a module-level assignment, through imports of the project's own modules.
  struct Located {
    const ProjectFile* file = nullptr;
    const Assignment* assignment = nullptr;
    std::string qualified;  // "app.db.metadata"
  };

  // What a mapped class maps through: its registry (declarative base) and MetaData.
  struct BaseInfo {
    std::string registry;
    std::string metadata;
    const ClassInfo* cls_mixin = nullptr;  // declarative_base(cls=X)
    bool found = false;
  };

  // An attribute that ends up on a mapped class's mapper: its own, or a mixin's/abstract class's.
  struct Member {
    const ClassAttribute* attr = nullptr;
    const ClassInfo* declared_in = nullptr;
  };

  struct ClassPlan {
    const ClassInfo* cls = nullptr;
    std::vector<const ClassInfo*> mro;  // project classes, itself first
    const ClassInfo* parent = nullptr;  // nearest mapped ancestor
    BaseInfo base;
    std::vector<Member> members;
    bool own_table = true;
    std::string name;
    TableNameSource name_source = TableNameSource::Unknown;
    const ProjectFile* name_file = nullptr;
    Location name_loc;
    const Expr* table_attr = nullptr;       // own `__table__` value
    const ClassAttribute* table_args = nullptr;
    const ClassInfo* table_args_class = nullptr;
    // A `@declared_attr __table_args__` whose value ormlint cannot read (several returns: rucio's mixin):
    // the table's constraints and schema are unknown.
    bool table_args_unread = false;
    size_t table = kNone;
  };

  struct CorePlan {
    const ProjectFile* file = nullptr;
    const Expr* call = nullptr;
    const Assignment* assignment = nullptr;
    const ClassInfo* owner = nullptr;  // `__table__ = Table(...)` in a class body
    Location loc;
    const ClassDef* scope = nullptr;  // the class whose body holds the Table(...) as an attribute (not __table__)
  };

  // ---- Facts indexes --------------------------------------------------------------------------------------------

  void index_column_facts() {
    for (const ColumnInfo& c : project_.columns()) {
      if (c.context == ColumnInfo::Context::Model && c.attribute) column_by_attr_[c.attribute] = &c;
      if (c.context == ColumnInfo::Context::Table && c.construct) column_by_construct_[c.construct] = &c;
    }
  }

  Located locate(const ProjectFile& file, std::string_view dotted, int depth = 0) const {
    if (depth > kMaxDepth || dotted.empty()) return {};
    size_t dot = dotted.find('.');
    std::string head(dotted.substr(0, dot));
    std::string rest = dot == std::string_view::npos ? "" : std::string(dotted.substr(dot + 1));
    const ModuleFacts& facts = file.facts;
    auto binding = facts.bindings.find(head);
    if (binding == facts.bindings.end()) {
      for (const Import& import : facts.imports) {
        if (!import.is_star) continue;
        const ProjectFile* module = project_.find_module(import.module);
        if (!module || module == &file) continue;
        Located found = locate(*module, dotted, depth + 1);
        if (found.assignment) return found;
      }
      return {};
    }
    switch (binding->second.kind) {
      case ModuleFacts::BindingKind::Import: {
        const Import& import = facts.imports[binding->second.index];
        std::string full = rest.empty() ? std::string(import.origin) : import.origin + "." + rest;
        for (size_t cut = full.rfind('.'); cut != std::string::npos && cut > 0; cut = full.rfind('.', cut - 1)) {
          const ProjectFile* module = project_.find_module(std::string_view(full).substr(0, cut));
          if (!module) continue;
          std::string inner = full.substr(cut + 1);
          if (module == &file && inner == dotted) return {};
          return locate(*module, inner, depth + 1);
        }
        return {};
      }
      case ModuleFacts::BindingKind::Assignment: {
        if (!rest.empty()) return {};
        const Assignment& a = facts.assignments[binding->second.index];
        if (a.value.is_name_like()) {
          // `Base = _Base`: the alias's origin, when that is an assignment too.
          Located alias = locate(file, a.value.text, depth + 1);
          if (alias.assignment) return alias;
        }
        return Located{&file, &a, file.module_key + "." + a.target};
      }
      default:
        return {};
    }
  }

  // ---- MetaData -------------------------------------------------------------------------------------------------

  void register_metadata(const std::string& key, const ProjectFile* file, const Location& loc, const Expr* construct) {
    if (key.empty()) return;
    auto [it, inserted] = metadata_.try_emplace(key);
    MetadataDef& def = it->second;
    if (!inserted && (def.construct || !construct)) return;  // an explicit MetaData(...) beats an implicit one
    def.key = key;
    def.file = file;
    def.loc = loc;
    def.construct = construct;
    if (construct) {
      def.schema = literal(construct->keyword("schema"));
      def.naming_convention = given(construct->keyword("naming_convention"));
    }
  }

  // `Base.metadata.naming_convention = {...}` / `db.Model.metadata.naming_convention = convention`: a convention set
  // on the MetaData after it was made (indico).
  void apply_assigned_conventions() {
    for (const auto& file : project_.files()) {
      if (!file->declares_schema()) continue;
      for (const AttributeAssignment& a : file->facts.attribute_assignments) {
        const Expr& target = a.target;
        if (target.name != "naming_convention" || !target.target || a.value.kind == Expr::Kind::None) continue;
        const std::string key = metadata_of(*file, *target.target, "", {});
        if (key.empty()) continue;
        register_metadata(key, file.get(), target.loc, nullptr);
        metadata_[key].naming_convention = &a.value;
      }
    }
  }

  // The MetaData an expression denotes (`metadata`, `Base.metadata`, `db.metadata`, `MetaData(...)`); `owner_key`
  // names an inline MetaData(...) (the variable or base holding it). "" when unknown.
  std::string metadata_of(const ProjectFile& file, const Expr& e, const std::string& owner_key, const Location& owner_loc,
                          int depth = 0) {
    if (depth > kMaxDepth) return "";
    if (is_call_to(e, "sqlalchemy.MetaData")) {
      register_metadata(owner_key, &file, owner_loc, &e);
      return owner_key;
    }
    if (!e.is_name_like()) return "";
    if (e.resolved == "sqlmodel.SQLModel.metadata") {
      register_metadata("sqlmodel.SQLModel", nullptr, {}, nullptr);
      return "sqlmodel.SQLModel";
    }
    if (e.kind == Expr::Kind::Attribute && e.name == "metadata" && e.target && e.target->is_name_like()) {
      // Base.metadata, db.metadata
      if (const ClassInfo* cls = project_.resolve_class(file, e.target->text)) return base_info(*cls).metadata;
      if (auto base = root_of(file, *e.target, depth + 1)) return base->metadata;
    }
    Located found = locate(file, e.text);
    if (!found.assignment) return "";
    const Expr& value = found.assignment->value;
    if (is_call_to(value, "sqlalchemy.MetaData")) {
      register_metadata(found.qualified, found.file, found.assignment->loc, &value);
      return found.qualified;
    }
    if (value.is_name_like()) return metadata_of(*found.file, value, found.qualified, found.assignment->loc, depth + 1);
    return "";
  }

  // A `metadata=` keyword (of declarative_base, registry, SQLAlchemy, as_declarative), else the implicit MetaData
  // the construct creates, named `key`.
  std::string metadata_keyword(const ProjectFile& file, const Expr* call, const std::string& key, const Location& loc) {
    if (const Expr* md = call ? given(call->keyword("metadata")) : nullptr) return metadata_of(file, *md, key, loc);
    register_metadata(key, &file, loc, nullptr);
    return key;
  }

  // `cast(DeclarativeMeta, declarative_base())` (osparc) is the value it casts: typing.cast returns it as it is.
  static const Expr& without_cast(const Expr& value) {
    return is_call_to(value, "typing.cast") && value.items.size() == 2 ? value.items[1] : value;
  }

  // A value a class derives from that is itself a declarative base: `Base = declarative_base()`,
  // `mapper_registry.generate_base()`, Flask-SQLAlchemy's `db.Model`, SQLModel.
  std::optional<BaseInfo> root_of(const ProjectFile& file, const Expr& e, int depth = 0) {
    if (depth > kMaxDepth || !e.is_name_like()) return std::nullopt;
    if (is_sqlmodel_base(e.resolved)) {
      register_metadata("sqlmodel.SQLModel", nullptr, {}, nullptr);
      return BaseInfo{"sqlmodel.SQLModel", "sqlmodel.SQLModel", nullptr, true};
    }
    if (e.kind == Expr::Kind::Attribute && e.name == "Model" && e.target && starts_with(e.resolved, kFlaskModelBase)) {
      Located db = locate(file, e.target->text);
      if (db.assignment) return flask_root(db, depth);
      return std::nullopt;
    }
    Located found = locate(file, e.text);
    if (!found.assignment) return std::nullopt;
    const Expr& value = without_cast(found.assignment->value);
    const ProjectFile& where = *found.file;
    if (is_call_to(value, "sqlalchemy.orm.declarative_base")) {
      BaseInfo info;
      info.found = true;
      info.registry = found.qualified;
      info.metadata = metadata_keyword(where, &value, found.qualified, found.assignment->loc);
      if (const Expr* cls = value.keyword("cls"); cls && cls->is_name_like()) info.cls_mixin = project_.resolve_class(where, cls->text);
      return info;
    }
    if (value.is_call() && value.target && value.target->kind == Expr::Kind::Attribute &&
        value.target->name == "generate_base" && value.target->target) {
      // `Base = mapper_registry.generate_base()` / `registry(metadata=...).generate_base()`
      const Expr& registry = *value.target->target;
      BaseInfo info;
      info.found = true;
      info.registry = found.qualified;
      info.metadata = registry_metadata(where, registry, found.qualified, found.assignment->loc);
      return info;
    }
    // `db = SQLAlchemy()`, or an instance of a project subclass of it (the resolver says which).
    if (project_.resolve(where, found.assignment->target) == "flask_sqlalchemy.SQLAlchemy()") return flask_root(found, depth);
    if (value.is_name_like()) return root_of(where, value, depth + 1);
    return std::nullopt;
  }

  // The MetaData of a registry: `registry(metadata=...)` inline or through a variable.
  std::string registry_metadata(const ProjectFile& file, const Expr& registry, const std::string& key, const Location& loc) {
    if (is_call_to(registry, "sqlalchemy.orm.registry")) return metadata_keyword(file, &registry, key, loc);
    if (registry.is_name_like()) {
      Located found = locate(file, registry.text);
      if (found.assignment && is_call_to(found.assignment->value, "sqlalchemy.orm.registry")) {
        return metadata_keyword(*found.file, &found.assignment->value, found.qualified, found.assignment->loc);
      }
    }
    return "";
  }

  // `db = SQLAlchemy(metadata=..., model_class=...)`: every db.Model shares db's MetaData (per bind key).
  std::optional<BaseInfo> flask_root(const Located& db, int depth) {
    const Expr& call = db.assignment->value;
    if (!call.is_call()) return std::nullopt;
    if (const Expr* model_class = call.keyword("model_class"); model_class && model_class->is_name_like() && depth < kMaxDepth) {
      if (const ClassInfo* cls = project_.resolve_class(*db.file, model_class->text);
          cls && cls->role == ClassInfo::Role::DeclarativeBase) {
        BaseInfo info = base_info(*cls);
        if (info.found) return info;
      }
    }
    BaseInfo info;
    info.found = true;
    info.registry = db.qualified;
    info.metadata = metadata_keyword(*db.file, &call, db.qualified, db.assignment->loc);
    return info;
  }

  // A class body's own `metadata = MetaData(...)` / `registry = registry(metadata=...)` (DeclarativeBase style).
  std::string class_level_metadata(const ClassInfo& cls) {
    const std::string key = qualified(cls);
    if (const ClassAttribute* md = cls.def->attribute("metadata"); md && md->value && !md->from_declared_attr) {
      std::string found = metadata_of(*cls.file, *md->value, key, cls.def->loc);
      if (!found.empty()) return found;
    }
    if (const ClassAttribute* reg = cls.def->attribute("registry"); reg && reg->value && !reg->from_declared_attr) {
      std::string found = registry_metadata(*cls.file, *reg->value, key, cls.def->loc);
      if (!found.empty()) return found;
    }
    return "";
  }

  BaseInfo base_info(const ClassInfo& cls) {
    auto cached = base_cache_.find(&cls);
    if (cached != base_cache_.end()) return cached->second;
    base_cache_[&cls] = BaseInfo{};  // an inheritance cycle finds nothing
    BaseInfo info = compute_base_info(cls);
    base_cache_[&cls] = info;
    return info;
  }

  BaseInfo compute_base_info(const ClassInfo& cls) {
    std::string metadata;
    for (const ClassInfo* c : mro(cls)) {
      if (metadata.empty()) metadata = class_level_metadata(*c);
      if (c->role == ClassInfo::Role::DeclarativeBase) {
        BaseInfo info;
        info.found = true;
        info.registry = qualified(*c);
        if (metadata.empty()) {
          const Expr* decorator_call = nullptr;
          for (const Expr& d : c->def->decorators) {
            if (d.is_call() && last_segment(d.origin()) == "as_declarative") decorator_call = &d;
          }
          metadata = metadata_keyword(*c->file, decorator_call, qualified(*c), c->def->loc);
        }
        info.metadata = metadata;
        return info;
      }
      for (const Expr& base : c->def->bases) {
        if (base.is_name_like() && project_.resolve_class(*c->file, base.text)) continue;  // in the MRO already
        if (auto root = root_of(*c->file, base)) {
          if (!metadata.empty()) root->metadata = metadata;
          return *root;
        }
      }
      // `@mapper_registry.mapped`
      for (const Expr& d : c->def->decorators) {
        const Expr& callee = d.is_call() && d.target ? *d.target : d;
        if (callee.kind != Expr::Kind::Attribute || !callee.target ||
            (callee.name != "mapped" && callee.name != "mapped_as_dataclass")) {
          continue;
        }
        Located reg = locate(*c->file, callee.target->text);
        if (!reg.assignment) continue;
        BaseInfo info;
        info.found = true;
        info.registry = reg.qualified;
        info.metadata = metadata.empty() ? registry_metadata(*reg.file, reg.assignment->value, reg.qualified, reg.assignment->loc)
                                         : metadata;
        return info;
      }
    }
    BaseInfo info;
    info.metadata = metadata;
    return info;
  }

  // ---- Class hierarchy ------------------------------------------------------------------------------------------

  // Python's C3 linearization over the project's own classes (external bases carry no attributes we can read);
  // depth-first left-to-right when the hierarchy is inconsistent.
  const std::vector<const ClassInfo*>& mro(const ClassInfo& cls) {
    auto cached = mro_cache_.find(&cls);
    if (cached != mro_cache_.end()) return cached->second;
    mro_cache_[&cls] = {&cls};  // a cycle stops here
    std::vector<std::vector<const ClassInfo*>> sequences;
    for (const ClassInfo* base : cls.project_bases) sequences.push_back(mro(*base));
    sequences.push_back(cls.project_bases);
    std::vector<const ClassInfo*> result = {&cls};
    bool consistent = true;
    while (true) {
      sequences.erase(std::remove_if(sequences.begin(), sequences.end(), [](const auto& s) { return s.empty(); }),
                      sequences.end());
      if (sequences.empty()) break;
      const ClassInfo* next = nullptr;
      for (const auto& seq : sequences) {
        const ClassInfo* candidate = seq.front();
        bool in_tail = std::any_of(sequences.begin(), sequences.end(), [&](const auto& other) {
          return std::find(other.begin() + 1, other.end(), candidate) != other.end();
        });
        if (!in_tail) {
          next = candidate;
          break;
        }
      }
      if (!next) {
        consistent = false;
        break;
      }
      result.push_back(next);
      for (auto& seq : sequences) {
        if (!seq.empty() && seq.front() == next) seq.erase(seq.begin());
      }
    }
    if (!consistent) {
      result = {&cls};
      std::unordered_set<const ClassInfo*> seen = {&cls};
      std::function<void(const ClassInfo&)> visit = [&](const ClassInfo& c) {
        for (const ClassInfo* base : c.project_bases) {
          if (seen.insert(base).second) {
            result.push_back(base);
            visit(*base);
          }
        }
      };
      visit(cls);
    }
    return mro_cache_[&cls] = std::move(result);
  }

  // ---- Mapped classes -------------------------------------------------------------------------------------------

  void plan_mapped_classes() {
    // First, one class after the other, what fills the builder's caches: each class's MRO (its ancestors'
    // too), its registry and MetaData (registered on first sight), a `__bind_key__`'s MetaData.
    for (const ClassInfo& cls : project_.classes()) {
      if (!cls.is_mapped() || !cls.file->declares_schema()) continue;
      ClassPlan plan;
      plan.cls = &cls;
      plan.mro = mro(cls);
      plan.base = base_info(cls);
      if (plan.base.cls_mixin) {
        for (const ClassInfo* c : mro(*plan.base.cls_mixin)) {
          if (std::find(plan.mro.begin(), plan.mro.end(), c) == plan.mro.end()) plan.mro.push_back(c);
        }
      }
      apply_bind_key(plan);
      for (size_t i = 1; i < plan.mro.size(); ++i) {
        if (plan.mro[i]->is_mapped()) {
          plan.parent = plan.mro[i];
          break;
        }
      }
      if (plan.parent) mro(*plan.parent);  // cached already (an ancestor's); asked here so that it surely is
      plan_index_[&cls] = plans_.size();
      plans_.push_back(std::move(plan));
    }
    // Then the rest of each plan, classes in parallel: it only reads those caches (the one MRO it asks for,
    // the parent's, is there) and writes only its own plan.
    parallel_for(plans_.size(), jobs_, [&](size_t i) {
      ClassPlan& plan = plans_[i];
      collect_members(plan);
      const ClassAttribute* t = plan.cls->def->attribute("__table__");
      if (t && t->value && !t->from_declared_attr) plan.table_attr = &*t->value;
      find_table_args(plan);
      if (!plan.table_attr) decide_table_name(plan);
    });
  }

  // Flask-SQLAlchemy 3: a `__bind_key__` selects another MetaData of the same `db` (it copies the naming convention).
  void apply_bind_key(ClassPlan& plan) {
    if (!plan.cls->flask_model || plan.base.metadata.empty()) return;
    for (const ClassInfo* c : plan.mro) {
      const ClassAttribute* bind = c->def->attribute("__bind_key__");
      if (!bind || !bind->value) continue;
      std::string key = literal(&*bind->value);
      if (key.empty()) return;
      std::string bound = plan.base.metadata + "[" + key + "]";
      if (!metadata_.count(bound)) {
        MetadataDef def;
        if (auto it = metadata_.find(plan.base.metadata); it != metadata_.end()) def = it->second;
        def.key = bound;
        def.schema.clear();
        metadata_[bound] = def;
      }
      plan.base.metadata = bound;
      return;
    }
  }

  // The attributes this class's mapper maps: its own, then those of non-mapped ancestors (mixins, abstract
  // classes, the base) in MRO order. An ancestor of a mapped parent is skipped: the parent mapped it already
  // (SQLAlchemy sees the parent's instrumented attribute first). The first definition of a name wins.
  void collect_members(ClassPlan& plan) {
    std::unordered_set<const ClassInfo*> parent_ancestors;
    if (plan.parent) {
      for (const ClassInfo* c : mro(*plan.parent)) parent_ancestors.insert(c);
    }
    std::unordered_set<std::string_view> seen;
    for (const ClassInfo* c : plan.mro) {
      bool own = c == plan.cls;
      bool include = own || (!c->is_mapped() && !parent_ancestors.count(c));
      for (const ClassAttribute& attr : c->def->attributes) {
        if (starts_with(attr.name, "__")) continue;
        if (!seen.insert(attr.name).second) continue;
        if (include) plan.members.push_back(Member{&attr, c});
      }
    }
    if (plan.cls->sqlmodel) {
      // SQLModel builds the table from Pydantic's fields: the bases' fields first, each where first declared.
      std::unordered_map<std::string_view, size_t> position;
      for (auto c = plan.mro.rbegin(); c != plan.mro.rend(); ++c) {
        for (const ClassAttribute& attr : (*c)->def->attributes) position.try_emplace(attr.name, position.size());
      }
      std::stable_sort(plan.members.begin(), plan.members.end(), [&](const Member& a, const Member& b) {
        return position[a.attr->name] < position[b.attr->name];
      });
    }
  }

  // A primary-key column among the class's own (and its mixins') columns, or a PrimaryKeyConstraint in its
  // __table_args__: what makes a subclass's table a table of its own for Flask-SQLAlchemy.
  bool declares_primary_key(const ClassPlan& plan) const {
    for (const Member& m : plan.members) {
      const Expr* construct = column_construct(*m.attr);
      const Expr* pk = keyword_or_in(construct, "primary_key", "sa_column_kwargs");
      if (pk && pk->is_true()) return true;
    }
    if (plan.table_args) {
      for (const Expr* item : split_table_args(&*plan.table_args->value).items) {
        if (constraint_kind(*item) == ConstraintDef::Kind::PrimaryKey) return true;
      }
    }
    return false;
  }

  void set_name(ClassPlan& plan, std::string name, TableNameSource source, const ProjectFile* file, const Location& loc) {
    plan.name = std::move(name);
    plan.name_source = source;
    plan.name_file = file;
    plan.name_loc = loc;
  }

  // The table name as SQLAlchemy, Flask-SQLAlchemy 3 and SQLModel decide it, and whether the class has a table of
  // its own or shares its mapped parent's (single-table inheritance).
  void decide_table_name(ClassPlan& plan) {
    const ClassInfo& cls = *plan.cls;
    const ClassInfo* provider = nullptr;
    const ClassAttribute* attr = nullptr;
    bool flask_derive = false;
    for (const ClassInfo* c : plan.mro) {
      const ClassAttribute* a = c->def->attribute("__tablename__");
      if (!a) {
        // At run time Flask-SQLAlchemy has set a name on every mapped ancestor; a subclass then derives its own.
        if (cls.flask_model && c != &cls && c->is_mapped()) {
          flask_derive = true;
          break;
        }
        continue;
      }
      if (c == &cls || a->from_declared_attr || !c->is_mapped()) {
        provider = c;
        attr = a;
        break;
      }
      if (cls.flask_model) {  // a mapped ancestor's literal: Flask derives a name for the subclass
        flask_derive = true;
        break;
      }
      // Plain SQLAlchemy ignores a mapped parent's __tablename__ (single-table inheritance, below).
    }

    const Location fallback_loc = cls.def->loc;
    if (attr && !attr->from_declared_attr) {
      const Expr* value = attr->value ? &*attr->value : nullptr;
      if (value && value->kind == Expr::Kind::None) {
        if (plan.parent) {
          plan.own_table = false;
          return;
        }
        set_name(plan, "", TableNameSource::Unknown, cls.file, fallback_loc);
        return;
      }
      std::string name = literal(string_literal(project_, *provider->file, value));
      set_name(plan, name, name.empty() ? TableNameSource::Unknown : TableNameSource::Literal, provider->file,
               value ? value->loc : attr->loc);
      // An own name, or a mixin's literal: a table of its own. Except with Flask-SQLAlchemy, whose __table_cls__
      // turns a subclass without a primary key into single-table inheritance whatever its __tablename__.
      if (cls.flask_model && plan.parent && !declares_primary_key(plan)) plan.own_table = false;
      return;
    }

    bool derived = false;
    if (attr) {  // @declared_attr
      std::optional<std::string> name;
      if (attr->value && attr->value->kind == Expr::Kind::None) {
        if (plan.parent) {
          plan.own_table = false;
          return;
        }
      } else if (attr->value) {
        name = computed_table_name(project_, *provider->file, *attr->value, cls.def->name);
      }
      set_name(plan, name.value_or(""), name ? TableNameSource::DeclaredAttr : TableNameSource::Unknown, provider->file,
               attr->value ? attr->value->loc : attr->loc);
      derived = true;
    } else if (cls.flask_model || flask_derive) {
      set_name(plan, flask_table_name(cls.def->name), TableNameSource::FlaskDerived, cls.file, fallback_loc);
      derived = true;
    } else if (cls.sqlmodel) {
      set_name(plan, sqlmodel_table_name(cls.def->name), TableNameSource::SqlmodelDerived, cls.file, fallback_loc);
      derived = true;
    } else {
      set_name(plan, "", TableNameSource::Unknown, cls.file, fallback_loc);
    }
    if (!plan.parent) return;
    // A subclass of a mapped class with no name of its own: single-table inheritance, unless a derived name comes
    // with a primary key of its own (Flask-SQLAlchemy's __table_cls__ rule; a @declared_attr name likewise — the
    // usual `if has_inherited_table(cls): return None` idiom).
    if (!derived || !declares_primary_key(plan)) plan.own_table = false;
  }

  void find_table_args(ClassPlan& plan) {
    for (const ClassInfo* c : plan.mro) {
      const ClassAttribute* a = c->def->attribute("__table_args__");
      if (a && !a->value && a->from_declared_attr) {
        plan.table_args_unread = true;
        return;
      }
      if (!a || !a->value) continue;
      if (c == plan.cls || a->from_declared_attr || !c->is_mapped()) {
        plan.table_args = a;
        plan.table_args_class = c;
        return;
      }
    }
  }

  // ---- Core tables ----------------------------------------------------------------------------------------------

  void plan_core_tables() {
    for (const auto& file : project_.files()) {
      if (!file->declares_schema()) continue;
      for (const CoreTableCall& table : core_table_calls(*file)) {
        core_plans_.push_back(CorePlan{file.get(), table.call, table.assignment, nullptr, table.loc, table.scope});
      }
    }
    for (ClassPlan& plan : plans_) {
      if (plan.table_attr && is_table_call(*plan.table_attr)) {
        core_plans_.push_back(CorePlan{plan.cls->file, plan.table_attr, nullptr, plan.cls, plan.cls->def->loc});
      }
    }
  }

  // Whether a Table(...) call belongs to Flask-SQLAlchemy's `db.Table`, which supplies db's MetaData itself.
  std::optional<Located> flask_db_of(const ProjectFile& file, const Expr& call) {
    const Expr* callee = call.target.get();
    if (!callee || callee->kind != Expr::Kind::Attribute || !callee->target) return std::nullopt;
    if (callee->target->resolved != "flask_sqlalchemy.SQLAlchemy()") return std::nullopt;
    Located db = locate(file, callee->target->text);
    if (!db.assignment) return std::nullopt;
    return db;
  }

  std::string core_metadata(const ProjectFile& file, const Expr& call, const ClassDef* scope) {
    const Expr* arg = call.arg(1);
    bool arg_is_metadata = arg && !(arg->is_call() && (is_column_call(*arg) || is_schema_item(*arg)));
    if (auto db = flask_db_of(file, call)) {
      std::string key;
      if (arg_is_metadata) {
        key = metadata_of(file, *arg, "", {});
      } else if (auto root = flask_root(*db, 0)) {
        key = root->metadata;
      }
      if (std::string bind = literal(call.keyword("bind_key")); !bind.empty() && !key.empty()) {
        std::string bound = key + "[" + bind + "]";
        if (!metadata_.count(bound)) {
          auto base = metadata_.find(key);
          MetadataDef def = base == metadata_.end() ? MetadataDef{} : base->second;
          def.key = bound;
          def.schema.clear();
          metadata_[bound] = def;
        }
        key = bound;
      }
      return key;
    }
    const Expr* md = call.keyword("metadata");
    if (!md && arg_is_metadata) md = arg;
    // In a class body, a name is first the class's own attribute (`metadata = sa.MetaData()` beside the tables).
    const ClassAttribute* own = scope && md && md->kind == Expr::Kind::Name ? scope->attribute(md->text) : nullptr;
    if (own && own->value && is_call_to(*own->value, "sqlalchemy.MetaData")) {
      std::string key = file.module_key + "." + scope->name + "." + own->name;
      register_metadata(key, &file, own->loc, &*own->value);
      return key;
    }
    return md ? metadata_of(file, *md, "", {}) : "";
  }

  // ---- Tables and columns ---------------------------------------------------------------------------------------

  struct Seed {
    const ProjectFile* file;
    uint32_t byte;
    size_t plan;       // into plans_, or kNone
    size_t core_plan;  // into core_plans_, or kNone
  };

  void create_tables() {
    std::vector<Seed> seeds;
    for (size_t i = 0; i < plans_.size(); ++i) {
      const ClassPlan& p = plans_[i];
      if (p.own_table && !p.table_attr) seeds.push_back(Seed{p.cls->file, p.cls->def->loc.start_byte, i, kNone});
    }
    for (size_t i = 0; i < core_plans_.size(); ++i) {
      seeds.push_back(Seed{core_plans_[i].file, core_plans_[i].loc.start_byte, kNone, i});
    }
    std::stable_sort(seeds.begin(), seeds.end(), [](const Seed& a, const Seed& b) {
      if (a.file != b.file) return a.file->path() < b.file->path();
      return a.byte < b.byte;
    });
    m_.tables_.resize(seeds.size());
    table_args_class_.assign(seeds.size(), nullptr);
    for (size_t i = 0; i < seeds.size(); ++i) {
      TableDef& t = m_.tables_[i];
      t.index = i;
      if (seeds[i].plan != kNone) {
        plans_[seeds[i].plan].table = i;
        model_table(plans_[seeds[i].plan], t);
      } else {
        core_table(core_plans_[seeds[i].core_plan], t);
      }
    }
    // A model table's columns depend on nothing the other tables decide: they are built last, in parallel.
    parallel_for(seeds.size(), jobs_, [&](size_t i) {
      if (seeds[i].plan == kNone) return;
      const ClassPlan& plan = plans_[seeds[i].plan];
      m_.tables_[i].columns.reserve(plan.members.size());  // tens of thousands of columns: no regrowth
      for (const Member& m : plan.members) add_model_column(m_.tables_[i], m, *plan.cls);
    });
    // Classes mapping a Table: `__table__ = Table(...)` in the body, or `__table__ = users_table`.
    for (size_t i = 0; i < m_.tables_.size(); ++i) {
      const TableDef& t = m_.tables_[i];
      if (t.assignment) table_by_assignment_[t.assignment] = i;
      if (t.table_call) m_.table_by_call_[t.table_call] = i;
    }
    for (ClassPlan& plan : plans_) {
      if (!plan.table_attr) continue;
      if (auto it = m_.table_by_call_.find(plan.table_attr); it != m_.table_by_call_.end()) {
        plan.table = it->second;
      } else if (plan.table_attr->is_name_like()) {
        Located found = locate(*plan.cls->file, plan.table_attr->text);
        if (auto at = found.assignment ? table_by_assignment_.find(found.assignment) : table_by_assignment_.end();
            at != table_by_assignment_.end()) {
          plan.table = at->second;
          if (!m_.tables_[plan.table].owner) m_.tables_[plan.table].owner = plan.cls;
        }
      }
    }
    attach_single_table_subclasses();
    index_tables();
  }

  void model_table(const ClassPlan& plan, TableDef& t) {
    const ClassInfo& cls = *plan.cls;
    t.kind = TableDef::Kind::Model;
    t.name = plan.name;
    t.name_source = plan.name_source;
    t.name_file = plan.name_file;
    t.name_loc = plan.name_loc;
    t.metadata = plan.base.metadata;
    t.registry = plan.base.registry;
    t.owner = &cls;
    t.inherits = plan.parent;
    t.file = cls.file;
    t.loc = cls.def->loc;
    t.schema_unknown = t.constraints_unseen = plan.table_args_unread;
    if (plan.table_args) {
      t.table_args = &*plan.table_args->value;
      t.table_args_file = plan.table_args_class->file;
      table_args_class_[t.index] = plan.table_args_class;
      TableArgs args = split_table_args(t.table_args);
      t.schema = literal(table_option(args.options, "schema"));
      t.schema_explicit = !t.schema.empty();
      t.schema_unknown = !readable_table_args(*t.table_args) || unreadable_schema(table_option(args.options, "schema"));
      t.constraints_unseen = !readable_table_args(*t.table_args);
      const Expr* extend = table_option(args.options, "extend_existing");
      const Expr* keep = table_option(args.options, "keep_existing");
      t.extend_existing = extend && extend->is_true();
      t.keep_existing = keep && keep->is_true();
      const Expr* autoload = table_option(args.options, "autoload_with");
      const Expr* autoload_flag = table_option(args.options, "autoload");
      t.reflected = given(autoload) || (autoload_flag && autoload_flag->is_true());
    }
    apply_default_schema(t);  // the columns come later (create_tables)
    for (const ClassInfo* c : plan.mro) {
      for (const std::string& base : c->external_bases) t.external_columns = t.external_columns || may_bring_columns(base);
    }
  }

  void apply_default_schema(TableDef& t) {
    if (!t.schema.empty() || t.metadata.empty()) return;
    if (auto it = metadata_.find(t.metadata); it != metadata_.end()) t.schema = it->second.schema;
  }

  void core_table(const CorePlan& plan, TableDef& t) {
    const Expr& call = *plan.call;
    t.kind = TableDef::Kind::Table;
    t.table_call = &call;
    t.assignment = plan.assignment;
    t.owner = plan.owner;
    t.file = plan.file;
    t.loc = plan.loc;
    const Expr* name = call.arg(0);
    if (!name) name = call.keyword("name");
    t.name = literal(name);
    t.name_source = t.name.empty() ? TableNameSource::Unknown : TableNameSource::Literal;
    t.name_file = plan.file;
    t.name_loc = name ? name->loc : call.loc;
    t.metadata = core_metadata(*plan.file, call, plan.scope);
    t.schema = literal(call.keyword("schema"));
    t.schema_explicit = !t.schema.empty();
    t.schema_unknown = unreadable_schema(call.keyword("schema"));
    t.extend_existing = call.keyword("extend_existing") && call.keyword("extend_existing")->is_true();
    t.keep_existing = call.keyword("keep_existing") && call.keyword("keep_existing")->is_true();
    t.reflected = given(call.keyword("autoload_with")) || (call.keyword("autoload") && call.keyword("autoload")->is_true());
    apply_default_schema(t);
    for (const Expr& item : call.items) {
      const Expr& arg = project_.column_call(item);
      if (is_column_call(arg)) t.columns.push_back(core_column(*plan.file, arg));
    }
  }

  // The Column/mapped_column/Field call an attribute maps, if any (deferred(Column(...)), Field(sa_column=...)).
  const Expr* column_construct(const ClassAttribute& attr) const {
    if (auto it = column_by_attr_.find(&attr); it != column_by_attr_.end()) return it->second->construct;
    if (!attr.value) return nullptr;
    const Expr* v = &project_.column_call(*attr.value);
    if (v->is_call() && (v->origin() == "sqlalchemy.orm.deferred" || v->origin() == "sqlalchemy.orm.column_property") &&
        !v->items.empty() && is_column_call(v->items[0])) {
      v = &v->items[0];
    }
    return is_column_call(*v) || is_mapped_column_call(*v) ? v : nullptr;
  }

  void add_model_column(TableDef& t, const Member& m, const ClassInfo& owner) const {
    const ClassAttribute& attr = *m.attr;
    auto info_it = column_by_attr_.find(&attr);
    const ColumnInfo* info = info_it == column_by_attr_.end() ? nullptr : info_it->second;
    const Expr* construct = info ? info->construct : column_construct(attr);
    if (!info && !construct) return;
    ColumnDef c;
    c.attribute = attr.name;
    c.attr = &attr;
    c.declared_in = m.declared_in;
    c.inherited = !m.declared_in->is_mapped();
    c.file = m.declared_in->file;
    c.loc = info ? info->loc : attr.loc;
    c.info = info;
    c.construct = construct;
    if (info) {
      c.name = info->name;
      c.type = info->type.origin;
    } else {
      const Expr* name = construct->keyword("name");
      if (!name && !construct->items.empty() && construct->items[0].is_string()) name = &construct->items[0];
      c.name = name ? literal(name) : attr.name;
      c.type = type_of_call(*construct);
    }
    // `mapped_column(use_existing_column=True)`: the column the table has by that name (a single-table
    // parent's or sibling's), or a new one when it has none.
    if (construct && reuses_existing_column(*construct) && t.column(c.name)) return;
    bool sqlmodel_field = owner.sqlmodel && (!construct || is_call_to(construct, "sqlmodel.Field"));
    column_flags(c, construct, attr.annotation ? &*attr.annotation : nullptr, sqlmodel_field);
    t.columns.push_back(std::move(c));
  }

  ColumnDef core_column(const ProjectFile& file, const Expr& call) {
    ColumnDef c;
    auto it = column_by_construct_.find(&call);
    c.info = it == column_by_construct_.end() ? nullptr : it->second;
    c.file = &file;
    c.loc = call.loc;
    c.construct = &call;
    const Expr* name = call.keyword("name");
    if (!name && !call.items.empty() && call.items[0].is_string()) name = &call.items[0];
    c.name = literal(name);
    c.type = c.info ? c.info->type.origin : type_of_call(call);
    column_flags(c, &call, nullptr, false);
    return c;
  }

  // Nullability (explicit, or derived as SQLAlchemy 2.0 / SQLModel do), flags and defaults.
  void column_flags(ColumnDef& c, const Expr* construct, const Expr* annotation, bool sqlmodel_field) const {
    const ColumnKeywords keywords(construct);
    auto kw = [&](std::string_view name) { return keywords.get(name); };
    auto flag = [&](std::string_view name) {
      const Expr* v = kw(name);
      return v && v->is_true();
    };
    c.primary_key = flag("primary_key");
    c.unique = flag("unique");
    c.index = flag("index");
    c.default_value = given(kw("default"));
    if (!c.default_value) c.default_value = given(kw("insert_default"));
    if (!c.default_value) c.default_value = given(kw("default_factory"));
    c.server_default = given(kw("server_default"));
    c.onupdate = given(kw("onupdate"));
    c.server_onupdate = given(kw("server_onupdate"));
    if (const Expr* explicit_nullable = kw("nullable")) {
      bool literal_bool = explicit_nullable->kind == Expr::Kind::Bool;
      c.nullable = literal_bool ? explicit_nullable->is_true() : true;
      c.nullable_source = literal_bool ? ColumnDef::NullableSource::Explicit : ColumnDef::NullableSource::Unknown;
      return;
    }
    if (c.primary_key) {
      c.nullable = false;
      c.nullable_source = ColumnDef::NullableSource::PrimaryKey;
      return;
    }
    bool plain_column = construct && is_column_call(*construct);
    if (sqlmodel_field && annotation) {
      c.nullable = is_optional_type(*annotation);
      c.nullable_source = ColumnDef::NullableSource::Annotation;
    } else if (!plain_column && annotation && is_mapped_wrapper(*annotation)) {
      c.nullable = is_optional_type(annotation->items[0]);
      c.nullable_source = ColumnDef::NullableSource::Annotation;
    } else {
      c.nullable = true;
      c.nullable_source = ColumnDef::NullableSource::Default;
    }
  }

  // Single-table inheritance: the subclass's columns join the table of its nearest ancestor that has one.
  void attach_single_table_subclasses() {
    for (ClassPlan& plan : plans_) {
      if (plan.own_table || plan.table_attr) continue;
      const ClassPlan* up = &plan;
      for (int guard = 0; guard < kMaxDepth && up->parent && up->table == kNone; ++guard) {
        auto it = plan_index_.find(up->parent);
        if (it == plan_index_.end()) break;
        up = &plans_[it->second];
      }
      plan.table = up->table;
    }
    // In project order, so each table lists its subclasses (and their columns) in a stable order.
    for (ClassPlan& plan : plans_) {
      if (plan.own_table || plan.table_attr || plan.table == kNone) continue;
      TableDef& t = m_.tables_[plan.table];
      t.single_table_subclasses.push_back(plan.cls);
      for (const Member& m : plan.members) {
        if (t.column_by_attribute(m.attr->name)) continue;  // the parent maps it already
        add_model_column(t, m, *plan.cls);
      }
    }
  }

  void index_tables() {
    for (const TableDef& t : m_.tables_) {
      m_.by_key_[table_key(t.metadata, t.schema, t.name)].push_back(&t);
      if (!t.name.empty()) m_.by_name_[t.name].push_back(&t);
      if (t.name.empty()) m_.unnamed_metadata_.insert(t.metadata);
      m_.tables_by_file_[t.file].push_back(t.index);
    }
    for (ClassPlan& plan : plans_) {
      MappedClassDef def;
      def.cls = plan.cls;
      def.table = plan.table == kNone ? nullptr : &m_.tables_[plan.table];
      def.single_table_inheritance = !plan.own_table && !plan.table_attr;
      def.parent = plan.parent;
      def.registry = plan.base.registry;
      def.metadata = def.table && plan.table_attr ? def.table->metadata : plan.base.metadata;
      m_.class_index_[plan.cls] = m_.classes_.size();
      m_.classes_.push_back(std::move(def));
    }
    for (const MappedClassDef& def : m_.classes_) m_.classes_by_name_[def.cls->def->name].push_back(&def);
  }

  // ---- Column references ----------------------------------------------------------------------------------------

  struct ColumnRef {
    const TableDef* table = nullptr;
    std::string column;  // the database column name; "" when unknown
  };

  // `User.email`, `users.c.email`, `User.__table__.c.email`, `models.User.email` -> (table, column).
  ColumnRef column_ref(const ProjectFile& file, const Expr& e) {
    ColumnRef ref;
    if (e.kind != Expr::Kind::Attribute || !e.target) return ref;
    const Expr& object = *e.target;
    if (object.kind == Expr::Kind::Attribute && (object.name == "c" || object.name == "columns") && object.target) {
      const Expr& holder = *object.target;
      if (holder.kind == Expr::Kind::Attribute && holder.name == "__table__" && holder.target) {
        if (const ClassInfo* cls = project_.resolve_class(file, holder.target->text)) ref.table = m_.table_of(*cls);
      } else if (holder.is_name_like()) {
        Located found = locate(file, holder.text);
        if (auto it = found.assignment ? table_by_assignment_.find(found.assignment) : table_by_assignment_.end();
            it != table_by_assignment_.end()) {
          ref.table = &m_.tables_[it->second];
        }
      }
      if (ref.table) {
        const ColumnDef* col = ref.table->column(e.name);
        if (!col) col = ref.table->column_by_attribute(e.name);
        ref.column = col ? col->name : e.name;
      }
      return ref;
    }
    if (!object.is_name_like()) return ref;
    const ClassInfo* cls = project_.resolve_class(file, object.text);
    if (!cls) return ref;
    ref.table = m_.table_of(*cls);
    if (ref.table) {
      const ColumnDef* col = ref.table->column_by_attribute(e.name);
      ref.column = col ? col->name : e.name;
    }
    return ref;
  }

  // ---- Constraints and foreign keys -----------------------------------------------------------------------------

  // Constraints and foreign keys as one table (or the module-level constructs) declares them; indexes are
  // into these lists until keep() appends them to the model's.
  struct Declared {
    std::vector<ConstraintDef> constraints;
    std::vector<ForeignKeyDef> foreign_keys;
    std::vector<ColumnDef*> fk_column;                     // per foreign key: its inline column, or null
    std::vector<std::pair<size_t, size_t>> fk_constraint;  // (foreign key, constraint) pairs
  };

  struct ConstraintContext {
    const ProjectFile* file = nullptr;
    TableDef* table = nullptr;           // null: module level, unresolved yet
    const ClassInfo* declared_in = nullptr;  // the class whose body holds the expression (names = its attributes)
    bool inherited = false;
    ConstraintDef::Origin origin = ConstraintDef::Origin::TableArgs;
  };

  // A column argument of a constraint: a name string, a class-body name (`Index("ix", email)`), `Model.col`,
  // `table.c.col`, or an expression (kept as text).
  std::string constraint_column(const ConstraintContext& ctx, const Expr& e, const TableDef*& found_table) {
    if (e.is_string()) return e.text;
    if (e.kind == Expr::Kind::Name && ctx.table) {
      if (const ColumnDef* col = ctx.table->column_by_attribute(e.text)) return col->name;
    }
    if (e.kind == Expr::Kind::Attribute) {
      ColumnRef ref = column_ref(*ctx.file, e);
      if (ref.table) {
        if (!found_table) found_table = ref.table;
        return ref.column;
      }
    }
    // func.lower(User.email), User.email.desc(): the table of the first column inside.
    if (!found_table) {
      e.walk([&](const Expr& sub) {
        if (found_table || sub.kind != Expr::Kind::Attribute) return;
        ColumnRef ref = column_ref(*ctx.file, sub);
        if (ref.table) found_table = ref.table;
      });
    }
    return render(e);
  }

  // Whether an Index(...)'s first argument is a column or an expression rather than a name.
  bool looks_like_column(const ConstraintContext& ctx, const Expr& e) {
    if (e.is_string() || e.kind == Expr::Kind::None) return false;
    if (e.is_call()) {
      // SQL: `func.lower(User.email)`, `sa.text("...")`, `desc(...)`, and a column's method
      // (`User.email.desc()`, `sa.column("x").lower()`). Any other call returns the name (`op.f("ix_...")`,
      // `conv(...)`,
      // `"{}_idx".format(table)`, `"_".join(parts)`, str(...), nyaa's mixin `cls._table_prefix("ix")`).
      const FactText origin = e.origin();
      if (origin.starts_with("sqlalchemy.") && !origin.ends_with(".conv")) return true;
      const Expr* receiver = e.receiver();
      return receiver && (looks_like_column(ctx, *receiver) ||
                          (receiver->is_call() && receiver->origin().starts_with("sqlalchemy.")));
    }
    if (e.kind == Expr::Kind::Name) {
      if (ctx.table && ctx.table->column_by_attribute(e.text)) return true;
      return false;  // a variable holding the name
    }
    if (e.kind == Expr::Kind::Attribute) {
      const TableDef* table = nullptr;
      constraint_column(ctx, e, table);
      return table != nullptr;
    }
    // `'%s_project_id' % __tablename__`, `"ix_" + name` (mistral): a string built from a string is a name;
    // other operators make column expressions (`Index("ix", a + b)` is a functional index, its name comes
    // first).
    if (e.kind == Expr::Kind::BinaryOp) {
      return std::none_of(e.items.begin(), e.items.end(),
                          [](const Expr& side) { return side.is(Expr::Kind::String); });
    }
    return false;
  }

  size_t add_constraint(const ConstraintContext& ctx, ConstraintDef::Kind kind, const Expr& call,
                        Declared& out) {
    ConstraintDef c;
    c.kind = kind;
    c.origin = ctx.origin;
    c.construct = &call;
    c.file = ctx.file;
    c.loc = call.loc;
    c.inherited = ctx.inherited;
    const TableDef* found_table = ctx.table;
    size_t first_column = 0;
    std::vector<const Expr*> column_args;
    switch (kind) {
      case ConstraintDef::Kind::Index: {
        c.unique = call.keyword("unique") && call.keyword("unique")->is_true();
        if (const Expr* name = call.keyword("name")) {
          c.name_expr = name;
        } else if (call.items.empty() || looks_like_column(ctx, call.items[0])) {
          c.index_name_missing = true;
        } else {
          c.name_expr = &call.items[0];
          first_column = 1;
        }
        for (size_t i = first_column; i < call.items.size(); ++i) column_args.push_back(&call.items[i]);
        break;
      }
      case ConstraintDef::Kind::Unique:
      case ConstraintDef::Kind::PrimaryKey:
        c.unique = kind == ConstraintDef::Kind::Unique;
        c.name_expr = call.keyword("name");
        for (const Expr& item : call.items) column_args.push_back(&item);
        break;
      case ConstraintDef::Kind::Check:
        // CheckConstraint(sqltext, name=None, ...): the name may be given by position too.
        c.name_expr = call.keyword("name") ? call.keyword("name") : call.arg(1);
        c.sqltext = call.arg(0) ? call.arg(0) : call.keyword("sqltext");
        break;
      case ConstraintDef::Kind::ForeignKey: {
        // ForeignKeyConstraint(columns, refcolumns, name=None, ...).
        c.name_expr = call.keyword("name") ? call.keyword("name") : call.arg(2);
        const Expr* cols = call.arg(0) ? call.arg(0) : call.keyword("columns");
        if (cols && (cols->kind == Expr::Kind::List || cols->kind == Expr::Kind::Tuple)) {
          for (const Expr& item : cols->items) column_args.push_back(&item);
        }
        break;
      }
    }
    c.name = literal(c.name_expr);
    for (const Expr* arg : column_args) {
      c.columns.push_back(constraint_column(ctx, *arg, found_table));
      c.column_exprs.push_back(arg);
    }
    for (const Keyword& kw : call.keywords) {
      if (kw.name.size() > 6 && kw.name.compare(kw.name.size() - 6, 6, "_where") == 0) c.where.emplace_back(kw.name, &kw.value);
    }
    c.table = found_table;
    out.constraints.push_back(std::move(c));
    size_t index = out.constraints.size() - 1;
    if (kind == ConstraintDef::Kind::ForeignKey && found_table) {
      size_t fk = add_foreign_key_constraint(ctx, out.constraints[index], call, out);
      out.fk_constraint.push_back({fk, index});
    }
    return index;
  }

  // Tables in parallel: each reads the tables (all made by now) and writes only its own Declared, appended in
  // table order afterwards.
  void collect_constraints_and_foreign_keys() {
    std::vector<Declared> per_table(m_.tables_.size());
    parallel_for(m_.tables_.size(), jobs_,
                 [&](size_t i) { collect_table_constraints(m_.tables_[i], per_table[i]); });
    for (Declared& declared : per_table) keep(std::move(declared));
  }

  void collect_table_constraints(TableDef& t, Declared& out) {
    for (ColumnDef& col : t.columns) column_foreign_keys(t, col, out);
    for (ColumnDef& col : t.columns) {
      // Column(...) and mapped_column(...) alike take constraints among their positional arguments.
      if (!col.construct || !(is_column_call(*col.construct) || is_mapped_column_call(*col.construct)))
        continue;
      ConstraintContext ctx{col.file, &t, col.declared_in, col.inherited,
                            ConstraintDef::Origin::ColumnArgument};
      for (const Expr& arg : col.construct->items) {
        auto kind = constraint_kind(arg);
        if (!kind) continue;
        size_t index = add_constraint(ctx, *kind, arg, out);
        if (out.constraints[index].columns.empty()) out.constraints[index].columns.push_back(col.name);
      }
    }
    if (t.table_args) {
      const ClassInfo* holder = table_args_class_[t.index];
      ConstraintContext ctx{t.table_args_file, &t, holder,
                            holder && holder != t.owner && !holder->is_mapped(),
                            ConstraintDef::Origin::TableArgs};
      for (const Expr* item : split_table_args(t.table_args).items) {
        if (auto kind = constraint_kind(*item)) add_constraint(ctx, *kind, *item, out);
      }
    }
    if (t.table_call) {
      ConstraintContext ctx{t.file, &t, nullptr, false, ConstraintDef::Origin::TableCall};
      for (const Expr& arg : t.table_call->items) {
        if (auto kind = constraint_kind(arg)) add_constraint(ctx, *kind, arg, out);
      }
    }
  }

  // Appends what one table (or the module-level constructs) declared, its indexes shifted to the whole
  // lists'.
  void keep(Declared&& declared) {
    const size_t first_constraint = m_.constraints_.size();
    const size_t first_fk = m_.foreign_keys_.size();
    std::move(declared.constraints.begin(), declared.constraints.end(), std::back_inserter(m_.constraints_));
    std::move(declared.foreign_keys.begin(), declared.foreign_keys.end(),
              std::back_inserter(m_.foreign_keys_));
    fk_column_.insert(fk_column_.end(), declared.fk_column.begin(), declared.fk_column.end());
    for (auto [fk, constraint] : declared.fk_constraint) {
      fk_constraint_.push_back({first_fk + fk, first_constraint + constraint});
    }
  }

  // Module-level `Index("ix", Model.col)` / `ix = Index(...)` / `UniqueConstraint(Model.a, Model.b)`: they attach
  // to the table of the columns they name.
  void collect_module_level_constraints() {
    for (const auto& file : project_.files()) {
      if (!file->declares_schema()) continue;
      std::vector<const Expr*> found;
      auto visit = [&](const Expr& e) {
        auto kind = constraint_kind(e);
        if (kind && (*kind == ConstraintDef::Kind::Index || *kind == ConstraintDef::Kind::Unique)) found.push_back(&e);
      };
      for (const Assignment& a : file->facts.assignments) visit(a.value);
      for (const Expr& e : file->facts.module_expressions) visit(e);
      std::sort(found.begin(), found.end(), [](const Expr* a, const Expr* b) { return a->loc.start_byte < b->loc.start_byte; });
      Declared declared;
      for (const Expr* e : found) {
        ConstraintContext ctx{file.get(), nullptr, nullptr, false, ConstraintDef::Origin::ModuleLevel};
        add_constraint(ctx, *constraint_kind(*e), *e, declared);
      }
      keep(std::move(declared));
    }
  }

  void apply_primary_key_constraints() {
    for (const ConstraintDef& c : m_.constraints_) {
      if (c.kind != ConstraintDef::Kind::PrimaryKey || !c.table) continue;
      TableDef& t = m_.tables_[c.table->index];
      for (const std::string& name : c.columns) {
        for (ColumnDef& col : t.columns) {
          if (col.name != name) continue;
          col.primary_key = true;
          if (col.nullable_source != ColumnDef::NullableSource::Explicit) {
            col.nullable = false;
            col.nullable_source = ColumnDef::NullableSource::PrimaryKey;
          }
        }
      }
    }
  }

  // "schema.table.column" / "table.column" as SQLAlchemy splits it (the last two dots; the rest is the schema).
  static void split_target_string(const std::string& spec, ForeignKeyDef& fk) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
      size_t dot = spec.find('.', start);
      parts.push_back(spec.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (parts.size() == 1) {
      fk.target_table = parts[0];
      fk.target_columns.push_back("");
      return;
    }
    fk.target_columns.push_back(parts.back());
    fk.target_table = parts[parts.size() - 2];
    for (size_t i = 0; i + 2 < parts.size(); ++i) fk.target_schema += (i ? "." : "") + parts[i];
  }

  // One target of a foreign key: a string, or a column expression (`User.id`, `users.c.id`).
  void add_target(ForeignKeyDef& fk, const ProjectFile& file, const Expr* target) {
    if (!target) {
      fk.target_columns.push_back("");
      return;
    }
    if (const Expr* spec = string_literal(project_, file, target)) {  // "users.id", or a constant holding it
      fk.target_is_string = true;
      if (fk.target_text.empty()) fk.target_text = spec->text;
      ForeignKeyDef one;
      split_target_string(spec->text, one);
      if (fk.target_table.empty()) {
        fk.target_table = one.target_table;
        fk.target_schema = one.target_schema;
      }
      fk.target_columns.push_back(one.target_columns.front());
      return;
    }
    if (fk.target_text.empty()) fk.target_text = render(*target);
    ColumnRef ref = column_ref(file, *target);
    if (ref.table) {
      if (!fk.target) fk.target = ref.table;
      if (fk.target_table.empty()) {
        fk.target_table = ref.table->name;
        fk.target_schema = ref.table->schema;
      }
    }
    fk.target_columns.push_back(ref.column);
  }

  void fk_options(ForeignKeyDef& fk, const Expr& call) {
    fk.ondelete_expr = given(call.keyword("ondelete"));
    fk.ondelete = upper(literal(fk.ondelete_expr));
    fk.onupdate = upper(literal(call.keyword("onupdate")));
    fk.use_alter = call.keyword("use_alter") && call.keyword("use_alter")->is_true();
    // ForeignKeyConstraint(columns, refcolumns, name=None, ...) may give its name by position.
    fk.name_expr = given(call.keyword("name") ? call.keyword("name")
                         : fk.is_constraint   ? call.arg(2)
                                              : nullptr);
    fk.name = literal(fk.name_expr);
  }

  void column_foreign_keys(TableDef& t, ColumnDef& col, Declared& out) {
    if (!col.construct) return;
    const Expr& construct = *col.construct;
    auto base = [&](const Expr& call) {
      ForeignKeyDef fk;
      fk.table = &t;
      fk.columns.push_back(col.name);
      fk.construct = &call;
      fk.file = col.file;
      fk.loc = call.loc;
      fk.inherited = col.inherited;
      return fk;
    };
    for (const Expr& arg : construct.items) {
      if (!is_call_to(arg, "sqlalchemy.ForeignKey")) continue;
      ForeignKeyDef fk = base(arg);
      const Expr* target = arg.arg(0) ? arg.arg(0) : arg.keyword("column");
      add_target(fk, *col.file, target);
      fk_options(fk, arg);
      push_column_fk(std::move(fk), col, out);
    }
    if (is_call_to(construct, "sqlmodel.Field")) {
      if (const Expr* target = given(construct.keyword("foreign_key"))) {
        ForeignKeyDef fk = base(construct);
        fk.loc = target->loc;
        add_target(fk, *col.file, target);
        fk_options(fk, construct);
        push_column_fk(std::move(fk), col, out);
      }
    }
  }

  void push_column_fk(ForeignKeyDef fk, ColumnDef& col, Declared& out) {
    fk.column = &col;
    out.foreign_keys.push_back(std::move(fk));
    out.fk_column.push_back(&col);
  }

  size_t add_foreign_key_constraint(const ConstraintContext& ctx, const ConstraintDef& c, const Expr& call,
                                    Declared& out) {
    ForeignKeyDef fk;
    fk.table = c.table;
    fk.is_constraint = true;
    fk.columns = c.columns;
    fk.construct = &call;
    fk.file = ctx.file;
    fk.loc = call.loc;
    fk.inherited = ctx.inherited;
    const Expr* refs = call.arg(1) ? call.arg(1) : call.keyword("refcolumns");
    if (refs && (refs->kind == Expr::Kind::List || refs->kind == Expr::Kind::Tuple)) {
      for (const Expr& item : refs->items) add_target(fk, *ctx.file, &item);
    }
    fk_options(fk, call);
    out.foreign_keys.push_back(std::move(fk));
    out.fk_column.push_back(nullptr);
    return out.foreign_keys.size() - 1;
  }

  // Tables named `name` in `schema`, looked up in `metadata`; then among tables of unknown MetaData; when the
  // source's MetaData is unknown, anywhere.
  const TableDef* lookup(const std::string& metadata, const std::string& schema, const std::string& name) const {
    auto in = [&](const std::string& md) -> const TableDef* {
      auto it = m_.by_key_.find(table_key(md, schema, name));
      return it == m_.by_key_.end() || it->second.empty() ? nullptr : it->second.front();
    };
    if (const TableDef* t = in(metadata)) return t;
    if (!metadata.empty()) {
      if (const TableDef* t = in("")) return t;
      return nullptr;
    }
    for (const TableDef* t : m_.named(name)) {
      if (t->schema == schema) return t;
    }
    return nullptr;
  }

  std::string default_schema(const std::string& metadata) const {
    auto it = metadata_.find(metadata);
    return it == metadata_.end() ? "" : it->second.schema;
  }

  void resolve_foreign_keys() {
    for (size_t i = 0; i < m_.foreign_keys_.size(); ++i) {
      ForeignKeyDef& fk = m_.foreign_keys_[i];
      if (fk.target_is_string && !fk.target_table.empty()) {
        fk.effective_target_schema = fk.target_schema.empty() ? default_schema(fk.table->metadata) : fk.target_schema;
        fk.target = lookup(fk.table->metadata, fk.effective_target_schema, fk.target_table);
      } else if (fk.target) {
        fk.effective_target_schema = fk.target->schema;
      }
      for (const std::string& column : fk.target_columns) {
        fk.target_column_defs.push_back(fk.target && !column.empty() ? fk.target->column(column) : nullptr);
      }
    }
    // Column(ForeignKey("users.id")) with no type: SQLAlchemy copies the target column's type (which may itself
    // come from a foreign key: a few passes settle chains).
    for (int pass = 0, changed = 1; changed && pass < 4; ++pass) {
      changed = 0;
      for (size_t i = 0; i < m_.foreign_keys_.size(); ++i) {
        const ForeignKeyDef& fk = m_.foreign_keys_[i];
        ColumnDef* col = fk_column_[i];
        const ColumnDef* target = fk.target_column_defs.empty() ? nullptr : fk.target_column_defs[0];
        if (!col || !col->type.empty() || !target || target->type.empty()) continue;
        col->type = target->type;
        col->type_from_foreign_key = true;
        changed = 1;
      }
    }
  }

  // ---- Relationships --------------------------------------------------------------------------------------------

  // Each relationship is read on its own (from the finished tables), classes in parallel; kept in class order.
  void collect_relationships() {
    std::vector<std::vector<RelationshipDef>> found(plans_.size());
    parallel_for(plans_.size(), jobs_, [&](size_t i) {
      for (const Member& m : plans_[i].members) {
        if (m.attr->value && is_relationship_call(*m.attr->value)) found[i].push_back(relationship(plans_[i], m));
      }
    });
    for (auto& list : found) std::move(list.begin(), list.end(), std::back_inserter(m_.relationships_));
  }

  RelationshipDef relationship(const ClassPlan& plan, const Member& m) const {
    const ClassAttribute& attr = *m.attr;
    const Expr* call = &*attr.value;
    bool sqlmodel = call->origin() == "sqlmodel.Relationship";
    if (sqlmodel) {
      if (const Expr* sa = call->keyword("sa_relationship"); sa && is_relationship_call(*sa)) {
        call = sa;
        sqlmodel = false;
      }
    }
    const ProjectFile& file = *m.declared_in->file;
    RelationshipDef r;
    r.owner = plan.cls;
    r.declared_in = m.declared_in;
    r.inherited = !m.declared_in->is_mapped();
    r.table = plan.table == kNone ? nullptr : &m_.tables_[plan.table];
    r.attribute = attr.name;
    r.attr = &attr;
    r.construct = call;
    r.file = &file;
    r.loc = attr.loc;
    auto kw = [&](std::string_view name) { return keyword_or_in(call, name, "sa_relationship_kwargs"); };

    const Expr* argument = sqlmodel ? nullptr : (call->arg(0) ? call->arg(0) : call->keyword("argument"));
    const ClassInfo* referenced = nullptr;
    if (argument && argument->kind == Expr::Kind::Lambda && argument->target) {
      r.target_source = RelationshipDef::TargetSource::Lambda;
      argument = argument->target.get();
    } else if (argument && argument->is_string()) {
      r.target_source = RelationshipDef::TargetSource::String;
    } else if (argument && argument->is_name_like()) {
      r.target_source = RelationshipDef::TargetSource::Reference;
    }
    if (argument && argument->is_string()) {
      r.target_name = std::string(trim(argument->text));
    } else if (argument && argument->is_name_like()) {
      r.target_name = argument->text;
      referenced = project_.resolve_class(file, argument->text);
    }
    if (attr.annotation) {
      std::string text;
      const Expr* target = annotation_target(*attr.annotation, r.annotated_collection, text);
      if (!argument && target && !text.empty()) {
        r.target_source = RelationshipDef::TargetSource::Annotation;
        r.target_name = text;
        if (target->is_name_like()) referenced = project_.resolve_class(file, text);
      }
    }
    resolve_target(r, plan, referenced);

    r.back_populates_expr = given(kw("back_populates"));
    r.back_populates = literal(r.back_populates_expr);
    r.backref_expr = given(kw("backref"));
    if (r.backref_expr && r.backref_expr->is_string()) {
      r.backref = r.backref_expr->text;
    } else if (r.backref_expr && is_call_to(*r.backref_expr, "sqlalchemy.orm.backref")) {
      r.backref = literal(r.backref_expr->arg(0));
    }
    r.secondary_expr = sqlmodel ? given(call->keyword("link_model")) : given(kw("secondary"));
    if (!r.secondary_expr && !sqlmodel) r.secondary_expr = given(call->arg(1));
    resolve_secondary(r, file);
    r.primaryjoin = given(kw("primaryjoin"));
    r.secondaryjoin = given(kw("secondaryjoin"));
    r.foreign_keys = given(kw("foreign_keys"));
    r.remote_side = given(kw("remote_side"));
    r.lazy_expr = given(kw("lazy"));
    r.lazy = literal(r.lazy_expr);
    if (const Expr* uselist = kw("uselist"); uselist && uselist->kind == Expr::Kind::Bool) r.uselist = uselist->is_true();
    r.viewonly = kw("viewonly") && kw("viewonly")->is_true();
    return r;
  }

  // SQLAlchemy's registry resolves a string by class name (or its module path) among the registry's classes.
  void resolve_target(RelationshipDef& r, const ClassPlan& plan, const ClassInfo* referenced) const {
    if (referenced) {
      r.target = referenced->is_mapped() ? referenced : nullptr;
      if (r.target_source != RelationshipDef::TargetSource::String) r.target_name = referenced->def->name;
      return;
    }
    if (r.target_name.empty()) return;
    std::string name = last_segment(r.target_name);
    std::string module_path = r.target_name.size() > name.size() ? r.target_name.substr(0, r.target_name.size() - name.size() - 1) : "";
    std::vector<const MappedClassDef*> candidates;
    for (const MappedClassDef* c : m_.classes_named(name)) {
      if (!module_path.empty()) {
        const std::string& key = c->cls->file->module_key;
        bool matches = key == module_path ||
                       (key.size() > module_path.size() && key.compare(key.size() - module_path.size(), module_path.size(), module_path) == 0 &&
                        key[key.size() - module_path.size() - 1] == '.');
        if (!matches) continue;
      }
      candidates.push_back(c);
    }
    std::vector<const MappedClassDef*> same_registry;
    for (const MappedClassDef* c : candidates) {
      if (c->registry == plan.base.registry) same_registry.push_back(c);
    }
    const auto& pool = same_registry.empty() ? candidates : same_registry;
    if (pool.size() == 1) {
      r.target = pool.front()->cls;
      r.target_other_registry = same_registry.empty() && !plan.base.registry.empty() && !pool.front()->registry.empty();
    } else if (pool.size() > 1) {
      r.target_ambiguous = true;
    }
  }

  void resolve_secondary(RelationshipDef& r, const ProjectFile& file) const {
    const Expr* e = r.secondary_expr;
    if (!e) return;
    if (e->kind == Expr::Kind::Lambda && e->target) e = e->target.get();
    const std::string metadata = r.table ? r.table->metadata : "";
    if (e->is_string()) {
      ForeignKeyDef parts;
      split_target_string(e->text + ".x", parts);  // "schema.table" -> the same split as a column spec
      r.secondary_name = parts.target_table;
      std::string schema = parts.target_schema.empty() ? default_schema(metadata) : parts.target_schema;
      r.secondary = lookup(metadata, schema, parts.target_table);
      return;
    }
    if (!e->is_name_like()) return;
    const Expr* holder = e;
    if (e->kind == Expr::Kind::Attribute && e->name == "__table__" && e->target) holder = e->target.get();
    if (const ClassInfo* cls = project_.resolve_class(file, holder->text)) {
      r.secondary = m_.table_of(*cls);  // SQLModel link_model=, or Model.__table__
    } else {
      Located found = locate(file, e->text);
      if (auto it = found.assignment ? table_by_assignment_.find(found.assignment) : table_by_assignment_.end();
          it != table_by_assignment_.end()) {
        r.secondary = &m_.tables_[it->second];
      }
    }
    r.secondary_name = r.secondary ? r.secondary->name : std::string(e->text);
  }

  // ---- Pointer lists, edges, metadata ---------------------------------------------------------------------------

  void finish() {
    for (auto [fk, constraint] : fk_constraint_) {
      m_.foreign_keys_[fk].constraint = &m_.constraints_[constraint];
      m_.constraints_[constraint].foreign_key = &m_.foreign_keys_[fk];
    }
    for (const ForeignKeyDef& fk : m_.foreign_keys_) m_.tables_[fk.table->index].foreign_keys.push_back(&fk);
    for (const ConstraintDef& c : m_.constraints_) {
      if (c.table) m_.tables_[c.table->index].constraints.push_back(&c);
    }
    for (const RelationshipDef& r : m_.relationships_) {
      if (r.table) m_.tables_[r.table->index].relationships.push_back(&r);
      m_.classes_[m_.class_index_.at(r.owner)].relationships.push_back(&r);
      if (!r.backref.empty() && r.target) {
        if (auto it = m_.class_index_.find(r.target); it != m_.class_index_.end()) m_.classes_[it->second].backrefs.push_back(&r);
      }
    }
    for (const ForeignKeyDef& fk : m_.foreign_keys_) {
      if (fk.target) m_.edges_.push_back(ForeignKeyEdge{fk.table->index, fk.target->index, &fk});
    }
    std::stable_sort(m_.edges_.begin(), m_.edges_.end(), [](const auto& a, const auto& b) { return a.from < b.from; });
    m_.edge_offsets_.assign(m_.tables_.size() + 1, 0);
    for (const ForeignKeyEdge& e : m_.edges_) ++m_.edge_offsets_[e.from + 1];
    for (size_t i = 1; i < m_.edge_offsets_.size(); ++i) m_.edge_offsets_[i] += m_.edge_offsets_[i - 1];
    for (auto& [key, def] : metadata_) m_.metadata_.push_back(std::move(def));  // std::map: sorted by key
  }

  const Project& project_;
  TableModel& m_;
  unsigned jobs_;
  std::unordered_map<const ClassAttribute*, const ColumnInfo*> column_by_attr_;
  std::unordered_map<const Expr*, const ColumnInfo*> column_by_construct_;
  std::unordered_map<const ClassInfo*, std::vector<const ClassInfo*>> mro_cache_;
  std::unordered_map<const ClassInfo*, BaseInfo> base_cache_;
  std::map<std::string, MetadataDef> metadata_;
  std::vector<ClassPlan> plans_;
  std::unordered_map<const ClassInfo*, size_t> plan_index_;
  std::vector<CorePlan> core_plans_;
  std::unordered_map<const Assignment*, size_t> table_by_assignment_;
  std::vector<const ClassInfo*> table_args_class_;  // per table: the class whose __table_args__ applies
  std::vector<ColumnDef*> fk_column_;               // per foreign key: its inline column, or null
  std::vector<std::pair<size_t, size_t>> fk_constraint_;  // (foreign key, constraint) pairs
};

TableModel::TableModel(const Project& project, unsigned jobs) { TableModelBuilder(project, *this, jobs).build(); }

std::span<const ForeignKeyEdge> TableModel::edges_from(const TableDef& table) const {
  if (table.index + 1 >= edge_offsets_.size()) return {};
  return std::span<const ForeignKeyEdge>(edges_.data() + edge_offsets_[table.index],
                                         edge_offsets_[table.index + 1] - edge_offsets_[table.index]);
}

std::vector<const TableDef*> TableModel::find(std::string_view metadata, std::string_view schema,
                                              std::string_view name) const {
  auto it = by_key_.find(table_key(metadata, schema, name));
  return it == by_key_.end() ? std::vector<const TableDef*>{} : it->second;
}

std::span<const TableDef* const> TableModel::named(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  if (it == by_name_.end()) return {};
  return std::span<const TableDef* const>(it->second.data(), it->second.size());
}

const MappedClassDef* TableModel::mapped_class(const ClassInfo& cls) const {
  auto it = class_index_.find(&cls);
  return it == class_index_.end() ? nullptr : &classes_[it->second];
}

const TableDef* TableModel::table_of(const ClassInfo& cls) const {
  const MappedClassDef* def = mapped_class(cls);
  return def ? def->table : nullptr;
}

std::span<const MappedClassDef* const> TableModel::classes_named(std::string_view name) const {
  auto it = classes_by_name_.find(std::string(name));
  if (it == classes_by_name_.end()) return {};
  return std::span<const MappedClassDef* const>(it->second.data(), it->second.size());
}

const MetadataDef* TableModel::find_metadata(std::string_view key) const {
  auto it = std::lower_bound(metadata_.begin(), metadata_.end(), key,
                             [](const MetadataDef& def, std::string_view k) { return def.key < k; });
  return it != metadata_.end() && it->key == key ? &*it : nullptr;
}

const RelationshipDef* TableModel::find_relationship(const ClassInfo& cls, std::string_view attribute) const {
  const MappedClassDef* def = mapped_class(cls);
  for (int guard = 0; def && guard < kMaxDepth; ++guard) {
    for (const RelationshipDef* r : def->relationships) {
      if (r->attribute == attribute) return r;
    }
    def = def->parent ? mapped_class(*def->parent) : nullptr;
  }
  return nullptr;
}

bool TableModel::has_unnamed_tables(std::string_view metadata) const {
  return unnamed_metadata_.count(std::string(metadata)) > 0;
}

bool TableModel::columns_unseen(const TableDef& table) const {
  if (table.reflected || table.external_columns) return true;
  for (const TableDef* t : find(table.metadata, table.schema, table.name)) {
    if (t->reflected || t->external_columns) return true;
    for (const ColumnDef& c : t->columns) {
      if (c.name.empty()) return true;
    }
  }
  return false;
}

const TableDef* TableModel::table_of_call(const Expr& table_call) const {
  auto it = table_by_call_.find(&table_call);
  return it == table_by_call_.end() ? nullptr : &tables_[it->second];
}

std::vector<const TableDef*> TableModel::tables_in(const ProjectFile& file) const {
  std::vector<const TableDef*> out;
  auto it = tables_by_file_.find(&file);
  if (it == tables_by_file_.end()) return out;
  for (size_t i : it->second) out.push_back(&tables_[i]);
  return out;
}

}  // namespace ormlint
