#include "engine/config.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <set>
#include <string>

#include "core/paths.h"
#include "engine/rule.h"

namespace fs = std::filesystem;
using namespace ormlint;

namespace {

// A fresh folder under the system temp folder, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = fs::temp_directory_path() /
            ("ormlint-config-test-" + std::to_string(random()) + "-" + std::to_string(random()));
    fs::create_directories(path_);
    // Symlinked temp folders (macOS /tmp) would make returned paths differ textually from ours.
    path_ = fs::canonical(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }

  fs::path write(const fs::path& relative, const std::string& text) const {
    const fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  fs::path path_;
};

// Loads `text` as `name` and returns the ConfigError it must throw.
ConfigError load_error(const TempDir& dir, const std::string& name, const std::string& text) {
  const fs::path file = dir.write(name, text);
  try {
    load_config(file);
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("expected a ConfigError for:\n" << text);
  throw std::logic_error("unreachable");
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("ConfigError message includes file and line", "[config]") {
  CHECK(std::string(ConfigError("a.toml", 3, "bad").what()) == "a.toml:3: bad");
  CHECK(std::string(ConfigError("a.toml", 0, "bad").what()) == "a.toml: bad");
  const ConfigError e("x", 7, "y");
  CHECK(e.file() == "x");
  CHECK(e.line() == 7);
}

TEST_CASE("find_config_file walks upward", "[config]") {
  TempDir dir;
  const fs::path nested = dir.path() / "a" / "b" / "c";
  fs::create_directories(nested);

  SECTION("ormlint.toml in a parent is found from a nested folder and from a file") {
    const fs::path config = dir.write("a/ormlint.toml", "profile = \"portable\"\n");
    const fs::path file = dir.write("a/b/c/models.py", "x = 1\n");
    CHECK(find_config_file(nested) == config);
    CHECK(find_config_file(file) == config);
  }

  SECTION("ormlint.toml beats pyproject.toml in the same folder") {
    dir.write("a/b/pyproject.toml", "[tool.ormlint]\nprofile = \"postgresql\"\n");
    const fs::path own = dir.write("a/b/ormlint.toml", "");
    CHECK(find_config_file(nested) == own);
  }

  SECTION("the nearest folder wins") {
    dir.write("a/ormlint.toml", "");
    const fs::path near = dir.write("a/b/pyproject.toml", "[tool.ormlint]\nselect = []\n");
    CHECK(find_config_file(nested) == near);
  }

  SECTION("pyproject.toml without [tool.ormlint] is skipped") {
    const fs::path outer = dir.write("a/pyproject.toml", "[tool.ormlint]\n");
    dir.write("a/b/pyproject.toml", "[project]\nname = \"ormlint-user\"\n[tool.ruff]\nline-length = 100\n");
    CHECK(find_config_file(nested) == outer);
  }

  SECTION("dotted [tool] sub-table counts") {
    const fs::path config = dir.write("a/b/pyproject.toml", "[tool]\normlint = { profile = \"portable\" }\n");
    CHECK(find_config_file(nested) == config);
  }

  SECTION("a broken pyproject.toml is skipped unless it mentions [tool.ormlint]") {
    const fs::path outer = dir.write("a/ormlint.toml", "");
    dir.write("a/b/c/pyproject.toml", "[project\nname = \"ormlint\"\n");
    CHECK(find_config_file(nested) == outer);

    const fs::path broken = dir.write("a/b/pyproject.toml", "[tool.ormlint]\nselect = [\n");
    CHECK(find_config_file(nested) == broken);
    CHECK_THROWS_AS(load_config(broken), ConfigError);
  }

  SECTION("relative start paths work") {
    const fs::path config = dir.write("ormlint.toml", "");
    const fs::path saved = fs::current_path();
    change_working_directory(nested);
    const auto found = find_config_file(".");
    const auto found_empty = find_config_file("");
    change_working_directory(saved);
    CHECK(found == config);
    CHECK(found_empty == config);
  }
}

TEST_CASE("load_config reads every key", "[config]") {
  TempDir dir;

  SECTION("defaults from an empty file") {
    const fs::path file = dir.write("sub/ormlint.toml", "");
    const Config config = load_config(file);
    CHECK(config.source == file);
    CHECK(config.root == dir.path() / "sub");
    CHECK(config.profile == Profile::Portable);
    CHECK_FALSE(config.select.has_value());
    CHECK(config.extend_select.empty());
    CHECK(config.ignore.empty());
    CHECK(config.per_file_ignores.empty());
    CHECK(config.exclude.empty());
    CHECK(config.severity.empty());
    CHECK(config.fail_level == Severity::Warning);
    CHECK_FALSE(config.require_suppression_reason);
  }

  SECTION("declarative-bases: dotted names of bases from installed packages") {
    const Config config = load_config(
        dir.write("ormlint.toml",
                  "declarative-bases = [\"neutron_lib.db.model_base.BASEV2\", \"shared.base.Base\", "
                  "\"sqlalchemy_helpers.get_base()\"]\n"));
    CHECK(config.declarative_bases == std::set<std::string, std::less<>>{"neutron_lib.db.model_base.BASEV2",
                                                                         "shared.base.Base",
                                                                         "sqlalchemy_helpers.get_base()"});
  }

  SECTION("require-suppression-reason, in both files") {
    CHECK(load_config(dir.write("ormlint.toml", "require-suppression-reason = true\n")).require_suppression_reason);
    CHECK_FALSE(
        load_config(dir.write("ormlint.toml", "require-suppression-reason = false\n")).require_suppression_reason);
    CHECK(load_config(dir.write("pyproject.toml", "[tool.ormlint]\nrequire-suppression-reason = true\n"))
              .require_suppression_reason);
  }

  SECTION("ormlint.toml top-level keys") {
    const fs::path file = dir.write("ormlint.toml",
                                    "profile = \"postgresql\"\n"
                                    "select = [\"ALL\"]\n"
                                    "extend-select = [\"ALL\"]\n"
                                    "ignore = [\"ALL\"]\n"
                                    "exclude = [\"migrations/*\", \"build/\"]\n"
                                    "fail-level = \"error\"\n"
                                    "[per-file-ignores]\n"
                                    "\"tests/*\" = []\n"
                                    "[severity]\n");
    const Config config = load_config(file);
    CHECK(config.profile == Profile::PostgreSQL);
    REQUIRE(config.select.has_value());
    CHECK(*config.select == std::vector<std::string>{"ALL"});
    CHECK(config.extend_select == std::vector<std::string>{"ALL"});
    CHECK(config.ignore == std::vector<std::string>{"ALL"});
    CHECK(config.exclude == std::vector<std::string>{"migrations/*", "build/"});
    CHECK(config.fail_level == Severity::Error);
    REQUIRE(config.per_file_ignores.size() == 1);
    CHECK(config.per_file_ignores[0].first == "tests/*");
    CHECK(config.per_file_ignores[0].second.empty());
  }

  SECTION("pyproject.toml reads [tool.ormlint]") {
    const fs::path file = dir.write("pyproject.toml",
                                    "[project]\nname = \"x\"\n"
                                    "[tool.ormlint]\n"
                                    "profile = \"postgresql\"\n"
                                    "fail-level = \"info\"\n"
                                    "exclude = [\"alembic/versions/\"]\n");
    const Config config = load_config(file);
    CHECK(config.profile == Profile::PostgreSQL);
    CHECK(config.fail_level == Severity::Info);
    CHECK(config.exclude == std::vector<std::string>{"alembic/versions/"});
    CHECK(config.root == dir.path());
  }

  SECTION("pyproject.toml without [tool.ormlint] gives defaults") {
    const fs::path file = dir.write("pyproject.toml", "[project]\nname = \"x\"\n");
    const Config config = load_config(file);
    CHECK(config.profile == Profile::Portable);
    CHECK_FALSE(config.select.has_value());
  }

  SECTION("rule names and codes are stored as names") {
    if (all_rules().empty()) return;
    const RuleInfo& info = all_rules().front()->info();
    const fs::path file = dir.write("ormlint.toml", "select = [\"" + info.code +
                                                        "\"]\n"
                                                        "ignore = [\"" +
                                                        info.name +
                                                        "\"]\n"
                                                        "[per-file-ignores]\n\"tests/\" = [\"" +
                                                        info.code +
                                                        "\"]\n"
                                                        "\"x/*\" = [\"ALL\"]\n"
                                                        "[severity]\n\"" +
                                                        info.code + "\" = \"error\"\n");
    const Config config = load_config(file);
    CHECK(*config.select == std::vector<std::string>{info.name});
    CHECK(config.ignore == std::vector<std::string>{info.name});
    REQUIRE(config.per_file_ignores.size() == 2);
    CHECK(config.per_file_ignores[0].second == std::vector<std::string>{info.name});
    CHECK(config.per_file_ignores[1].second.size() == all_rules().size());
    CHECK(config.severity.at(info.name) == Severity::Error);
  }
}

TEST_CASE("load_config errors name the file, the line and a fix", "[config]") {
  TempDir dir;

  SECTION("unknown key in pyproject.toml suggests the closest") {
    const ConfigError e =
        load_error(dir, "pyproject.toml", "[tool.ormlint]\nprofile = \"portable\"\nselct = []\n");
    CHECK(e.line() == 3);
    CHECK(e.file() == (dir.path() / "pyproject.toml").string());
    CHECK(std::string(e.what()) ==
          (dir.path() / "pyproject.toml").string() +
              ":3: unknown key \"selct\" in [tool.ormlint]; did you mean \"select\"?");
  }

  SECTION("unknown key in ormlint.toml; transpositions count as one typo") {
    const ConfigError e = load_error(dir, "ormlint.toml", "\nignroe = []\n");
    CHECK(e.line() == 2);
    CHECK(contains(e.what(), "ormlint.toml:2: unknown key \"ignroe\"; did you mean \"ignore\"?"));
  }

  SECTION("a misspelled require-suppression-reason is suggested") {
    const ConfigError e = load_error(dir, "ormlint.toml", "require-suppresion-reason = true\n");
    CHECK(contains(e.what(), ":1: unknown key \"require-suppresion-reason\"; did you mean \"require-suppression-reason\"?"));
  }

  SECTION("a far-off key lists the valid keys") {
    const ConfigError e = load_error(dir, "ormlint.toml", "banana = 1\n");
    CHECK(contains(e.what(), ":1: unknown key \"banana\"; valid keys are \"profile\""));
  }

  SECTION("[tool.ormlint] inside ormlint.toml is explained") {
    const ConfigError e = load_error(dir, "ormlint.toml", "[tool.ormlint]\nselect = []\n");
    CHECK(e.line() == 1);
    CHECK(contains(e.what(), "settings go at the top level"));
  }

  SECTION("[tool.ormlint] that is not a table") {
    const ConfigError e = load_error(dir, "pyproject.toml", "[tool]\normlint = 3\n");
    CHECK(e.line() == 2);
    CHECK(contains(e.what(), "[tool.ormlint] must be a table"));
  }

  SECTION("wrong types") {
    CHECK(contains(load_error(dir, "ormlint.toml", "select = \"x\"\n").what(),
                   "ormlint.toml:1: \"select\" must be an array of rule names"));
    CHECK(contains(load_error(dir, "ormlint.toml", "\nextend-select = [1]\n").what(),
                   ":2: \"extend-select\" must be an array of rule names"));
    CHECK(contains(load_error(dir, "ormlint.toml", "ignore = {}\n").what(),
                   ":1: \"ignore\" must be an array of rule names"));
    CHECK(contains(load_error(dir, "ormlint.toml", "exclude = [\"a\",\n  2]\n").what(),
                   ":2: \"exclude\" must be an array of glob patterns"));
    CHECK(contains(load_error(dir, "ormlint.toml", "per-file-ignores = []\n").what(),
                   ":1: \"per-file-ignores\" must be a table"));
    CHECK(contains(load_error(dir, "ormlint.toml", "[per-file-ignores]\n\"a/*\" = \"x\"\n").what(),
                   ":2: \"per-file-ignores\" entry \"a/*\" must be an array of rule names"));
    CHECK(contains(load_error(dir, "ormlint.toml", "severity = \"error\"\n").what(),
                   ":1: \"severity\" must be a table"));
    CHECK(contains(load_error(dir, "ormlint.toml", "profile = 1\n").what(),
                   ":1: \"profile\" must be a string"));
    CHECK(contains(load_error(dir, "ormlint.toml", "fail-level = true\n").what(),
                   ":1: \"fail-level\" must be a string"));
    CHECK(contains(load_error(dir, "ormlint.toml", "\nrequire-suppression-reason = \"yes\"\n").what(),
                   ":2: \"require-suppression-reason\" must be true or false"));
    CHECK(contains(load_error(dir, "ormlint.toml", "require-suppression-reason = 1\n").what(),
                   ":1: \"require-suppression-reason\" must be true or false"));
    CHECK(contains(load_error(dir, "ormlint.toml", "declarative-bases = \"app.Base\"\n").what(),
                   ":1: \"declarative-bases\" must be a list of dotted names"));
    CHECK(contains(load_error(dir, "ormlint.toml", "declarative-bases = [\n  \"a.Base\",\n  3,\n]\n").what(),
                   ":3: \"declarative-bases\" must be a list of dotted names"));
    CHECK(contains(load_error(dir, "ormlint.toml", "declarative-bases = [\"Base\"]\n").what(),
                   ":1: \"declarative-bases\": \"Base\" is not a dotted name"));
    CHECK(contains(load_error(dir, "ormlint.toml", "declarative-bases = [\"a.get_base(x)\"]\n").what(),
                   ":1: \"declarative-bases\": \"a.get_base(x)\" is not a dotted name"));
    CHECK(contains(load_error(dir, "ormlint.toml", "declarative-base = []\n").what(),
                   ":1: unknown key \"declarative-base\"; did you mean \"declarative-bases\"?"));
  }

  SECTION("bad values list the valid ones") {
    CHECK(contains(load_error(dir, "ormlint.toml", "\n\nprofile = \"mysql\"\n").what(),
                   ":3: invalid profile \"mysql\"; expected \"portable\" or \"postgresql\""));
    CHECK(contains(load_error(dir, "ormlint.toml", "fail-level = \"fatal\"\n").what(),
                   ":1: invalid fail-level \"fatal\"; expected \"info\", \"warning\" or \"error\""));
    if (!all_rules().empty()) {
      const std::string name = all_rules().front()->info().name;
      CHECK(contains(
          load_error(dir, "ormlint.toml", "[severity]\n" + name + " = \"loud\"\n").what(),
          ":2: invalid severity \"loud\" for \"" + name + "\"; expected \"info\", \"warning\" or \"error\""));
    }
  }

  SECTION("unknown rules, in every place rules are named") {
    const std::string bogus = "no-such-rule-xyz";
    struct Case {
      std::string text;
      uint32_t line;
    };
    const std::vector<Case> cases = {
        {"select = [\"" + bogus + "\"]\n", 1},
        {"\nextend-select = [\n  \"ALL\",\n  \"" + bogus + "\",\n]\n", 4},
        {"ignore = [\"" + bogus + "\"]\n", 1},
        {"[per-file-ignores]\n\"tests/*\" = [\"" + bogus + "\"]\n", 2},
        {"[severity]\n\n" + bogus + " = \"error\"\n", 3},
    };
    for (const Case& c : cases) {
      const ConfigError e = load_error(dir, "ormlint.toml", c.text);
      INFO(c.text);
      CHECK(e.line() == c.line);
      CHECK(e.file() == (dir.path() / "ormlint.toml").string());
      CHECK(
          contains(e.what(), "ormlint.toml:" + std::to_string(c.line) + ": unknown rule \"" + bogus + "\""));
    }
  }

  SECTION("TOML syntax errors keep toml++'s description and line") {
    const ConfigError e = load_error(dir, "ormlint.toml", "profile = \"portable\"\nselect = [\n\n= 3\n");
    CHECK(e.line() >= 2);
    CHECK(contains(e.what(), "ormlint.toml:"));
    CHECK(std::string(e.what()).size() > (dir.path() / "ormlint.toml:4: ").string().size());
  }

  SECTION("a missing file") {
    try {
      load_config(dir.path() / "nope.toml");
      FAIL("expected ConfigError");
    } catch (const ConfigError& e) {
      CHECK(e.line() == 0);
      CHECK(contains(e.what(), "nope.toml: cannot read the file"));
    }
  }
}

TEST_CASE("rule_or_error", "[config]") {
  try {
    rule_or_error("no-such-rule-xyz", "setup.toml", 12);
    FAIL("expected ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.file() == "setup.toml");
    CHECK(e.line() == 12);
    CHECK(contains(e.what(), "setup.toml:12: unknown rule \"no-such-rule-xyz\""));
  }

  if (all_rules().empty()) return;
  const Rule* rule = all_rules().front();
  const RuleInfo& info = rule->info();
  CHECK(rule_or_error(info.code, "x", 1) == rule);
  CHECK(rule_or_error(info.name, "x", 1) == rule);

  // One typo away from the name, and the code in lower case, both suggest the name.
  std::string typo = info.name;
  typo.back() = typo.back() == 'q' ? 'z' : 'q';
  if (!find_rule(typo)) {
    try {
      rule_or_error(typo, "x", 2);
      FAIL("expected ConfigError");
    } catch (const ConfigError& e) {
      CHECK(contains(e.what(), "did you mean \"" + info.name + "\"?"));
    }
  }
}

TEST_CASE("active_rules", "[config]") {
  Config config;

  SECTION("unknown names throw with the origin") {
    config.extend_select = {"no-such-rule-xyz"};
    try {
      active_rules(config, "--extend-select");
      FAIL("expected ConfigError");
    } catch (const ConfigError& e) {
      CHECK(e.line() == 0);
      CHECK(contains(e.what(), "--extend-select: unknown rule \"no-such-rule-xyz\""));
    }
    config.extend_select.clear();
    config.ignore = {"no-such-rule-xyz"};
    CHECK_THROWS_AS(active_rules(config, "cli"), ConfigError);
  }

  SECTION("defaults follow the profile and enabled_by_default") {
    for (Profile profile : {Profile::Portable, Profile::PostgreSQL}) {
      config.profile = profile;
      std::vector<const Rule*> expected;
      for (const Rule* rule : all_rules()) {
        const RuleInfo& info = rule->info();
        if (info.enabled_by_default && (info.profile == Profile::Any || info.profile == profile)) {
          expected.push_back(rule);
        }
      }
      CHECK(active_rules(config, "cfg") == expected);
    }
  }

  SECTION("ALL, ignore ALL") {
    config.select = std::vector<std::string>{"ALL"};
    std::vector<const Rule*> expected;
    for (const Rule* rule : all_rules()) {
      if (rule->info().profile != Profile::PostgreSQL) expected.push_back(rule);
    }
    CHECK(active_rules(config, "cfg") == expected);
    config.ignore = {"ALL"};
    CHECK(active_rules(config, "cfg").empty());
  }

  SECTION("explicit select, extend-select and ignore; sorted, no duplicates") {
    if (all_rules().empty()) return;
    const Rule* first = all_rules().front();
    const Rule* last = all_rules().back();
    config.select = std::vector<std::string>{last->info().code, first->info().name, last->info().name};
    auto active = active_rules(config, "cfg");
    if (first == last) {
      CHECK(active == std::vector<const Rule*>{first});
    } else {
      CHECK(active == std::vector<const Rule*>{first, last});
    }
    config.ignore = {first->info().code};
    active = active_rules(config, "cfg");
    CHECK(std::find(active.begin(), active.end(), first) == active.end());

    config.select = std::vector<std::string>{};
    config.ignore.clear();
    config.extend_select = {last->info().name};
    CHECK(active_rules(config, "cfg") == std::vector<const Rule*>{last});
  }
}

TEST_CASE("path_matches", "[config]") {
  SECTION("star crosses folders") {
    CHECK(path_matches("migrations/env.py", "migrations/*"));
    CHECK(path_matches("migrations/versions/abc_init.py", "migrations/*"));
    CHECK_FALSE(path_matches("app/migrations/env.py", "migrations/*"));
    CHECK_FALSE(path_matches("migrations", "migrations/*"));
    CHECK(path_matches("app/models/user.py", "app/*.py"));
  }

  SECTION("**/ matches zero or more folders") {
    CHECK(path_matches("versions/a.py", "**/versions/*.py"));
    CHECK(path_matches("alembic/versions/a.py", "**/versions/*.py"));
    CHECK(path_matches("x/y/alembic/versions/a.py", "**/versions/*.py"));
    CHECK_FALSE(path_matches("x/myversions/a.py", "**/versions/*.py"));
    CHECK_FALSE(path_matches("alembic/versions/a.txt", "**/versions/*.py"));
    CHECK(path_matches("a/b/c.py", "a/**/c.py"));
    CHECK(path_matches("a/c.py", "a/**/c.py"));
    CHECK_FALSE(path_matches("ab/c.py", "a/**/c.py"));
  }

  SECTION("a pattern without '/' also matches the base name") {
    CHECK(path_matches("models.py", "*.py"));
    CHECK(path_matches("app/models.py", "*.py"));
    CHECK_FALSE(path_matches("app/models.pyi", "*.py"));
    CHECK(path_matches("app/sub/conftest.py", "conftest.py"));
    CHECK_FALSE(path_matches("app/sub/my_conftest.py", "conftest.py"));
    CHECK(path_matches("app/test_models.py", "test_*.py"));
  }

  SECTION("a pattern ending in '/' matches a folder prefix") {
    CHECK(path_matches("tests/test_a.py", "tests/"));
    CHECK(path_matches("tests/unit/test_a.py", "tests/"));
    CHECK(path_matches("tests", "tests/"));
    CHECK_FALSE(path_matches("tests_old/a.py", "tests/"));
    CHECK_FALSE(path_matches("src/tests/a.py", "tests/"));
    CHECK(path_matches("src/app/migrations/env.py", "src/*/migrations/"));
  }

  SECTION("a pattern matching a folder matches what is inside") {
    CHECK(path_matches("alembic/versions/a.py", "alembic/versions"));
    CHECK(path_matches("pkg/build/gen.py", "build"));
  }

  SECTION("leading ./ is ignored") {
    CHECK(path_matches("./migrations/env.py", "migrations/*"));
    CHECK(path_matches("migrations/env.py", "./migrations/*"));
    CHECK(path_matches("./tests/a.py", "./tests/"));
  }

  SECTION("? and character classes") {
    CHECK(path_matches("a/b.py", "a?b.py"));
    CHECK(path_matches("v1.py", "v?.py"));
    CHECK_FALSE(path_matches("v10.py", "v?.py"));
    CHECK(path_matches("v3.py", "v[0-9].py"));
    CHECK_FALSE(path_matches("vx.py", "v[0-9].py"));
    CHECK(path_matches("vx.py", "v[!0-9].py"));
    CHECK(path_matches("a[.py", "a[.py"));
  }

  SECTION("exact and empty") {
    CHECK(path_matches("app/models.py", "app/models.py"));
    CHECK_FALSE(path_matches("app/models.py", "app/model.py"));
    CHECK_FALSE(path_matches("app/models.py", ""));
    CHECK_FALSE(path_matches("", "*"));
  }

  SECTION("pathological patterns stay fast") {
    const std::string path(2000, 'a');
    CHECK_FALSE(path_matches(path, "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"));
    CHECK(path_matches(path + "/b", "**/**/**/**/**/*b"));
  }
}

TEST_CASE("load_config reads baseline, relative to the configuration file", "[config][baseline]") {
  TempDir dir;
  CHECK_FALSE(load_config(dir.write("ormlint.toml", "")).baseline.has_value());

  const Config config = load_config(dir.write("sub/pyproject.toml",
                                              "[tool.ormlint]\nbaseline = \"ci/../ci/ormlint-baseline.json\"\n"));
  REQUIRE(config.baseline.has_value());
  CHECK(*config.baseline == dir.path() / "sub" / "ci" / "ormlint-baseline.json");

  const ConfigError not_string = load_error(dir, "ormlint.toml", "profile = \"portable\"\nbaseline = 3\n");
  CHECK(not_string.line() == 2);
  CHECK(contains(not_string.what(), ":2: \"baseline\" must be a non-empty string (a file path)"));
  CHECK(contains(load_error(dir, "ormlint.toml", "baseline = \"\"\n").what(), "must be a non-empty string"));
  CHECK(contains(load_error(dir, "ormlint.toml", "baseline = \"ci/\"\n").what(),
                 "\"baseline\" must name a file, not a folder: \"ci/\""));
  CHECK(contains(load_error(dir, "ormlint.toml", "baselin = \"b.json\"\n").what(), "did you mean \"baseline\"?"));
}
