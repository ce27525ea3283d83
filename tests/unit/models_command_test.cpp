// `ormlint models`: the real binary prints the table model as text, JSON, Graphviz dot and Mermaid erDiagram.
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fixture_support.h"

using namespace ormlint::testing;
namespace fs = std::filesystem;

namespace {

const char* kModels = R"(# file: app/base.py
from sqlalchemy import MetaData
from sqlalchemy.orm import declarative_base

Base = declarative_base(metadata=MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}))
# file: app/models.py
from sqlalchemy import Column, ForeignKey, Index, Integer, String
from sqlalchemy.orm import relationship

from .base import Base


class Organization(Base):
    __tablename__ = "organizations"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False, unique=True)
    users = relationship("User", back_populates="organization")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_org_email", "org_id", "email"),)
    id = Column(Integer, primary_key=True)
    org_id = Column(Integer, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False)
    team_id = Column(Integer, ForeignKey("teams.id"))
    email = Column(String(255), index=True)
    organization = relationship("Organization", back_populates="users", lazy="joined")
)";

class Project {
 public:
  Project() { write_files(dir_.path(), kModels, "models.py"); }
  const fs::path& path() const { return dir_.path(); }

 private:
  TempDir dir_;
};

}  // namespace

TEST_CASE("models: text lists metadata, tables, columns, foreign keys, relationships, constraints", "[cli][models]") {
  Project project;
  auto r = run_ormlint(project.path(), "models", false);
  CHECK(r.exit_code == 0);
  INFO(r.output);
  CHECK(contains(r.output, "metadata app.base.Base naming_convention=yes  app/base.py:"));
  CHECK(contains(r.output, "table organizations (metadata app.base.Base)\n  class app.models.Organization  app/models.py:7\n"));
  CHECK(contains(r.output, "    id: Integer NOT NULL PK\n    name: String NOT NULL UNIQUE\n"));
  CHECK(contains(r.output, "    org_id: Integer NOT NULL\n"));
  CHECK(contains(r.output, "    team_id: Integer NULL\n"));
  CHECK(contains(r.output, "    email: String NULL INDEX\n"));
  CHECK(contains(r.output, "    (org_id) -> organizations.id ON DELETE CASCADE  app/models.py:18\n"));
  CHECK(contains(r.output, "    (team_id) -> teams.id (not found)  app/models.py:19\n"));
  CHECK(contains(r.output, "    User.organization -> Organization back_populates=users lazy=joined  app/models.py:21\n"));
  CHECK(contains(r.output, "    Organization.users -> User back_populates=organization  app/models.py:11\n"));
  CHECK(contains(r.output, "    Index ix_users_org_email (org_id, email)  app/models.py:16\n"));
  CHECK(contains(r.output, "2 tables, 2 foreign keys, 2 relationships\n"));
  // Tables in file order, and the same output every time.
  CHECK(r.output.find("table organizations") < r.output.find("table users"));
  CHECK(run_ormlint(project.path(), "models .", false).output == r.output);
}

