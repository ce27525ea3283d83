// Which classes the project model sees as declarative bases, mapped classes, abstract classes, mixins feeding a
// mapped class, and plain classes (ClassInfo).
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "facts_test_support.h"

using ormlint::testing::facts::Loaded;
using namespace ormlint;
using Role = ClassInfo::Role;

TEST_CASE("bases: Base = declarative_base() from every module that offers it", "[bases]") {
  const char* import_line = GENERATE("from sqlalchemy.orm import declarative_base",
                                     "from sqlalchemy.ext.declarative import declarative_base");
  Loaded p(std::string(import_line) + R"(
from sqlalchemy import Column, Integer

Base = declarative_base()

class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)

class Plain:
    pass
)");
  INFO(import_line);
  CHECK(p.resolve("models.py", "Base") == "sqlalchemy.orm.declarative_base()");
  const ClassInfo& user = p.class_info("models.py", "User");
  CHECK(user.role == Role::Mapped);
  CHECK(user.is_mapped());
  CHECK(user.declarative_base == nullptr);  // the base is a value, not a project class
  CHECK(user.external_bases == std::vector<std::string>{"sqlalchemy.orm.declarative_base()"});
  CHECK_FALSE(user.flask_model);
  CHECK_FALSE(user.sqlmodel);
  CHECK(p.class_info("models.py", "Plain").role == Role::Plain);
}

TEST_CASE("bases: class Base then Base = declarative_base(cls=Base), as SQLAlchemy documents it", "[bases]") {
  Loaded p(R"(
# file: app/db.py
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base, declared_attr


class Base:
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower()

    id = Column(Integer, primary_key=True)


Base = declarative_base(cls=Base)


class Helper:
    pass


Helper = staticmethod(len)  # another second binding: the first one stays
# file: app/models.py
from sqlalchemy import Column, String

from app.db import Base


class User(Base):
    name = Column(String(50))
)");
  // From the assignment on, `Base` is the declarative base; the class it was made from stays a class of its
  // own.
  CHECK(p.resolve("app/db.py", "Base") == "sqlalchemy.orm.declarative_base()");
  const ClassInfo& user = p.class_info("app/models.py", "User");
  CHECK(user.role == Role::Mapped);
  CHECK(user.external_bases == std::vector<std::string>{"sqlalchemy.orm.declarative_base()"});
  const ClassInfo& mixin = p.class_info("app/db.py", "Base");
  CHECK(mixin.role == Role::Plain);
  // The class's @declared_attr name and its id column reach the model, through declarative_base(cls=...).
  const TableDef* table = p.project().tables().table_of(user);
  REQUIRE(table != nullptr);
  CHECK(table->name == "user");
  CHECK(table->column("id") != nullptr);
  CHECK(p.class_info("app/db.py", "Helper").role == Role::Plain);
  CHECK(p.resolve("app/db.py", "Helper") != "builtins.staticmethod()");
}

TEST_CASE("bases: a declarative base from an installed package, named in the configuration",
          "[bases][config]") {
  const std::string models = R"(
from sqlalchemy import Column, Integer
from shared_models import base as shared


class User(shared.Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


class Model(shared.Base):
    __abstract__ = True


class Other(shared.Mixin):
    __tablename__ = "others"
)";
  SECTION("unknown without the setting") {
    Loaded p(models);
    CHECK(p.class_info("models.py", "User").role == Role::Plain);
  }
  SECTION("mapped (or abstract) with it") {
    Config config;
    config.declarative_bases = {"shared_models.base.Base"};
    Loaded p(models, "models.py", config);
    CHECK(p.class_info("models.py", "User").role == Role::Mapped);
    CHECK(p.class_info("models.py", "Model").role == Role::Abstract);
    CHECK(p.class_info("models.py", "Other").role == Role::Plain);
    CHECK(p.table_names() == std::vector<std::string>{"users"});
  }
}

TEST_CASE("bases: sqlalchemy.orm.declarative_base via module alias", "[bases]") {
  Loaded p(R"(
import sqlalchemy as sa
import sqlalchemy.orm

Base = sa.orm.declarative_base()
Other = sqlalchemy.orm.declarative_base()

class A(Base):
    __tablename__ = "a"

class B(Other):
    __tablename__ = "b"
)");
  CHECK(p.class_info("models.py", "A").role == Role::Mapped);
  CHECK(p.class_info("models.py", "B").role == Role::Mapped);
}

