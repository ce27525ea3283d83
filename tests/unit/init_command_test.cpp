// `ormlint init`: what it writes and where, that the result loads (examples included), that nothing of the
// user's is changed, and how it chooses the profile (by reading the project, not by searching text).
#include "cli/init_command.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/paths.h"
#include "engine/config.h"
#include "engine/rule.h"
#include "fixture_support.h"

using namespace ormlint;
using namespace ormlint::cli;
using namespace ormlint::testing;
namespace fs = std::filesystem;

namespace {

// init reads the project from the working directory, as users run it: module names come from paths relative to
// it. Restores the previous working directory.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const fs::path& dir) : previous_(fs::current_path()) { change_working_directory(dir); }
  ~WorkingDirectory() {
    try {
      change_working_directory(previous_);
    } catch (const fs::filesystem_error&) {
    }
  }
  WorkingDirectory(const WorkingDirectory&) = delete;
  WorkingDirectory& operator=(const WorkingDirectory&) = delete;

 private:
  fs::path previous_;
};

InitPlan plan_in(const fs::path& dir, InitArgs args = {}) {
  WorkingDirectory cd(dir);
  args.jobs = 1;
  return plan_init(dir, args);
}

// The commented examples made live: "# key = ...", "# [table]" and "# \"glob\" = [...]" lines lose their "# ".
std::string uncomment_examples(const std::string& text) {
  static const std::regex example(R"(^# ((?:[a-z-]+ = )|\[|"))");
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    if (std::regex_search(line, example)) line.erase(0, 2);
    out += line + "\n";
  }
  return out;
}

const char* kPostgresModel = R"(from sqlalchemy import Column, Integer
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Event(Base):
    __tablename__ = "events"
    id = Column(Integer, primary_key=True)
    payload = Column(JSONB)
)";

const char* kPlainModel = R"(from sqlalchemy import JSON, Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Event(Base):
    __tablename__ = "events"
    id = Column(Integer, primary_key=True)
    payload = Column(JSON)
)";

}  // namespace

TEST_CASE("init creates ormlint.toml that loads, with the portable profile for a portable project", "[init]") {
  TempDir dir;
  write_file(dir.path() / "app/models.py", kPlainModel);
  InitPlan plan = plan_in(dir.path());
  CHECK_FALSE(plan.append);
  CHECK(plan.target == dir.path() / "ormlint.toml");
  CHECK(plan.profile == Profile::Portable);
  CHECK(plan.text.find("profile = \"portable\"\n") != std::string::npos);
  CHECK(plan.text.find("[tool.ormlint") == std::string::npos);  // top-level keys in ormlint.toml
  REQUIRE_FALSE(plan.reasons.empty());
  CHECK(plan.reasons.front().find("none of the 1 Python files") != std::string::npos);

  apply_init(plan);
  CHECK(read_file(dir.path() / "ormlint.toml") == plan.text);
  REQUIRE(find_config_file(dir.path()) == dir.path() / "ormlint.toml");
  Config config = load_config(dir.path() / "ormlint.toml");
  CHECK(config.profile == Profile::Portable);
  CHECK_FALSE(active_rules(config, "ormlint.toml").empty());
}

