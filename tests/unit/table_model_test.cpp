// TableModel: the project-wide schema (tables with their MetaData, schema and names, columns, foreign keys,
// relationships, indexes and constraints) that cross-file rules read, built from small projects in a TempDir.
#include <catch2/catch.hpp>
#include <string>

#include "facts_test_support.h"
#include "project/table_model.h"

using ormlint::testing::facts::Loaded;
using namespace ormlint;
using Nullable = ColumnDef::NullableSource;
using Kind = ConstraintDef::Kind;
using Target = RelationshipDef::TargetSource;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const TableModel& model(const Loaded& p) { return p.project().tables(); }

// The only table with this name (any MetaData, any schema).
const TableDef& table(const Loaded& p, const std::string& name) {
  auto found = model(p).named(name);
  INFO("tables named " << name << ": " << found.size());
  REQUIRE(found.size() == 1);
  return *found[0];
}

const ColumnDef& column(const TableDef& t, const std::string& name) {
  const ColumnDef* c = t.column(name);
  INFO("column " << t.name << "." << name);
  REQUIRE(c != nullptr);
  return *c;
}

const RelationshipDef& relationship(const Loaded& p, const std::string& rel, const std::string& cls,
                                    const std::string& attribute) {
  const RelationshipDef* r = model(p).find_relationship(p.class_info(rel, cls), attribute);
  INFO("relationship " << cls << "." << attribute);
  REQUIRE(r != nullptr);
  return *r;
}

std::vector<std::string> column_names(const TableDef& t) {
  std::vector<std::string> names;
  for (const ColumnDef& c : t.columns) names.push_back(c.name);
  return names;
}

const ConstraintDef& only_constraint(const TableDef& t, Kind kind) {
  const ConstraintDef* found = nullptr;
  for (const ConstraintDef* c : t.constraints) {
    if (c->kind != kind) continue;
    REQUIRE(found == nullptr);
    found = c;
  }
  REQUIRE(found != nullptr);
  return *found;
}

}  // namespace

// ---- table names ------------------------------------------------------------------------------------------------

TEST_CASE("tables: mapped classes and Core Table() calls, with names and locations", "[tables]") {
  Loaded p(R"(
import sqlalchemy as sa
from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.orm import declarative_base

Base = declarative_base()
metadata = MetaData()

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("message", String(200), nullable=False),
)

sa.Table("events", metadata, sa.Column("id", sa.Integer, primary_key=True))


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


class NotMapped:
    __tablename__ = "nope"
)");
  const TableModel& m = model(p);
  REQUIRE(m.tables().size() == 3);
  // Sorted by file, then position.
  CHECK(m.tables()[0].name == "audit_log");
  CHECK(m.tables()[1].name == "events");
  CHECK(m.tables()[2].name == "users");
  for (size_t i = 0; i < m.tables().size(); ++i) CHECK(m.tables()[i].index == i);

  const TableDef& audit = table(p, "audit_log");
  CHECK(audit.kind == TableDef::Kind::Table);
  CHECK(audit.name_source == TableNameSource::Literal);
  REQUIRE(audit.assignment != nullptr);
  CHECK(audit.assignment->target == "audit_log");
  CHECK(audit.loc.line == 9);
  CHECK(audit.name_loc.line == 10);
  CHECK(audit.owner == nullptr);
  CHECK(column_names(audit) == std::vector<std::string>{"id", "message"});
  CHECK(m.table_of_call(*audit.table_call) == &audit);

  const TableDef& events = table(p, "events");
  CHECK(events.assignment == nullptr);  // a module-level expression statement
  CHECK(events.loc.line == 16);

  const TableDef& users = table(p, "users");
  CHECK(users.kind == TableDef::Kind::Model);
  REQUIRE(users.owner != nullptr);
  CHECK(users.owner->def->name == "User");
  CHECK(users.loc.line == 19);
  CHECK(users.name_loc.line == 20);
  CHECK(m.table_of(p.class_info("models.py", "User")) == &users);
  CHECK(m.named("nope").empty());
  CHECK(m.tables_in(p.file("models.py")).size() == 3);
}

TEST_CASE("tables: __tablename__ from a mixin or abstract class, literal or @declared_attr", "[tables]") {
  Loaded p(R"(
# file: app/base.py
from sqlalchemy.orm import DeclarativeBase, declared_attr


class Base(DeclarativeBase):
    pass


class NamedByClass:
    @declared_attr.directive
    def __tablename__(cls) -> str:
        return cls.__name__.lower()


class Plural:
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower() + "s"


class FString:
    @declared_attr
    def __tablename__(cls):
        return f"tbl_{cls.__name__.lower()}"


class FixedName:
    @declared_attr
    def __tablename__(cls):
        return "fixed"


class Computed:
    @declared_attr
    def __tablename__(cls):
        return to_snake(cls.__name__)


class LiteralMixin:
    __tablename__ = "from_mixin"


class AbstractThing(Base):
    __abstract__ = True
    __tablename__ = "from_abstract"
# file: app/models.py
from sqlalchemy.orm import Mapped, mapped_column

from .base import (AbstractThing, Base, Computed, FixedName, FString, LiteralMixin, NamedByClass,
                   Plural)


class Invoice(NamedByClass, Base):
    id: Mapped[int] = mapped_column(primary_key=True)


class Order(Plural, Base):
    id: Mapped[int] = mapped_column(primary_key=True)


class Ticket(FString, Base):
    id: Mapped[int] = mapped_column(primary_key=True)


class Setting(FixedName, Base):
    id: Mapped[int] = mapped_column(primary_key=True)


class Weird(Computed, Base):
    id: Mapped[int] = mapped_column(primary_key=True)


class Mixed(LiteralMixin, Base):
    id: Mapped[int] = mapped_column(primary_key=True)


class Concrete(AbstractThing):
    id: Mapped[int] = mapped_column(primary_key=True)


class Own(NamedByClass, Base):
    __tablename__ = "own_name"
    id: Mapped[int] = mapped_column(primary_key=True)
)");
  auto name_of = [&](const std::string& cls) {
    const TableDef* t = model(p).table_of(p.class_info("app/models.py", cls));
    REQUIRE(t != nullptr);
    return std::make_pair(t->name, t->name_source);
  };
  CHECK(name_of("Invoice") == std::make_pair(std::string("invoice"), TableNameSource::DeclaredAttr));
  CHECK(name_of("Order") == std::make_pair(std::string("orders"), TableNameSource::DeclaredAttr));
  CHECK(name_of("Ticket") == std::make_pair(std::string("tbl_ticket"), TableNameSource::DeclaredAttr));
  CHECK(name_of("Setting") == std::make_pair(std::string("fixed"), TableNameSource::DeclaredAttr));
  CHECK(name_of("Weird") == std::make_pair(std::string(""), TableNameSource::Unknown));
  CHECK(name_of("Mixed") == std::make_pair(std::string("from_mixin"), TableNameSource::Literal));
  CHECK(name_of("Concrete") == std::make_pair(std::string("from_abstract"), TableNameSource::Literal));
  CHECK(name_of("Own") == std::make_pair(std::string("own_name"), TableNameSource::Literal));
  // The name is written in the mixin's file.
  const TableDef& mixed = table(p, "from_mixin");
  REQUIRE(mixed.name_file != nullptr);
  CHECK(ends_with(mixed.name_file->path(), "app/base.py"));
  CHECK(mixed.name_loc.line == 39);
  CHECK(ends_with(mixed.file->path(), "app/models.py"));
}