TEST_CASE("bases: class Base(DeclarativeBase) and DeclarativeBaseNoMeta", "[bases]") {
  const char* base_class = GENERATE("DeclarativeBase", "DeclarativeBaseNoMeta");
  INFO(base_class);
  Loaded p(std::string("from sqlalchemy.orm import ") + base_class + R"(, Mapped, mapped_column

class Base()" + base_class + R"():
    pass

class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
)");
  const ClassInfo& base = p.class_info("models.py", "Base");
  const ClassInfo& user = p.class_info("models.py", "User");
  CHECK(base.role == Role::DeclarativeBase);
  CHECK_FALSE(base.is_mapped());  // the base itself is not mapped
  CHECK(user.role == Role::Mapped);
  CHECK(user.declarative_base == &base);
  REQUIRE(user.project_bases.size() == 1);
  CHECK(user.project_bases[0] == &base);
  // The base's attributes (type_annotation_map, metadata...) reach the mapped class: it feeds it.
  CHECK(base.feeds_mapped_class);
}

TEST_CASE("bases: @as_declarative", "[bases]") {
  const char* form = GENERATE("from sqlalchemy.orm import as_declarative\n@as_declarative()",
                              "from sqlalchemy.ext.declarative import as_declarative\n@as_declarative()",
                              "from sqlalchemy.orm import as_declarative\n@as_declarative");
  INFO(form);
  Loaded p(std::string(form) + R"(
class Base:
    id = None

class User(Base):
    __tablename__ = "users"
)");
  CHECK(p.class_info("models.py", "Base").role == Role::DeclarativeBase);
  const ClassInfo& user = p.class_info("models.py", "User");
  CHECK(user.role == Role::Mapped);
  CHECK(user.declarative_base == &p.class_info("models.py", "Base"));
}

TEST_CASE("bases: registry().generate_base() and @registry.mapped", "[bases]") {
  Loaded p(R"(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import registry

mapper_registry = registry()
Base = mapper_registry.generate_base()

class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)

@mapper_registry.mapped
class Address:
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)

@mapper_registry.mapped_as_dataclass
class Point:
    __tablename__ = "points"
    id = Column(Integer, primary_key=True)

class NotMapped:
    id = Column(Integer, primary_key=True)
)");
  CHECK(p.resolve("models.py", "Base") == "sqlalchemy.orm.registry().generate_base()");
  CHECK(p.class_info("models.py", "User").role == Role::Mapped);
  CHECK(p.class_info("models.py", "Address").role == Role::Mapped);
  CHECK(p.class_info("models.py", "Point").role == Role::Mapped);
  CHECK(p.class_info("models.py", "NotMapped").role == Role::Plain);
  // Mapped classes contribute columns; the plain one does not.
  CHECK(p.model_column("models.py", "User", "id") != nullptr);
  CHECK(p.model_column("models.py", "Address", "id") != nullptr);
  CHECK(p.model_column("models.py", "NotMapped", "id") == nullptr);
}

TEST_CASE("bases: Flask-SQLAlchemy db.Model", "[bases]") {
  Loaded p(R"(
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
Model = db.Model

class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)

class TimestampModel(db.Model):
    __abstract__ = True
    created = db.Column(db.DateTime)

class Post(TimestampModel):
    id = db.Column(db.Integer, primary_key=True)

class Tag(Model):
    id = db.Column(db.Integer, primary_key=True)
)");
  const ClassInfo& user = p.class_info("models.py", "User");
  CHECK(user.role == Role::Mapped);
  CHECK(user.flask_model);
  CHECK(user.external_bases == std::vector<std::string>{"flask_sqlalchemy.SQLAlchemy().Model"});
  const ClassInfo& abstract = p.class_info("models.py", "TimestampModel");
  CHECK(abstract.role == Role::Abstract);
  CHECK(abstract.flask_model);
  CHECK(abstract.feeds_mapped_class);
  const ClassInfo& post = p.class_info("models.py", "Post");
  CHECK(post.role == Role::Mapped);
  CHECK(post.flask_model);
  CHECK(p.class_info("models.py", "Tag").role == Role::Mapped);
  CHECK(p.class_info("models.py", "Tag").flask_model);
}