TEST_CASE("init appends [tool.ormlint] to pyproject.toml and keeps every existing byte", "[init]") {
  TempDir dir;
  write_file(dir.path() / "models.py", kPostgresModel);
  // No final newline, and CRLF line endings: both must survive, and the new table must follow suit.
  const std::string original =
      "[project]\r\nname = \"shop\"\r\n\r\n[tool.black]\r\nline-length = 100  # a comment\r\n\r\n"
      "[tool.other]\r\nx = '''\r\nmulti\r\n'''";
  const fs::path pyproject = dir.path() / "pyproject.toml";
  write_file(pyproject, original);
  REQUIRE(chmod(pyproject.c_str(), 0640) == 0);
  struct stat before {};
  REQUIRE(stat(pyproject.c_str(), &before) == 0);

  InitPlan plan = plan_in(dir.path());
  CHECK(plan.append);
  CHECK(plan.target == pyproject);
  CHECK(read_file(pyproject) == original);  // planning writes nothing
  apply_init(plan);

  const std::string after = read_file(pyproject);
  REQUIRE(after.size() > original.size());
  CHECK(after.compare(0, original.size(), original) == 0);  // the user's bytes, unchanged, first
  const std::string added = after.substr(original.size());
  CHECK(added.rfind("\r\n\r\n[tool.ormlint]\r\n", 0) == 0);  // finishes the last line, then a blank line
  CHECK(added.find("profile = \"postgresql\"\r\n") != std::string::npos);
  CHECK(std::regex_search(added, std::regex("[^\r]\n")) == false);  // no bare LF mixed into a CRLF file

  struct stat now {};
  REQUIRE(stat(pyproject.c_str(), &now) == 0);
  CHECK(now.st_ino == before.st_ino);  // appended in place: links and ownership stay
  CHECK((now.st_mode & 0777) == 0640);

  REQUIRE(find_config_file(dir.path()) == pyproject);
  Config config = load_config(pyproject);
  CHECK(config.profile == Profile::PostgreSQL);
}

TEST_CASE("init appends to an LF pyproject.toml with a blank line before the table", "[init]") {
  TempDir dir;
  const std::string original = "[project]\nname = \"shop\"\n";
  write_file(dir.path() / "pyproject.toml", original);
  apply_init(plan_in(dir.path()));
  const std::string after = read_file(dir.path() / "pyproject.toml");
  CHECK(after.rfind(original + "\n[tool.ormlint]\n", 0) == 0);
  CHECK(after.find('\r') == std::string::npos);
}

TEST_CASE("init refuses when configuration exists, and changes nothing", "[init]") {
  TempDir dir;
  SECTION("[tool.ormlint] in pyproject.toml") {
    const std::string text = "[project]\nname = \"x\"\n\n[tool.ormlint]\nprofile = \"postgresql\"\n";
    write_file(dir.path() / "pyproject.toml", text);
    CHECK_THROWS_WITH(plan_in(dir.path()), Catch::Contains("already has a [tool.ormlint] table"));
    CHECK(read_file(dir.path() / "pyproject.toml") == text);
  }
  SECTION("only a [tool.ormlint.severity] sub-table") {
    const std::string text = "[tool.ormlint.severity]\nnaive-datetime-column = \"error\"\n";
    write_file(dir.path() / "pyproject.toml", text);
    CHECK_THROWS_WITH(plan_in(dir.path()), Catch::Contains("already has a [tool.ormlint] table"));
    CHECK(read_file(dir.path() / "pyproject.toml") == text);
  }
  SECTION("ormlint.toml, next to a pyproject.toml without settings") {
    write_file(dir.path() / "ormlint.toml", "# mine\n");
    write_file(dir.path() / "pyproject.toml", "[project]\nname = \"x\"\n");
    CHECK_THROWS_WITH(plan_in(dir.path()), Catch::Contains("ormlint.toml already exists"));
    CHECK(read_file(dir.path() / "ormlint.toml") == "# mine\n");
    CHECK(read_file(dir.path() / "pyproject.toml") == "[project]\nname = \"x\"\n");
  }
  SECTION("the command line: exit 2, the message names the file, even with --dry-run") {
    write_file(dir.path() / "ormlint.toml", "profile = \"portable\"\n");
    for (const char* args : {"init", "init --dry-run"}) {
      CommandResult r = run_ormlint(dir.path(), args);
      CHECK(r.exit_code == 2);
      CHECK(r.output.find("ormlint.toml already exists") != std::string::npos);
    }
    CHECK(read_file(dir.path() / "ormlint.toml") == "profile = \"portable\"\n");
    CHECK(run_ormlint(dir.path(), "init --force").exit_code == 2);  // there is no --force to lose user content
  }
}

