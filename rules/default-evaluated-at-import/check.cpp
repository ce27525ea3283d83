// default-evaluated-at-import: a column's Python-side default (default= / insert_default= / onupdate=, a
// SQLModel Field default=, sa_column_kwargs) given the *result* of a call that yields a new value each time —
// datetime.now(), uuid.uuid4(), time.time(), secrets.token_hex(16)... The call runs once, when the class body
// runs at import, and every row then gets that one value. Callables (`default=uuid.uuid4`), lambdas, SQL
// expressions (func.now(), text(...)) and constant constructors (Decimal("0")) are fine. Migrations are left
// alone: a Column's Python default in op.create_table never reaches the database.
#include <set>
#include <string>
#include <string_view>

#include "core/text.h"
#include "engine/rule.h"
#include "project/assigned_value.h"

namespace ormlint {

namespace {

// Functions that return a different value on every call (canonical names). Deterministic ones (uuid.uuid5,
// datetime.fromtimestamp) are not here.
const std::set<std::string, std::less<>> kFreshValueFunctions = {"datetime.datetime.now",
                                                                 "datetime.datetime.utcnow",
                                                                 "datetime.datetime.today",
                                                                 "datetime.date.today",
                                                                 "time.time",
                                                                 "time.time_ns",
                                                                 "time.monotonic",
                                                                 "time.perf_counter",
                                                                 "time.localtime",
                                                                 "time.gmtime",
                                                                 "time.ctime",
                                                                 "time.strftime",
                                                                 "uuid.uuid1",
                                                                 "uuid.uuid4",
                                                                 "uuid.uuid6",
                                                                 "uuid.uuid7",
                                                                 "uuid6.uuid6",
                                                                 "uuid6.uuid7",
                                                                 "uuid_utils.uuid4",
                                                                 "uuid_utils.uuid7",
                                                                 "uuid_extensions.uuid7",
                                                                 "ulid.ULID",
                                                                 "ulid.new",
                                                                 "shortuuid.uuid",
                                                                 "shortuuid.random",
                                                                 "nanoid.generate",
                                                                 "secrets.token_hex",
                                                                 "secrets.token_urlsafe",
                                                                 "secrets.token_bytes",
                                                                 "secrets.choice",
                                                                 "secrets.randbelow",
                                                                 "secrets.randbits",
                                                                 "os.urandom",
                                                                 "random.random",
                                                                 "random.randint",
                                                                 "random.randrange",
                                                                 "random.choice",
                                                                 "random.choices",
                                                                 "random.sample",
                                                                 "random.uniform",
                                                                 "random.getrandbits",
                                                                 "random.randbytes",
                                                                 "pendulum.now",
                                                                 "pendulum.today",
                                                                 "arrow.now",
                                                                 "arrow.utcnow"};

// Functions whose value the database can produce itself with func.now().
bool is_timestamp(std::string_view origin) {
  return origin.rfind("datetime.datetime.", 0) == 0 || origin.rfind("pendulum.", 0) == 0 ||
         origin.rfind("arrow.", 0) == 0;
}

// The first call to a fresh-value function the expression evaluates right away (not inside a lambda).
const Expr* fresh_value_call(const Expr& e) {
  if (e.kind == Expr::Kind::Lambda) return nullptr;
  if (e.is_call() && kFreshValueFunctions.count(e.origin())) return &e;
  if (e.target) {
    if (const Expr* found = fresh_value_call(*e.target)) return found;
  }
  for (const Expr& item : e.items) {
    if (const Expr* found = fresh_value_call(item)) return found;
  }
  for (const Keyword& kw : e.keywords) {
    if (const Expr* found = fresh_value_call(kw.value)) return found;
  }
  return nullptr;
}

// The value as written (a call's text holds only its callee, so the argument list is rebuilt).
std::string written(const Expr& e) {
  if (e.kind == Expr::Kind::String) return "\"" + e.text + "\"";
  if (!e.is_call() || !e.target) return one_line(e.text);
  std::string out = written(*e.target) + "(";
  bool first = true;
  for (const Expr& arg : e.items) {
    out += (first ? "" : ", ") + written(arg);
    first = false;
  }
  for (const Keyword& kw : e.keywords) {
    out += (first ? "" : ", ") + kw.written_prefix() + written(kw.value);
    first = false;
  }
  return out + ")";
}

std::string column_label(const ColumnInfo& column) {
  if (!column.table.empty() && !column.name.empty()) return "`" + column.table + "." + column.name + "`";
  if (!column.name.empty()) return "`" + column.name + "`";
  return "the column";
}

bool keyword_true(const Expr* construct, std::string_view name) {
  const Expr* value = construct ? construct->keyword(name) : nullptr;
  return value && value->is_true();
}

class DefaultEvaluatedAtImport final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL402",
        "default-evaluated-at-import",
        "Column default is a value computed once at import (datetime.now(), uuid.uuid4()), "
        "not a callable",
        Severity::Error,
        Profile::Any,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    std::set<uint32_t> seen;  // a construct shared by two columns (a helper's) is judged once
    for (const ColumnInfo* column : project.columns_in(file)) {
      if (column->context == ColumnInfo::Context::Migration) continue;
      if (column->construct) check_construct(file, project, *column, *column->construct, seen, out);
      // SQLModel: Field(default=..., sa_column=Column(...)) around the column.
      if (column->attribute && column->attribute->value) {
        const Expr& value = *column->attribute->value;
        if (&value != column->construct && value.is_call() && value.origin() == "sqlmodel.Field") {
          check_construct(file, project, *column, value, seen, out);
        }
      }
    }
    // A class naming its table whose base ormlint cannot follow (unresolved-model-base: Flexget's
    // `Base = versioned_base(...)`) has no columns in the model, but its `Column(...)` calls run at import
    // all the same: each is judged on its own.
    for (const ClassDef& def : file.facts.classes) {
      const ClassInfo* cls = project.class_info(def);
      const ClassAttribute* table_name = cls ? cls->unmapped_table_name() : nullptr;
      if (!table_name) continue;
      for (const ClassAttribute& attribute : def.attributes) {
        const Expr* value = attribute.value ? &*attribute.value : nullptr;
        if (!value || !value->is_call()) continue;
        const FactText origin = value->origin();
        if (origin != "sqlalchemy.Column" && origin != "sqlalchemy.orm.mapped_column") continue;
        ColumnInfo column;
        column.file = &file;
        column.table = table_name->value->text;
        column.name = attribute.name;
        column.construct = value;
        check_construct(file, project, column, *value, seen, out);
      }
    }
  }