TEST_CASE("bases: SQLModel with and without table=True", "[bases]") {
  Loaded p(R"(
from typing import Optional
from sqlmodel import Field, SQLModel

class HeroBase(SQLModel):
    name: str

class Hero(HeroBase, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)

class HeroCreate(HeroBase):
    pass

class Team(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)

class NotATable(SQLModel, table=False):
    x: int
)");
  const ClassInfo& base = p.class_info("models.py", "HeroBase");
  CHECK(base.sqlmodel);
  CHECK(base.role == Role::Abstract);
  CHECK(base.feeds_mapped_class);  // Hero (table=True) inherits its fields
  const ClassInfo& hero = p.class_info("models.py", "Hero");
  CHECK(hero.sqlmodel);
  CHECK(hero.role == Role::Mapped);
  const ClassInfo& create = p.class_info("models.py", "HeroCreate");
  CHECK(create.role == Role::Abstract);
  CHECK_FALSE(create.feeds_mapped_class);
  CHECK(p.class_info("models.py", "Team").role == Role::Mapped);
  CHECK(p.class_info("models.py", "NotATable").role == Role::Abstract);
  CHECK_FALSE(p.class_info("models.py", "NotATable").feeds_mapped_class);
}

TEST_CASE("bases: __abstract__, mixins used and unused", "[bases]") {
  Loaded p(R"(
from sqlalchemy import Column, DateTime, Integer
from sqlalchemy.orm import DeclarativeBase

class Base(DeclarativeBase):
    pass

class TimestampMixin:
    created_at = Column(DateTime)

class UnusedMixin:
    deleted_at = Column(DateTime)

class AuditMixin(TimestampMixin):
    updated_at = Column(DateTime)

class Model(Base):
    __abstract__ = True
    id = Column(Integer, primary_key=True)

class NotAbstract(Base):
    __abstract__ = False
    __tablename__ = "not_abstract"
    id = Column(Integer, primary_key=True)

class User(AuditMixin, Model):
    __tablename__ = "users"
)");
  const ClassInfo& model = p.class_info("models.py", "Model");
  CHECK(model.role == Role::Abstract);
  CHECK(model.feeds_mapped_class);
  CHECK(model.declarative_base == &p.class_info("models.py", "Base"));
  CHECK(p.class_info("models.py", "NotAbstract").role == Role::Mapped);

  const ClassInfo& user = p.class_info("models.py", "User");
  CHECK(user.role == Role::Mapped);
  CHECK(user.declarative_base == &p.class_info("models.py", "Base"));

  const ClassInfo& timestamp = p.class_info("models.py", "TimestampMixin");
  const ClassInfo& audit = p.class_info("models.py", "AuditMixin");
  const ClassInfo& unused = p.class_info("models.py", "UnusedMixin");
  CHECK(timestamp.role == Role::Plain);
  CHECK(timestamp.feeds_mapped_class);  // through AuditMixin
  CHECK(timestamp.contributes_mapped_attributes());
  CHECK(audit.feeds_mapped_class);
  CHECK(unused.role == Role::Plain);
  CHECK_FALSE(unused.feeds_mapped_class);
  CHECK_FALSE(unused.contributes_mapped_attributes());

  // Mixin columns are collected (with no table: a mixin can serve many); the unused mixin's are not.
  const ColumnInfo* created = p.model_column("models.py", "TimestampMixin", "created_at");
  REQUIRE(created != nullptr);
  CHECK(created->table == "");
  CHECK(created->owner == &timestamp);
  CHECK(p.model_column("models.py", "UnusedMixin", "deleted_at") == nullptr);
}

