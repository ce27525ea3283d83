// How the project resolver turns names as written into canonical origins: Project::resolve(file, dotted) and the
// `resolved` field the resolver writes into every Name/Attribute of the facts.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "facts_test_support.h"

using ormlint::testing::facts::Loaded;
using namespace ormlint;

namespace {

// The `resolved` value of a class attribute's value as written (a call: its callee).
std::string attribute_origin(const Loaded& p, const std::string& rel, const std::string& cls, const std::string& attr) {
  const ClassAttribute* a = p.class_def(rel, cls).attribute(attr);
  REQUIRE(a != nullptr);
  REQUIRE(a->value.has_value());
  return a->value->origin();
}

// The first positional argument of a class attribute's call value (`Column(<this>, ...)`).
const Expr& first_argument(const Loaded& p, const std::string& rel, const std::string& cls, const std::string& attr) {
  const ClassAttribute* a = p.class_def(rel, cls).attribute(attr);
  REQUIRE(a != nullptr);
  REQUIRE(a->value.has_value());
  REQUIRE(a->value->is_call());
  REQUIRE(!a->value->items.empty());
  return a->value->items[0];
}

}  // namespace

TEST_CASE("imports: module alias, from-import alias and dialect modules", "[imports]") {
  Loaded p(R"(
import sqlalchemy as sa
from sqlalchemy import DateTime as DT
from sqlalchemy.dialects import postgresql as pg
import sqlalchemy.dialects.postgresql
from sqlalchemy.dialects.postgresql import JSONB as PGJSONB
import sqlalchemy.dialects.postgresql as pgd

col = sa.Column
when = DT
arr = pg.ARRAY
full = sqlalchemy.dialects.postgresql.JSONB
aliased = PGJSONB
module_alias = pgd.UUID
)");
  CHECK(p.resolve("models.py", "sa.Column") == "sqlalchemy.Column");
  CHECK(p.resolve("models.py", "sa.orm.relationship") == "sqlalchemy.orm.relationship");
  CHECK(p.resolve("models.py", "DT") == "sqlalchemy.DateTime");
  CHECK(p.resolve("models.py", "pg.ARRAY") == "sqlalchemy.dialects.postgresql.ARRAY");
  CHECK(p.resolve("models.py", "sqlalchemy.dialects.postgresql.JSONB") == "sqlalchemy.dialects.postgresql.JSONB");
  CHECK(p.resolve("models.py", "PGJSONB") == "sqlalchemy.dialects.postgresql.JSONB");
  CHECK(p.resolve("models.py", "pgd.UUID") == "sqlalchemy.dialects.postgresql.UUID");

  // The same answers, written into the facts by the resolver.
  CHECK(p.value_origin("models.py", "col") == "sqlalchemy.Column");
  CHECK(p.value_origin("models.py", "when") == "sqlalchemy.DateTime");
  CHECK(p.value_origin("models.py", "arr") == "sqlalchemy.dialects.postgresql.ARRAY");
  CHECK(p.value_origin("models.py", "full") == "sqlalchemy.dialects.postgresql.JSONB");
  CHECK(p.value_origin("models.py", "aliased") == "sqlalchemy.dialects.postgresql.JSONB");
  CHECK(p.value_origin("models.py", "module_alias") == "sqlalchemy.dialects.postgresql.UUID");

  // The sub-expressions of a dotted attribute are resolved too.
  const Expr& full = p.assignment("models.py", "full").value;
  REQUIRE(full.target);
  CHECK(full.target->resolved == "sqlalchemy.dialects.postgresql");
  REQUIRE(full.target->target);
  CHECK(full.target->target->resolved == "sqlalchemy.dialects");

  // The import facts themselves.
  const auto& imports = p.file("models.py").facts.imports;
  REQUIRE(imports.size() == 6);
  CHECK(imports[0].bound_name == "sa");
  CHECK(imports[0].origin == "sqlalchemy");
  CHECK(imports[1].bound_name == "DT");
  CHECK(imports[1].origin == "sqlalchemy.DateTime");
  CHECK(imports[1].module == "sqlalchemy");
  CHECK(imports[2].bound_name == "pg");
  CHECK(imports[2].origin == "sqlalchemy.dialects.postgresql");
  CHECK(imports[3].bound_name == "sqlalchemy");  // `import a.b.c` binds `a`
  CHECK(imports[3].origin == "sqlalchemy");
  CHECK(imports[3].module == "sqlalchemy.dialects.postgresql");
  CHECK(imports[5].bound_name == "pgd");
  CHECK(imports[5].origin == "sqlalchemy.dialects.postgresql");
}

