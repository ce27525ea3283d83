// mutable-column-default: a column's Python-side default that is one mutable object — `default={}`,
// `default=[]`, `default=dict()`, `default=set()`... SQLAlchemy uses a non-callable default as-is for every
// INSERT and puts that same object on each new instance, so mutating one row's value in Python changes what
// later rows get; on a MappedAsDataclass class, mapping fails outright. Callables (`default=dict`,
// `default=lambda: {...}`), immutable values and SQLModel's own Field(default=...) (Pydantic copies it per
// instance) are fine, and so is a flat default of a `MutableDict.as_mutable(...)` column (the mutable
// extension copies it per instance); so are migrations, where a Column's Python default never reaches the
// database.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/text.h"
#include "engine/rule.h"
#include "project/assigned_value.h"

namespace ormlint {

namespace {

// Constructors of mutable containers (canonical names) and the factory to pass instead.
struct MutableKind {
  std::string_view what;     // "dict"
  std::string_view factory;  // "dict"
};

std::optional<MutableKind> mutable_value(const Expr& value) {
  switch (value.kind) {
    case Expr::Kind::Dict:
      return MutableKind{"dict", "dict"};
    case Expr::Kind::List:
      return MutableKind{"list", "list"};
    case Expr::Kind::Set:
      return MutableKind{"set", "set"};
    case Expr::Kind::Other:
      if (value.name == "dictionary_comprehension") return MutableKind{"dict", "dict"};
      if (value.name == "list_comprehension") return MutableKind{"list", "list"};
      if (value.name == "set_comprehension") return MutableKind{"set", "set"};
      return std::nullopt;
    case Expr::Kind::Call:
      break;
    default:
      return std::nullopt;
  }
  const FactText origin = value.origin();
  if (origin == "builtins.dict" || origin == "dict") return MutableKind{"dict", "dict"};
  if (origin == "builtins.list" || origin == "list") return MutableKind{"list", "list"};
  if (origin == "builtins.set" || origin == "set") return MutableKind{"set", "set"};
  if (origin == "builtins.bytearray" || origin == "bytearray") return MutableKind{"bytearray", "bytearray"};
  if (origin == "collections.defaultdict") return MutableKind{"defaultdict", ""};
  if (origin == "collections.OrderedDict") return MutableKind{"OrderedDict", "OrderedDict"};
  if (origin == "collections.deque") return MutableKind{"deque", "deque"};
  if (origin == "collections.Counter") return MutableKind{"Counter", "Counter"};
  return std::nullopt;
}

// Some base of `cls` outside the project, its own or one of its project ancestors', satisfies `pred`.
template <class Pred>
bool any_external_base(const ClassInfo& cls, const Pred& pred) {
  if (std::any_of(cls.external_bases.begin(), cls.external_bases.end(), pred)) return true;
  for (const ClassInfo* ancestor : cls.ancestors()) {
    if (std::any_of(ancestor->external_bases.begin(), ancestor->external_bases.end(), pred)) return true;
  }
  return false;
}

bool is_mutable_class_name(std::string_view name) {
  return name.starts_with("sqlalchemy.ext.mutable.Mutable");
}

// A class of sqlalchemy.ext.mutable (MutableDict, MutableList, MutableSet), or a project class deriving from
// its Mutable (redash's own MutableDict).
bool is_mutable_extension(const Project& project, const ProjectFile& file, const Expr& cls) {
  if (is_mutable_class_name(cls.origin())) return true;
  const ClassInfo* info = cls.is_name_like() ? project.resolve_class(file, cls.text) : nullptr;
  return info && any_external_base(*info, is_mutable_class_name);
}

// The column's type is `MutableDict.as_mutable(JSON)` and the default holds no mutable inside it: the mutable
// extension coerces a plain dict, list or set set on an instance — the default too, once it is flushed — into
// a new MutableDict/MutableList/MutableSet, so no two rows share it (redash writes `default={}` so). A nested
// one
// (`{"tags": []}`) is still shared: the copy is shallow.
bool copied_by_mutable_extension(const Project& project, const ColumnInfo& column, const Expr& object) {
  const Expr* type = column.type.expr;
  if (!type || !column.file) return false;
  // The sqlalchemy-json package's types are built on the same extension (pybossa's `mutable_json_type(dbtype=
  // JSONB, nested=True)`, NestedMutableJson): its coerce() copies a plain dict or list (the nested ones
  // deeply; taken as copied either way).
  const FactText origin = type->is_call() ? type->origin() : type->resolved;
  if (origin == "sqlalchemy_json.mutable_json_type" || origin == "sqlalchemy_json.MutableJson" ||
      origin == "sqlalchemy_json.NestedMutableJson") {
    return true;
  }
  if (type->callee_name() != "as_mutable" || !type->receiver()) return false;
  if (!is_mutable_extension(project, *column.file, *type->receiver())) return false;
  for (size_t i = object.kind == Expr::Kind::Dict ? 1 : 0; i < object.items.size();
       i += object.kind == Expr::Kind::Dict ? 2 : 1) {
    if (mutable_value(object.items[i])) return false;
  }
  return true;
}

bool is_empty_constructor(const Expr& value) {
  if (value.is_call()) return value.items.empty() && value.keywords.empty();
  return value.items.empty() && value.kind != Expr::Kind::Other;
}

std::string column_label(const ColumnInfo& column) {
  if (!column.table.empty() && !column.name.empty()) return "`" + column.table + "." + column.name + "`";
  if (!column.name.empty()) return "`" + column.name + "`";
  return "the column";
}

class MutableColumnDefault final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL403",
                               "mutable-column-default",
                               "Column default is one mutable object ({}, [], dict()) shared by every row",
                               Severity::Warning,
                               Profile::Any,
                               true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    std::set<uint32_t> seen;
    for (const ColumnInfo* column : project.columns_in(file)) {
      if (column->context == ColumnInfo::Context::Migration || !column->construct) continue;
      const Expr& construct = *column->construct;
      // SQLModel's Field(default={}) is a Pydantic default, copied for each instance; its sa_column_kwargs
      // are not.
      const bool pydantic_field = construct.origin() == "sqlmodel.Field";
      for (std::string_view name : {"default", "insert_default", "onupdate"}) {
        const Expr* value = pydantic_field ? nullptr : construct.keyword(name);
        if (value) check_value(file, project, *column, std::string(name), *value, seen, out);
      }
      check_column_kwargs(file, project, *column, construct, seen, out);
      if (column->attribute && column->attribute->value && &*column->attribute->value != &construct &&
          column->attribute->value->is_call()) {
        check_column_kwargs(file, project, *column, *column->attribute->value, seen,
                            out);  // Field(sa_column=..., sa_column_kwargs=...)
      }
    }
  }