TEST_CASE("bases: inheritance across files", "[bases]") {
  Loaded p(R"(
# file: app/__init__.py
# (package)
# file: app/db/__init__.py
# (package)
# file: app/db/base.py
from sqlalchemy.orm import DeclarativeBase

class Base(DeclarativeBase):
    pass
# file: app/models/__init__.py
from .user import User
from .post import Post
# file: app/models/base_model.py
from sqlalchemy import Column, Integer
from app.db.base import Base

class BaseModel(Base):
    __abstract__ = True
    id = Column(Integer, primary_key=True)
# file: app/models/mixins.py
from sqlalchemy import Column, DateTime

class TimestampMixin:
    created_at = Column(DateTime)
# file: app/models/user.py
from sqlalchemy import Column, String
from .base_model import BaseModel
from .mixins import TimestampMixin

class User(TimestampMixin, BaseModel):
    __tablename__ = "users"
    name = Column(String(50))
# file: app/models/post.py
from app.models import base_model

class Post(base_model.BaseModel):
    __tablename__ = "posts"
)");
  const ClassInfo& base = p.class_info("app/db/base.py", "Base");
  const ClassInfo& base_model = p.class_info("app/models/base_model.py", "BaseModel");
  const ClassInfo& mixin = p.class_info("app/models/mixins.py", "TimestampMixin");
  const ClassInfo& user = p.class_info("app/models/user.py", "User");
  const ClassInfo& post = p.class_info("app/models/post.py", "Post");
  CHECK(base.role == Role::DeclarativeBase);
  CHECK(base_model.role == Role::Abstract);
  CHECK(base_model.declarative_base == &base);
  CHECK(base_model.feeds_mapped_class);
  CHECK(user.role == Role::Mapped);
  CHECK(user.declarative_base == &base);
  REQUIRE(user.project_bases.size() == 2);
  CHECK(user.project_bases[0] == &mixin);
  CHECK(user.project_bases[1] == &base_model);
  CHECK(mixin.feeds_mapped_class);
  CHECK(post.role == Role::Mapped);
  CHECK(post.declarative_base == &base);

  // The package __init__ re-exports resolve to the same classes.
  CHECK(p.project().resolve_class(p.file("app/models/__init__.py"), "User") == &user);
  CHECK(p.project().resolve_class(p.file("app/models/__init__.py"), "Post") == &post);

  // The abstract model's column lands in the abstract class's file, tableless.
  const ColumnInfo* id = p.model_column("app/models/base_model.py", "BaseModel", "id");
  REQUIRE(id != nullptr);
  CHECK(id->table == "");
  const ColumnInfo* name = p.model_column("app/models/user.py", "User", "name");
  REQUIRE(name != nullptr);
  CHECK(name->table == "users");
}

TEST_CASE("bases: Pydantic models, plain classes and enums", "[bases]") {
  Loaded p(R"(
import enum
from enum import Enum, IntEnum
from pydantic import BaseModel
from sqlalchemy import Column, Integer

class UserSchema(BaseModel):
    id: int
    name: str

class Service:
    id = Column(Integer)

class Status(str, enum.Enum):
    ACTIVE = "active"

class Priority(IntEnum):
    LOW = 1

class Color(Enum):
    RED = "red"

class StatusBase(str, Enum):
    pass

class Derived(StatusBase):
    A = "a"
)");
  const ClassInfo& schema = p.class_info("models.py", "UserSchema");
  CHECK(schema.role == Role::Plain);
  CHECK_FALSE(schema.is_enum);
  CHECK(schema.external_bases == std::vector<std::string>{"pydantic.BaseModel"});
  CHECK(p.class_info("models.py", "Service").role == Role::Plain);
  CHECK(p.model_column("models.py", "Service", "id") == nullptr);
  const ClassInfo& status = p.class_info("models.py", "Status");
  CHECK(status.is_enum);
  CHECK(status.role == Role::Plain);
  CHECK(status.external_bases == std::vector<std::string>{"builtins.str", "enum.Enum"});
  CHECK(p.class_info("models.py", "Priority").is_enum);
  CHECK(p.class_info("models.py", "Color").is_enum);
  CHECK(p.class_info("models.py", "Derived").is_enum);  // through a project enum base
  CHECK_FALSE(p.class_info("models.py", "Service").is_enum);
}