TEST_CASE("imports: internal SQLAlchemy modules collapse to the public name", "[imports]") {
  Loaded p(R"(
# file: a.py
from sqlalchemy.types import DateTime
when = DateTime
# file: b.py
from sqlalchemy.sql.sqltypes import DateTime
from sqlalchemy.sql.schema import Column
from sqlalchemy.schema import ForeignKey
from sqlalchemy.orm.decl_api import DeclarativeBase
from sqlalchemy.dialects.postgresql.json import JSONB
from sqlalchemy.ext.declarative import declarative_base
when = DateTime
col = Column
fk = ForeignKey
base = DeclarativeBase
jsonb = JSONB
Base = declarative_base()
)");
  CHECK(p.value_origin("a.py", "when") == "sqlalchemy.DateTime");
  CHECK(p.value_origin("b.py", "when") == "sqlalchemy.DateTime");
  CHECK(p.value_origin("b.py", "col") == "sqlalchemy.Column");
  CHECK(p.value_origin("b.py", "fk") == "sqlalchemy.ForeignKey");
  CHECK(p.value_origin("b.py", "base") == "sqlalchemy.orm.DeclarativeBase");
  CHECK(p.value_origin("b.py", "jsonb") == "sqlalchemy.dialects.postgresql.JSONB");
  CHECK(p.value_origin("b.py", "Base") == "sqlalchemy.orm.declarative_base");
  CHECK(p.resolve("b.py", "Base") == "sqlalchemy.orm.declarative_base()");
}

TEST_CASE("imports: Flask-SQLAlchemy's db proxy", "[imports]") {
  SECTION("db defined in the same module") {
    Loaded p(R"(
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()

class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    posts = db.relationship("Post", backref=db.backref("author"))
    when = db.Column(db.DateTime(timezone=True))
)");
    CHECK(p.resolve("models.py", "db") == "flask_sqlalchemy.SQLAlchemy()");
    CHECK(p.resolve("models.py", "db.Column") == "sqlalchemy.Column");
    CHECK(p.resolve("models.py", "db.Integer") == "sqlalchemy.Integer");
    CHECK(p.resolve("models.py", "db.relationship") == "sqlalchemy.orm.relationship");
    CHECK(p.resolve("models.py", "db.backref") == "sqlalchemy.orm.backref");
    CHECK(p.resolve("models.py", "db.Model") == "flask_sqlalchemy.SQLAlchemy().Model");
    CHECK(p.resolve("models.py", "db.session") == "flask_sqlalchemy.SQLAlchemy().session");
    CHECK(attribute_origin(p, "models.py", "User", "id") == "sqlalchemy.Column");
    CHECK(attribute_origin(p, "models.py", "User", "posts") == "sqlalchemy.orm.relationship");
    CHECK(first_argument(p, "models.py", "User", "id").resolved == "sqlalchemy.Integer");
    CHECK(first_argument(p, "models.py", "User", "when").origin() == "sqlalchemy.DateTime");
    const ClassDef& user = p.class_def("models.py", "User");
    REQUIRE(user.bases.size() == 1);
    CHECK(user.bases[0].resolved == "flask_sqlalchemy.SQLAlchemy().Model");
  }

  SECTION("db imported from app/extensions.py, absolutely and relatively") {
    Loaded p(R"(
# file: app/__init__.py
# (package)
# file: app/extensions.py
from flask_sqlalchemy import SQLAlchemy
db = SQLAlchemy()
# file: app/models/__init__.py
# (package)
# file: app/models/user.py
from app.extensions import db

class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
# file: app/models/post.py
from ..extensions import db

class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    author = db.relationship("User")
# file: app/models/tag.py
from .. import extensions

class Tag(extensions.db.Model):
    id = extensions.db.Column(extensions.db.Integer, primary_key=True)
)");
    CHECK(p.resolve("app/models/user.py", "db.Column") == "sqlalchemy.Column");
    CHECK(p.resolve("app/models/user.py", "db.Model") == "flask_sqlalchemy.SQLAlchemy().Model");
    CHECK(p.resolve("app/models/post.py", "db.Column") == "sqlalchemy.Column");
    CHECK(p.resolve("app/models/post.py", "db.relationship") == "sqlalchemy.orm.relationship");
    CHECK(p.resolve("app/models/post.py", "db.Model") == "flask_sqlalchemy.SQLAlchemy().Model");
    CHECK(p.resolve("app/models/tag.py", "extensions.db.Column") == "sqlalchemy.Column");
    CHECK(attribute_origin(p, "app/models/user.py", "User", "id") == "sqlalchemy.Column");
    CHECK(attribute_origin(p, "app/models/post.py", "Post", "author") == "sqlalchemy.orm.relationship");
    CHECK(first_argument(p, "app/models/post.py", "Post", "id").resolved == "sqlalchemy.Integer");
    CHECK(attribute_origin(p, "app/models/tag.py", "Tag", "id") == "sqlalchemy.Column");

    // The relative import is made absolute from the file's own module key.
    const auto& imports = p.file("app/models/post.py").facts.imports;
    REQUIRE(imports.size() == 1);
    CHECK(imports[0].is_relative);
    const std::string& app_key = p.file("app/__init__.py").module_key;
    CHECK(imports[0].module == app_key + ".extensions");
    CHECK(imports[0].origin == app_key + ".extensions.db");

    CHECK(p.class_info("app/models/user.py", "User").flask_model);
    CHECK(p.class_info("app/models/post.py", "Post").is_mapped());
    CHECK(p.class_info("app/models/tag.py", "Tag").is_mapped());
  }
}

