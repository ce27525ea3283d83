// builtin-shadowing-attribute (off by default): a mapped attribute named after a Python builtin — `type`,
// `format`, `hash`, `filter`, `input`, `object`, `property`, `list`, `dict`, ... — on a mapped class or a
// mixin feeding one, and `id` when it is a string column (String/Text/...; an Integer, BigInteger or UUID
// `id` is the convention and is fine). Inside the class body the name now means the column, not the builtin,
// and the seeds' team bans both spellings.
#include <set>
#include <string>
#include <string_view>

#include "engine/rule.h"
#include "project/sqlalchemy_names.h"

namespace ormlint {

namespace {

// Builtin functions and types (not exceptions, not the names `site` adds); `id` is judged by its type.
const std::set<std::string, std::less<>> kBuiltins = {
    "abs",        "aiter",      "all",       "anext",  "any",          "ascii",     "bin",
    "bool",       "breakpoint", "bytearray", "bytes",  "callable",     "chr",       "classmethod",
    "compile",    "complex",    "delattr",   "dict",   "dir",          "divmod",    "enumerate",
    "eval",       "exec",       "filter",    "float",  "format",       "frozenset", "getattr",
    "globals",    "hasattr",    "hash",      "hex",    "input",        "int",       "isinstance",
    "issubclass", "iter",       "len",       "list",   "locals",       "map",       "max",
    "memoryview", "min",        "next",      "object", "oct",          "open",      "ord",
    "pow",        "print",      "property",  "range",  "repr",         "reversed",  "round",
    "set",        "setattr",    "slice",     "sorted", "staticmethod", "str",       "sum",
    "super",      "tuple",      "type",      "vars",   "zip"};

const std::set<std::string, std::less<>> kStringTypes = {
    "sqlalchemy.String",  "sqlalchemy.Text", "sqlalchemy.Unicode",  "sqlalchemy.UnicodeText",
    "sqlalchemy.VARCHAR", "sqlalchemy.CHAR", "sqlalchemy.NVARCHAR", "sqlalchemy.NCHAR",
    "sqlalchemy.TEXT",    "sqlalchemy.CLOB"};

class BuiltinShadowingAttribute final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL408",
                               "builtin-shadowing-attribute",
                               "Mapped attribute named after a Python builtin (type, format, hash...), or a "
                               "string `id`",
                               Severity::Warning,
                               Profile::Any,
                               false};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    const auto columns = project.columns_in(file);
    for (const ClassDef& def : file.facts.classes) {
      const ClassInfo* cls = project.class_info(def);
      if (!cls || !cls->contributes_mapped_attributes()) continue;
      for (const ClassAttribute& attr : def.attributes) {
        if (!is_mapped_attribute(*cls, attr)) continue;
        if (attr.name == "id") {
          check_id(file, def, attr, columns, out);
        } else if (kBuiltins.count(attr.name)) {
          const bool column = is_column_attribute(*cls, attr);
          out.report(file, attr.loc,
                     "`" + def.name + "." + attr.name + "` shadows the builtin `" + attr.name +
                         "()`: inside the class body `" + attr.name + "` now names the " +
                         (column ? "column" : "attribute") + ", and readers must guess which one is meant",
                     help(*cls, attr, column));
        }
      }
    }
  }

 private:
  // `id` is fine as an integer or UUID key; a string `id` is what the seeds forbid.
  static void check_id(const ProjectFile& file, const ClassDef& def, const ClassAttribute& attr,
                       const std::vector<const ColumnInfo*>& columns, Reporter& out) {
    for (const ColumnInfo* column : columns) {
      if (column->attribute != &attr) continue;
      if (!kStringTypes.count(column->type.origin)) return;
      const std::string type(column->type.origin.substr(column->type.origin.rfind('.') + 1));
      out.report(
          file, attr.loc,
          "`" + def.name + ".id` is a " + type +
              " column: string keys are wider and compared by collation, so they index and join slower than "
              "integer or UUID keys; `id` also shadows the builtin `id()`",
          "use an Integer/BigInteger or UUID primary key (`Uuid`, `UUID(as_uuid=True)`); keep a string "
          "identifier in its own unique column (e.g. `external_id`)");
      return;
    }
  }

  // A column (rather than a relationship, synonym or property): its database name can be kept.
  static bool is_column_attribute(const ClassInfo& cls, const ClassAttribute& attr) {
    if (!attr.value) return true;  // `type: Mapped[str]`, a SQLModel field
    const FactText origin = attr.value->origin();
    return origin == "sqlalchemy.Column" || origin == "sqlalchemy.orm.mapped_column" ||
           (cls.sqlmodel && origin == "sqlmodel.Field") || !attr.value->is_call();
  }

  // The rename, in the declaration style at hand, keeping the database column name.
  static std::string help(const ClassInfo& cls, const ClassAttribute& attr, bool column) {
    const std::string name = suggested(cls, attr);
    if (!column) return "rename the attribute, e.g. `" + name + "`";
    const FactText origin = attr.value ? attr.value->origin() : FactText();
    std::string example;
    if (origin == "sqlalchemy.Column") {
      example = name + " = Column(\"" + attr.name + "\", ...)";
    } else if (cls.sqlmodel && (origin.empty() || origin == "sqlmodel.Field")) {
      example = name + ": ... = Field(sa_column_kwargs={\"name\": \"" + attr.name + "\"})";
    } else {
      example = name + ": Mapped[...] = mapped_column(\"" + attr.name + "\", ...)";
    }
    return "rename the attribute and keep the column name: `" + example + "`";
  }

  // `type` on `Tool` -> `tool_type`; on a mixin, whose subclasses vary, PEP 8's `type_`.
  static std::string suggested(const ClassInfo& cls, const ClassAttribute& attr) {
    if (!cls.is_mapped()) return attr.name + "_";
    const std::string& cls_name = cls.def->name;
    std::string snake;
    for (size_t i = 0; i < cls_name.size(); ++i) {
      char c = cls_name[i];
      if (c >= 'A' && c <= 'Z') {
        if (i > 0) snake += '_';
        snake += static_cast<char>(c - 'A' + 'a');
      } else {
        snake += c;
      }
    }
    return snake + "_" + attr.name;
  }
};

ORMLINT_RULE(BuiltinShadowingAttribute);

}  // namespace

}  // namespace ormlint
