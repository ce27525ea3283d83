// migration-filename: a revision script whose file name does not follow the team's pattern (by default the
// seeds' `yyyymmddhhmmss_short_description.py`). Names that sort by time keep the versions folder readable in
// review and make a revision easy to find; Alembic's default `<hex id>_<slug>.py` sorts randomly.
#include <filesystem>
#include <regex>
#include <string>

#include "engine/rule.h"

namespace ormlint {

namespace {

constexpr const char* kDefaultPattern = R"(^\d{14}_[a-z0-9_]+\.py$)";

// std::regex can also throw while matching (error_complexity, error_stack on a pathological pattern): such a
// name is taken as matching rather than stopping the run.
bool matches(const std::regex& regex, const std::string& name) {
  try {
    return std::regex_search(name, regex);
  } catch (const std::regex_error&) {
    return true;
  }
}

// The whole project at once: the pattern is compiled once per run, and a bad pattern is reported once.
class MigrationFilename final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL231", "migration-filename",
                               "Revision file name does not match the configured pattern (default "
                               "yyyymmddhhmmss_description.py)",
                               Severity::Warning, Profile::Any, false};
    return info;
  }

  std::vector<RuleSetting> settings() const override {
    return {{"pattern", kDefaultPattern,
             "ECMAScript regular expression searched in each revision's file name (anchor it with ^ and $)"}};
  }

  void check_project(const Project& project, Reporter& out) const override {
    const std::string pattern = out.setting("pattern");
    std::regex regex;
    std::string problem;
    try {
      regex = std::regex(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
      problem = error.what();
    }
    for (const auto& file : project.files()) {
      if (!file->report || !file->is_revision()) continue;
      const Location line_one{};  // line 1, column 1
      if (!problem.empty()) {
        // Reported once, on the first revision: the run goes on, and the message says what to fix.
        out.report(*file, line_one,
                   "the `pattern` setting of migration-filename is not a valid regular expression (" + problem +
                       "): `" + pattern + "`",
                   "fix `pattern` in [migration-filename] (ormlint.toml) or [tool.ormlint.migration-filename] "
                       "(pyproject.toml); ECMAScript syntax, e.g. `" +
                       std::string(kDefaultPattern) + "`");
        return;
      }
      std::string name = std::filesystem::path(file->path()).filename().string();
      if (matches(regex, name)) continue;
      out.report(*file, line_one, "revision file name `" + name + "` does not match the pattern `" + pattern + "`",
                 pattern == kDefaultPattern
                     ? "rename it to `<yyyymmddhhmmss>_<short_description>.py` (e.g. `20260301094500_add_user_email.py`)"
                     : "rename it to match `" + pattern + "`");
    }
  }
};

ORMLINT_RULE(MigrationFilename);

}  // namespace

}  // namespace ormlint