TEST_CASE("tables: a @declared_attr __tablename__ computed from the class name, in steps, by regex or helper",
          "[tables]") {
  // Each expected name is what Python gives for the same code.
  Loaded p(R"PY(
# file: app/naming.py
import re

CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
PREFIX = "tbl_"


def to_snake(name):
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def two_args(prefix, name):
    return (prefix + CAMEL.sub("_", name)).lower()
# file: app/models.py
import re

import inflection
from sqlalchemy import Column, Integer
from sqlalchemy.orm import DeclarativeBase, declared_attr

from app.naming import CAMEL, PREFIX, to_snake, two_args


class Base(DeclarativeBase):
    pass


class Direct:
    @declared_attr
    def __tablename__(cls):
        return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


class Compiled:
    @declared_attr
    def __tablename__(cls):
        return CAMEL.sub("_", cls.__name__).lower()


class InSteps:
    @declared_attr
    def __tablename__(cls):
        """Two steps, the classic recipe."""
        name = cls.__name__
        s1 = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
        return re.sub("([a-z0-9])([A-Z])", r"\1_\2", s1).lower()


class FStringOfLocal:
    @declared_attr.directive
    def __tablename__(cls) -> str:
        import re

        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()
        return f"{PREFIX}{snake}s"


class Helper:
    @declared_attr
    def __tablename__(cls):
        return to_snake(cls.__name__)


class HelperTwoArgs:
    @declared_attr
    def __tablename__(cls):
        return two_args("app_", cls.__name__)


class Stripped:
    @declared_attr
    def __tablename__(cls):
        return re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", cls.__name__).replace("-", "_").lower().strip("_")


class UnknownPattern:
    @declared_attr
    def __tablename__(cls):
        return re.sub(r"[A-Z]", "_", cls.__name__).lower()


class BoundTwice:
    @declared_attr
    def __tablename__(cls):
        name = cls.__name__
        name = name + "s"
        return name.lower()


class AfterBranch:
    @declared_attr
    def __tablename__(cls):
        name = cls.__name__.lower()
        if name.startswith("legacy"):
            name = "old_" + name
        return name


class Conversion:
    @declared_attr
    def __tablename__(cls):
        name = cls.__name__.lower()
        return f"{name!s}"


class Inflected:
    @declared_attr
    def __tablename__(cls):
        return inflection.underscore(cls.__name__)


class UserAccount(Direct, Base):
    id = Column(Integer, primary_key=True)


class HTTPRequestLog(Compiled, Base):
    id = Column(Integer, primary_key=True)


class HTTPResponseCode(InSteps, Base):
    id = Column(Integer, primary_key=True)


class OrderItem(FStringOfLocal, Base):
    id = Column(Integer, primary_key=True)


class PaymentMethod2FA(Helper, Base):
    id = Column(Integer, primary_key=True)


class ApiKey(HelperTwoArgs, Base):
    id = Column(Integer, primary_key=True)


class SSLCertificate(Stripped, Base):
    id = Column(Integer, primary_key=True)


class Unknown1(UnknownPattern, Base):
    id = Column(Integer, primary_key=True)


class Unknown2(BoundTwice, Base):
    id = Column(Integer, primary_key=True)


class Unknown3(AfterBranch, Base):
    id = Column(Integer, primary_key=True)


class Unknown4(Conversion, Base):
    id = Column(Integer, primary_key=True)


class HTMLPage2Version(Inflected, Base):
    id = Column(Integer, primary_key=True)
)PY");
  auto name_of = [&](const std::string& cls) {
    const TableDef* t = model(p).table_of(p.class_info("app/models.py", cls));
    REQUIRE(t != nullptr);
    return t->name_source == TableNameSource::DeclaredAttr ? t->name : "?";
  };
  CHECK(name_of("UserAccount") == "user_account");
  CHECK(name_of("HTTPRequestLog") == "h_t_t_p_request_log");
  CHECK(name_of("HTTPResponseCode") == "http_response_code");
  CHECK(name_of("OrderItem") == "tbl_order_items");
  CHECK(name_of("PaymentMethod2FA") == "payment_method2_fa");
  CHECK(name_of("ApiKey") == "app_api_key");
  CHECK(name_of("SSLCertificate") == "ssl_certificate");
  CHECK(name_of("Unknown1") == "?");
  CHECK(name_of("Unknown2") == "?");
  CHECK(name_of("Unknown3") == "?");
  CHECK(name_of("Unknown4") == "?");
  CHECK(name_of("HTMLPage2Version") == "html_page2_version");
}

TEST_CASE("tables: declarative_base(cls=Mixin) gives every model the mixin's @declared_attr name", "[tables]") {
  Loaded p(R"(
from sqlalchemy import Column, Integer
from sqlalchemy.ext.declarative import declarative_base, declared_attr


class CustomBase:
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower()

    id = Column(Integer, primary_key=True)


Base = declarative_base(cls=CustomBase)


class Customer(Base):
    name = Column(Integer)
)");
  const TableDef& t = table(p, "customer");
  CHECK(t.name_source == TableNameSource::DeclaredAttr);
  CHECK(column_names(t) == std::vector<std::string>{"name", "id"});
  CHECK(column(t, "id").inherited);
  CHECK(column(t, "id").primary_key);
}

TEST_CASE("tables: Flask-SQLAlchemy 3 and SQLModel derive the name from the class", "[tables]") {
  CHECK(flask_table_name("User") == "user");
  CHECK(flask_table_name("CamelCase") == "camel_case");
  CHECK(flask_table_name("HTTPResponse") == "http_response");
  CHECK(flask_table_name("APIKey") == "api_key");
  CHECK(flask_table_name("OAuth2Token") == "o_auth2_token");
  CHECK(flask_table_name("User2FA") == "user2_fa");
  CHECK(flask_table_name("ABC") == "abc");
  CHECK(flask_table_name("_Private") == "private");
  CHECK(sqlmodel_table_name("HeroTeamLink") == "heroteamlink");

  Loaded p(R"(
# file: app/extensions.py
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
# file: app/models.py
from typing import Optional

from sqlmodel import Field, SQLModel

from .extensions import db


class UserAccount(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class ApiKey(db.Model):
    __tablename__ = "keys"
    id = db.Column(db.Integer, primary_key=True)


class HeroTeam(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)


class Named(SQLModel, table=True):
    __tablename__ = "named_heroes"
    id: Optional[int] = Field(default=None, primary_key=True)


class HeroBase(SQLModel):
    name: str
)");
  const TableDef& account = table(p, "user_account");
  CHECK(account.name_source == TableNameSource::FlaskDerived);
  CHECK(account.name_loc.line == p.class_info("app/models.py", "UserAccount").def->loc.line);
  CHECK(ends_with(account.metadata, "app.extensions.db"));
  CHECK(table(p, "keys").name_source == TableNameSource::Literal);
  const TableDef& hero_team = table(p, "heroteam");
  CHECK(hero_team.name_source == TableNameSource::SqlmodelDerived);
  CHECK(hero_team.metadata == "sqlmodel.SQLModel");
  CHECK(table(p, "named_heroes").name_source == TableNameSource::Literal);
  CHECK(model(p).tables().size() == 4);  // HeroBase is not a table
}

// ---- schema, metadata, extend_existing ----------------------------------------------------------------------------

TEST_CASE("tables: schema from __table_args__, Table(schema=) and the base's MetaData(schema=)", "[tables]") {
  Loaded p(R"(
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, declarative_base


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = {"schema": "billing", "comment": "paying customers"}
    id = Column(Integer, primary_key=True)


class Plan(Base):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("code", name="uq_plans_code"), {"schema": "billing"})
    id = Column(Integer, primary_key=True)
    code = Column(Integer)


class Plain(Base):
    __tablename__ = "plain"
    id = Column(Integer, primary_key=True)


AuthBase = declarative_base(metadata=MetaData(schema="auth"))


class Login(AuthBase):
    __tablename__ = "logins"
    id = Column(Integer, primary_key=True)


class Elsewhere(AuthBase):
    __tablename__ = "elsewhere"
    __table_args__ = {"schema": "public"}
    id = Column(Integer, primary_key=True)


core = MetaData()
reports = Table("reports", core, Column("id", Integer, primary_key=True), schema="analytics")
)");
  CHECK(table(p, "accounts").schema == "billing");
  CHECK(table(p, "accounts").schema_explicit);
  CHECK(table(p, "accounts").qualified_name() == "billing.accounts");
  CHECK(table(p, "plans").schema == "billing");
  CHECK(table(p, "plain").schema.empty());
  CHECK(table(p, "logins").schema == "auth");
  CHECK_FALSE(table(p, "logins").schema_explicit);
  CHECK(table(p, "elsewhere").schema == "public");
  CHECK(table(p, "reports").schema == "analytics");
  const MetadataDef* auth = model(p).find_metadata(table(p, "logins").metadata);
  REQUIRE(auth != nullptr);
  CHECK(auth->schema == "auth");
  CHECK(model(p).find(table(p, "accounts").metadata, "billing", "accounts").size() == 1);
  CHECK(model(p).find(table(p, "accounts").metadata, "", "accounts").empty());
}