TEST_CASE("imports: sqlmodel re-exports SQLAlchemy names", "[imports]") {
  Loaded p(R"(
from sqlmodel import Column, DateTime, Field, SQLModel, Relationship, select
import sqlmodel

col = Column
when = DateTime
field = Field
rel = Relationship
model = SQLModel
query = select
enum_type = sqlmodel.Enum
)");
  CHECK(p.value_origin("models.py", "col") == "sqlalchemy.Column");
  CHECK(p.value_origin("models.py", "when") == "sqlalchemy.DateTime");
  CHECK(p.value_origin("models.py", "enum_type") == "sqlalchemy.Enum");
  CHECK(p.value_origin("models.py", "field") == "sqlmodel.Field");
  CHECK(p.value_origin("models.py", "rel") == "sqlmodel.Relationship");
  CHECK(p.value_origin("models.py", "model") == "sqlmodel.SQLModel");
  CHECK(p.value_origin("models.py", "query") == "sqlmodel.select");
}

TEST_CASE("imports: a project module re-exporting SQLAlchemy types", "[imports]") {
  Loaded p(R"(
# file: app/__init__.py
# (package)
# file: app/types.py
from sqlalchemy import JSON, String
from sqlalchemy.dialects.postgresql import UUID
# file: app/models.py
from .types import JSON as JSONB, UUID
from app.types import String as Str
from app import types as T

data = JSONB
ident = UUID
name = Str
other = T.JSON
)");
  CHECK(p.resolve("app/models.py", "JSONB") == "sqlalchemy.JSON");
  CHECK(p.value_origin("app/models.py", "data") == "sqlalchemy.JSON");
  CHECK(p.value_origin("app/models.py", "ident") == "sqlalchemy.dialects.postgresql.UUID");
  CHECK(p.value_origin("app/models.py", "name") == "sqlalchemy.String");
  CHECK(p.value_origin("app/models.py", "other") == "sqlalchemy.JSON");
}

