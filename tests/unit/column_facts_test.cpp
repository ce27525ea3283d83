// ColumnInfo: every column the project declares (models, Core Table objects, migrations), its database name, its
// table and its type resolved to one canonical class, inferred from Mapped[...] annotations when not written.
#include <catch2/catch.hpp>
#include <string>

#include "facts_test_support.h"

using ormlint::testing::facts::Loaded;
using namespace ormlint;
using Context = ColumnInfo::Context;

namespace {

const ColumnInfo& require_column(const Loaded& p, const std::string& rel, const std::string& owner,
                                 const std::string& attr) {
  const ColumnInfo* c = p.model_column(rel, owner, attr);
  INFO("column " << owner << "." << attr);
  REQUIRE(c != nullptr);
  return *c;
}

}  // namespace

TEST_CASE("columns: Column(...) name, type as class / call / type_=", "[columns]") {
  Loaded p(R"(
import sqlalchemy as sa
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()

class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    user_name = Column("name", String(50), nullable=False)
    created = Column(type_=DateTime(timezone=True))
    updated = sa.Column("updated_at", sa.DateTime, sa.ForeignKey("x.id"))
    named_kw = Column(String, name="named")
    org_id = Column(ForeignKey("orgs.id"))
    team_id = Column("team", ForeignKey("teams.id"), Integer, index=True)
    not_a_column = 5
)");
  const std::string f = "models.py";

  const ColumnInfo& id = require_column(p, f, "User", "id");
  CHECK(id.context == Context::Model);
  CHECK(id.table == "users");
  CHECK(id.name == "id");
  CHECK(id.type.origin == "sqlalchemy.Integer");
  CHECK_FALSE(id.type.inferred);
  REQUIRE(id.type.expr != nullptr);
  CHECK(id.type.expr->kind == Expr::Kind::Name);
  REQUIRE(id.construct != nullptr);
  CHECK(id.construct->origin() == "sqlalchemy.Column");
  CHECK_FALSE(id.nullable_known);
  REQUIRE(id.keyword("primary_key") != nullptr);
  CHECK(id.keyword("primary_key")->is_true());

  const ColumnInfo& user_name = require_column(p, f, "User", "user_name");
  CHECK(user_name.name == "name");  // the database name, not the attribute
  CHECK(user_name.type.origin == "sqlalchemy.String");
  REQUIRE(user_name.type.expr != nullptr);
  CHECK(user_name.type.expr->is_call());
  CHECK(user_name.nullable_known);
  CHECK(user_name.keyword("nullable")->is_false());

  const ColumnInfo& created = require_column(p, f, "User", "created");
  CHECK(created.type.origin == "sqlalchemy.DateTime");
  REQUIRE(created.type.keyword("timezone") != nullptr);
  CHECK(created.type.keyword("timezone")->is_true());

  const ColumnInfo& updated = require_column(p, f, "User", "updated");
  CHECK(updated.name == "updated_at");
  CHECK(updated.type.origin == "sqlalchemy.DateTime");

  const ColumnInfo& named_kw = require_column(p, f, "User", "named_kw");
  CHECK(named_kw.name == "named");
  CHECK(named_kw.type.origin == "sqlalchemy.String");

  // ForeignKey first: no explicit type (SQLAlchemy copies the referenced column's type).
  const ColumnInfo& org = require_column(p, f, "User", "org_id");
  CHECK(org.type.origin == "");
  CHECK(org.type.expr == nullptr);
  CHECK_FALSE(org.type.inferred);

  const ColumnInfo& team = require_column(p, f, "User", "team_id");
  CHECK(team.name == "team");
  CHECK(team.type.origin == "sqlalchemy.Integer");

  CHECK(p.model_column(f, "User", "not_a_column") == nullptr);
  CHECK(p.columns(f, Context::Model).size() == 7);
}