TEST_CASE("tables: metadata identity for bases, MetaData variables, Base.metadata and db.metadata", "[tables]") {
  Loaded p(R"(
# file: app/db.py
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, declarative_base, registry

shared = MetaData(naming_convention={"ix": "ix_%(column_0_label)s"})


class Base(DeclarativeBase):
    metadata = shared


LegacyBase = declarative_base(metadata=shared)

OtherBase = declarative_base()

mapper_registry = registry(metadata=MetaData(naming_convention={"uq": "uq_%(table_name)s"}))
RegistryBase = mapper_registry.generate_base()


class ConventionBase(DeclarativeBase):
    metadata = MetaData(naming_convention={"pk": "pk_%(table_name)s"})
# file: app/models.py
from sqlalchemy import Column, Integer, MetaData, Table

from .db import Base, ConventionBase, LegacyBase, OtherBase, RegistryBase, shared


class A(Base):
    __tablename__ = "a"
    id = Column(Integer, primary_key=True)


class B(LegacyBase):
    __tablename__ = "b"
    id = Column(Integer, primary_key=True)


class C(OtherBase):
    __tablename__ = "c"
    id = Column(Integer, primary_key=True)


class D(RegistryBase):
    __tablename__ = "d"
    id = Column(Integer, primary_key=True)


class E(ConventionBase):
    __tablename__ = "e"
    id = Column(Integer, primary_key=True)


t1 = Table("t1", shared, Column("id", Integer, primary_key=True))
t2 = Table("t2", Base.metadata, Column("id", Integer, primary_key=True))
t3 = Table("t3", OtherBase.metadata, Column("id", Integer, primary_key=True))
local = MetaData()
t4 = Table("t4", local, Column("id", Integer, primary_key=True))
)");
  const std::string a = table(p, "a").metadata;
  CHECK(ends_with(a, "app.db.shared"));
  CHECK(table(p, "b").metadata == a);
  CHECK(table(p, "t1").metadata == a);
  CHECK(table(p, "t2").metadata == a);
  CHECK(ends_with(table(p, "c").metadata, "app.db.OtherBase"));
  CHECK(table(p, "t3").metadata == table(p, "c").metadata);
  CHECK(ends_with(table(p, "d").metadata, "app.db.mapper_registry"));
  CHECK(ends_with(table(p, "e").metadata, "app.db.ConventionBase"));
  CHECK(ends_with(table(p, "t4").metadata, "app.models.local"));
  CHECK(ends_with(table(p, "a").registry, "app.db.Base"));
  CHECK(ends_with(table(p, "b").registry, "app.db.LegacyBase"));
  CHECK(table(p, "t1").registry.empty());

  auto md = [&](const std::string& tbl) {
    const MetadataDef* def = model(p).find_metadata(table(p, tbl).metadata);
    REQUIRE(def != nullptr);
    return def;
  };
  CHECK(md("a")->has_naming_convention());
  CHECK(md("a")->construct != nullptr);
  CHECK(ends_with(md("a")->file->path(), "app/db.py"));
  CHECK_FALSE(md("c")->has_naming_convention());
  CHECK(md("c")->construct == nullptr);  // declarative_base() makes its own
  CHECK(md("d")->has_naming_convention());
  CHECK(md("e")->has_naming_convention());
  CHECK_FALSE(md("t4")->has_naming_convention());
  // Sorted by key, one entry each.
  const auto& all = model(p).metadata();
  CHECK(all.size() == 5);
  for (size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].key < all[i].key);
}

TEST_CASE("tables: registries from @as_declarative, @registry.mapped and SQLAlchemy(model_class=...)", "[tables]") {
  Loaded p(R"(
# file: app/db.py
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, as_declarative, registry

conventions = MetaData(naming_convention={"ix": "ix_%(column_0_label)s"})


@as_declarative(metadata=conventions)
class Base:
    pass


mapper_registry = registry()


class FlaskBase(DeclarativeBase):
    metadata = MetaData(schema="web")


db = SQLAlchemy(model_class=FlaskBase)
# file: app/models.py
from sqlalchemy import Column, Integer

from .db import Base, db, mapper_registry


class Account(Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)


@mapper_registry.mapped
class Event:
    __tablename__ = "events"
    id = Column(Integer, primary_key=True)


class Page(db.Model):
    id = db.Column(db.Integer, primary_key=True)
)");
  const TableDef& accounts = table(p, "accounts");
  CHECK(ends_with(accounts.metadata, "app.db.conventions"));
  CHECK(ends_with(accounts.registry, "app.db.Base"));
  CHECK(model(p).find_metadata(accounts.metadata)->has_naming_convention());
  const TableDef& events = table(p, "events");
  CHECK(ends_with(events.registry, "app.db.mapper_registry"));
  CHECK(ends_with(events.metadata, "app.db.mapper_registry"));
  const TableDef& page = table(p, "page");
  CHECK(ends_with(page.registry, "app.db.FlaskBase"));
  CHECK(page.schema == "web");
}

TEST_CASE("tables: Flask-SQLAlchemy MetaData: SQLAlchemy(metadata=...), __bind_key__, db.Table", "[tables]") {
  Loaded p(R"(
# file: app/extensions.py
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData

db = SQLAlchemy(metadata=MetaData(naming_convention={"fk": "fk_%(table_name)s_%(column_0_name)s"}))
# file: app/models.py
from .extensions import db

tags = db.Table(
    "post_tags",
    db.Column("post_id", db.ForeignKey("post.id"), primary_key=True),
    db.Column("tag", db.String(40), primary_key=True),
)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class AuditEntry(db.Model):
    __bind_key__ = "audit"
    id = db.Column(db.Integer, primary_key=True)
)");
  const TableDef& post = table(p, "post");
  CHECK(ends_with(post.metadata, "app.extensions.db"));
  CHECK(table(p, "post_tags").metadata == post.metadata);
  CHECK(table(p, "audit_entry").metadata == post.metadata + "[audit]");
  const MetadataDef* md = model(p).find_metadata(post.metadata);
  REQUIRE(md != nullptr);
  CHECK(md->has_naming_convention());
  const MetadataDef* audit = model(p).find_metadata(post.metadata + "[audit]");
  REQUIRE(audit != nullptr);
  CHECK(audit->has_naming_convention());  // Flask-SQLAlchemy copies it to every bind
  // db.Table's foreign key resolves in db's MetaData.
  REQUIRE(table(p, "post_tags").foreign_keys.size() == 1);
  CHECK(table(p, "post_tags").foreign_keys[0]->target == &post);
}

TEST_CASE("tables: extend_existing, keep_existing and reflected tables", "[tables]") {
  Loaded p(R"(
from sqlalchemy import Column, Integer, MetaData, Table
from sqlalchemy.orm import declarative_base

Base = declarative_base()
metadata = MetaData()


class User(Base):
    __tablename__ = "users"
    __table_args__ = {"extend_existing": True}
    id = Column(Integer, primary_key=True)


legacy = Table("legacy", metadata, autoload_with=engine)
kept = Table("kept", metadata, Column("id", Integer), keep_existing=True)
extended = Table("extended", metadata, Column("id", Integer), extend_existing=True)
)");
  CHECK(table(p, "users").extend_existing);
  CHECK(table(p, "legacy").reflected);
  CHECK_FALSE(table(p, "users").reflected);
  CHECK(table(p, "kept").keep_existing);
  CHECK(table(p, "extended").extend_existing);
  CHECK_FALSE(table(p, "kept").extend_existing);
}

TEST_CASE("tables: the same table name twice in one MetaData is two TableDefs under one key", "[tables]") {
  Loaded p(R"(
# file: app/base.py
from sqlalchemy.orm import declarative_base

Base = declarative_base()
# file: app/a.py
from sqlalchemy import Column, Integer
from .base import Base


class Organization(Base):
    __tablename__ = "organizations"
    id = Column(Integer, primary_key=True)
# file: app/b.py
from sqlalchemy import Column, Integer
from .base import Base


class Org(Base):
    __tablename__ = "organizations"
    id = Column(Integer, primary_key=True)
)");
  auto named = model(p).named("organizations");
  REQUIRE(named.size() == 2);
  CHECK(named[0]->metadata == named[1]->metadata);
  CHECK(model(p).find(named[0]->metadata, "", "organizations").size() == 2);
  CHECK(ends_with(named[0]->file->path(), "app/a.py"));
  CHECK(ends_with(named[1]->file->path(), "app/b.py"));
}