 private:
  static void check_construct(const ProjectFile& file, const Project& project, const ColumnInfo& column,
                              const Expr& construct, std::set<uint32_t>& seen, Reporter& out) {
    for (std::string_view name : {"default", "insert_default", "onupdate"}) {
      if (const Expr* value = construct.keyword(name)) {
        check_value(file, project, column, construct, std::string(name), *value, seen, out);
      }
    }
    const Expr* extra = construct.keyword("sa_column_kwargs");  // SQLModel: sa_column_kwargs={"default": ...}
    if (!extra || extra->kind != Expr::Kind::Dict) return;
    for (size_t i = 0; i + 1 < extra->items.size(); i += 2) {
      const Expr& key = extra->items[i];
      if (key.is_string() &&
          (key.text == "default" || key.text == "onupdate" || key.text == "insert_default")) {
        check_value(file, project, column, construct, key.text, extra->items[i + 1], seen, out);
      }
    }
  }

  static void check_value(const ProjectFile& file, const Project& project, const ColumnInfo& column,
                          const Expr& construct, const std::string& keyword, const Expr& value,
                          std::set<uint32_t>& seen, Reporter& out) {
    const Expr* call = fresh_value_call(value);
    // `default=timestamp()`, a function of the project that only returns one (tasking-manager's
    // `def timestamp(): return datetime.datetime.utcnow()`): called once, at import, just the same.
    if (!call && value.is_call() && value.items.empty() && value.keywords.empty()) {
      const FunctionDef* fn = project_function(project, value.origin(), nullptr);
      if (fn && fn->returned_call && fresh_value_call(*fn->returned_call)) call = &value;
    }
    if (!call || !seen.insert(value.loc.start_byte).second) return;
    const std::string shown = "`" + keyword + "=" + written(value) + "`";
    const std::string callee = call->target ? one_line(call->target->text) : "the function";
    const bool unique = keyword != "onupdate" && (keyword_true(column.construct, "primary_key") ||
                                                  keyword_true(column.construct, "unique"));
    std::string message = shown + " calls `" + callee + "()` once, when the module is imported: every row " +
                          (keyword == "onupdate" ? "updated" : "inserted") +
                          " without its own value gets that same value in " + column_label(column);
    if (unique) message += ", so the second insert fails with a duplicate key";
    out.report(file, value.loc, std::move(message), help(keyword, construct, value, *call));
  }

  static std::string help(const std::string& keyword, const Expr& construct, const Expr& value,
                          const Expr& call) {
    const std::string origin = call.origin();
    const std::string callee = call.target ? one_line(call.target->text) : "";
    // Pydantic stores a SQLModel Field's default= as-is: the callable goes to default_factory=.
    const bool pydantic_field = construct.origin() == "sqlmodel.Field" && keyword == "default";
    const std::string name = pydantic_field ? "default_factory" : keyword;
    const bool whole_value = &value == &call;
    std::string fix;
    if (whole_value && (origin == "datetime.datetime.now" || origin == "datetime.datetime.utcnow" ||
                        origin == "datetime.datetime.today")) {
      fix = "`" + name + "=lambda: " + aware_now(callee) +
            "`";  // the callable, and aware (naive-datetime-default)
    } else if (whole_value && call.items.empty() && call.keywords.empty() && !callee.empty()) {
      fix = "`" + name + "=" + callee + "`";  // the function itself
    } else {
      fix = "`" + name + "=lambda: " + written(value) + "`";
    }
    std::string help = "pass a callable so each row gets its own value: " + fix;
    std::string database_side = origin == "datetime.date.today" ? "func.current_date()"
                                : is_timestamp(origin)          ? "func.now()"
                                                                : "";
    if (!database_side.empty() && !pydantic_field) {
      help += ", or let the database do it: `" +
              std::string(keyword == "onupdate" ? "onupdate=" : "server_default=") + database_side + "`";
    }
    return help;
  }

  // `datetime.now(timezone.utc)` in the user's import style: "dt.datetime.utcnow" ->
  // "dt.datetime.now(dt.timezone.utc)".
  static std::string aware_now(const std::string& callee) {
    size_t dot = callee.rfind('.');
    std::string cls = dot == std::string::npos ? "datetime" : callee.substr(0, dot);
    size_t module_dot = cls.rfind('.');
    std::string tz =
        module_dot == std::string::npos ? "timezone.utc" : cls.substr(0, module_dot) + ".timezone.utc";
    return cls + ".now(" + tz + ")";
  }
};

ORMLINT_RULE(DefaultEvaluatedAtImport);

}  // namespace

}  // namespace ormlint