TEST_CASE("imports: the seeds' module-level alias JSONB = JSON", "[imports]") {
  // The seeds replaced `from sqlalchemy.dialects.postgresql import UUID, JSONB` by a project module import
  // plus an alias, so that `Column(JSONB)` keeps working.
  Loaded p(R"(
# file: database/__init__.py
# (package)
# file: database/types.py
from sqlalchemy import JSON
from sqlalchemy.types import TypeDecorator, CHAR

class UUID(TypeDecorator):
    impl = CHAR
# file: database/models/__init__.py
# (package)
# file: database/models/user.py
from sqlalchemy import Column
from sqlalchemy.orm import declarative_base
from ..types import UUID, JSON
JSONB = JSON  # Alias for backward compatibility

Base = declarative_base()

class User(Base):
    __tablename__ = "users"
    id = Column(UUID, primary_key=True)
    user_metadata = Column(JSON, default={})
    config = Column(JSONB, default={})
)");
  const std::string rel = "database/models/user.py";
  CHECK(p.resolve(rel, "JSONB") == "sqlalchemy.JSON");
  CHECK(p.value_origin(rel, "JSONB") == "sqlalchemy.JSON");
  CHECK(first_argument(p, rel, "User", "config").resolved == "sqlalchemy.JSON");
  CHECK(first_argument(p, rel, "User", "user_metadata").resolved == "sqlalchemy.JSON");
  // A project TypeDecorator resolves to the project class.
  const std::string types_key = p.file("database/types.py").module_key;
  CHECK(first_argument(p, rel, "User", "id").resolved == types_key + ".UUID");
  const ClassInfo* uuid = p.project().resolve_class(p.file(rel), "UUID");
  REQUIRE(uuid != nullptr);
  CHECK(uuid->def->name == "UUID");
  CHECK(uuid->external_bases == std::vector<std::string>{"sqlalchemy.TypeDecorator"});

  const ColumnInfo* config = p.model_column(rel, "User", "config");
  REQUIRE(config != nullptr);
  CHECK(config->type.origin == "sqlalchemy.JSON");
}

TEST_CASE("imports: star imports", "[imports]") {
  SECTION("from sqlalchemy import *") {
    Loaded p(R"(
from sqlalchemy import *

col = Column
kind = Integer
)");
    CHECK(p.value_origin("models.py", "col") == "sqlalchemy.Column");
    CHECK(p.value_origin("models.py", "kind") == "sqlalchemy.Integer");
    CHECK(p.file("models.py").facts.has_star_import);
    // A star import of SQLAlchemy does not shadow the builtins.
    CHECK(p.resolve("models.py", "int") == "builtins.int");
    CHECK(p.resolve("models.py", "str") == "builtins.str");
  }

  SECTION("from sqlalchemy import * and from sqlalchemy.orm import *") {
    Loaded p(R"(
from sqlalchemy import *
from sqlalchemy.orm import *

col = Column
rel = relationship
mcol = mapped_column
ann = Mapped
reg = registry
)");
    CHECK(p.value_origin("models.py", "col") == "sqlalchemy.Column");
    CHECK(p.value_origin("models.py", "rel") == "sqlalchemy.orm.relationship");
    CHECK(p.value_origin("models.py", "mcol") == "sqlalchemy.orm.mapped_column");
    CHECK(p.value_origin("models.py", "ann") == "sqlalchemy.orm.Mapped");
    CHECK(p.value_origin("models.py", "reg") == "sqlalchemy.orm.registry");
  }

  SECTION("from a project module") {
    Loaded p(R"(
# file: app/__init__.py
# (package)
# file: app/base.py
from sqlalchemy.orm import declarative_base
from sqlalchemy import Column, Integer
Base = declarative_base()

class Mixin:
    id = Column(Integer, primary_key=True)
# file: app/common.py
from .base import *
# file: app/models.py
from app.common import *
from sqlalchemy import String

class User(Mixin, Base):
    __tablename__ = "users"
    name = Column(String)
)");
    CHECK(p.resolve("app/models.py", "Base") == "sqlalchemy.orm.declarative_base()");
    CHECK(p.resolve("app/models.py", "Column") == "sqlalchemy.Column");
    CHECK(p.resolve("app/models.py", "String") == "sqlalchemy.String");
    CHECK(p.resolve("app/models.py", "Nothing") == "");
    const ClassInfo* mixin = p.project().resolve_class(p.file("app/models.py"), "Mixin");
    REQUIRE(mixin != nullptr);
    CHECK(mixin->file == &p.file("app/base.py"));
    const ClassInfo& user = p.class_info("app/models.py", "User");
    CHECK(user.is_mapped());
    REQUIRE(user.project_bases.size() == 1);
    CHECK(user.project_bases[0] == mixin);
    CHECK(mixin->feeds_mapped_class);
    CHECK(attribute_origin(p, "app/models.py", "User", "name") == "sqlalchemy.Column");
  }
}