// ---- inheritance --------------------------------------------------------------------------------------------------

TEST_CASE("tables: single-table inheritance shares the parent's table; joined inheritance has its own", "[tables]") {
  Loaded p(R"(
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class Employee(Base):
    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)
    type = Column(String(20))
    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee"}


class Manager(Employee):
    reports = Column(Integer)
    __mapper_args__ = {"polymorphic_identity": "manager"}


class Director(Manager):
    budget = Column(Integer)


class Engineer(Employee):
    __tablename__ = "engineers"
    id = Column(Integer, ForeignKey("employees.id"), primary_key=True)
    language = Column(String(30))


class Intern(Employee):
    __tablename__ = None
)");
  const TableModel& m = model(p);
  CHECK(m.tables().size() == 2);
  const TableDef& employees = table(p, "employees");
  REQUIRE(employees.single_table_subclasses.size() == 3);
  CHECK(employees.single_table_subclasses[0]->def->name == "Manager");
  CHECK(employees.single_table_subclasses[1]->def->name == "Director");
  CHECK(employees.single_table_subclasses[2]->def->name == "Intern");
  CHECK(column_names(employees) == std::vector<std::string>{"id", "type", "reports", "budget"});
  CHECK(column(employees, "reports").declared_in->def->name == "Manager");
  CHECK_FALSE(column(employees, "reports").inherited);

  const MappedClassDef* manager = m.mapped_class(p.class_info("models.py", "Manager"));
  REQUIRE(manager != nullptr);
  CHECK(manager->single_table_inheritance);
  CHECK(manager->table == &employees);
  CHECK(manager->parent == &p.class_info("models.py", "Employee"));
  CHECK(m.table_of(p.class_info("models.py", "Director")) == &employees);

  const TableDef& engineers = table(p, "engineers");
  CHECK(engineers.inherits == &p.class_info("models.py", "Employee"));
  CHECK(column_names(engineers) == std::vector<std::string>{"id", "language"});  // not the parent's columns
  CHECK_FALSE(m.mapped_class(p.class_info("models.py", "Engineer"))->single_table_inheritance);
}

TEST_CASE("tables: Flask-SQLAlchemy subclass: own primary key -> joined table, none -> single table", "[tables]") {
  Loaded p(R"(
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Person(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(20))


class Customer(Person):
    id = db.Column(db.ForeignKey("person.id"), primary_key=True)
    loyalty = db.Column(db.Integer)


class Visitor(Person):
    visits = db.Column(db.Integer)


class Admin(Person):
    __tablename__ = "admins"
    level = db.Column(db.Integer)
)");
  // Flask-SQLAlchemy's __table_cls__: no primary key of its own -> the parent's table, whatever __tablename__ says.
  CHECK(table(p, "person").single_table_subclasses.size() == 2);
  CHECK(model(p).named("admins").empty());
  CHECK(model(p).mapped_class(p.class_info("models.py", "Admin"))->single_table_inheritance);
  CHECK(table(p, "customer").name_source == TableNameSource::FlaskDerived);
  CHECK(model(p).mapped_class(p.class_info("models.py", "Visitor"))->single_table_inheritance);
  CHECK(table(p, "person").column("visits") != nullptr);
  // customer.id has no type of its own: SQLAlchemy copies person.id's.
  const ColumnDef& id = column(table(p, "customer"), "id");
  CHECK(id.type == "sqlalchemy.Integer");
  CHECK(id.type_from_foreign_key);
}

TEST_CASE("tables: __table__ = Table(...) on a class, and __table__ = a module-level Table", "[tables]") {
  Loaded p(R"(
from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.orm import declarative_base

Base = declarative_base()

users_table = Table("users", Base.metadata, Column("id", Integer, primary_key=True), Column("name", String(50)))


class User(Base):
    __table__ = users_table


class Group(Base):
    __table__ = Table("groups", Base.metadata, Column("id", Integer, primary_key=True))
)");
  CHECK(model(p).tables().size() == 2);
  const TableDef& users = table(p, "users");
  CHECK(users.kind == TableDef::Kind::Table);
  CHECK(users.owner == &p.class_info("models.py", "User"));
  CHECK(model(p).table_of(p.class_info("models.py", "User")) == &users);
  const TableDef& groups = table(p, "groups");
  CHECK(groups.owner == &p.class_info("models.py", "Group"));
  CHECK(groups.metadata == users.metadata);
}

TEST_CASE("tables: has_unnamed_tables tells a name lookup miss may be a table ormlint cannot name", "[tables]") {
  Loaded p(R"PY(
import re

from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import DeclarativeBase, declared_attr


def resolve_table_name(name):
    return "_".join(part.lower() for part in re.split("(?=[A-Z])", name) if part)


class Base(DeclarativeBase):
    @declared_attr.directive
    def __tablename__(cls):
        return resolve_table_name(cls.__name__)


class IncidentType(Base):
    id = Column(Integer, primary_key=True)


class Incident(Base):
    id = Column(Integer, primary_key=True)
    incident_type_id = Column(Integer, ForeignKey("incident_type.id"))
)PY");
  const TableModel& m = model(p);
  REQUIRE(m.tables().size() == 2);
  CHECK(m.tables()[0].name.empty());
  CHECK(m.tables()[0].name_source == TableNameSource::Unknown);
  CHECK(m.has_unnamed_tables(m.tables()[0].metadata));
  CHECK_FALSE(m.has_unnamed_tables("some.other.metadata"));
  CHECK(m.foreign_keys()[0].target == nullptr);
}

// ---- columns ------------------------------------------------------------------------------------------------------

TEST_CASE("columns: name, attribute, type, flags and defaults", "[tables]") {
  Loaded p(R"(
import sqlalchemy as sa
from sqlalchemy import Column, DateTime, Integer, String, func
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String(255), unique=True, index=True, nullable=False)
    extra_metadata = Column("metadata", sa.JSON)
    created_at = Column(DateTime(timezone=True), server_default=func.now())
    updated_at = Column(DateTime(timezone=True), default=func.now(), onupdate=func.now())
    nickname = Column(String(40), default=None)
    helper = 42
)");
  const TableDef& t = table(p, "users");
  CHECK(column_names(t) == std::vector<std::string>{"id", "email", "metadata", "created_at", "updated_at", "nickname"});
  const ColumnDef& id = column(t, "id");
  CHECK(id.primary_key);
  CHECK(id.type == "sqlalchemy.Integer");
  CHECK(id.attribute == "id");
  CHECK(id.loc.line == 11);
  REQUIRE(id.info != nullptr);
  CHECK(id.construct == id.info->construct);
  const ColumnDef& email = column(t, "email");
  CHECK(email.unique);
  CHECK(email.index);
  CHECK_FALSE(email.primary_key);
  const ColumnDef& meta = column(t, "metadata");
  CHECK(meta.attribute == "extra_metadata");
  CHECK(t.column_by_attribute("extra_metadata") == &meta);
  CHECK(meta.type == "sqlalchemy.JSON");
  CHECK(column(t, "created_at").has_server_default());
  CHECK_FALSE(column(t, "created_at").has_default());
  CHECK(column(t, "updated_at").has_default());
  CHECK(column(t, "updated_at").has_onupdate());
  CHECK_FALSE(column(t, "nickname").has_default());  // default=None is no default
}