TEST_CASE("init refuses a pyproject.toml it cannot safely append to", "[init]") {
  TempDir dir;
  SECTION("it does not parse") {
    const std::string text = "[project\nname = \"x\"\n";
    write_file(dir.path() / "pyproject.toml", text);
    CHECK_THROWS_WITH(plan_in(dir.path()), Catch::Contains("pyproject.toml:1:"));
    CHECK(read_file(dir.path() / "pyproject.toml") == text);
  }
  SECTION("`tool` is an inline table: a [tool.ormlint] header after it would be invalid TOML") {
    const std::string text = "tool = { black = { line-length = 88 } }\n";
    write_file(dir.path() / "pyproject.toml", text);
    CHECK_THROWS_WITH(plan_in(dir.path()), Catch::Contains("would not load") && Catch::Contains("nothing was written"));
    CHECK(read_file(dir.path() / "pyproject.toml") == text);
  }
}

TEST_CASE("init never overwrites an ormlint.toml created after it looked", "[init]") {
  TempDir dir;
  InitPlan plan = plan_in(dir.path());
  write_file(dir.path() / "ormlint.toml", "# written meanwhile\n");
  CHECK_THROWS_AS(apply_init(plan), InitRefused);
  CHECK(read_file(dir.path() / "ormlint.toml") == "# written meanwhile\n");
}

TEST_CASE("init chooses the postgresql profile from what the project imports", "[init]") {
  TempDir dir;
  SECTION("a model imports from sqlalchemy.dialects.postgresql") {
    write_file(dir.path() / "app/models.py", kPostgresModel);
    InitPlan plan = plan_in(dir.path());
    CHECK(plan.profile == Profile::PostgreSQL);
    CHECK(plan.reasons.front().find("app/models.py:2 imports sqlalchemy.dialects.postgresql.JSONB") !=
          std::string::npos);
    CHECK(plan.text.find("# profile \"postgresql\": app/models.py:2 imports") != std::string::npos);
  }
  SECTION("through the project's own module that re-exports the type (resolved, not text-matched)") {
    write_file(dir.path() / "app/__init__.py", "");
    write_file(dir.path() / "app/types.py", "from sqlalchemy.dialects import postgresql\n\nJSON = postgresql.JSONB\n");
    write_file(dir.path() / "app/models.py",
                "from sqlalchemy import Column\n\nfrom app.types import JSON\n\n\ndef column():\n"
                "    return Column(JSON)\n");
    InitPlan plan = plan_in(dir.path());
    CHECK(plan.profile == Profile::PostgreSQL);
    CHECK(plan.reasons.front().find("app/types.py:1 imports sqlalchemy.dialects.postgresql") != std::string::npos);
    CHECK(plan.reasons.front().find("app/models.py:3 imports sqlalchemy.dialects.postgresql.JSONB") !=
          std::string::npos);
  }
  SECTION("an Alembic revision imports the dialect inside upgrade()") {
    write_file(dir.path() / "migrations/versions/0001_events.py",
                "revision = \"0001\"\ndown_revision = None\n\nfrom alembic import op\n\n\ndef upgrade():\n"
                "    from sqlalchemy.dialects import postgresql\n    op.drop_column(\"events\", \"x\")\n");
    CHECK(plan_in(dir.path()).profile == Profile::PostgreSQL);
  }
  SECTION("text that only mentions PostgreSQL is not a use of it") {
    write_file(dir.path() / "settings.py",
                "# from sqlalchemy.dialects.postgresql import JSONB\n"
                "DATABASE_URL = \"postgresql://localhost/shop\"\n"
                "NOTE = \"import sqlalchemy.dialects.postgresql\"\n");
    write_file(dir.path() / "app/models.py", kPlainModel);
    InitPlan plan = plan_in(dir.path());
    CHECK(plan.profile == Profile::Portable);
    CHECK(plan.reasons.front().find("none of the 2 Python files") != std::string::npos);
  }
  SECTION("PostgreSQL next to another dialect: the project is multi-database, so portable") {
    write_file(dir.path() / "pg.py", "from sqlalchemy.dialects.postgresql import JSONB\n");
    write_file(dir.path() / "my.py", "from sqlalchemy.dialects.mysql import LONGTEXT\n");
    InitPlan plan = plan_in(dir.path());
    CHECK(plan.profile == Profile::Portable);
    CHECK(plan.reasons.front().find("more than one database dialect") != std::string::npos);
    CHECK(plan.reasons.front().find("my.py:1 imports sqlalchemy.dialects.mysql.LONGTEXT") != std::string::npos);
  }
  SECTION("--profile overrides the detection") {
    write_file(dir.path() / "app/models.py", kPostgresModel);
    InitArgs args;
    args.profile = "portable";
    InitPlan plan = plan_in(dir.path(), args);
    CHECK(plan.profile == Profile::Portable);
    CHECK(plan.reasons.front().find("--profile") != std::string::npos);
  }
}

