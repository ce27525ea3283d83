// undefined-name: a name read at module or class level of a model module or an Alembic revision script
// that nothing binds — not imported, assigned, defined, a builtin, nor (for class-level code) bound in the
// class body. Python raises NameError when it imports the module: the app does not start, and Alembic, which
// imports every revision script, cannot load its history. Function and lambda bodies are not judged (their
// scopes are many); a star import or a dynamic binding (globals(), exec) silences the rule for the file.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rule.h"

namespace ormlint {

namespace {

using Names = std::set<std::string, std::less<>>;

// Python 3's builtins module (3.8 to 3.14), with the names site adds (exit, help, ...).
// clang-format off
const std::set<std::string_view> kBuiltins = {
    "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
    "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError",
    "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
    "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning", "EnvironmentError", "Exception",
    "ExceptionGroup", "False", "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
    "GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError", "IndexError",
    "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
    "ModuleNotFoundError", "NameError", "None", "NotADirectoryError", "NotImplemented",
    "NotImplementedError", "OSError", "OverflowError", "PendingDeprecationWarning", "PermissionError",
    "ProcessLookupError", "PythonFinalizationError", "RecursionError", "ReferenceError", "ResourceWarning",
    "RuntimeError", "RuntimeWarning", "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning",
    "SystemError", "SystemExit", "TabError", "TimeoutError", "True", "TypeError", "UnboundLocalError",
    "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError", "UnicodeWarning",
    "UserWarning", "ValueError", "Warning", "WindowsError", "ZeroDivisionError", "__build_class__",
    "__debug__", "__import__", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint",
    "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex", "copyright", "credits",
    "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter", "float", "format",
    "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance",
    "issubclass", "iter", "len", "license", "list", "locals", "map", "max", "memoryview", "min", "next",
    "object", "oct", "open", "ord", "pow", "print", "property", "quit", "range", "repr", "reversed", "round",
    "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "type", "vars",
    "zip"};
// clang-format on

// Names every module has without a statement binding them; `_` is gettext's, which install() puts in
// builtins.
const std::set<std::string_view> kModuleGlobals = {
    "__name__",   "__file__",     "__doc__",  "__package__",     "__loader__", "__spec__",
    "__cached__", "__builtins__", "__path__", "__annotations__", "_"};
// ...and every class body (read before the class exists).
const std::set<std::string_view> kClassBodyNames = {"__module__", "__qualname__", "__annotations__"};

// Where a common name comes from, for the fix.
struct KnownImport {
  std::string_view name;
  std::string_view statement;
};
constexpr KnownImport kKnownImports[] = {
    {"sa", "import sqlalchemy as sa"},
    {"op", "from alembic import op"},
    {"Column", "from sqlalchemy import Column"},
    {"Integer", "from sqlalchemy import Integer"},
    {"BigInteger", "from sqlalchemy import BigInteger"},
    {"SmallInteger", "from sqlalchemy import SmallInteger"},
    {"String", "from sqlalchemy import String"},
    {"Text", "from sqlalchemy import Text"},
    {"Unicode", "from sqlalchemy import Unicode"},
    {"Boolean", "from sqlalchemy import Boolean"},
    {"DateTime", "from sqlalchemy import DateTime"},
    {"Date", "from sqlalchemy import Date"},
    {"Time", "from sqlalchemy import Time"},
    {"Interval", "from sqlalchemy import Interval"},
    {"Float", "from sqlalchemy import Float"},
    {"Numeric", "from sqlalchemy import Numeric"},
    {"LargeBinary", "from sqlalchemy import LargeBinary"},
    {"JSON", "from sqlalchemy import JSON"},
    {"Uuid", "from sqlalchemy import Uuid"},
    {"ForeignKey", "from sqlalchemy import ForeignKey"},
    {"Table", "from sqlalchemy import Table"},
    {"MetaData", "from sqlalchemy import MetaData"},
    {"Index", "from sqlalchemy import Index"},
    {"UniqueConstraint", "from sqlalchemy import UniqueConstraint"},
    {"CheckConstraint", "from sqlalchemy import CheckConstraint"},
    {"PrimaryKeyConstraint", "from sqlalchemy import PrimaryKeyConstraint"},
    {"ForeignKeyConstraint", "from sqlalchemy import ForeignKeyConstraint"},
    {"func", "from sqlalchemy import func"},
    {"text", "from sqlalchemy import text"},
    {"relationship", "from sqlalchemy.orm import relationship"},
    {"mapped_column", "from sqlalchemy.orm import mapped_column"},
    {"Mapped", "from sqlalchemy.orm import Mapped"},
    {"DeclarativeBase", "from sqlalchemy.orm import DeclarativeBase"},
    {"declarative_base", "from sqlalchemy.orm import declarative_base"},
    {"declared_attr", "from sqlalchemy.orm import declared_attr"},
    {"backref", "from sqlalchemy.orm import backref"},
    {"column_property", "from sqlalchemy.orm import column_property"},
    {"postgresql", "from sqlalchemy.dialects import postgresql"},
    {"mysql", "from sqlalchemy.dialects import mysql"},
    {"JSONB", "from sqlalchemy.dialects.postgresql import JSONB"},
    {"INET", "from sqlalchemy.dialects.postgresql import INET"},
    {"TSVECTOR", "from sqlalchemy.dialects.postgresql import TSVECTOR"},
    {"Optional", "from typing import Optional"},
    {"List", "from typing import List"},
    {"Dict", "from typing import Dict"},
    {"Any", "from typing import Any"},
    {"Union", "from typing import Union"},
    {"ClassVar", "from typing import ClassVar"},
    {"Annotated", "from typing import Annotated"},
    {"datetime", "from datetime import datetime"},
    {"date", "from datetime import date"},
    {"timezone", "from datetime import timezone"},
    {"timedelta", "from datetime import timedelta"},
    {"Decimal", "from decimal import Decimal"},
    {"uuid", "import uuid"},
    {"uuid4", "from uuid import uuid4"},
    {"enum", "import enum"},
    {"BaseModel", "from pydantic import BaseModel"},
    {"ConfigDict", "from pydantic import ConfigDict"},
    {"SQLModel", "from sqlmodel import SQLModel"},
};

std::optional<std::string_view> known_import(std::string_view name) {
  for (const KnownImport& known : kKnownImports) {
    if (known.name == name) return known.statement;
  }
  return std::nullopt;
}

// ---- "Did you mean": CPython's own suggestion (Python/suggestions.c), as the NameError would say it ----

constexpr size_t kMoveCost = 2;  // insert, delete, or substitute a different letter
constexpr size_t kCaseCost = 1;  // substitute the same letter in another case
constexpr size_t kMaxNameSize = 40;

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

size_t edit_cost(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j * kMoveCost;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i * kMoveCost;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitute = a[i - 1] == b[j - 1]                 ? 0
                          : lower(a[i - 1]) == lower(b[j - 1]) ? kCaseCost
                                                               : kMoveCost;
      size_t best = std::min({row[j] + kMoveCost, row[j - 1] + kMoveCost, diagonal + substitute});
      diagonal = row[j];
      row[j] = best;
    }
  }
  return row[b.size()];
}