TEST_CASE("columns: nullable, explicit or derived as SQLAlchemy 2.0 and SQLModel derive it", "[tables]") {
  Loaded p(R"(
from typing import List, Optional, Union

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlmodel import Field, SQLModel


class Base(DeclarativeBase):
    pass


class Thing(Base):
    __tablename__ = "things"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    nick: Mapped[Optional[str]]
    alias: Mapped[str | None] = mapped_column(String(30))
    code: Mapped[Union[str, None]] = mapped_column(String(30))
    forced: Mapped[Optional[str]] = mapped_column(nullable=False)
    loose: Mapped[str] = mapped_column(nullable=True)
    legacy = Column(String(20))
    legacy_required = Column(String(20), nullable=False)
    untyped = mapped_column(String(20))
    dynamic = Column(String(20), nullable=SETTING)


class Hero(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    age: Optional[int] = None
    team_id: Optional[int] = Field(default=None, foreign_key="things.id")
    secret: str | None = Field(default=None, nullable=False)
)");
  const TableDef& t = table(p, "things");
  auto check = [&](const TableDef& tbl, const std::string& name, bool nullable, Nullable source) {
    const ColumnDef& c = column(tbl, name);
    INFO(tbl.name << "." << name);
    CHECK(c.nullable == nullable);
    CHECK(c.nullable_source == source);
  };
  check(t, "id", false, Nullable::PrimaryKey);
  check(t, "name", false, Nullable::Annotation);
  check(t, "nick", true, Nullable::Annotation);
  check(t, "alias", true, Nullable::Annotation);
  check(t, "code", true, Nullable::Annotation);
  check(t, "forced", false, Nullable::Explicit);
  check(t, "loose", true, Nullable::Explicit);
  check(t, "legacy", true, Nullable::Default);
  check(t, "legacy_required", false, Nullable::Explicit);
  check(t, "untyped", true, Nullable::Default);
  check(t, "dynamic", true, Nullable::Unknown);
  const TableDef& hero = table(p, "hero");
  CHECK(column_names(hero) == std::vector<std::string>{"id", "name", "age", "team_id", "secret"});
  check(hero, "id", false, Nullable::PrimaryKey);
  check(hero, "name", false, Nullable::Annotation);
  check(hero, "age", true, Nullable::Annotation);
  check(hero, "team_id", true, Nullable::Annotation);
  check(hero, "secret", false, Nullable::Explicit);
}

TEST_CASE("columns: a functools.partial of Column gives its keywords as defaults, the call's own win", "[tables]") {
  // redash: `Column = functools.partial(db.Column, nullable=False)`, then `name = Column(db.String(50))`.
  Loaded p(R"(
# file: app/base.py
import functools
from functools import partial

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
Column = functools.partial(db.Column, nullable=False)
NameColumn = partial(Column, db.String(50), index=True)
# file: app/models.py
from app.base import Column, NameColumn, db


class Group(db.Model):
    __tablename__ = "groups"
    id = Column(db.Integer, primary_key=True)
    name = Column(db.String(50))
    description = Column(db.String(200), nullable=True)
    label = NameColumn()
    alias = NameColumn(nullable=True)
)");
  const TableDef& groups = table(p, "groups");
  const ColumnDef& name = column(groups, "name");
  CHECK_FALSE(name.nullable);
  CHECK(name.nullable_source == Nullable::Explicit);
  CHECK(name.type == "sqlalchemy.String");
  CHECK(name.loc.line == 7);
  CHECK(column(groups, "description").nullable);
  const ColumnDef& label = column(groups, "label");
  CHECK_FALSE(label.nullable);
  CHECK(label.type == "sqlalchemy.String");
  CHECK(label.loc.line == 9);
  CHECK(column(groups, "alias").nullable);
}

TEST_CASE("tables: a pass-through wrapper of Table(*args, **kwargs) makes tables", "[tables]") {
  // buildbot's sautils.Table adds dialect options, then returns sa.Table(*args, **kwargs).
  Loaded p(R"(
# file: app/sautils.py
import sqlalchemy as sa


def Table(*args, **kwargs):
    """Wrap table creation to add dialect options"""
    kwargs['mysql_character_set'] = 'utf8'
    return sa.Table(*args, **kwargs)


def Renamed(name, *args, **kwargs):
    return sa.Table("x_" + name, *args, **kwargs)
# file: app/model.py
import sqlalchemy as sa

from app import sautils


class Model:
    metadata = sa.MetaData()
    users = sautils.Table("users", metadata, sa.Column("uid", sa.Integer, primary_key=True))
    other = sautils.Renamed("other", metadata, sa.Column("id", sa.Integer, primary_key=True))
)");
  CHECK(p.resolve("app/model.py", "sautils.Table") == "sqlalchemy.Table");
  CHECK(ends_with(p.resolve("app/model.py", "sautils.Renamed"), "app.sautils.Renamed"));
  CHECK(column_names(table(p, "users")) == std::vector<std::string>{"uid"});
  CHECK(model(p).named("other").empty());
  CHECK(model(p).named("x_other").empty());
}

TEST_CASE("columns: inherited from mixins and abstract classes, knowing where they are written", "[tables]") {
  Loaded p(R"(
# file: app/mixins.py
from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, func
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), onupdate=func.now())


class OwnedMixin:
    @declared_attr
    def owner_id(cls):
        return Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
# file: app/models.py
from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .mixins import OwnedMixin, TimestampMixin


class Base(DeclarativeBase):
    id: Mapped[int] = mapped_column(primary_key=True)


class Model(Base):
    __abstract__ = True
    version: Mapped[int] = mapped_column(default=1)


class User(TimestampMixin, Base):
    __tablename__ = "users"
    name: Mapped[str] = mapped_column(String(50))


class Document(OwnedMixin, TimestampMixin, Model):
    __tablename__ = "documents"
    title: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
)");
  const TableDef& users = table(p, "users");
  CHECK(column_names(users) == std::vector<std::string>{"name", "created_at", "updated_at", "id"});
  const ColumnDef& created = column(users, "created_at");
  CHECK(created.inherited);
  CHECK(created.declared_in->def->name == "TimestampMixin");
  CHECK(ends_with(created.file->path(), "app/mixins.py"));
  CHECK(created.loc.line == 8);
  CHECK(created.type == "sqlalchemy.DateTime");
  CHECK(column(users, "id").primary_key);
  CHECK(column(users, "id").declared_in->def->name == "Base");

  const TableDef& docs = table(p, "documents");
  CHECK(column_names(docs) == std::vector<std::string>{"title", "updated_at", "owner_id", "created_at", "version", "id"});
  CHECK_FALSE(column(docs, "updated_at").inherited);  // the class overrides the mixin's
  CHECK(column(docs, "version").declared_in->def->name == "Model");
  const ColumnDef& owner = column(docs, "owner_id");
  CHECK(owner.inherited);
  CHECK_FALSE(owner.nullable);
  REQUIRE(docs.foreign_keys.size() == 1);
  const ForeignKeyDef& fk = *docs.foreign_keys[0];
  CHECK(fk.inherited);
  CHECK(ends_with(fk.file->path(), "app/mixins.py"));
  CHECK(fk.column == &owner);
  CHECK(fk.target == &users);
  CHECK(fk.ondelete == "CASCADE");
}

TEST_CASE("columns: a mixin's column already mapped on a mapped parent is not copied to the child", "[tables]") {
  Loaded p(R"(
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class IdMixin:
    id = Column(Integer, primary_key=True)


class Animal(IdMixin, Base):
    __tablename__ = "animals"
    kind = Column(String(20))


class Dog(Animal):
    __tablename__ = "dogs"
    animal_id = Column(ForeignKey("animals.id"), primary_key=True)
)");
  CHECK(column_names(table(p, "animals")) == std::vector<std::string>{"kind", "id"});
  CHECK(column_names(table(p, "dogs")) == std::vector<std::string>{"animal_id"});
}