TEST_CASE("imports: datetime module vs datetime class", "[imports]") {
  Loaded p(R"(
# file: a.py
import datetime
import uuid
cls = datetime.datetime
day = datetime.date
ident = uuid.UUID
# file: b.py
from datetime import datetime, date as Day
cls = datetime
day = Day
)");
  CHECK(p.resolve("a.py", "datetime") == "datetime");
  CHECK(p.value_origin("a.py", "cls") == "datetime.datetime");
  CHECK(p.value_origin("a.py", "day") == "datetime.date");
  CHECK(p.value_origin("a.py", "ident") == "uuid.UUID");
  CHECK(p.resolve("b.py", "datetime") == "datetime.datetime");
  CHECK(p.value_origin("b.py", "cls") == "datetime.datetime");
  CHECK(p.value_origin("b.py", "day") == "datetime.date");
  // `datetime.now` in b.py is the class's method, not the module's.
  CHECK(p.resolve("b.py", "datetime.now") == "datetime.datetime.now");
}

TEST_CASE("imports: builtins, unknown names, local definitions", "[imports]") {
  Loaded p(R"(
from typing import Optional

def helper():
    pass

class Local:
    pass

a = int
b = str
c = Optional
d = undefined_name
e = Local
f = helper
)");
  CHECK(p.resolve("models.py", "int") == "builtins.int");
  CHECK(p.value_origin("models.py", "a") == "builtins.int");
  CHECK(p.value_origin("models.py", "b") == "builtins.str");
  CHECK(p.value_origin("models.py", "c") == "typing.Optional");
  CHECK(p.value_origin("models.py", "d") == "");
  CHECK(p.resolve("models.py", "undefined_name") == "");
  CHECK(p.resolve("models.py", "undefined_name.attr") == "");
  const std::string key = p.file("models.py").module_key;
  CHECK(p.value_origin("models.py", "e") == key + ".Local");
  CHECK(p.value_origin("models.py", "f") == key + ".helper");
  CHECK(p.project().resolve_class(p.file("models.py"), "e") == &p.class_info("models.py", "Local"));
}

TEST_CASE("imports: cyclic imports between project modules terminate", "[imports]") {
  SECTION("named imports") {
    Loaded p(R"(
# file: pkg/__init__.py
# (package)
# file: pkg/a.py
from pkg.b import Thing
from sqlalchemy import Integer
x = Thing
# file: pkg/b.py
from pkg.a import Thing
from pkg.a import Integer
y = Thing
kind = Integer
)");
    auto start = std::chrono::steady_clock::now();
    std::string a = p.resolve("pkg/a.py", "Thing");
    std::string b = p.resolve("pkg/b.py", "Thing.attr");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    // Nothing defines Thing: it is no SQLAlchemy name and no project class.
    CHECK(a.rfind("sqlalchemy", 0) != 0);
    CHECK(b.rfind("sqlalchemy", 0) != 0);
    CHECK(p.project().resolve_class(p.file("pkg/a.py"), "Thing") == nullptr);
    // A real name still resolves through the cycle's other module.
    CHECK(p.value_origin("pkg/b.py", "kind") == "sqlalchemy.Integer");
  }

  SECTION("star imports in a cycle") {
    Loaded p(R"(
# file: pkg/__init__.py
# (package)
# file: pkg/a.py
from pkg.b import *
from pkg.c import *
from sqlalchemy import String
# file: pkg/b.py
from pkg.a import *
from pkg.c import *
# file: pkg/c.py
from pkg.a import *
from pkg.b import *
kind = String
missing = NotDefinedAnywhere
)");
    auto start = std::chrono::steady_clock::now();
    CHECK(p.value_origin("pkg/c.py", "kind") == "sqlalchemy.String");
    CHECK(p.value_origin("pkg/c.py", "missing") == "");
    CHECK(p.resolve("pkg/b.py", "AlsoMissing") == "");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  }
}

