// The project's dependency versions as its packaging files state them (engine/python_requirements.h).
#include "engine/python_requirements.h"

#include <catch2/catch.hpp>

#include "fixture_support.h"

using namespace ormlint;
using ormlint::testing::TempDir;
using ormlint::testing::write_file;

TEST_CASE("a requirement's lower bound", "[requirements]") {
  auto bound = [](std::string_view line) {
    auto requirement = parse_requirement(line);
    REQUIRE(requirement);
    return requirement->name + " " + requirement->lower_bound;
  };
  CHECK(bound("pydantic>=2.10") == "pydantic 2.10");
  CHECK(bound("pydantic[email]>=2.10.2,<3 ; python_version > '3.8'") == "pydantic 2.10.2");
  CHECK(bound("pydantic < 3, >= 2.5") == "pydantic 2.5");
  CHECK(bound("Pydantic_Settings~=2.1") == "pydantic-settings 2.1");
  CHECK(bound("pydantic==2.9.*") == "pydantic 2.9");
  CHECK(bound("pydantic>2.9,>=2.11") == "pydantic 2.11");  // the higher bound wins
  CHECK(bound("pydantic (>=2.10)") == "pydantic 2.10");
  CHECK(bound("pydantic") == "pydantic ");    // no bound
  CHECK(bound("pydantic<3") == "pydantic ");  // an upper bound only
  CHECK(bound("pydantic @ https://example.invalid/p.whl") == "pydantic ");
  CHECK_FALSE(parse_requirement("  "));
}

TEST_CASE("versions compare by release segments", "[requirements]") {
  CHECK(version_at_least("2.10", "2.9.2"));
  CHECK(version_at_least("2.10.0", "2.10"));
  CHECK(version_at_least("2.13.4", "2.10"));
  CHECK_FALSE(version_at_least("2.9", "2.10"));
  CHECK_FALSE(version_at_least("1.10.13", "2.10"));
  CHECK(version_at_least("2.10.0rc1", "2.10"));  // the suffix is ignored
}

TEST_CASE("the lowest versions a project allows, from its packaging files", "[requirements]") {
  TempDir dir;
  write_file(dir.path() / "pyproject.toml", R"([project]
name = "app"
dependencies = ["pydantic>=2.10,<3", "SQLAlchemy>=2.0.30", "alembic"]

[tool.poetry.dependencies]
python = "^3.11"
flask-sqlalchemy = "^3.1"
sqlmodel = { version = "~0.0.16", extras = ["x"] }
)");
  write_file(dir.path() / "app" / "models.py", "");
  SECTION("declared bounds, found from a file inside the project") {
    auto versions = lowest_package_versions(dir.path() / "app" / "models.py");
    CHECK(versions["pydantic"] == "2.10");
    CHECK(versions["sqlalchemy"] == "2.0.30");
    CHECK(versions["flask-sqlalchemy"] == "3.1");
    CHECK(versions["sqlmodel"] == "0.0.16");
    CHECK_FALSE(versions.count("alembic"));
  }
  SECTION("a lock file's version wins: it is what runs") {
    write_file(dir.path() / "uv.lock", R"(version = 1
[[package]]
name = "pydantic"
version = "2.13.4"

[[package]]
name = "sqlalchemy"
version = "2.0.36"
)");
    auto versions = lowest_package_versions(dir.path());
    CHECK(versions["pydantic"] == "2.13.4");
    CHECK(versions["sqlalchemy"] == "2.0.36");
  }
  SECTION("requirements.txt, when there is no pyproject.toml") {
    std::filesystem::remove(dir.path() / "pyproject.toml");
    write_file(dir.path() / "requirements.txt", "# pinned\n-r base.txt\npydantic==2.5.3  # old\nflask\n");
    auto versions = lowest_package_versions(dir.path());
    CHECK(versions["pydantic"] == "2.5.3");
    CHECK_FALSE(versions.count("flask"));
  }
  SECTION("files that do not parse count as missing") {
    write_file(dir.path() / "pyproject.toml", "[project\ndependencies = [");
    write_file(dir.path() / "poetry.lock", "\x01\x02 not toml");
    CHECK(lowest_package_versions(dir.path()).empty());
  }
  SECTION("not past the repository's top") {
    std::filesystem::create_directories(dir.path() / "repo" / ".git");
    write_file(dir.path() / "repo" / "models.py", "");
    CHECK(lowest_package_versions(dir.path() / "repo" / "models.py").empty());
  }
}