TEST_CASE("columns: SQLModel orders a table model's columns base fields first, as Pydantic does", "[tables]") {
  Loaded p(R"(
import uuid
from typing import Optional

from sqlmodel import Field, SQLModel


class UserBase(SQLModel):
    email: str = Field(unique=True, index=True, max_length=255)
    full_name: Optional[str] = Field(default=None, max_length=255)


class User(UserBase, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    hashed_password: str
    full_name: str = Field(max_length=120)
)");
  const TableDef& user = table(p, "user");
  CHECK(column_names(user) == std::vector<std::string>{"email", "full_name", "id", "hashed_password"});
  CHECK(column(user, "email").inherited);
  CHECK(column(user, "email").unique);
  CHECK_FALSE(column(user, "full_name").inherited);  // redeclared by the table model
  CHECK_FALSE(column(user, "full_name").nullable);
  CHECK(column(user, "id").has_default());  // default_factory
}

// ---- foreign keys -------------------------------------------------------------------------------------------------

TEST_CASE("foreign keys: strings, schema-qualified strings, Model.id, table.c.id, options", "[tables]") {
  Loaded p(R"(
# file: app/base.py
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

metadata = MetaData()


class Base(DeclarativeBase):
    metadata = metadata
# file: app/auth.py
from sqlalchemy import Column, Integer, Table
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, metadata


class User(Base):
    __tablename__ = "users"
    __table_args__ = {"schema": "auth"}
    id: Mapped[int] = mapped_column(primary_key=True)


roles = Table("roles", metadata, Column("id", Integer, primary_key=True))
# file: app/models.py
import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from .auth import User, roles
from .base import Base


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("auth.users.id", ondelete="cascade", name="fk_posts_author"))
    editor_id = Column(Integer, ForeignKey(User.id, use_alter=True))
    role_id = Column(Integer, sa.ForeignKey(roles.c.id, onupdate="CASCADE"))
    parent_id = Column(Integer, ForeignKey("posts.id"))
    wrong_schema_id = Column(Integer, ForeignKey("users.id"))
    missing_id = Column(Integer, ForeignKey("organizations.id"))
    bad_column_id = Column(Integer, ForeignKey("posts.nope"))
)");
  const TableDef& posts = table(p, "posts");
  const TableDef& users = table(p, "users");
  const TableDef& roles = table(p, "roles");
  REQUIRE(posts.foreign_keys.size() == 7);
  const ForeignKeyDef& author = *posts.foreign_keys[0];
  CHECK(author.columns == std::vector<std::string>{"author_id"});
  CHECK(author.target_is_string);
  CHECK(author.target_text == "auth.users.id");
  CHECK(author.target_schema == "auth");
  CHECK(author.target_table == "users");
  CHECK(author.target_columns == std::vector<std::string>{"id"});
  CHECK(author.target == &users);
  REQUIRE(author.target_column_defs.size() == 1);
  CHECK(author.target_column_defs[0] == users.column("id"));
  CHECK(author.ondelete == "CASCADE");
  CHECK(author.name == "fk_posts_author");
  CHECK_FALSE(author.use_alter);
  CHECK(author.loc.line == 12);
  CHECK_FALSE(author.is_constraint);

  const ForeignKeyDef& editor = *posts.foreign_keys[1];
  CHECK_FALSE(editor.target_is_string);
  CHECK(editor.target_text == "User.id");
  CHECK(editor.target == &users);
  CHECK(editor.use_alter);
  CHECK(editor.effective_target_schema == "auth");

  const ForeignKeyDef& role = *posts.foreign_keys[2];
  CHECK(role.target == &roles);
  CHECK(role.target_columns == std::vector<std::string>{"id"});
  CHECK(role.onupdate == "CASCADE");

  CHECK(posts.foreign_keys[3]->target == &posts);
  CHECK(posts.foreign_keys[4]->target == nullptr);  // users lives in schema auth
  CHECK(posts.foreign_keys[4]->effective_target_schema.empty());
  CHECK(posts.foreign_keys[5]->target == nullptr);
  CHECK(posts.foreign_keys[5]->target_table == "organizations");
  CHECK(posts.foreign_keys[6]->target == &posts);
  CHECK(posts.foreign_keys[6]->target_column_defs[0] == nullptr);

  // The graph: resolved edges only, grouped by source table.
  const TableModel& m = model(p);
  auto edges = m.edges_from(posts);
  REQUIRE(edges.size() == 5);
  CHECK(edges[0].to == users.index);
  CHECK(edges[0].fk == &author);
  CHECK(edges[2].to == roles.index);
  CHECK(m.edges_from(users).empty());
  CHECK(m.edges().size() == 5);
}

TEST_CASE("foreign keys: ForeignKeyConstraint in __table_args__ and Table(...)", "[tables]") {
  Loaded p(R"(
from sqlalchemy import Column, ForeignKeyConstraint, Integer, MetaData, String, Table
from sqlalchemy.orm import declarative_base

metadata = MetaData()
Base = declarative_base(metadata=metadata)


class Invoice(Base):
    __tablename__ = "invoices"
    id = Column(Integer, primary_key=True)
    org_id = Column(Integer)
    number = Column(String(20))


class Line(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        ForeignKeyConstraint(
            ["invoice_id", "invoice_org"],
            ["invoices.id", "invoices.org_id"],
            ondelete="CASCADE",
            name="fk_lines_invoice",
        ),
    )
    id = Column(Integer, primary_key=True)
    invoice_id = Column(Integer)
    invoice_org = Column(Integer)


payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("invoice_id", Integer),
    ForeignKeyConstraint(["invoice_id"], [Invoice.id], use_alter=True),
)
)");
  const TableDef& invoices = table(p, "invoices");
  const TableDef& lines = table(p, "invoice_lines");
  REQUIRE(lines.foreign_keys.size() == 1);
  const ForeignKeyDef& fk = *lines.foreign_keys[0];
  CHECK(fk.is_constraint);
  CHECK(fk.column == nullptr);
  CHECK(fk.columns == std::vector<std::string>{"invoice_id", "invoice_org"});
  CHECK(fk.target_columns == std::vector<std::string>{"id", "org_id"});
  CHECK(fk.target == &invoices);
  CHECK(fk.target_column_defs[1] == invoices.column("org_id"));
  CHECK(fk.ondelete == "CASCADE");
  CHECK(fk.name == "fk_lines_invoice");
  REQUIRE(fk.constraint != nullptr);
  CHECK(fk.constraint->kind == Kind::ForeignKey);
  CHECK(fk.constraint->foreign_key == &fk);
  CHECK(fk.constraint->origin == ConstraintDef::Origin::TableArgs);

  const TableDef& payments = table(p, "payments");
  REQUIRE(payments.foreign_keys.size() == 1);
  CHECK(payments.foreign_keys[0]->target == &invoices);
  CHECK(payments.foreign_keys[0]->use_alter);
  CHECK(payments.foreign_keys[0]->constraint->origin == ConstraintDef::Origin::TableCall);
}

TEST_CASE("foreign keys: a MetaData default schema applies to targets without one; cycles are edges", "[tables]") {
  Loaded p(R"(
from sqlalchemy import Column, ForeignKey, Integer, MetaData
from sqlalchemy.orm import declarative_base

Base = declarative_base(metadata=MetaData(schema="crm"))


class Organization(Base):
    __tablename__ = "organizations"
    id = Column(Integer, primary_key=True)
    owner_id = Column(Integer, ForeignKey("users.id", use_alter=True, name="fk_org_owner"))


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    org_id = Column(Integer, ForeignKey("organizations.id"))
)");
  const TableDef& orgs = table(p, "organizations");
  const TableDef& users = table(p, "users");
  CHECK(orgs.foreign_keys[0]->effective_target_schema == "crm");
  CHECK(orgs.foreign_keys[0]->target == &users);
  CHECK(users.foreign_keys[0]->target == &orgs);
  const TableModel& m = model(p);
  REQUIRE(m.edges().size() == 2);
  CHECK(m.edges()[0].from == orgs.index);
  CHECK(m.edges()[0].to == users.index);
  CHECK(m.edges()[0].fk->use_alter);
  CHECK(m.edges()[1].from == users.index);
  CHECK(m.edges()[1].to == orgs.index);
}

