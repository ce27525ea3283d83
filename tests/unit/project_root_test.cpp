// Which folder a checked path's project is, and so where module names start.
#include <catch2/catch.hpp>

#include "cli/check_sources.h"
#include "fixture_support.h"

namespace fs = std::filesystem;
using ormlint::Config;
using ormlint::cli::project_root;
using ormlint::testing::TempDir;
using ormlint::testing::write_file;

TEST_CASE("project root: the nearest folder with a project marker", "[project_root]") {
  TempDir dir;
  const fs::path repo = dir.path() / "shop";
  write_file(repo / "pyproject.toml", "");
  write_file(repo / "app" / "__init__.py", "");
  write_file(repo / "app" / "models.py", "");
  CHECK(project_root(repo / "app", Config{}) == repo);
  CHECK(project_root(repo / "app" / "models.py", Config{}) == repo);

  // An alembic.ini beside the package is a project folder of its own.
  write_file(repo / "app" / "db" / "alembic.ini", "");
  CHECK(project_root(repo / "app" / "db", Config{}) == repo / "app" / "db");
}

TEST_CASE("project root: an alembic.ini inside a package does not start the module names", "[project_root]") {
  TempDir dir;
  // jupyterhub keeps alembic.ini in its package: `from hub import orm` must name hub/orm.py `hub.orm`.
  const fs::path repo = dir.path() / "hubrepo";
  write_file(repo / "hub" / "__init__.py", "");
  write_file(repo / "hub" / "alembic.ini", "");
  write_file(repo / "hub" / "orm.py", "");
  SECTION("a marker above it wins") {
    write_file(repo / "setup.py", "");
    CHECK(project_root(repo / "hub", Config{}) == repo);
  }
  SECTION("without one, the folder holding the package") {
    CHECK(project_root(repo / "hub", Config{}) == repo);
    write_file(repo / "__init__.py", "");  // hubrepo/ is a package too: its parent
    CHECK(project_root(repo / "hub", Config{}) == dir.path());
  }
}

TEST_CASE("project root: a setup.py inside a package is a module, not a project marker", "[project_root]") {
  TempDir dir;
  // mage-ai's orchestration/db/setup.py sets up the database: checking that folder must still name its modules
  // from the repository (`from app.db.models.base import Base`).
  const fs::path repo = dir.path() / "mage";
  write_file(repo / "pyproject.toml", "");
  write_file(repo / "app" / "__init__.py", "");
  write_file(repo / "app" / "db" / "__init__.py", "");
  write_file(repo / "app" / "db" / "setup.py", "");
  CHECK(project_root(repo / "app" / "db", Config{}) == repo);
  // Outside a package, a setup.py marks a distribution's root as ever.
  write_file(repo / "tools" / "setup.py", "");
  CHECK(project_root(repo / "tools", Config{}) == repo / "tools");
}