TEST_CASE("imports: from . import models in a package __init__", "[imports]") {
  Loaded p(R"(
# file: app/__init__.py
from . import models
from .models import User as U
# file: app/models.py
from sqlalchemy.orm import DeclarativeBase

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "users"
)");
  const ProjectFile& init = p.file("app/__init__.py");
  CHECK(init.is_package);
  const auto& imports = init.facts.imports;
  REQUIRE(imports.size() == 2);
  CHECK(imports[0].is_relative);
  CHECK(imports[0].module == init.module_key);  // `.` in a package's __init__ is the package itself
  CHECK(imports[0].origin == init.module_key + ".models");
  const ClassInfo* user = p.project().resolve_class(init, "models.User");
  REQUIRE(user != nullptr);
  CHECK(user == &p.class_info("app/models.py", "User"));
  CHECK(p.project().resolve_class(init, "U") == user);
  CHECK(p.resolve("app/__init__.py", "models.User") == p.file("app/models.py").module_key + ".User");
  CHECK(p.resolve("app/__init__.py", "models.DeclarativeBase") == "sqlalchemy.orm.DeclarativeBase");
}

TEST_CASE("imports: conditional and aliased bindings", "[imports]") {
  Loaded p(R"(
from typing import TYPE_CHECKING
from sqlalchemy import JSON

if TYPE_CHECKING:
    from sqlalchemy.orm import Mapped

try:
    from sqlalchemy.dialects.postgresql import JSONB
except ImportError:
    JSONB = JSON

ann = Mapped
data = JSONB
)");
  CHECK(p.value_origin("models.py", "ann") == "sqlalchemy.orm.Mapped");
  // The first binding (the try body) is the one the resolver follows.
  CHECK(p.value_origin("models.py", "data") == "sqlalchemy.dialects.postgresql.JSONB");
}

TEST_CASE("imports: a sub-package named like a library is not the library", "[imports]") {
  // Python 3 imports a sub-package only by its full name: inside the `shop` package, `packaging.utils` is the
  // installed library, while `shop.packaging.utils` (src/ being a source root, no package) is the project's.
  Loaded p(R"(
# file: src/shop/__init__.py
"""The shop package."""
# file: src/shop/packaging/__init__.py
"""Packaging of orders."""
# file: src/shop/packaging/utils.py
def canonicalize_version(version):
    return version
# file: src/shop/models.py
from packaging.utils import canonicalize_version
from shop.packaging.utils import canonicalize_version as ours
from shop.packaging import utils
)");
  CHECK(p.resolve("src/shop/models.py", "canonicalize_version") == "packaging.utils.canonicalize_version");
  const std::string utils_key = p.file("src/shop/packaging/utils.py").module_key;
  CHECK(p.resolve("src/shop/models.py", "ours") == utils_key + ".canonicalize_version");
  CHECK(p.resolve("src/shop/models.py", "utils.canonicalize_version") == utils_key + ".canonicalize_version");
}

TEST_CASE("imports: functools.partial of a SQLAlchemy callable", "[imports]") {
  Loaded p(R"(
import functools
from functools import partial

import sqlalchemy as sa

Column = functools.partial(sa.Column, nullable=False)
Text = partial(sa.String, 200)
)");
  CHECK(p.resolve("models.py", "Column") == "sqlalchemy.Column");
  CHECK(p.resolve("models.py", "Text") == "sqlalchemy.String");
}

TEST_CASE("imports: a package's own binding wins over its submodule of the same name", "[imports]") {
  // privacyidea: models/__init__.py does `from .db import db`; the models do `from privacyidea.models import db`.
  Loaded p(R"(
# file: app/__init__.py
"""The app."""
# file: app/models/__init__.py
from .db import db
from .user import User
# file: app/models/db.py
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
# file: app/models/user.py
from app.models import db


class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
)");
  CHECK(p.resolve("app/models/user.py", "db") == "flask_sqlalchemy.SQLAlchemy()");
  CHECK(p.resolve("app/models/user.py", "db.Column") == "sqlalchemy.Column");
  CHECK(p.table_names() == std::vector<std::string>{"users"});
}

TEST_CASE("imports: SQLAlchemy's testing wrappers build the same objects", "[imports]") {
  Loaded p(R"(
from sqlalchemy.testing.schema import Column, Table, mapped_column
)");
  CHECK(p.resolve("models.py", "mapped_column") == "sqlalchemy.orm.mapped_column");
  CHECK(p.resolve("models.py", "Column") == "sqlalchemy.Column");
  CHECK(p.resolve("models.py", "Table") == "sqlalchemy.Table");
}