TEST_CASE("foreign keys: SQLModel Field(foreign_key=..., ondelete=...)", "[tables]") {
  Loaded p(R"(
from typing import Optional

from sqlmodel import Field, SQLModel


class Team(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)


class Hero(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    team_id: Optional[int] = Field(default=None, foreign_key="team.id", ondelete="SET NULL")
)");
  const TableDef& hero = table(p, "hero");
  REQUIRE(hero.foreign_keys.size() == 1);
  const ForeignKeyDef& fk = *hero.foreign_keys[0];
  CHECK(fk.target == &table(p, "team"));
  CHECK(fk.ondelete == "SET NULL");
  CHECK(fk.column == hero.column("team_id"));
  CHECK(fk.loc.line == 13);
}

// ---- relationships ------------------------------------------------------------------------------------------------

TEST_CASE("relationships: every way to name the target, resolved across files by class name", "[tables]") {
  Loaded p(R"(
# file: app/base.py
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
# file: app/users.py
from typing import List

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    addresses: Mapped[List["Address"]] = relationship(back_populates="user", lazy="selectin")
    posts: Mapped[list["Post"]] = relationship("app.posts.Post", back_populates="author")
    profile: Mapped["Profile"] = relationship(uselist=False)
    avatar = relationship(lambda: Profile, viewonly=True)
    ghost = relationship("Ghost")


class Profile(Base):
    __tablename__ = "profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    viewers: Mapped[list[User]] = relationship(viewonly=True, primaryjoin="Profile.user_id == User.id")


class Address(Base):
    __tablename__ = "addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user: Mapped[User] = relationship(User, back_populates="addresses")
# file: app/posts.py
from typing import Optional

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    author: Mapped[Optional["User"]] = relationship(back_populates="posts", lazy="joined")
)");
  const std::string users = "app/users.py";
  const ClassInfo& user = p.class_info(users, "User");
  const ClassInfo& address = p.class_info(users, "Address");
  const ClassInfo& profile = p.class_info(users, "Profile");
  const ClassInfo& post = p.class_info("app/posts.py", "Post");

  const RelationshipDef& addresses = relationship(p, users, "User", "addresses");
  CHECK(addresses.target_source == Target::Annotation);
  CHECK(addresses.target_name == "Address");
  CHECK(addresses.target == &address);
  CHECK(addresses.annotated_collection);
  CHECK(addresses.back_populates == "user");
  CHECK(addresses.lazy == "selectin");
  CHECK(addresses.owner == &user);
  CHECK(addresses.table == &table(p, "users"));
  CHECK(addresses.loc.line == 12);

  const RelationshipDef& posts = relationship(p, users, "User", "posts");
  CHECK(posts.target_source == Target::String);
  CHECK(posts.target_name == "app.posts.Post");
  CHECK(posts.target == &post);
  CHECK(posts.annotated_collection);

  const RelationshipDef& prof = relationship(p, users, "User", "profile");
  CHECK(prof.target == &profile);
  CHECK_FALSE(prof.annotated_collection);
  REQUIRE(prof.uselist.has_value());
  CHECK_FALSE(*prof.uselist);

  const RelationshipDef& avatar = relationship(p, users, "User", "avatar");
  CHECK(avatar.target_source == Target::Lambda);
  CHECK(avatar.target == &profile);
  CHECK(avatar.viewonly);

  const RelationshipDef& ghost = relationship(p, users, "User", "ghost");
  CHECK(ghost.target_name == "Ghost");
  CHECK(ghost.target == nullptr);
  CHECK_FALSE(ghost.target_ambiguous);

  const RelationshipDef& back = relationship(p, users, "Address", "user");
  CHECK(back.target_source == Target::Reference);
  CHECK(back.target == &user);
  CHECK(back.target_name == "User");

  const RelationshipDef& author = relationship(p, "app/posts.py", "Post", "author");
  CHECK(author.target == &user);
  CHECK(author.lazy == "joined");
  CHECK_FALSE(author.has_join_condition());

  const RelationshipDef& viewers = relationship(p, users, "Profile", "viewers");
  CHECK(viewers.target_source == Target::Annotation);
  CHECK(viewers.target == &user);
  CHECK(viewers.annotated_collection);

  CHECK(model(p).find_relationship(user, "nope") == nullptr);
  CHECK(model(p).mapped_class(user)->relationships.size() == 5);
  CHECK(model(p).relationships().size() == 8);
}

TEST_CASE("relationships: secondary, primaryjoin, foreign_keys, backref, uselist, mixins", "[tables]") {
  Loaded p(R"(
from sqlalchemy import Column, ForeignKey, Integer, Table
from sqlalchemy.orm import backref, declarative_base, declared_attr, relationship

Base = declarative_base()

user_groups = Table(
    "user_groups",
    Base.metadata,
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Column("group_id", ForeignKey("groups.id"), primary_key=True),
)


class OwnedMixin:
    @declared_attr
    def owner(cls):
        return relationship("User")


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    manager_id = Column(Integer)
    groups = relationship("Group", secondary=user_groups, back_populates="members")
    manager = relationship("User", primaryjoin="User.manager_id == User.id", remote_side="User.id")
    reports = relationship("User", foreign_keys=[manager_id], uselist=True)


class Group(Base):
    __tablename__ = "groups"
    id = Column(Integer, primary_key=True)
    members = relationship("User", "user_groups", back_populates="groups")
    admins = relationship(User, secondary="user_groups", backref=backref("admin_of", lazy="dynamic"))
    creator = relationship(User, backref="created_groups")


class Note(OwnedMixin, Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
)");
  const TableDef& link = table(p, "user_groups");
  const RelationshipDef& groups = relationship(p, "models.py", "User", "groups");
  CHECK(groups.secondary == &link);
  CHECK(groups.secondary_name == "user_groups");
  CHECK(groups.back_populates == "members");

  const RelationshipDef& manager = relationship(p, "models.py", "User", "manager");
  REQUIRE(manager.primaryjoin != nullptr);
  CHECK(manager.primaryjoin->text == "User.manager_id == User.id");
  CHECK(manager.remote_side != nullptr);
  CHECK(manager.has_join_condition());
  CHECK(manager.target == &p.class_info("models.py", "User"));

  const RelationshipDef& reports = relationship(p, "models.py", "User", "reports");
  CHECK(reports.foreign_keys != nullptr);
  CHECK(reports.has_join_condition());
  CHECK(reports.uselist == std::optional<bool>(true));

  const RelationshipDef& members = relationship(p, "models.py", "Group", "members");
  CHECK(members.secondary == &link);  // the positional second argument

  const RelationshipDef& admins = relationship(p, "models.py", "Group", "admins");
  CHECK(admins.secondary == &link);
  CHECK(admins.backref == "admin_of");
  const RelationshipDef& creator = relationship(p, "models.py", "Group", "creator");
  CHECK(creator.backref == "created_groups");
  const MappedClassDef* user = model(p).mapped_class(p.class_info("models.py", "User"));
  REQUIRE(user->backrefs.size() == 2);
  CHECK(user->backrefs[0] == &admins);
  CHECK(user->backrefs[1] == &creator);

  const RelationshipDef& owner = relationship(p, "models.py", "Note", "owner");
  CHECK(owner.inherited);
  CHECK(owner.declared_in == &p.class_info("models.py", "OwnedMixin"));
  CHECK(owner.owner == &p.class_info("models.py", "Note"));
  CHECK(owner.target == &p.class_info("models.py", "User"));
  CHECK(owner.table == &table(p, "notes"));
}

TEST_CASE("relationships: ambiguous names, other registries, inherited lookups, SQLModel", "[tables]") {
  Loaded p(R"(
# file: app/one.py
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()
OtherBase = declarative_base()


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    tags = relationship("Tag")
    archive = relationship("Archive")


class Archive(OtherBase):
    __tablename__ = "archives"
    id = Column(Integer, primary_key=True)


class SpecialItem(Item):
    pass
# file: app/two.py
from sqlalchemy import Column, Integer

from .one import Base


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
# file: app/three.py
from sqlalchemy import Column, Integer

from .one import Base


class Tag(Base):
    __tablename__ = "tags_v2"
    id = Column(Integer, primary_key=True)
# file: app/heroes.py
from typing import List, Optional

from sqlmodel import Field, Relationship, SQLModel


class HeroTeamLink(SQLModel, table=True):
    team_id: Optional[int] = Field(default=None, foreign_key="team.id", primary_key=True)
    hero_id: Optional[int] = Field(default=None, foreign_key="hero.id", primary_key=True)


class Team(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    heroes: List["Hero"] = Relationship(back_populates="teams", link_model=HeroTeamLink)


class Hero(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    teams: List[Team] = Relationship(back_populates="heroes", sa_relationship_kwargs={"lazy": "selectin"})
)");
  const RelationshipDef& tags = relationship(p, "app/one.py", "Item", "tags");
  CHECK(tags.target == nullptr);
  CHECK(tags.target_ambiguous);
  const RelationshipDef& archive = relationship(p, "app/one.py", "Item", "archive");
  CHECK(archive.target == &p.class_info("app/one.py", "Archive"));
  CHECK(archive.target_other_registry);
  // A mapped subclass finds its parent's relationships.
  CHECK(model(p).find_relationship(p.class_info("app/one.py", "SpecialItem"), "tags") == &tags);
  CHECK(model(p).classes_named("Tag").size() == 2);

  const RelationshipDef& heroes = relationship(p, "app/heroes.py", "Team", "heroes");
  CHECK(heroes.target == &p.class_info("app/heroes.py", "Hero"));
  CHECK(heroes.annotated_collection);
  CHECK(heroes.secondary == &table(p, "heroteamlink"));
  CHECK(heroes.back_populates == "teams");
  const RelationshipDef& teams = relationship(p, "app/heroes.py", "Hero", "teams");
  CHECK(teams.target == &p.class_info("app/heroes.py", "Team"));
  CHECK(teams.lazy == "selectin");
  // Relationship fields are not columns.
  CHECK(table(p, "team").column("heroes") == nullptr);
}

// ---- indexes and constraints --------------------------------------------------------------------------------------

TEST_CASE("constraints: Index/UniqueConstraint/CheckConstraint/PrimaryKeyConstraint with names, columns, where", "[tables]") {
  Loaded p(R"(
import sqlalchemy as sa
from sqlalchemy import (CheckConstraint, Column, DateTime, Index, Integer, MetaData, PrimaryKeyConstraint, String,
                        Table, UniqueConstraint, func, text)
from sqlalchemy.orm import declarative_base

Base = declarative_base()
metadata = MetaData()


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("email", name="uq_users_email"),
        Index("ix_users_active_email", "email", unique=True, postgresql_where=text("deleted_at IS NULL"),
              sqlite_where=text("deleted_at IS NULL")),
        CheckConstraint("age >= 0"),
        Index(None, "age"),
        {"schema": "app"},
    )
    id = Column(Integer, primary_key=True)
    email = Column(String(255))
    age = Column(Integer, CheckConstraint("age < 200", name="ck_users_age_max"))
    deleted_at = Column(DateTime)


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (PrimaryKeyConstraint("user_id", "group_id"), UniqueConstraint(user_id, group_id))
    user_id = Column(Integer)
    group_id = Column(Integer)


Index("ix_users_email_lower", func.lower(User.email))
by_age = Index("ix_users_age", User.age)
Index(User.deleted_at)
Index("ix_orphan", "nothing")

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20)),
    Index("ix_events_kind", "kind"),
    UniqueConstraint("kind"),
)
)");
  const TableDef& users = table(p, "users");
  REQUIRE(users.constraints.size() == 8);
  const ConstraintDef& uq = *users.constraints[2];  // column arguments come first
  CHECK(users.constraints[0]->kind == Kind::Check);
  CHECK(users.constraints[0]->origin == ConstraintDef::Origin::ColumnArgument);
  CHECK(users.constraints[0]->name == "ck_users_age_max");
  CHECK(users.constraints[0]->columns == std::vector<std::string>{"age"});
  CHECK(users.constraints[1]->kind == Kind::Unique);
  CHECK(users.constraints[1]->name == "uq_users_email");
  CHECK(users.constraints[1]->columns == std::vector<std::string>{"email"});
  CHECK(users.constraints[1]->origin == ConstraintDef::Origin::TableArgs);
  CHECK(users.constraints[1]->unique);

  const ConstraintDef& partial = uq;
  CHECK(partial.kind == Kind::Index);
  CHECK(partial.name == "ix_users_active_email");
  CHECK(partial.has_name());
  CHECK(partial.unique);
  CHECK(partial.columns == std::vector<std::string>{"email"});
  REQUIRE(partial.where.size() == 2);
  CHECK(partial.where[0].first == "postgresql_where");
  CHECK(partial.where[1].first == "sqlite_where");
  CHECK(partial.loc.line == 15);

  const ConstraintDef& check = *users.constraints[3];
  CHECK(check.kind == Kind::Check);
  CHECK_FALSE(check.has_name());
  REQUIRE(check.sqltext != nullptr);
  CHECK(check.sqltext->text == "age >= 0");

  const ConstraintDef& none_name = *users.constraints[4];
  CHECK(none_name.kind == Kind::Index);
  CHECK_FALSE(none_name.has_name());
  CHECK_FALSE(none_name.index_name_missing);  // Index(None, ...) is a deliberate unnamed index
  CHECK(none_name.columns == std::vector<std::string>{"age"});

  // Module level, attached through the columns they name.
  const ConstraintDef& lower = *users.constraints[5];
  CHECK(lower.origin == ConstraintDef::Origin::ModuleLevel);
  CHECK(lower.name == "ix_users_email_lower");
  CHECK(lower.columns == std::vector<std::string>{"func.lower(User.email)"});
  const ConstraintDef& age = *users.constraints[6];
  CHECK(age.name == "ix_users_age");
  CHECK(age.columns == std::vector<std::string>{"age"});
  const ConstraintDef& nameless = *users.constraints[7];
  CHECK(nameless.index_name_missing);
  CHECK_FALSE(nameless.has_name());
  CHECK(nameless.columns == std::vector<std::string>{"deleted_at"});

  // An Index naming no known table stays in the list, unattached.
  bool orphan = false;
  for (const ConstraintDef& c : model(p).constraints()) orphan = orphan || (c.name == "ix_orphan" && c.table == nullptr);
  CHECK(orphan);

  const TableDef& memberships = table(p, "memberships");
  const ConstraintDef& pk = only_constraint(memberships, Kind::PrimaryKey);
  CHECK(pk.columns == std::vector<std::string>{"user_id", "group_id"});
  CHECK(column(memberships, "user_id").primary_key);
  CHECK_FALSE(column(memberships, "user_id").nullable);
  CHECK(column(memberships, "user_id").nullable_source == Nullable::PrimaryKey);
  // Class-body names in __table_args__ are the attributes' columns.
  CHECK(only_constraint(memberships, Kind::Unique).columns == std::vector<std::string>{"user_id", "group_id"});

  const TableDef& events = table(p, "events");
  CHECK(only_constraint(events, Kind::Index).origin == ConstraintDef::Origin::TableCall);
  CHECK(only_constraint(events, Kind::Index).name == "ix_events_kind");
  CHECK_FALSE(only_constraint(events, Kind::Unique).has_name());
}

