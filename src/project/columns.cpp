// Every column the project declares — model attributes (Column, mapped_column, Mapped[...], SQLModel fields),
// Table(...) objects, and migration operations — with its type resolved to one canonical class.
#include <algorithm>
#include <iterator>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_map>

#include "core/parallel.h"
#include "core/text.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/assigned_value.h"
#include "project/mapped_annotation.h"
#include "project/migration_ops.h"
#include "project/project.h"
#include "project/sqlalchemy_names.h"

namespace ormlint {

namespace {

// What SQLAlchemy 2.0 maps a bare `Mapped[T]` to when the base has no type_annotation_map entry for T.
const std::map<std::string, std::string, std::less<>> kDefaultAnnotationTypes = {
    {"datetime.datetime", "sqlalchemy.DateTime"}, {"datetime.date", "sqlalchemy.Date"},
    {"datetime.time", "sqlalchemy.Time"},         {"datetime.timedelta", "sqlalchemy.Interval"},
    {"builtins.int", "sqlalchemy.Integer"},       {"builtins.str", "sqlalchemy.String"},
    {"builtins.float", "sqlalchemy.Float"},       {"builtins.bool", "sqlalchemy.Boolean"},
    {"builtins.bytes", "sqlalchemy.LargeBinary"}, {"decimal.Decimal", "sqlalchemy.Numeric"},
    {"uuid.UUID", "sqlalchemy.Uuid"},
};

// advanced-alchemy's registry (`create_registry()`) maps these Python types first: datetime to its aware
// DateTimeUTC, UUID to GUID, dict to JsonB (JSON, JSONB on PostgreSQL).
const std::map<std::string, std::string, std::less<>> kAdvancedAlchemyAnnotationTypes = {
    {"datetime.datetime", "advanced_alchemy.types.DateTimeUTC"},
    {"uuid.UUID", "advanced_alchemy.types.GUID"},
    {"builtins.dict", "advanced_alchemy.types.JsonB"},
};

bool is_column_call(const Expr& e) { return e.is_call() && e.origin() == "sqlalchemy.Column"; }

// Whether `mapped_column(use_existing_column=True)` on `owner`'s attribute `name` maps a column some other
// class of the same hierarchy declares: a class `owner` derives from, or — `owner` being a mixin — a class
// beside it among the ancestors of a mapped class using it (polar's `LegacyRecurringProductPrice` mixin
// re-declaring ProductPrice's `type`). Then it creates no column of its own.
bool reuses_declared_column(const std::vector<ClassInfo>& classes, const ClassInfo& owner,
                            std::string_view name) {
  auto declares = [&](const ClassInfo* cls) {
    return cls != &owner && cls->def && cls->def->attribute(name);
  };
  const std::set<const ClassInfo*> ancestors = owner.ancestors();
  if (std::any_of(ancestors.begin(), ancestors.end(), declares)) return true;
  for (const ClassInfo& cls : classes) {
    if (!cls.is_mapped() || &cls == &owner) continue;
    const std::set<const ClassInfo*> lineage = cls.ancestors();
    if (lineage.count(&owner) && std::any_of(lineage.begin(), lineage.end(), declares)) return true;
  }
  return false;
}

}  // namespace

void Project::collect_columns(unsigned jobs) {
  // The type expression of a Column/mapped_column call: the first positional argument that is neither the
  // column name nor a schema item, or `type_=`.
  auto explicit_type = [this](const ProjectFile& file, const Expr& call, ColumnType& type) {
    const Expr* found = column_type_argument(call);
    if (!found) return false;
    if (const Expr* made = partial_type(file, *found)) found = made;
    type.expr = found;
    type.origin = found->is_call() ? found->origin() : found->resolved;
    type.loc = found->loc;
    return true;
  };
  auto column_name = [](const Expr& call, FactText fallback) {
    const Expr* name = call.keyword("name");
    if (!name && !call.items.empty() && call.items[0].is_string()) name = &call.items[0];
    return name && name->is_string() ? name->text : fallback;
  };

  // A Python type in an annotation -> the column type SQLAlchemy would pick.
  // `python_file` holds `python` (an Annotated alias may be defined in another module).
  auto infer_type = [&](const ClassInfo& owner, const ProjectFile& python_file, const Expr& python,
                        const Location& where, ColumnType& type) {
    type.inferred = true;
    type.loc = where;
    const ClassInfo* python_class = python.is_name_like() ? resolve_class(python_file, python.text) : nullptr;
    type.python_type = python_class ? python_class->qualified_name : python.resolved;
    if (type.python_type.empty()) type.python_type = python.text;
    bool is_enum = python_class && python_class->is_enum;
    // 1. The declarative base's type_annotation_map.
    if (const ClassInfo* base = owner.declarative_base) {
      const ClassAttribute* map = base->def->attribute("type_annotation_map");
      if (map && map->value && map->value->kind == Expr::Kind::Dict) {
        const auto& items = map->value->items;
        for (size_t i = 0; i + 1 < items.size(); i += 2) {
          const Expr& key = items[i];
          bool matches = key.resolved == type.python_type ||
                         (is_enum && (key.resolved == "enum.Enum" || key.resolved == "enum.StrEnum"));
          if (!matches) continue;
          const Expr& value = items[i + 1];
          type.expr = &value;
          type.origin = value.is_call() ? value.origin() : value.resolved;
          return;
        }
      }
    }
    // 2. advanced-alchemy's registry, for classes mapped through its bases.
    if (auto it = kAdvancedAlchemyAnnotationTypes.find(type.python_type);
        owner.advanced_alchemy && it != kAdvancedAlchemyAnnotationTypes.end()) {
      type.origin = FactText(std::string_view(it->second));  // the table is static
      return;
    }
    // 3. SQLAlchemy's defaults — unless the base is an installed package's, whose map ormlint cannot read
    // (simpler-grants-gov's maps datetime to TIMESTAMP WITH TIME ZONE): then the type stays unknown.
    if (owner.installed_base) return;
    if (is_enum) {
      type.origin = "sqlalchemy.Enum";
    } else if (auto it = kDefaultAnnotationTypes.find(type.python_type); it != kDefaultAnnotationTypes.end()) {
      type.origin = FactText(std::string_view(it->second));  // the table is static
    }
  };

  // Core Table objects: users = Table("users", metadata, Column(...), ...).
  auto table_columns = [&](const ProjectFile& file, const Expr& call, ColumnInfo::Context context,
                           const OperationCall* op, FactText table, std::vector<ColumnInfo>& out) {
    for (const Expr& item : call.items) {
      const Expr& arg = column_call(item);
      if (!is_column_call(arg)) continue;
      ColumnInfo column;
      column.context = context;
      column.file = &file;
      column.operation = op;
      column.table = table;
      column.construct = &arg;
      column.name = column_name(arg, "");
      column.loc = arg.loc;
      explicit_type(file, arg, column.type);
      column.nullable_known = arg.keyword("nullable") != nullptr;
      out.push_back(std::move(column));
    }
  };
  // One class's model columns: they depend on no other class's, so files are read in parallel below.
  auto class_columns = [&](const ClassInfo& owner, std::vector<ColumnInfo>& out) {
    if (!owner.contributes_mapped_attributes() || !owner.file->declares_schema()) return;
    const FactText table = [&] {
      const ClassAttribute* t = owner.def->attribute("__tablename__");
      const Expr* name = t && t->value ? string_literal(*this, *owner.file, &*t->value) : nullptr;
      return name ? name->text : FactText();
    }();
    // `__table__ = Table("activity", metadata, Column(...), ...)` in the body (ckan): the Table's columns are the
    // class's, and its annotations (`id: Mapped[str]`) only type the attributes.
    const ClassAttribute* own_table = owner.def->attribute("__table__");
    const bool maps_table = own_table && own_table->value && !own_table->from_declared_attr;
    if (maps_table && own_table->value->is_call() && own_table->value->origin() == "sqlalchemy.Table") {
      const Expr* name = own_table->value->arg(0);
      table_columns(*owner.file, *own_table->value, ColumnInfo::Context::Table, nullptr,
                    name && name->is_string() ? name->text : "", out);
    }
    for (const ClassAttribute& attr : owner.def->attributes) {
      ColumnInfo column;
      column.context = ColumnInfo::Context::Model;
      column.file = owner.file;
      column.owner = &owner;
      column.attribute = &attr;
      column.table = table;
      column.name = attr.name;
      column.loc = attr.loc;
      const Expr* value = attr.value ? &column_call(*attr.value) : nullptr;
      // `id: Mapped[intpk]` with `intpk = Annotated[int, mapped_column(primary_key=True)]`.
      const AnnotatedColumn* annotated = annotated_column(attr);
      if (annotated) value = annotated->construct.get();
      const ProjectFile& python_file = annotated ? *annotated->python_file : *owner.file;
      // deferred(Column(...)) and column_property(Column(...)) wrap a column.
      if (value && value->is_call() &&
          (value->origin() == "sqlalchemy.orm.deferred" || value->origin() == "sqlalchemy.orm.column_property") &&
          !value->items.empty() && is_column_call(value->items[0])) {
        value = &value->items[0];
      }
      // SQLModel: Field(sa_column=Column(...)) is that column; Field(sa_type=T) gives the type.
      const Expr* sa_type = nullptr;
      if (owner.sqlmodel && value && value->is_call() && value->origin() == "sqlmodel.Field") {
        if (const Expr* sa_column = value->keyword("sa_column"); sa_column && is_column_call(*sa_column)) {
          value = sa_column;
        } else {
          sa_type = value->keyword("sa_type");
        }
      }
      bool is_column = value && is_column_call(*value);
      bool is_mapped_column = value && value->is_call() && value->origin() == "sqlalchemy.orm.mapped_column";
      bool is_sqlmodel_field =
          owner.sqlmodel && !is_column && attr.annotation &&
          (!value || (value->is_call() && value->origin() == "sqlmodel.Field") || !value->is_call());
      const Expr* python = nullptr;
      if (attr.annotation) {
        python = annotated ? annotated->python : unwrap_annotation(*attr.annotation, !is_sqlmodel_field);
      }
      bool bare_mapped = !value && python && !attr.from_declared_attr && !maps_table;
      if (!is_column && !is_mapped_column && !is_sqlmodel_field && !bare_mapped) continue;
      // `mapped_column(use_existing_column=True)` of an attribute a parent declares maps the parent's column:
      // none of its own (its annotation's type creates nothing). Without one, it is a column like any other.
      if (is_mapped_column && reuses_existing_column(*value) &&
          reuses_declared_column(classes_, owner, attr.name)) {
        continue;
      }
      if (is_sqlmodel_field && (attr.name == "model_config" || attr.name.rfind("__", 0) == 0)) continue;
      if ((is_sqlmodel_field || bare_mapped) && !python) continue;
      if (is_column || is_mapped_column) {
        column.construct = value;
        column.name = column_name(*value, attr.name);
        // `mapped_column(ForeignKey("t.c"))` with no type takes the referenced column's, not the annotation's
        // (SQLAlchemy 2.0 looks at the annotation only for a column with no foreign key).
        const bool typed_by_foreign_key =
            is_mapped_column && std::any_of(value->items.begin(), value->items.end(), [](const Expr& arg) {
              return arg.is_call() && arg.origin() == "sqlalchemy.ForeignKey";
            });
        if (!explicit_type(*owner.file, *value, column.type) && python && !typed_by_foreign_key) {
          infer_type(owner, python_file, *python, attr.annotation->loc, column.type);
        }
      } else {
        if (is_sqlmodel_field && value && value->is_call()) column.construct = value;
        // A bare annotation naming a mapped class is a relationship declared elsewhere, not a column.
        if (const ClassInfo* target = resolve_class(*owner.file, python->text); target && target->is_mapped()) continue;
        if (sa_type) {
          column.type.expr = sa_type;
          column.type.origin = sa_type->is_call() ? sa_type->origin() : sa_type->resolved;
          column.type.loc = sa_type->loc;
        } else {
          infer_type(owner, python_file, *python, attr.annotation->loc, column.type);
        }
      }
      column.nullable_known = column.keyword("nullable") != nullptr;
      out.push_back(std::move(column));
    }
  };

  // One file's Table(...) and migration columns.
  auto file_columns = [&](const ProjectFile& file, std::vector<ColumnInfo>& out) {
    if (file.declares_schema()) {
      for (const CoreTableCall& table : core_table_calls(file)) {
        const Expr* name = string_literal(*this, file, table.call->arg(0));
        table_columns(file, *table.call, ColumnInfo::Context::Table, nullptr, name ? name->text : "", out);
      }
    }
    if (!file.facts.revision) return;
    for (const OperationCall& op : file.facts.revision->operations) {
      if (op.name == "create_table" || op.name == "add_column") {
        table_columns(file, op.call, ColumnInfo::Context::Migration, &op, op.table, out);
      } else if (op.name == "alter_column" && op.call.keyword("type_")) {
        // alter_column(type_=...) gives an existing column a new type: judge that type like a new column's.
        ColumnInfo column;
        column.context = ColumnInfo::Context::Migration;
        column.file = &file;
        column.operation = &op;
        column.table = op.table;
        column.construct = &op.call;
        const Expr* name = op.call.keyword("column_name");
        if (!name) name = op.call.arg(op.in_batch ? 0 : 1);
        column.name = name && name->is_string() ? name->text : "";
        column.loc = op.call.loc;
        const Expr* type = op.call.keyword("type_");
        column.type.expr = type;
        column.type.origin = type->is_call() ? type->origin() : type->resolved;
        column.type.loc = type->loc;
        out.push_back(std::move(column));
      }
    }
  };

  // Each file's columns, files in parallel: its classes' (in class order), then its Table(...) and migration
  // columns, sorted by place in the file. files_ is sorted by path, so joining the files' lists in order sorts the
  // whole list by file, then place.
  std::unordered_map<const ProjectFile*, size_t> file_index;
  for (size_t i = 0; i < files_.size(); ++i) file_index.emplace(files_[i].get(), i);
  std::vector<std::vector<const ClassInfo*>> classes_of(files_.size());
  for (const ClassInfo& cls : classes_) classes_of[file_index.at(cls.file)].push_back(&cls);
  std::vector<std::vector<ColumnInfo>> found(files_.size());
  parallel_for(files_.size(), jobs, [&](size_t i) {
    for (const ClassInfo* cls : classes_of[i]) class_columns(*cls, found[i]);
    file_columns(*files_[i], found[i]);
    std::stable_sort(found[i].begin(), found[i].end(), [](const ColumnInfo& a, const ColumnInfo& b) {
      return a.loc.start_byte < b.loc.start_byte;
    });
  });
  size_t total = 0;
  for (const auto& part : found) total += part.size();
  columns_.reserve(total);
  for (size_t i = 0; i < found.size(); ++i) {
    if (found[i].empty()) continue;
    std::vector<size_t>& indexes = columns_by_file_[files_[i].get()];
    indexes.resize(found[i].size());
    std::iota(indexes.begin(), indexes.end(), columns_.size());
    std::move(found[i].begin(), found[i].end(), std::back_inserter(columns_));
  }
  for (const ColumnInfo& column : columns_) {
    if (column.context != ColumnInfo::Context::Migration || !column.operation) continue;
    migration_columns_[std::string(column.table) + '\x1f' + std::string(column.name)].push_back(&column);
    if (column.operation->name != "create_table" || !column.type.expr) continue;
    // Written out or implicit (`sa.Enum(Color)` is type `color`), in place or through a module-level
    // variable: the same helpers as the rules that ask. Only the enums whose type the table creates.
    for (const EnumTypeUse& use : named_native_enums(*this, *column.file, *column.type.expr)) {
      if (enum_type_created_with_table(*use.call))
        enum_type_columns_[enum_name(*use.call)].push_back(&column);
    }
  }
}

std::span<const ColumnInfo* const> Project::enum_type_columns(std::string_view name) const {
  auto it = enum_type_columns_.find(std::string(name));
  if (it == enum_type_columns_.end()) return {};
  return it->second;
}

std::span<const ColumnInfo* const> Project::migration_columns(std::string_view table, std::string_view column) const {
  auto it = migration_columns_.find(std::string(table) + '\x1f' + std::string(column));
  if (it == migration_columns_.end()) return {};
  return it->second;
}

void Project::index_migration_history() {
  for (const auto& file : files_) {
    if (!file->facts.revision) continue;
    for (const OperationCall& op : file->facts.revision->operations) {
      if (op.function != "upgrade" || op.table.empty()) continue;
      for (OperationForeignKey& key : foreign_keys_of(op)) {
        migration_foreign_keys_[std::string(op.table)].push_back(
            {file.get(), &op, std::move(key.columns), key.has_ondelete, std::move(key.referred_table)});
      }
      const std::string column = op.name == "drop_column" ? lower(op.column_name()) : "";
      if (op.name == "drop_table" || (op.name == "drop_column" && !column.empty())) {
        migration_drops_[lower(op.table)].push_back({file.get(), &op, column});
      }
    }
    // `op.execute("DROP TABLE image")` (quay) drops as surely; its SQL names the tables.
    for (const OperationCall& op : file->facts.revision->operations) {
      std::string sql;
      if (op.function != "upgrade" || op.name != "execute" ||
          !literal_sql(file->facts, executed_sql(op), sql))
        continue;
      for (const SqlDrop& drop : sql_drops(sql)) {
        if (drop.kind == SqlDrop::Kind::Table) migration_drops_[drop.name].push_back({file.get(), &op, ""});
        if (drop.kind == SqlDrop::Kind::Column)
          migration_drops_[drop.table].push_back({file.get(), &op, drop.name});
      }
      for (SqlTypeChange& change : ormlint::sql_type_changes(sql)) {
        sql_type_changes_[unqualified_name(change.table) + '\x1f' + change.column].push_back(
            {file.get(), &op, std::move(change.type)});
      }
    }
  }
}

std::span<const MigrationForeignKey> Project::migration_foreign_keys(std::string_view table) const {
  auto it = migration_foreign_keys_.find(std::string(table));
  if (it == migration_foreign_keys_.end()) return {};
  return it->second;
}

std::span<const Project::MigrationSqlTypeChange> Project::sql_type_changes(std::string_view table,
                                                                           std::string_view column) const {
  auto it = sql_type_changes_.find(std::string(table) + '\x1f' + std::string(column));
  if (it == sql_type_changes_.end()) return {};
  return it->second;
}

std::span<const Project::MigrationDrop> Project::migration_drops(std::string_view table) const {
  auto it = migration_drops_.find(std::string(table));
  if (it == migration_drops_.end()) return {};
  return it->second;
}

bool Project::dropped_after(const ProjectFile& file, const OperationCall& op, const std::string& table,
                            const std::string& column) const {
  std::optional<std::set<const ProjectFile*>> after;  // walked only when some revision drops it (rare)
  for (const MigrationDrop& drop : migration_drops(table)) {
    if (!drop.column.empty() && drop.column != column) continue;
    if (drop.file == &file) {
      if (drop.operation->call.loc.start_byte > op.call.loc.start_byte) return true;
      continue;
    }
    if (!after) after = revisions_after(file);
    if (after->count(drop.file)) return true;
  }
  return false;
}

std::vector<const ColumnInfo*> Project::columns_in(const ProjectFile& file) const {
  std::vector<const ColumnInfo*> result;
  auto it = columns_by_file_.find(&file);
  if (it == columns_by_file_.end()) return result;
  for (size_t i : it->second) result.push_back(&columns_[i]);
  return result;
}

std::vector<CoreTableCall> core_table_calls(const ProjectFile& file) {
  auto is_table = [](const Expr& e) { return e.is_call() && e.origin() == "sqlalchemy.Table"; };
  std::vector<CoreTableCall> found;
  for (const Assignment& a : file.facts.assignments) {
    if (is_table(a.value)) found.push_back({&a.value, &a, a.loc, nullptr});
  }
  for (const Expr& e : file.facts.module_expressions) {
    if (is_table(e)) found.push_back({&e, nullptr, e.loc, nullptr});
  }
  for (const ClassDef& def : file.facts.classes) {
    for (const ClassAttribute& attr : def.attributes) {
      if (attr.name != "__table__" && attr.value && is_table(*attr.value)) {
        found.push_back({&*attr.value, nullptr, attr.loc, &def});
      }
    }
  }
  return found;
}

}  // namespace ormlint
