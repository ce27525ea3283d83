// The git-aware rules (modified-applied-migration, model-change-without-migration) on small changes: the engine
// gets each changed file's base version as --staged / --changed-since would give it (change_support.h), and the
// findings must be exactly the expected ones. One test at the end drives `ormlint check --staged` on a real git
// repository.
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sys/wait.h>

#include "change_support.h"
#include "engine/rule.h"
#include "fixture_support.h"

using namespace ormlint;
using namespace ormlint::testing;
namespace fs = std::filesystem;

namespace {

struct Finding {
  std::string at;  // "relative/path.py:line"
  std::string message;
  std::string help;
};

// Runs one rule on the change written in `text` (against HEAD when `git_aware`).
std::vector<Finding> check(const std::string& rule_name, const std::string& text, bool git_aware = true) {
  const Rule* rule = find_rule(rule_name);
  REQUIRE(rule != nullptr);
  TempDir dir;
  WrittenChange change = write_change(dir.path(), text, "app/models.py");
  RunResult result = run_change(dir.path(), change, {rule}, git_aware);
  INFO((result.errors.empty() ? "" : result.errors.front()));
  REQUIRE(result.errors.empty());
  std::vector<Finding> out;
  for (const Diagnostic& d : result.diagnostics) {
    std::string relative = fs::weakly_canonical(fs::absolute(d.path)).lexically_relative(fs::weakly_canonical(dir.path())).generic_string();
    out.push_back(Finding{relative + ":" + std::to_string(d.loc.line), d.message, d.help});
  }
  return out;
}

std::vector<std::string> places(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.at);
  return out;
}


using Places = std::vector<std::string>;

// ---- modified-applied-migration ----------------------------------------------------------------------------

const std::string kRevision = R"("""add users.locale"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"


def upgrade():
    # the locale the UI falls back to
    op.add_column("users", sa.Column("locale", sa.String(8)))


def downgrade():
    op.drop_column("users", "locale")
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

const std::string kRevisionPath = "migrations/versions/0002_add_users_locale.py";

std::string revision_change(const std::string& now, const std::string& now_path = kRevisionPath) {
  std::string renamed = now_path == kRevisionPath ? "" : " (renamed from " + kRevisionPath + ")";
  return "# file: " + kRevisionPath + " (HEAD)\n" + kRevision + "# file: " + now_path + renamed + "\n" + now;
}

}  // namespace

TEST_CASE("modified-applied-migration: an edited revision is reported at its first changed token", "[gitrules]") {
  std::string now = replaced(kRevision, "sa.String(8)", "sa.String(16)");
  auto found = check("modified-applied-migration", revision_change(now));
  CHECK(places(found) == Places{kRevisionPath + ":11"});
  REQUIRE(found.size() == 1);
  CHECK(contains(found[0].message, "revision `0002` changed since HEAD"));
  CHECK(contains(found[0].help, "alembic revision -m"));

  // An edit to the revision's identity is a change too.
  auto down = check("modified-applied-migration", revision_change(replaced(kRevision, "\"0001\"", "\"0001b\"")));
  CHECK(places(down) == Places{kRevisionPath + ":6"});
}

TEST_CASE("modified-applied-migration: comments, layout and renames keep the code", "[gitrules]") {
  std::string commented = replaced(kRevision, "# the locale the UI falls back to", "# BCP 47 tag, see ADR-12");
  CHECK(check("modified-applied-migration", revision_change(commented)).empty());
  std::string reflowed = replaced(kRevision, R"(sa.Column("locale", sa.String(8)))", "sa.Column(\n        \"locale\",  sa.String(8)\n    )");
  CHECK(check("modified-applied-migration", revision_change(reflowed)).empty());
  CHECK(check("modified-applied-migration", revision_change(kRevision, "migrations/versions/20240105_add_users_locale.py")).empty());
}