TEST_CASE("constraints: __table_args__ inherited from a mixin knows where it is written", "[tables]") {
  Loaded p(R"(
# file: app/mixins.py
from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import declared_attr


class TenantMixin:
    @declared_attr
    def __table_args__(cls):
        return (UniqueConstraint("tenant_id", "slug"), {"schema": "tenant"})
# file: app/models.py
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

from .mixins import TenantMixin

Base = declarative_base()


class Project(TenantMixin, Base):
    __tablename__ = "projects"
    id = Column(Integer, primary_key=True)
    tenant_id = Column(Integer)
    slug = Column(String(40))
)");
  const TableDef& t = table(p, "projects");
  CHECK(t.schema == "tenant");
  REQUIRE(t.table_args_file != nullptr);
  CHECK(ends_with(t.table_args_file->path(), "app/mixins.py"));
  const ConstraintDef& uq = only_constraint(t, Kind::Unique);
  CHECK(uq.inherited);
  CHECK(ends_with(uq.file->path(), "app/mixins.py"));
  CHECK(uq.columns == std::vector<std::string>{"tenant_id", "slug"});
}

// ---- scale --------------------------------------------------------------------------------------------------------

TEST_CASE("tables: a long chain of models across many files resolves every foreign key", "[tables]") {
  std::string text = "# file: app/base.py\nfrom sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n";
  const int n = 300;
  for (int i = 0; i < n; ++i) {
    text += "# file: app/m" + std::to_string(i) + ".py\n";
    text += "from sqlalchemy import Column, ForeignKey, Integer\nfrom sqlalchemy.orm import relationship\n\n"
            "from .base import Base\n\n\n";
    text += "class M" + std::to_string(i) + "(Base):\n    __tablename__ = \"t" + std::to_string(i) + "\"\n";
    text += "    id = Column(Integer, primary_key=True)\n";
    if (i > 0) {
      text += "    prev_id = Column(Integer, ForeignKey(\"t" + std::to_string(i - 1) + ".id\"))\n";
      text += "    prev = relationship(\"M" + std::to_string(i - 1) + "\")\n";
    }
  }
  Loaded p(text);
  const TableModel& m = model(p);
  CHECK(m.tables().size() == static_cast<size_t>(n));
  CHECK(m.edges().size() == static_cast<size_t>(n - 1));
  size_t resolved = 0;
  for (const RelationshipDef& r : m.relationships()) resolved += r.target != nullptr;
  CHECK(resolved == static_cast<size_t>(n - 1));
}