TEST_CASE("models: JSON holds the same content", "[cli][models]") {
  Project project;
  auto r = run_ormlint(project.path(), "models --format json app", false);
  REQUIRE(r.exit_code == 0);
  auto json = nlohmann::json::parse(r.output);
  REQUIRE(json["metadata"].size() == 1);
  CHECK(json["metadata"][0]["key"] == "app.base.Base");
  CHECK(json["metadata"][0]["naming_convention"] == true);
  REQUIRE(json["tables"].size() == 2);
  const auto& users = json["tables"][1];
  CHECK(users["name"] == "users");
  CHECK(users["schema"].is_null());
  CHECK(users["metadata"] == "app.base.Base");
  CHECK(users["class"] == "app.models.User");
  CHECK(users["file"] == "app/models.py");
  CHECK(users["line"] == 14);
  REQUIRE(users["columns"].size() == 4);
  CHECK(users["columns"][1]["name"] == "org_id");
  CHECK(users["columns"][1]["type"] == "sqlalchemy.Integer");
  CHECK(users["columns"][1]["nullable"] == false);
  CHECK(users["columns"][1]["nullable_source"] == "explicit");
  CHECK(users["columns"][0]["primary_key"] == true);
  CHECK(users["columns"][3]["index"] == true);
  REQUIRE(users["foreign_keys"].size() == 2);
  CHECK(users["foreign_keys"][0]["target"] == "organizations.id");
  CHECK(users["foreign_keys"][0]["resolved"] == true);
  CHECK(users["foreign_keys"][0]["ondelete"] == "CASCADE");
  CHECK(users["foreign_keys"][1]["resolved"] == false);
  CHECK(users["foreign_keys"][1]["ondelete"].is_null());
  REQUIRE(users["relationships"].size() == 1);
  CHECK(users["relationships"][0]["target_class"] == "app.models.Organization");
  CHECK(users["relationships"][0]["back_populates"] == "users");
  CHECK(users["relationships"][0]["lazy"] == "joined");
  REQUIRE(users["constraints"].size() == 1);
  CHECK(users["constraints"][0]["kind"] == "Index");
  CHECK(users["constraints"][0]["name"] == "ix_users_org_email");
  CHECK(users["constraints"][0]["columns"] == nlohmann::json::array({"org_id", "email"}));
}

TEST_CASE("models: Graphviz dot of the foreign-key graph", "[cli][models]") {
  Project project;
  auto r = run_ormlint(project.path(), "models --format dot", false);
  CHECK(r.exit_code == 0);
  CHECK(r.output == R"(digraph foreign_keys {
  rankdir=LR;
  node [shape=box];
  "organizations";
  "users";
  "? teams" [style=dashed];
  "users" -> "organizations" [label="org_id"];
  "users" -> "? teams" [label="team_id", style=dashed];
}
)");
}

TEST_CASE("models: Mermaid erDiagram of the foreign-key graph", "[cli][models]") {
  Project project;
  auto r = run_ormlint(project.path(), "models --format mermaid", false);
  CHECK(r.exit_code == 0);
  CHECK(r.output == R"(erDiagram
    organizations {
        Integer id PK
        String name UK
    }
    users {
        Integer id PK
        Integer org_id FK
        Integer team_id FK
        String email
    }
    users }o--|| organizations : "org_id"
    users }o--o| teams : "team_id"
)");
}

TEST_CASE("models: unreadable paths and bad options exit 2", "[cli][models]") {
  Project project;
  auto missing = run_ormlint(project.path(), "models does-not-exist.py", true);
  CHECK(missing.exit_code == 2);
  CHECK(contains(missing.output, "does-not-exist.py"));
  CHECK(run_ormlint(project.path(), "models --format xml", false).exit_code == 2);
  auto empty = run_ormlint(project.path(), "models app/base.py", false);
  CHECK(empty.exit_code == 0);
  CHECK(contains(empty.output, "0 tables, 0 foreign keys, 0 relationships"));
}

TEST_CASE("models: run inside a package folder, absolute imports still name the project's modules", "[cli][models]") {
  // `check` names modules from the project folder; `models` must too, or `from app.base import Base` finds
  // nothing when it runs inside app/ and every table is lost.
  TempDir dir;
  write_file(dir.path() / "pyproject.toml", "[project]\nname = \"shop\"\n");
  write_files(dir.path(), R"(# file: app/__init__.py
# file: app/base.py
from sqlalchemy.orm import declarative_base

Base = declarative_base()
# file: app/models.py
from sqlalchemy import Column, Integer

from app.base import Base


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
)", "models.py");
  for (const fs::path& cwd : {dir.path(), dir.path() / "app"}) {
    INFO("run in " << cwd);
    auto r = run_ormlint(cwd, "models --format json", false);
    REQUIRE(r.exit_code == 0);
    auto tables = nlohmann::json::parse(r.output).at("tables");
    REQUIRE(tables.size() == 1);
    CHECK(tables[0].at("name") == "users");
  }
}