TEST_CASE("modified-applied-migration: a renamed and edited revision names its old path", "[gitrules]") {
  std::string path = "migrations/versions/20240105_add_users_locale.py";
  auto found = check("modified-applied-migration", revision_change(replaced(kRevision, "sa.String(8)", "sa.Text"), path));
  CHECK(places(found) == Places{path + ":11"});
  REQUIRE(found.size() == 1);
  CHECK(contains(found[0].message, "renamed from"));
}

TEST_CASE("modified-applied-migration: new revisions, other files and runs without a base pass", "[gitrules]") {
  CHECK(check("modified-applied-migration", "# file: " + kRevisionPath + " (new)\n" + kRevision).empty());
  std::string edited = revision_change(replaced(kRevision, "sa.String(8)", "sa.String(16)"));
  CHECK(check("modified-applied-migration", edited, /*git_aware=*/false).empty());
  CHECK(check("modified-applied-migration", "# file: app/settings.py (HEAD)\nDEBUG = False\n# file: app/settings.py\nDEBUG = True\n").empty());
}

// ---- model-change-without-migration -----------------------------------------------------------------------

namespace {

const std::string kFirstRevision = R"(# file: migrations/versions/0001_create_users.py
"""create users"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None


def upgrade():
    op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("users")
)";

const std::string kNewRevision = R"(# file: migrations/versions/0002_add_users_nickname.py (new)
"""add users.nickname"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"


def upgrade():
    op.add_column("users", sa.Column("nickname", sa.String(64)))


def downgrade():
    op.drop_column("users", "nickname")
)";

const std::string kModels = R"(from typing import Optional