template <class Candidates>
std::optional<std::string> closest(std::string_view name, const Candidates& candidates) {
  std::optional<std::string> best;
  size_t best_cost = 0;
  for (const auto& candidate : candidates) {
    std::string_view item(candidate);
    if (item == name || item.size() > kMaxNameSize) continue;
    size_t max_cost = (name.size() + item.size() + 3) * kMoveCost / 6;
    if (best && best_cost - 1 < max_cost) max_cost = best_cost - 1;
    size_t cost = edit_cost(name, item);
    if (cost > max_cost) continue;
    best = std::string(item);
    best_cost = cost;
  }
  return best;
}

// ---- Which names an expression reads ----

bool is_comprehension(const Expr& e) {
  return e.kind == Expr::Kind::Other &&
         (e.name == "list_comprehension" || e.name == "set_comprehension" ||
          e.name == "dictionary_comprehension" || e.name == "generator_expression");
}

bool is_for_clause(const Expr& e) {
  return e.kind == Expr::Kind::Other && e.name == "for_in_clause";
}

void collect_targets(const Expr& target, std::vector<std::string>& out) {
  target.walk([&](const Expr& e) {
    if (e.kind == Expr::Kind::Name) out.push_back(e.name);
  });
}

// Calls fn(name) for every Name the expression reads when it is evaluated: not inside lambda bodies
// (parameters), not a comprehension's own variables, not the attribute after a dot, not a keyword argument's
// name, not a walrus target; string annotations are strings.
template <class Fn>
void names_read(const Expr& e, std::vector<std::string>& local, Fn& fn) {
  switch (e.kind) {
    case Expr::Kind::Name:
      if (std::find(local.begin(), local.end(), e.name) == local.end()) fn(e);
      return;
    case Expr::Kind::Lambda:
    case Expr::Kind::String:
    case Expr::Kind::Number:
    case Expr::Kind::Bool:
    case Expr::Kind::None:
      return;
    case Expr::Kind::Attribute:
      if (e.target) names_read(*e.target, local, fn);
      return;
    default:
      break;
  }
  if (e.kind == Expr::Kind::Other) {
    if (e.name == "member_type") {  // `a.b` in a type: only `a` is looked up
      if (const Expr* object = e.arg(0)) names_read(*object, local, fn);
      return;
    }
    if (e.name == "keyword_argument" || e.name == "named_expression") {  // `k=v`, `x := v`: only v is read
      if (e.items.size() >= 2) names_read(e.items.back(), local, fn);
      return;
    }
    if (is_comprehension(e)) {
      size_t outer = local.size();
      for (const Expr& clause : e.items) {
        if (is_for_clause(clause) && !clause.items.empty()) collect_targets(clause.items[0], local);
      }
      for (const Expr& part : e.items) {
        if (!is_for_clause(part)) {
          names_read(part, local, fn);
          continue;
        }
        for (size_t i = 1; i < part.items.size(); ++i) names_read(part.items[i], local, fn);
      }
      local.resize(outer);
      return;
    }
  }
  if (e.target) names_read(*e.target, local, fn);
  for (const Expr& item : e.items) names_read(item, local, fn);
  for (const Keyword& kw : e.keywords) names_read(kw.value, local, fn);
}