TEST_CASE("bases: inheritance cycles terminate", "[bases]") {
  auto start = std::chrono::steady_clock::now();
  Loaded p(R"(
# file: a.py
from b import B
from sqlalchemy.orm import DeclarativeBase

class Base(DeclarativeBase):
    pass

class A(B):
    pass

class Self(Self):
    pass

class Mapped1(A, Base):
    __tablename__ = "m"
# file: b.py
from a import A

class B(A):
    pass
)");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  const ClassInfo& a = p.class_info("a.py", "A");
  const ClassInfo& b = p.class_info("b.py", "B");
  REQUIRE(a.project_bases.size() == 1);
  CHECK(a.project_bases[0] == &b);
  REQUIRE(b.project_bases.size() == 1);
  CHECK(b.project_bases[0] == &a);
  CHECK(a.role == Role::Plain);
  CHECK(b.role == Role::Plain);
  CHECK(p.class_info("a.py", "Self").role == Role::Plain);
  // A mapped class deriving from a cycle still maps through its real base.
  CHECK(p.class_info("a.py", "Mapped1").role == Role::Mapped);
  CHECK(a.feeds_mapped_class);
  CHECK(b.feeds_mapped_class);
}

TEST_CASE("bases: a mapped subclass of a mapped class (inheritance mapping)", "[bases]") {
  Loaded p(R"(
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()

class Employee(Base):
    __tablename__ = "employee"
    id = Column(Integer, primary_key=True)
    type = Column(String(50))

class Engineer(Employee):
    __tablename__ = "engineer"
    id = Column(Integer, ForeignKey("employee.id"), primary_key=True)
)");
  const ClassInfo& employee = p.class_info("models.py", "Employee");
  const ClassInfo& engineer = p.class_info("models.py", "Engineer");
  CHECK(employee.role == Role::Mapped);
  CHECK(engineer.role == Role::Mapped);
  CHECK(employee.feeds_mapped_class);
  const ColumnInfo* id = p.model_column("models.py", "Engineer", "id");
  REQUIRE(id != nullptr);
  CHECK(id->table == "engineer");
  CHECK(id->type.origin == "sqlalchemy.Integer");
}

TEST_CASE("bases: AbstractConcreteBase is abstract, its subclasses are tables", "[bases]") {
  Loaded p(R"(
from sqlalchemy import Column, Integer, String
from sqlalchemy.ext.declarative import AbstractConcreteBase
from sqlalchemy.orm import DeclarativeBase

class Base(DeclarativeBase):
    pass

class Observation(AbstractConcreteBase, Base):
    id = Column(Integer, primary_key=True)
    kind = Column(String(40))

class ProjectObservation(Observation):
    __tablename__ = "project_observations"

class ReleaseObservation(Observation):
    __tablename__ = "release_observations"
)");
  CHECK(p.class_info("models.py", "Observation").role == Role::Abstract);
  CHECK(p.class_info("models.py", "Observation").feeds_mapped_class);
  CHECK(p.class_info("models.py", "ProjectObservation").role == Role::Mapped);
  CHECK(p.class_info("models.py", "ReleaseObservation").role == Role::Mapped);
  CHECK(p.table_names() == std::vector<std::string>{"project_observations", "release_observations"});
}

TEST_CASE("bases: a project subclass of Flask-SQLAlchemy, and the plain Model class", "[bases][flask]") {
  // redash and indico subclass the extension; indico also hands a plain Model subclass to model_class=.
  Loaded p(R"(
# file: app/db.py
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.model import Model


class AppModel(Model):
    """Shared behaviour for every model: a plain class, not a table."""

    def to_dict(self):
        return {}


class AppSQLAlchemy(SQLAlchemy):
    pass


class TracedSQLAlchemy(AppSQLAlchemy):
    pass


db = TracedSQLAlchemy(model_class=AppModel)
# file: app/models.py
from app.db import db


class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
)");
  CHECK(p.resolve("app/models.py", "db") == "flask_sqlalchemy.SQLAlchemy()");
  CHECK(p.resolve("app/models.py", "db.Column") == "sqlalchemy.Column");
  const ClassInfo& user = p.class_info("app/models.py", "User");
  CHECK(user.role == Role::Mapped);
  CHECK(user.flask_model);
  CHECK(p.class_info("app/db.py", "AppModel").role == Role::Plain);
  CHECK(p.table_names() == std::vector<std::string>{"users"});
}