TEST_CASE("columns: mapped_column with and without a type, Mapped[] inference", "[columns]") {
  Loaded p(R"(
import datetime as dt
import enum
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Optional, Union
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class Status(enum.Enum):
    ACTIVE = "active"

class Event(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column("content", Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]
    at_opt: Mapped[Optional[datetime]]
    at_union: Mapped[datetime | None]
    at_none_first: Mapped[None | datetime]
    at_typing_union: Mapped[Union[datetime, None]]
    day: Mapped[dt.date] = mapped_column()
    price: Mapped[Decimal]
    ident: Mapped[uuid.UUID]
    flag: Mapped[bool]
    status: Mapped[Status]
    status_opt: Mapped[Optional[Status]] = mapped_column(nullable=True)
    untyped = mapped_column(String)
)");
  const std::string f = "models.py";
  const ColumnInfo& id = require_column(p, f, "Event", "id");
  CHECK(id.type.origin == "sqlalchemy.Integer");
  CHECK(id.type.inferred);
  CHECK(id.type.python_type == "builtins.int");
  REQUIRE(id.construct != nullptr);
  CHECK(id.construct->origin() == "sqlalchemy.orm.mapped_column");

  const ColumnInfo& title = require_column(p, f, "Event", "title");
  CHECK(title.type.origin == "sqlalchemy.String");
  CHECK_FALSE(title.type.inferred);  // written, not inferred

  const ColumnInfo& body = require_column(p, f, "Event", "body");
  CHECK(body.name == "content");
  CHECK(body.type.origin == "sqlalchemy.Text");

  // mapped_column(ForeignKey(...)) with no type: SQLAlchemy 2.0 gives it the referenced column's type and leaves
  // the annotation aside (MappedColumn looks up the annotation only for a column without foreign keys).
  const ColumnInfo& owner = require_column(p, f, "Event", "owner_id");
  CHECK(owner.type.origin.empty());
  CHECK_FALSE(owner.type.inferred);

  for (const char* attr : {"at", "at_opt", "at_union", "at_none_first", "at_typing_union"}) {
    INFO(attr);
    const ColumnInfo& at = require_column(p, f, "Event", attr);
    CHECK(at.type.origin == "sqlalchemy.DateTime");
    CHECK(at.type.inferred);
    CHECK(at.type.python_type == "datetime.datetime");
    CHECK(at.construct == nullptr);  // a bare annotation
    CHECK(at.name == attr);
    CHECK(at.table == "events");
  }

  CHECK(require_column(p, f, "Event", "day").type.origin == "sqlalchemy.Date");
  CHECK(require_column(p, f, "Event", "price").type.origin == "sqlalchemy.Numeric");
  CHECK(require_column(p, f, "Event", "ident").type.origin == "sqlalchemy.Uuid");
  CHECK(require_column(p, f, "Event", "flag").type.origin == "sqlalchemy.Boolean");

  const ColumnInfo& status = require_column(p, f, "Event", "status");
  CHECK(status.type.origin == "sqlalchemy.Enum");
  CHECK(status.type.python_type == p.file(f).module_key + ".Status");
  CHECK(require_column(p, f, "Event", "status_opt").type.origin == "sqlalchemy.Enum");

  const ColumnInfo& untyped = require_column(p, f, "Event", "untyped");
  CHECK(untyped.type.origin == "sqlalchemy.String");
}

TEST_CASE("columns: Mapped[Annotated[T, ...]] and module/attribute spellings", "[columns]") {
  Loaded p(R"(
import datetime
import typing
from typing import Annotated, Optional
import sqlalchemy.orm as orm
from sqlalchemy import func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class A(Base):
    __tablename__ = "a"
    id: Mapped[Annotated[int, mapped_column(primary_key=True)]]
    created: Mapped[Annotated[datetime.datetime, mapped_column(server_default=func.now())]]
    maybe: Mapped[Optional[Annotated[datetime.date, "doc"]]]
    t1: Mapped[typing.Optional[datetime.datetime]]
    t2: orm.Mapped[Optional[datetime.date]] = orm.mapped_column()
    tags: Mapped[typing.List[str]] = mapped_column(default=list)
)");
  const std::string f = "models.py";
  CHECK(require_column(p, f, "A", "id").type.origin == "sqlalchemy.Integer");
  const ColumnInfo& created = require_column(p, f, "A", "created");
  CHECK(created.type.origin == "sqlalchemy.DateTime");
  CHECK(created.type.python_type == "datetime.datetime");
  CHECK(require_column(p, f, "A", "maybe").type.origin == "sqlalchemy.Date");
  CHECK(require_column(p, f, "A", "t1").type.origin == "sqlalchemy.DateTime");
  const ColumnInfo& t2 = require_column(p, f, "A", "t2");
  CHECK(t2.type.origin == "sqlalchemy.Date");
  REQUIRE(t2.construct != nullptr);
  CHECK(t2.construct->origin() == "sqlalchemy.orm.mapped_column");
  // A collection annotation maps no scalar type: the column exists, its type is unknown.
  const ColumnInfo& tags = require_column(p, f, "A", "tags");
  CHECK(tags.type.origin == "");
}

TEST_CASE("columns: type_annotation_map on the declarative base overrides the defaults", "[columns]") {
  Loaded p(R"(
# file: app/__init__.py
# (package)
# file: app/base.py
import enum
from datetime import datetime
from sqlalchemy import DateTime, String, Enum
from sqlalchemy.orm import DeclarativeBase

class Base(DeclarativeBase):
    type_annotation_map = {
        datetime: DateTime(timezone=True),
        str: String(255),
        enum.Enum: Enum(native_enum=False),
    }
# file: app/models.py
import enum
from datetime import datetime, date
from typing import Optional
from sqlalchemy.orm import Mapped, mapped_column
from .base import Base

class Kind(enum.Enum):
    A = "a"

class Model(Base):
    __abstract__ = True
    created: Mapped[datetime]

class Thing(Model):
    __tablename__ = "things"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[Optional[str]]
    seen: Mapped[datetime] = mapped_column(nullable=False)
    day: Mapped[date]
    kind: Mapped[Kind]
)");
  const std::string f = "app/models.py";
  const ColumnInfo& seen = require_column(p, f, "Thing", "seen");
  CHECK(seen.type.origin == "sqlalchemy.DateTime");
  CHECK(seen.type.inferred);
  REQUIRE(seen.type.expr != nullptr);  // the map's value, in app/base.py
  CHECK(seen.type.expr->is_call());
  REQUIRE(seen.type.keyword("timezone") != nullptr);
  CHECK(seen.type.keyword("timezone")->is_true());

  // Through the abstract class too.
  const ColumnInfo& created = require_column(p, f, "Model", "created");
  CHECK(created.type.origin == "sqlalchemy.DateTime");
  REQUIRE(created.type.keyword("timezone") != nullptr);

  const ColumnInfo& name = require_column(p, f, "Thing", "name");
  CHECK(name.type.origin == "sqlalchemy.String");
  REQUIRE(name.type.expr != nullptr);
  REQUIRE(name.type.expr->is_call());
  REQUIRE(name.type.expr->arg(0) != nullptr);
  CHECK(name.type.expr->arg(0)->text == "255");

  // Not in the map: SQLAlchemy's default, with no written expression.
  const ColumnInfo& day = require_column(p, f, "Thing", "day");
  CHECK(day.type.origin == "sqlalchemy.Date");
  CHECK(day.type.expr == nullptr);
  CHECK(require_column(p, f, "Thing", "id").type.origin == "sqlalchemy.Integer");

  // enum.Enum in the map covers every enum class.
  const ColumnInfo& kind = require_column(p, f, "Thing", "kind");
  CHECK(kind.type.origin == "sqlalchemy.Enum");
  REQUIRE(kind.type.keyword("native_enum") != nullptr);
  CHECK(kind.type.keyword("native_enum")->is_false());
}

TEST_CASE("columns: relationships and relationship-like annotations are not columns", "[columns]") {
  Loaded p(R"(
from typing import List, Optional, TYPE_CHECKING
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, column_property, deferred
from sqlalchemy.ext.hybrid import hybrid_property

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    addresses: Mapped[List["Address"]] = relationship(back_populates="user")
    posts = relationship("Post")
    best_friend: Mapped["User"]
    manager: Mapped[Optional["User"]]
    children: Mapped[list["User"]]
    address_obj: Mapped["Address"] = relationship()
    bio = deferred(Column(Integer))
    total = column_property(id + 1)

    @hybrid_property
    def name(self):
        return "x"

class Address(Base):
    __tablename__ = "addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id = mapped_column(ForeignKey("users.id"))
    user: Mapped[User] = relationship(back_populates="addresses")
    owner: Mapped[User]
)");
  const std::string f = "models.py";
  for (const char* attr : {"addresses", "posts", "best_friend", "manager", "children", "address_obj", "total", "name"}) {
    INFO(attr);
    CHECK(p.model_column(f, "User", attr) == nullptr);
  }
  CHECK(p.model_column(f, "Address", "user") == nullptr);
  CHECK(p.model_column(f, "Address", "owner") == nullptr);  // Mapped[<a mapped class>]: a relationship

  // deferred(Column(...)) is the column it wraps.
  const ColumnInfo* bio = p.model_column(f, "User", "bio");
  REQUIRE(bio != nullptr);
  CHECK(bio->type.origin == "sqlalchemy.Integer");
  REQUIRE(bio->construct != nullptr);
  CHECK(bio->construct->origin() == "sqlalchemy.Column");

  // mapped_column(ForeignKey(...)) without an annotation: a column with no explicit type.
  const ColumnInfo* user_id = p.model_column(f, "Address", "user_id");
  REQUIRE(user_id != nullptr);
  CHECK(user_id->type.origin == "");

  CHECK(p.columns(f, Context::Model).size() == 4);  // User.id, User.bio, Address.id, Address.user_id
}

TEST_CASE("columns: SQLModel fields", "[columns]") {
  Loaded p(R"(
from datetime import datetime
from typing import ClassVar, List, Optional
from sqlalchemy import Column, DateTime, JSON
from sqlmodel import Field, Relationship, SQLModel

class HeroBase(SQLModel):
    name: str = Field(index=True)

class Team(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    heroes: List["Hero"] = Relationship(back_populates="team")

class Hero(HeroBase, table=True):
    __tablename__ = "heroes"
    id: Optional[int] = Field(default=None, primary_key=True)
    age: int | None = None
    created: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    data: dict = Field(default_factory=dict, sa_type=JSON)
    team_id: Optional[int] = Field(default=None, foreign_key="team.id")
    team: Optional[Team] = Relationship(back_populates="heroes")
    counter: ClassVar[int] = 0
    model_config = {"arbitrary_types_allowed": True}

class HeroRead(HeroBase):
    id: int
)");
  const std::string f = "models.py";
  const ColumnInfo& id = require_column(p, f, "Hero", "id");
  CHECK(id.type.origin == "sqlalchemy.Integer");
  CHECK(id.type.inferred);
  CHECK(id.table == "heroes");
  REQUIRE(id.construct != nullptr);
  CHECK(id.construct->origin() == "sqlmodel.Field");

  const ColumnInfo& age = require_column(p, f, "Hero", "age");
  CHECK(age.type.origin == "sqlalchemy.Integer");
  CHECK(age.construct == nullptr);

  const ColumnInfo& created = require_column(p, f, "Hero", "created");
  CHECK(created.type.origin == "sqlalchemy.DateTime");
  CHECK_FALSE(created.type.inferred);
  REQUIRE(created.construct != nullptr);
  CHECK(created.construct->origin() == "sqlalchemy.Column");  // sa_column= is the column
  CHECK(created.nullable_known);

  const ColumnInfo& data = require_column(p, f, "Hero", "data");
  CHECK(data.type.origin == "sqlalchemy.JSON");  // sa_type= gives the type
  CHECK_FALSE(data.type.inferred);

  CHECK(require_column(p, f, "Hero", "team_id").type.origin == "sqlalchemy.Integer");
  CHECK(p.model_column(f, "Hero", "team") == nullptr);
  CHECK(p.model_column(f, "Hero", "counter") == nullptr);
  CHECK(p.model_column(f, "Hero", "model_config") == nullptr);
  CHECK(p.model_column(f, "Team", "heroes") == nullptr);

  // The table base's fields are collected (it feeds Hero); a read schema's are not.
  const ColumnInfo& name = require_column(p, f, "HeroBase", "name");
  CHECK(name.type.origin == "sqlalchemy.String");
  CHECK(name.table == "");
  CHECK(p.model_column(f, "HeroRead", "id") == nullptr);
}

TEST_CASE("columns: Core Table columns", "[columns]") {
  Loaded p(R"(
import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

metadata = MetaData()

user_roles = Table(
    "user_roles",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("role_id", ForeignKey("roles.id")),
    Column("note", String(100), nullable=True),
)

audit = sa.Table("audit", metadata, sa.Column("at", sa.DateTime(timezone=True)))
)");
  auto columns = p.columns("models.py", Context::Table);
  REQUIRE(columns.size() == 4);
  CHECK(columns[0]->table == "user_roles");
  CHECK(columns[0]->name == "user_id");
  CHECK(columns[0]->type.origin == "sqlalchemy.Integer");
  CHECK(columns[0]->owner == nullptr);
  CHECK(columns[1]->name == "role_id");
  CHECK(columns[1]->type.origin == "");
  CHECK(columns[2]->name == "note");
  CHECK(columns[2]->type.origin == "sqlalchemy.String");
  CHECK(columns[2]->nullable_known);
  CHECK(columns[3]->table == "audit");
  CHECK(columns[3]->name == "at");
  CHECK(columns[3]->type.origin == "sqlalchemy.DateTime");
  REQUIRE(columns[3]->type.keyword("timezone") != nullptr);
}

TEST_CASE("columns: migration columns", "[columns]") {
  Loaded p(R"(
"""add things

Revision ID: abc123
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "abc123"
down_revision = None


def upgrade():
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text())),
        sa.Column("owner_id", sa.ForeignKey("users.id")),
        sa.PrimaryKeyConstraint("id"),
    )
    op.add_column("users", sa.Column("email", sa.String(length=255), nullable=True))
    with op.batch_alter_table("orders") as batch_op:
        batch_op.add_column(sa.Column("total", sa.Numeric(10, 2)))
        batch_op.alter_column("status", type_=sa.String(20), existing_type=sa.Integer())
    op.alter_column("users", "name", type_=sa.Text())
    op.alter_column("users", "name", nullable=False)


def downgrade():
    op.drop_column("users", "email")
    op.drop_table("accounts")
)");
  auto columns = p.columns("models.py", Context::Migration);
  REQUIRE(columns.size() == 7);
  CHECK(columns[0]->table == "accounts");
  CHECK(columns[0]->name == "id");
  CHECK(columns[0]->type.origin == "sqlalchemy.Integer");
  REQUIRE(columns[0]->operation != nullptr);
  CHECK(columns[0]->operation->name == "create_table");
  CHECK(columns[0]->nullable_known);
  CHECK(columns[1]->name == "data");
  CHECK(columns[1]->type.origin == "sqlalchemy.dialects.postgresql.JSONB");
  CHECK(columns[2]->name == "owner_id");
  CHECK(columns[2]->type.origin == "");

  CHECK(columns[3]->table == "users");
  CHECK(columns[3]->name == "email");
  CHECK(columns[3]->type.origin == "sqlalchemy.String");
  REQUIRE(columns[3]->type.keyword("length") != nullptr);
  CHECK(columns[3]->type.keyword("length")->text == "255");
  CHECK(columns[3]->operation->name == "add_column");
  CHECK(columns[3]->operation->function == "upgrade");

  CHECK(columns[4]->table == "orders");  // batch_op.add_column: the batch's table
  CHECK(columns[4]->name == "total");
  CHECK(columns[4]->type.origin == "sqlalchemy.Numeric");
  CHECK(columns[4]->operation->in_batch);

  CHECK(columns[5]->table == "orders");  // batch alter_column: the column name is the first argument
  CHECK(columns[5]->name == "status");
  CHECK(columns[5]->type.origin == "sqlalchemy.String");
  CHECK(columns[5]->operation->name == "alter_column");

  CHECK(columns[6]->table == "users");
  CHECK(columns[6]->name == "name");
  CHECK(columns[6]->type.origin == "sqlalchemy.Text");
  // alter_column without type_= is no column fact.
}

TEST_CASE("columns: the seeds' safe-migration column keeps its type", "[columns]") {
  // sa.Column(column_name, sa.String(50)): the first argument is the name held in a local variable.
  Loaded p(R"(
from alembic import op
import sqlalchemy as sa
from sqlalchemy.engine.reflection import Inspector

revision = "abc"
down_revision = None

def upgrade():
    bind = op.get_bind()
    inspector = Inspector.from_engine(bind)
    table_name = 'users'
    column_name = 'new_column'
    existing_columns = [c['name'] for c in inspector.get_columns(table_name)]
    if column_name not in existing_columns:
        op.add_column(table_name, sa.Column(column_name, sa.String(50)))

def downgrade():
    pass
)");
  auto columns = p.columns("models.py", Context::Migration);
  REQUIRE(columns.size() == 1);
  CHECK(columns[0]->type.origin == "sqlalchemy.String");
  REQUIRE(columns[0]->type.expr != nullptr);
  CHECK(columns[0]->type.expr->is_call());
  CHECK(columns[0]->name == "new_column");  // `column_name = 'new_column'` holds one string
  CHECK(columns[0]->table == "users");
}