// ---- Which modules are judged ----

// A model module: it declares what ends up in the mapped schema (as postgresql-import decides), or holds a
// class that plainly means to be a model (`__tablename__`) even though its base is the undefined name.
bool is_model_module(const ProjectFile& file, const Project& project) {
  for (const ClassDef& def : file.facts.classes) {
    if (def.attribute("__tablename__") || def.attribute("__table__")) return true;
    const ClassInfo* cls = project.class_info(def);
    if (!cls) continue;
    if (cls->role == ClassInfo::Role::Mapped || cls->role == ClassInfo::Role::DeclarativeBase ||
        cls->feeds_mapped_class || (cls->role == ClassInfo::Role::Abstract && !cls->sqlmodel)) {
      return true;
    }
  }
  for (const Assignment& assignment : file.facts.assignments) {
    const Expr& value = assignment.value;
    if (!value.is_call()) continue;
    const FactText origin = value.origin();
    if (origin == "sqlalchemy.Table" || origin == "sqlalchemy.orm.declarative_base" ||
        origin == "sqlalchemy.orm.registry" || origin == "flask_sqlalchemy.SQLAlchemy" ||
        (origin.rfind("sqlalchemy.orm.registry(", 0) == 0 && value.callee_name() == "generate_base")) {
      return true;
    }
  }
  return false;
}

bool has_future_annotations(const ModuleFacts& facts) {
  return std::any_of(facts.imports.begin(), facts.imports.end(), [](const Import& i) {
    return i.module == "__future__" && i.bound_name == "annotations";
  });
}