TEST_CASE("init names declarative bases from installed packages that models derive from", "[init]") {
  TempDir dir;
  write_file(dir.path() / "app/models.py",
             "from sqlalchemy import Column, Integer\n\nfrom acme_shared.db import SharedBase\n\n\n"
             "class Invoice(SharedBase):\n    __tablename__ = \"invoices\"\n    id = Column(Integer, "
             "primary_key=True)\n");
  InitPlan plan = plan_in(dir.path());
  CHECK(plan.text.find("declarative-bases = [\"acme_shared.db.SharedBase\"]\n") != std::string::npos);
  CHECK(plan.text.find("app/models.py:6 Invoice") != std::string::npos);
  bool noted = false;
  for (const std::string& reason : plan.reasons)
    noted = noted || reason.find("acme_shared.db.SharedBase") != std::string::npos;
  CHECK(noted);
  apply_init(plan);
  const Config config = load_config(dir.path() / "ormlint.toml");
  CHECK(config.declarative_bases == std::set<std::string, std::less<>>{"acme_shared.db.SharedBase"});

  SECTION("a project whose bases are all its own gets no such line") {
    TempDir own;
    write_file(own.path() / "app/models.py", kPlainModel);
    CHECK(plan_in(own.path()).text.find("declarative-bases") == std::string::npos);
  }
}

TEST_CASE("init notes the Alembic locations and its examples load once uncommented", "[init]") {
  TempDir dir;
  write_file(dir.path() / "alembic.ini", "[alembic]\nscript_location = db/migrations\n");
  write_file(dir.path() / "db/migrations/versions/0001_start.py", "revision = \"0001\"\ndown_revision = None\n");
  for (bool in_pyproject : {false, true}) {
    CAPTURE(in_pyproject);
    std::error_code ec;
    fs::remove(dir.path() / "ormlint.toml", ec);
    fs::remove(dir.path() / "pyproject.toml", ec);
    if (in_pyproject) write_file(dir.path() / "pyproject.toml", "[project]\nname = \"x\"\n");
    InitPlan plan = plan_in(dir.path());
    CHECK(plan.text.find("# Alembic (read from there, nothing to set): alembic.ini: revisions in "
                         "db/migrations/versions\n") != std::string::npos);
    CHECK(plan.text.find("# \"db/migrations/versions/0001_*.py\" = [") != std::string::npos);
    apply_init(plan);

    // Every example made live at once: each key, table and rule name in them must be valid.
    const fs::path file = in_pyproject ? dir.path() / "pyproject.toml" : dir.path() / "ormlint.toml";
    const std::string live = uncomment_examples(read_file(file));
    REQUIRE(live != read_file(file));
    write_file(file, live);
    Config config;
    REQUIRE_NOTHROW(config = load_config(file));
    CHECK(config.select == std::vector<std::string>{"ALL"});
    CHECK(config.extend_select == std::vector<std::string>{"missing-migration-message"});
    CHECK(config.ignore == std::vector<std::string>{"foreign-key-without-ondelete"});
    CHECK(config.exclude.size() == 2);
    CHECK(config.fail_level == Severity::Warning);
    REQUIRE(config.per_file_ignores.size() == 1);
    CHECK(config.per_file_ignores[0].first == "db/migrations/versions/0001_*.py");
    CHECK(config.severity.count("naive-datetime-column") == 1);
    CHECK_NOTHROW(active_rules(config, file.string()));
  }
}