 private:
  static void check_column_kwargs(const ProjectFile& file, const Project& project, const ColumnInfo& column,
                                  const Expr& construct, std::set<uint32_t>& seen, Reporter& out) {
    const Expr* extra = construct.keyword("sa_column_kwargs");
    if (!extra || extra->kind != Expr::Kind::Dict) return;
    for (size_t i = 0; i + 1 < extra->items.size(); i += 2) {
      const Expr& key = extra->items[i];
      if (key.is_string() && (key.text == "default" || key.text == "insert_default")) {
        check_value(file, project, column, key.text, extra->items[i + 1], seen, out);
      }
    }
  }

  static void check_value(const ProjectFile& file, const Project& project, const ColumnInfo& column,
                          const std::string& keyword, const Expr& value, std::set<uint32_t>& seen,
                          Reporter& out) {
    // `default=DEFAULT_SETTINGS` with `DEFAULT_SETTINGS = {...}` at module level (here or imported): the same
    // one object, only named.
    const Expr* object = &value;
    if (value.is_name_like()) {
      const ProjectFile* holder = &file;
      object = assigned_value(project, holder, std::string(value.text), 8);
      if (!object) return;
    }
    auto kind = mutable_value(*object);
    if (!kind || copied_by_mutable_extension(project, column, *object) ||
        !seen.insert(value.loc.start_byte).second) {
      return;
    }
    const bool named = object != &value;
    const std::string what(kind->what);
    const std::string shown = "`" + keyword + "=" + file.written(value, 40) + "` on " + column_label(column);
    const std::string object_text = named ? what + " (the module-level `" + value.text + "`)" : what;
    // A factory building a new one per row: the bare constructor for an empty literal, else a copy of the
    // value.
    const std::string factory = named ? "lambda: copy.deepcopy(" + value.text + ")"
                                : is_empty_constructor(value) && !kind->factory.empty()
                                    ? std::string(kind->factory)
                                    : "lambda: " + file.written(value, 40);
    if (column.owner && is_dataclass_mapped(*column.owner) && keyword == "default") {
      // MappedAsDataclass turns default= into the dataclass field's default, which dataclasses refuse.
      out.report(
          file, value.loc,
          shown + " is a mutable " + object_text +
              " default on a MappedAsDataclass class: mapping the class fails at import, because dataclasses "
              "refuse it (\"ValueError: mutable default ... is not allowed: use default_factory\")",
          "use `default_factory=" + factory + "`");
      return;
    }
    out.report(
        file, value.loc,
        shown + " is one " + object_text +
            " shared by every row: SQLAlchemy puts that same object on each new instance, so changing one "
            "row's " +
            what + " in place changes the default for the rows inserted after it",
        "pass a factory that builds a new " + what + " per row: `" + keyword + "=" + factory + "`");
  }

  // The class maps as a dataclass: it derives (directly or through project classes) from MappedAsDataclass.
  static bool is_dataclass_mapped(const ClassInfo& cls) {
    return any_external_base(
        cls, [](std::string_view base) { return base == "sqlalchemy.orm.MappedAsDataclass"; });
  }
};

ORMLINT_RULE(MutableColumnDefault);

}  // namespace

}  // namespace ormlint