import sqlalchemy as sa
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    """A person who can sign in."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    bio: Mapped[Optional[str]] = mapped_column(sa.Text, default=None)
    posts: Mapped[list["Post"]] = relationship(back_populates="author")

    def display_name(self) -> str:
        return self.email


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author: Mapped[User] = relationship(back_populates="posts")
)";

// app/models.py changed from kModels to `now`, next to an existing revision (plus `extra` files).
std::string model_change(const std::string& now, const std::string& extra = "") {
  return "# file: app/models.py (HEAD)\n" + kModels + "# file: app/models.py\n" + now + kFirstRevision + extra;
}

const char* kRule = "model-change-without-migration";

}  // namespace

TEST_CASE("model-change-without-migration: a column added without a revision", "[gitrules]") {
  std::string now = replaced(kModels, "    posts:", "    nickname: Mapped[str | None] = mapped_column(String(64))\n    posts:");
  auto found = check(kRule, model_change(now));
  CHECK(places(found) == Places{"app/models.py:19"});
  REQUIRE(found.size() == 1);
  CHECK(contains(found[0].message, "column `users.nickname` added since HEAD"));
  CHECK(contains(found[0].help, "alembic revision --autogenerate -m \"add users.nickname\""));

  CHECK(check(kRule, model_change(now), /*git_aware=*/false).empty());
  CHECK(check(kRule, model_change(now, kNewRevision)).empty());
}

TEST_CASE("model-change-without-migration: altered and removed columns, table options", "[gitrules]") {
  auto altered = check(kRule, model_change(replaced(kModels, "String(320), unique=True", "String(254), unique=True")));
  CHECK(places(altered) == Places{"app/models.py:17"});
  REQUIRE(altered.size() == 1);
  CHECK(contains(altered[0].message, "column `users.email` changed since HEAD"));

  // The removal is reported on the table that lost the column.
  auto removed = check(kRule, model_change(replaced(kModels, "    bio: Mapped[Optional[str]] = mapped_column(sa.Text, default=None)\n", "")));
  CHECK(places(removed) == Places{"app/models.py:12"});
  REQUIRE(removed.size() == 1);
  CHECK(contains(removed[0].message, "column `users.bio` removed since HEAD"));

  std::string args = "    __tablename__ = \"posts\"\n    __table_args__ = (sa.Index(\"ix_posts_author_id\", \"author_id\"),)\n";
  auto options = check(kRule, model_change(replaced(kModels, "    __tablename__ = \"posts\"\n", args)));
  CHECK(places(options) == Places{"app/models.py:25"});
  REQUIRE(options.size() == 1);
  CHECK(contains(options[0].message, "table `posts` changed since HEAD"));

  // Two differences in one file: one finding, at the first, counting the other.
  std::string both = replaced(replaced(kModels, "String(320)", "String(254)"), "ondelete=\"CASCADE\"", "ondelete=\"SET NULL\"");
  auto two = check(kRule, model_change(both));
  CHECK(places(two) == Places{"app/models.py:17"});
  REQUIRE(two.size() == 1);
  CHECK(contains(two[0].message, "(and 1 more schema change)"));
}

TEST_CASE("model-change-without-migration: what does not reach the database does not count", "[gitrules]") {
  std::string now = kModels;
  now = replaced(now, "\"\"\"A person who can sign in.\"\"\"", "\"\"\"A person with an account.\"\"\"  # docstring");
  now = replaced(now, "        return self.email", "        return self.email.split(\"@\")[0]");
  now = replaced(now, "Mapped[Optional[str]] = mapped_column(sa.Text, default=None)", "Mapped[str | None] = mapped_column(\n        sa.Text,\n    )");
  now = replaced(now, "relationship(back_populates=\"author\")", "relationship(back_populates=\"author\", lazy=\"selectin\")");
  now = replaced(now, "mapped_column(primary_key=True)\n    email", "mapped_column(primary_key=True, doc=\"surrogate key\")\n    email");
  CHECK(check(kRule, model_change(now)).empty());

  // Import style: `sa.String` and `String` from sqlalchemy are the same type.
  CHECK(check(kRule, model_change(replaced(kModels, "String(320), unique=True", "sa.String(320), unique=True"))).empty());
}

TEST_CASE("model-change-without-migration: Pydantic and plain classes do not count", "[gitrules]") {
  const std::string schemas = R"(from pydantic import BaseModel, Field


class UserOut(BaseModel):
    id: int
    email: str = Field(max_length=320)
)";
  std::string now = replaced(schemas, "    email: str = Field(max_length=320)\n", "    email: str = Field(max_length=254)\n    nickname: str | None = None\n");
  std::string text = "# file: app/schemas.py (HEAD)\n" + schemas + "# file: app/schemas.py\n" + now + "# file: app/models.py\n" + kModels + kFirstRevision;
  CHECK(check(kRule, text).empty());
}

TEST_CASE("model-change-without-migration: Core tables and indexes", "[gitrules]") {
  const std::string tables = R"(import sqlalchemy as sa

metadata = sa.MetaData()

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("payload", sa.JSON, nullable=False),
)
)";
  auto change = [&](const std::string& now) {
    return "# file: app/tables.py (HEAD)\n" + tables + "# file: app/tables.py\n" + now + kFirstRevision;
  };
  auto altered = check(kRule, change(replaced(tables, "sa.JSON, nullable=False", "sa.Text, nullable=False")));
  CHECK(places(altered) == Places{"app/tables.py:9"});
  REQUIRE(altered.size() == 1);
  CHECK(contains(altered[0].message, "column `events.payload` changed since HEAD"));

  auto index = check(kRule, change(tables + "\nsa.Index(\"ix_events_payload\", events.c.payload)\n"));
  CHECK(places(index) == Places{"app/tables.py:12"});
  REQUIRE(index.size() == 1);
  CHECK(contains(index[0].message, "index `ix_events_payload` added"));

  CHECK(check(kRule, change(replaced(tables, "    metadata,\n", "    metadata,  # the app's MetaData\n"))).empty());
}

TEST_CASE("model-change-without-migration: new and deleted model files", "[gitrules]") {
  const std::string invoices = R"(from sqlalchemy import Column, Integer, Numeric

from app.models import Base


class Invoice(Base):
    __tablename__ = "invoices"
    id = Column(Integer, primary_key=True)
    total = Column(Numeric(12, 2), nullable=False)
)";
  auto added = check(kRule, "# file: app/models.py\n" + kModels + "# file: app/invoices.py (new)\n" + invoices + kFirstRevision);
  CHECK(places(added) == Places{"app/invoices.py:6"});
  REQUIRE(added.size() == 1);
  CHECK(contains(added[0].message, "table `invoices` added since HEAD"));
  CHECK(check(kRule, "# file: app/invoices.py (new)\n" + invoices + "# file: app/models.py\n" + kModels + kFirstRevision + kNewRevision).empty());

  // A deleted model file is reported on the first changed model file (here: the package that imported it).
  const std::string init_before = "from app.invoices import Invoice\nfrom app.models import Base, Post, User\n";
  const std::string init_after = "from app.models import Base, Post, User\n";
  std::string deleted = "# file: app/invoices.py (HEAD)\n" + invoices + "# file: app/__init__.py (HEAD)\n" + init_before +
                        "# file: app/__init__.py\n" + init_after + "# file: app/models.py\n" + kModels + kFirstRevision;
  // app/__init__.py holds no model: with no changed model file, nothing is reported.
  CHECK(check(kRule, deleted).empty());
  std::string with_model_change = deleted + "# file: app/models.py (HEAD)\n" +
                                  replaced(kModels, "return self.email", "return self.username");
  auto reported = check(kRule, with_model_change);
  REQUIRE(reported.size() == 1);
  CHECK(reported[0].at == "app/models.py:22");
  CHECK(contains(reported[0].message, "table `invoices` removed since HEAD ("));
  CHECK(contains(reported[0].message, "app/invoices.py was deleted)"));
}

TEST_CASE("model-change-without-migration: a model moved to another file is no change", "[gitrules]") {
  const std::string post_class = kModels.substr(kModels.find("class Post(Base):"));
  const std::string user_only = kModels.substr(0, kModels.find("class Post(Base):"));
  const std::string posts = "from sqlalchemy import ForeignKey\nfrom sqlalchemy.orm import Mapped, mapped_column, relationship\n\n"
                            "from app.models import Base, User\n\n\n" + post_class;
  CHECK(check(kRule, model_change(user_only, "# file: app/posts.py (new)\n" + posts)).empty());
  // Moved, and changed on the way: the change is reported where the model is now.
  std::string changed = replaced(posts, "ondelete=\"CASCADE\"", "ondelete=\"SET NULL\"");
  auto found = check(kRule, model_change(user_only, "# file: app/posts.py (new)\n" + changed));
  CHECK(places(found) == Places{"app/posts.py:10"});
  // From a deleted file into a new one.
  std::string split = "# file: app/models.py (HEAD)\n" + kModels + "# file: app/users.py (new)\n" + user_only +
                      "# file: app/posts.py (new)\n" + replaced(posts, "from app.models", "from app.users") + kFirstRevision;
  CHECK(check(kRule, split).empty());
}

TEST_CASE("model-change-without-migration: SQLModel tables, their bases and mixins", "[gitrules]") {
  const std::string heroes = R"(from typing import Optional

from sqlmodel import Field, SQLModel


class HeroBase(SQLModel):
    name: str = Field(index=True)
    secret_name: str


class Hero(HeroBase, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)


class HeroCreate(HeroBase):
    pass


class HeroUpdate(SQLModel):
    name: Optional[str] = None
)";
  auto change = [&](const std::string& now) {
    return "# file: app/heroes.py (HEAD)\n" + heroes + "# file: app/heroes.py\n" + now + kFirstRevision;
  };
  auto base_field = check(kRule, change(replaced(heroes, "    secret_name: str\n", "    secret_name: str\n    age: Optional[int] = None\n")));
  CHECK(places(base_field) == Places{"app/heroes.py:9"});
  REQUIRE(base_field.size() == 1);
  CHECK(contains(base_field[0].message, "column `HeroBase.age` added"));
  // Request/response models (no table) do not count.
  CHECK(check(kRule, change(replaced(heroes, "    name: Optional[str] = None\n", "    name: Optional[str] = None\n    age: Optional[int] = None\n"))).empty());

  const std::string mixins = R"(from datetime import datetime

from sqlalchemy import Column, DateTime, func


class TimestampMixin:
    created_at = Column(DateTime(timezone=True), server_default=func.now(), nullable=False)
)";
  std::string now = replaced(mixins, "nullable=False)\n", "nullable=False)\n    updated_at = Column(DateTime(timezone=True), onupdate=func.now())\n");
  auto mixin = check(kRule, "# file: app/mixins.py (HEAD)\n" + mixins + "# file: app/mixins.py\n" + now + kFirstRevision);
  CHECK(places(mixin) == Places{"app/mixins.py:8"});

  // A model that takes a mixin gets its columns.
  std::string with_mixin = replaced(replaced(kModels, "class Post(Base):", "class Post(TimestampMixin, Base):"),
                                    "from typing import Optional\n", "from typing import Optional\n\nfrom app.mixins import TimestampMixin\n");
  auto mixed_in = check(kRule, "# file: app/mixins.py\n" + mixins + model_change(with_mixin));
  CHECK(places(mixed_in) == Places{"app/models.py:27"});
  REQUIRE(mixed_in.size() == 1);
  CHECK(contains(mixed_in[0].message, "table `posts` changed since HEAD"));
}

TEST_CASE("model-change-without-migration: projects without revisions and revision edits", "[gitrules]") {
  std::string now = replaced(kModels, "    posts:", "    nickname: Mapped[str | None] = mapped_column(String(64))\n    posts:");
  // No revision script anywhere: the project does not use Alembic.
  CHECK(check(kRule, "# file: app/models.py (HEAD)\n" + kModels + "# file: app/models.py\n" + now).empty());
  // Editing the existing revision instead of adding one does not count as a migration.
  std::string edited_revision = "# file: migrations/versions/0001_create_users.py (HEAD)\n" + kFirstRevision.substr(kFirstRevision.find('\n') + 1);
  std::string revision_now = replaced(kFirstRevision, "primary_key=True))", "primary_key=True), sa.Column(\"nickname\", sa.String(64)))");
  auto found = check(kRule, "# file: app/models.py (HEAD)\n" + kModels + "# file: app/models.py\n" + now + edited_revision + revision_now);
  CHECK(places(found) == Places{"app/models.py:19"});
}

// ---- the real command ---------------------------------------------------------------------------------------

namespace {

int shell(const std::string& command, std::string* output = nullptr) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer;
  size_t n;
  std::string text;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) text.append(buffer.data(), n);
  int status = pclose(pipe);
  if (output) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}


}  // namespace

TEST_CASE("ormlint check --staged runs the git-aware rules against HEAD", "[gitrules]") {
  TempDir dir;
  std::string git = "cd '" + dir.path().string() + "' && git -c user.name=test -c user.email=test@example.com ";
  REQUIRE(shell(git + "init -q") == 0);
  write_file(dir.path() / kRevisionPath, kRevision);
  write_file(dir.path() / "app/models.py", kModels);
  REQUIRE(shell(git + "add -A && " + git + "commit -q -m init") == 0);

  std::string ormlint = "cd '" + dir.path().string() + "' && NO_COLOR=1 '" + std::string(ORMLINT_BINARY) + "' check ";
  const std::string rules = "--select modified-applied-migration,model-change-without-migration ";
  std::string output;
  CHECK(shell(ormlint + "--staged " + rules, &output) == 0);

  // Unstaged edits are not what will be committed; staged ones are.
  write_file(dir.path() / kRevisionPath, replaced(kRevision, "sa.String(8)", "sa.String(16)"));
  write_file(dir.path() / "app/models.py", replaced(kModels, "String(320)", "String(254)"));
  CHECK(shell(ormlint + "--staged " + rules, &output) == 0);
  REQUIRE(shell(git + "add -A") == 0);
  CHECK(shell(ormlint + "--staged " + rules, &output) == 1);
  CHECK(contains(output, kRevisionPath + ":11:58: error[modified-applied-migration] revision `0002` changed since HEAD"));
  CHECK(contains(output, "app/models.py:17:5: warning[model-change-without-migration] column `users.email` changed since HEAD"));
  // Without --staged there is no base: both rules are silent.
  CHECK(shell(ormlint + rules + ".", &output) == 0);
}