TEST_CASE("init names the installed base a model reaches through its own abstract class, not a mixin",
          "[init]") {
  // simpler-grants-gov: `class Agency(ApiSchemaTable, TimestampMixin)` with `class
  // ApiSchemaTable(base.Base)`.
  TempDir dir;
  write_file(dir.path() / "app/__init__.py", "");
  write_file(dir.path() / "app/table.py",
             "import shared_lib.db.base as base\n\n\nclass AppTable(base.Base):\n    __abstract__ = True\n");
  write_file(
      dir.path() / "app/models.py",
      "from shared_lib.db.base import TimestampMixin\nfrom sqlalchemy.orm import Mapped, mapped_column\n\n"
      "from app.table import AppTable\n\n\nclass User(AppTable, TimestampMixin):\n"
      "    __tablename__ = \"users\"\n\n    id: Mapped[int] = mapped_column(primary_key=True)\n");
  const InitPlan plan = plan_in(dir.path());
  CHECK(plan.text.find("declarative-bases = [\"shared_lib.db.base.Base\"]") != std::string::npos);
  CHECK(plan.text.find("TimestampMixin\"]") == std::string::npos);
}

TEST_CASE("an alembic.ini inside its migrations package names the location from a folder above", "[init]") {
  // simpler-grants-gov: api/src/db/migrations/alembic.ini says `script_location = src/db/migrations`, run
  // from api/.
  TempDir dir;
  write_file(dir.path() / "src/db/migrations/alembic.ini",
             "[alembic]\nscript_location = src/db/migrations\n");
  write_file(dir.path() / "src/db/migrations/versions/0001_start.py",
             "revision = \"0001\"\ndown_revision = None\n");
  InitPlan plan = plan_in(dir.path());
  CHECK(plan.text.find("src/db/migrations/alembic.ini: revisions in src/db/migrations/versions\n") !=
        std::string::npos);
  CHECK(plan.text.find("src/db/migrations/src/db") == std::string::npos);
}

TEST_CASE("init keeps odd file names out of the settings it writes", "[init]") {
  TempDir dir;
  // A newline in a file name would end the comment that cites it, and the rest would become a setting.
  write_file(dir.path() / "x\nselect = [\"nope\"]\n.py", "from sqlalchemy.dialects.postgresql import JSONB\n");
  InitPlan plan = plan_in(dir.path());
  CHECK(plan.profile == Profile::PostgreSQL);
  apply_init(plan);
  Config config;
  REQUIRE_NOTHROW(config = load_config(dir.path() / "ormlint.toml"));
  CHECK_FALSE(config.select.has_value());
}

TEST_CASE("ormlint init on the command line: --dry-run writes nothing; the written file passes `ormlint check`",
          "[init]") {
  TempDir dir;
  write_file(dir.path() / "app/__init__.py", "");
  write_file(dir.path() / "app/models.py", kPostgresModel);
  write_file(dir.path() / "pyproject.toml", "[project]\nname = \"shop\"\n");

  CommandResult dry = run_ormlint(dir.path(), "init --dry-run");
  CHECK(dry.exit_code == 0);
  CHECK(dry.output.find("would append to pyproject.toml (nothing written)") != std::string::npos);
  CHECK(dry.output.find("[tool.ormlint]\n") != std::string::npos);
  CHECK(read_file(dir.path() / "pyproject.toml") == "[project]\nname = \"shop\"\n");

  CommandResult init = run_ormlint(dir.path(), "init");
  CHECK(init.exit_code == 0);
  CHECK(init.output.find("appended a [tool.ormlint] table to pyproject.toml") != std::string::npos);
  CHECK(init.output.find("Why:\n  - profile \"postgresql\": app/models.py:2 imports "
                         "sqlalchemy.dialects.postgresql.JSONB") != std::string::npos);

  // Loads without errors, and the postgresql profile it chose is in effect: the JSONB column is not a
  // portability finding (it would be under the portable profile).
  CommandResult check = run_ormlint(dir.path(), "check");
  CHECK(check.exit_code == 0);
  CHECK(check.output.find("postgresql-type") == std::string::npos);
  CHECK(run_ormlint(dir.path(), "check --profile portable").output.find("postgresql-type") != std::string::npos);

  CommandResult again = run_ormlint(dir.path(), "init");
  CHECK(again.exit_code == 2);
  CHECK(again.output.find("already has a [tool.ormlint] table") != std::string::npos);
}