class UndefinedName final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL401",
        "undefined-name",
        "Name used at module or class level of a model or revision module is never bound "
        "(NameError at import)",
        Severity::Error,
        Profile::Any,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    const ModuleFacts& facts = file.facts;
    if (file.syntax_problem || facts.has_star_import || facts.dynamic_globals) return;
    if (!file.is_revision() && !is_model_module(file, project)) return;
    Names module_names = bound_at_module_level(file);
    Check check{file, module_names, nullptr, file.is_revision(), out};
    for (const Assignment& assignment : facts.assignments) {
      if (!assignment.set_in_function) check.expression(assignment.value);  // a function's names: its own
    }
    for (const Expr& expression : facts.module_expressions) check.expression(expression);
    const bool lazy_annotations = has_future_annotations(facts);
    for (const ClassDef& def : facts.classes) {
      // A nested class's body sees neither its enclosing class's names nor a function's locals: left alone.
      if (!def.module_level) continue;
      check.class_names = nullptr;  // decorators are evaluated outside the class
      for (const Expr& decorator : def.decorators) check.expression(decorator);
      // Bases and keywords too, but they see PEP 695 type parameters (`class Repo[T](Base[T])`), which the
      // body names hold; reading the other body names there would be a NameError we then miss, never a false
      // alarm.
      check.class_names = &def.body_names;
      for (const Expr& base : def.bases) check.expression(base);
      for (const Keyword& kw : def.class_keywords) check.expression(kw.value);
      for (const ClassAttribute& attr : def.attributes) {
        if (attr.annotation && !lazy_annotations) check.expression(*attr.annotation);
        // A declared_attr's value is its method's return expression: a function body.
        if (attr.value && !attr.from_declared_attr) check.expression(*attr.value);
      }
    }
  }

 private:
  struct Check {
    const ProjectFile& file;
    const Names& module_names;
    const NameSet* class_names;
    bool revision;
    Reporter& out;

    bool bound(std::string_view name) const {
      if (module_names.count(name) || kBuiltins.count(name) || kModuleGlobals.count(name)) return true;
      return class_names && (class_names->count(name) || kClassBodyNames.count(name));
    }

    void expression(const Expr& e) {
      std::vector<std::string> local;
      auto report = [&](const Expr& name) {
        if (!bound(name.name)) undefined(name);
      };
      names_read(e, local, report);
    }

    void undefined(const Expr& name) {
      const std::string shown = "`" + name.name + "`";
      auto import = known_import(name.name);
      // The name is imported under another name (`from ..types import JSON as JSONB`): the seeds' incident.
      std::optional<std::string> alias = imported_as(name.name);
      std::optional<std::string> similar = alias;
      if (!similar && !import && name.name.size() <= kMaxNameSize) {
        if (class_names) similar = closest(name.name, *class_names);
        if (!similar) similar = closest(name.name, module_names);
        if (!similar) similar = closest(name.name, kBuiltins);
      }
      std::string message = shown + " is not defined" +
                            (similar ? " (did you mean `" + *similar + "`?)" : "") +
                            (revision ? ": loading this revision raises NameError, and Alembic loads every "
                                        "revision, so `alembic upgrade` fails"
                                      : ": importing this module raises NameError");
      std::string help;
      if (alias) {
        help = "this module imports " + shown + " as `" + *alias + "`: write `" + *alias + "`, or import " +
               shown + " under its own name too";
      } else if (import) {
        help = "add `" + std::string(*import) + "`";
      } else if (similar) {
        help = "write `" + *similar + "`, or import or define " + shown;
      } else {
        help = "import or define " + shown + " in this module";
      }
      out.report(file, name.loc, std::move(message), std::move(help));
    }

    // The name another import binds this name's object under: `JSONB` for `JSON` after `import JSON as
    // JSONB`.
    std::optional<std::string> imported_as(const std::string& name) const {
      for (const Import& import : file.facts.imports) {
        if (import.is_star || import.bound_name == name) continue;
        const std::string& origin = import.origin;
        size_t dot = origin.rfind('.');
        if (std::string_view(origin).substr(dot == std::string::npos ? 0 : dot + 1) == name)
          return import.bound_name;
      }
      return std::nullopt;
    }
  };

  // The module's names, plus what a package's imports of its own submodules bind: after `from .user import
  // User`, `user` is an attribute of the package, so a name in its __init__.py.
  static Names bound_at_module_level(const ProjectFile& file) {
    Names names(file.facts.module_names.begin(), file.facts.module_names.end());
    for (const auto& [name, binding] : file.facts.bindings) names.insert(name);
    if (!file.is_package) return names;
    const std::string prefix = file.module_key + ".";
    for (const Import& import : file.facts.imports) {
      if (import.module.rfind(prefix, 0) != 0) continue;
      std::string rest(import.module.substr(prefix.size()));
      names.insert(rest.substr(0, rest.find('.')));
    }
    return names;
  }
};

ORMLINT_RULE(UndefinedName);

}  // namespace

}  // namespace ormlint
