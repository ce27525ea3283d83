#include "cli/init_command.h"

#include <toml++/toml.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>  // mkdtemp
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <tuple>

#include "cli/commands.h"
#include "core/parallel.h"
#include "core/paths.h"
#include "core/source_file.h"
#include "engine/alembic_config.h"
#include "engine/config.h"
#include "engine/engine.h"
#include "engine/rule.h"
#include "project/project.h"

namespace ormlint::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPostgresDialect = "sqlalchemy.dialects.postgresql";
// Other dialects next to PostgreSQL mean the project targets several databases: the portable profile fits.
constexpr std::string_view kOtherDialects[] = {"sqlalchemy.dialects.mysql", "sqlalchemy.dialects.sqlite",
                                               "sqlalchemy.dialects.mssql", "sqlalchemy.dialects.oracle"};
constexpr size_t kEvidenceShown = 3;

// File names end up in TOML comments: a newline in one would end the comment and inject settings.
std::string printable(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text;
}

std::string relative_to(const fs::path& path, const fs::path& folder) {
  std::error_code ec;
  return printable(relative_inside(path, folder).value_or(fs::absolute(path, ec).lexically_normal().generic_string()));
}

// The file's bytes; nullopt when it cannot be read.
std::optional<std::string> read_text(const fs::path& file) {
  std::string error;
  return read_file_bytes(file, error);
}

// Where each dialect shows up: dialect module -> display path -> "path:line imports x" (the first use per file).
using DialectUses = std::map<std::string, std::map<std::string, std::string>>;

void note_use(DialectUses& uses, std::string_view name, const std::string& path, const std::string& what) {
  auto record = [&](std::string_view dialect) {
    if (within_module(name, dialect)) uses[std::string(dialect)].emplace(path, what);
  };
  record(kPostgresDialect);
  for (std::string_view other : kOtherDialects) record(other);
}

// What init learns from reading the project the way `ormlint check` does.
struct Survey {
  size_t files_read = 0;
  // Where it uses a SQL dialect: imports that resolve into sqlalchemy.dialects.* (also through the project's
  // own re-exports) and column types from there.
  DialectUses uses;
  // Declarative bases from installed packages that classes naming a table derive from
  // (unresolved-model-base): dotted name -> the first such class ("app/models.py:12 User").
  std::map<std::string, std::string> installed_bases;
};

Survey survey_project(const fs::path& folder, unsigned jobs) {
  Config config;
  config.root = folder;
  std::vector<std::string> errors;  // unreadable files just give no evidence; `ormlint check` reports them
  ProjectSources sources;
  sources.paths = {folder.string()};
  sources.project_root = folder.string();  // module names relative to it: `app/models.py` is app.models
  auto project = load_project(sources, config, jobs ? jobs : default_jobs(), errors);
  Survey survey;
  survey.files_read = project->files().size();
  DialectUses& uses = survey.uses;
  for (const auto& file : project->files()) {
    const std::string path = relative_to(file->source.path(), folder);
    auto consider = [&](const Import& import, bool binds_module_name) {
      std::string resolved = binds_module_name && !import.is_star ? project->resolve(*file, import.bound_name) : "";
      if (resolved.empty()) resolved = import.origin;
      for (const std::string& name : {std::string(import.module), resolved}) {
        if (name.empty()) continue;
        const std::string shown = within_module(resolved, name) ? resolved : name;
        note_use(uses, name, path, path + ":" + std::to_string(import.loc.line) + " imports " + shown);
      }
    };
    for (const Import& import : file->facts.imports) consider(import, true);
    for (const Import& import : file->facts.function_imports) consider(import, false);
  }
  for (const ColumnInfo& column : project->columns()) {
    if (!column.file) continue;
    const std::string path = relative_to(column.file->source.path(), folder);
    note_use(uses, column.type.origin, path,
             path + ":" + std::to_string(column.type.loc.line) + " has a column of type " + column.type.origin);
  }
  // Which of their installed bases is the declarative one is not written anywhere: the fewest names that
  // cover every such class, the most shared first (a mixin beside the base is shared by fewer), likely bases
  // on ties.
  std::vector<const ClassInfo*> uncovered;
  for (const ClassInfo& cls : project->classes()) {
    if (cls.unmapped_table_name() && !cls.installed_bases().empty()) uncovered.push_back(&cls);
  }
  while (!uncovered.empty()) {
    std::map<std::string, std::pair<size_t, bool>> shared;  // name -> (classes, some class's likely base)
    for (const ClassInfo* cls : uncovered) {
      for (const std::string& name : cls->installed_bases()) ++shared[name].first;
      shared[cls->likely_installed_base()].second = true;
    }
    auto best = std::max_element(shared.begin(), shared.end(), [](const auto& a, const auto& b) {
      return std::tie(a.second.first, a.second.second) < std::tie(b.second.first, b.second.second);
    });
    const std::string base = best->first;
    auto covered = [&](const ClassInfo* cls) {
      const std::vector<std::string> names = cls->installed_bases();
      return std::find(names.begin(), names.end(), base) != names.end();
    };
    const auto first = std::find_if(uncovered.begin(), uncovered.end(), covered);
    if (base.find_first_of("\"\\") == std::string::npos) {
      survey.installed_bases.emplace(base, relative_to((*first)->file->source.path(), folder) + ":" +
                                               std::to_string((*first)->def->loc.line) + " " +
                                               std::string((*first)->def->name));
    }
    uncovered.erase(std::remove_if(uncovered.begin(), uncovered.end(), covered), uncovered.end());
  }
  return survey;
}

std::string summarise(const std::map<std::string, std::string>& uses_by_file) {
  std::string text;
  size_t shown = 0;
  for (const auto& [path, what] : uses_by_file) {
    if (shown == kEvidenceShown) break;
    text += (shown++ ? "; " : "") + what;
  }
  if (uses_by_file.size() > shown) text += " (and " + std::to_string(uses_by_file.size() - shown) + " more files)";
  return text;
}

struct ProfileChoice {
  Profile profile = Profile::Portable;
  std::string reason;
};

ProfileChoice choose_profile(const Survey& survey, const InitArgs& args) {
  if (!args.profile.empty()) {
    auto profile = parse_profile(args.profile);
    if (!profile) throw InitRefused("unknown profile \"" + args.profile + "\" (portable, postgresql)");
    return {*profile, "chosen with --profile " + args.profile};
  }
  const size_t files_read = survey.files_read;
  const DialectUses& uses = survey.uses;
  auto postgres = uses.find(std::string(kPostgresDialect));
  if (postgres == uses.end()) {
    if (files_read == 0) return {Profile::Portable, "the default; no Python files here yet"};
    return {Profile::Portable, "the default; none of the " + std::to_string(files_read) +
                                   " Python files read uses sqlalchemy.dialects.postgresql"};
  }
  for (std::string_view other : kOtherDialects) {
    if (auto it = uses.find(std::string(other)); it != uses.end()) {
      return {Profile::Portable, "the project uses more than one database dialect: " + summarise(postgres->second) +
                                     "; " + summarise(it->second)};
    }
  }
  return {Profile::PostgreSQL, summarise(postgres->second)};
}

// The Alembic script locations init found, one line each ("alembic.ini: migrations/versions"); ormlint reads
// them by itself, so they are only noted.
std::vector<std::string> alembic_notes(const fs::path& folder) {
  std::vector<std::string> notes;
  for (const fs::path& file : find_alembic_configs({folder.string()})) {
    std::vector<ScriptLocation> locations = read_script_locations(file);
    if (locations.empty()) {
      if (file.filename() == "alembic.ini") {
        notes.push_back(relative_to(file, folder) +
                        ": no plain-folder script_location; revision scripts are grouped by their folder");
      }
      continue;
    }
    for (const ScriptLocation& location : locations) {
      std::string dirs;
      for (const fs::path& dir : location.version_dirs) dirs += (dirs.empty() ? "" : ", ") + relative_to(dir, folder);
      notes.push_back(relative_to(file, folder) + ": revisions in " + dirs);
    }
  }
  return notes;
}

// The first Alembic versions folder inside the project, for the per-file-ignores example.
std::string example_versions_glob(const fs::path& folder) {
  for (const fs::path& file : find_alembic_configs({folder.string()})) {
    for (const ScriptLocation& location : read_script_locations(file)) {
      for (const fs::path& dir : location.version_dirs) {
        std::string relative = relative_to(dir, folder);
        if (relative.rfind('/', 0) != 0 && relative.find('"') == std::string::npos &&
            relative.find('\\') == std::string::npos) {
          return relative + "/0001_*.py";
        }
      }
    }
  }
  return "alembic/versions/0001_*.py";
}

// The settings text. `table_prefix` is "tool.ormlint." in pyproject.toml and "" in ormlint.toml. The examples
// are lines "# key = value" / "# [table]" / "# \"glob\" = [...]" so that uncommenting any of them gives valid
// settings (the tests uncomment them all and load the result).
std::string settings_text(const ProfileChoice& choice, const Survey& survey,
                          const std::vector<std::string>& alembic, const std::string& versions_glob,
                          const std::string& table_prefix) {
  const std::string profile(to_string(choice.profile));
  std::ostringstream out;
  out << "# Written by `ormlint init`. Settings: README \"Configuration\"; rules: `ormlint rules`.\n";
  out << "# profile \"" << profile << "\": " << printable(choice.reason) << "\n";
  out << "profile = \"" << profile << "\"\n";
  if (!survey.installed_bases.empty()) {
    out << "# Models derive from declarative bases in installed packages, which ormlint cannot read: named "
           "here,\n"
           "# their subclasses are checked as models (";
    std::string names;
    for (const auto& [base, example] : survey.installed_bases) {
      out << (names.empty() ? "" : "; ") << printable(example);
      names += (names.empty() ? "\"" : ", \"") + printable(base) + "\"";
    }
    out << ").\ndeclarative-bases = [" << names << "]\n";
  }
  for (const std::string& note : alembic) out << "# Alembic (read from there, nothing to set): " << note << "\n";
  out << "#\n";
  out << "# Examples: uncomment and adapt.\n";
  out << "# select = [\"ALL\"]                               # every rule of the profile, also those off by default\n";
  out << "# extend-select = [\"missing-migration-message\"]  # add rules that are off by default\n";
  out << "# ignore = [\"foreign-key-without-ondelete\"]      # rules not to run\n";
  out << "# exclude = [\"legacy/\", \"**/generated_*.py\"]     # files and folders not to check\n";
  out << "# fail-level = \"warning\"                         # lowest severity that fails: info, warning, error\n";
  out << "#\n";
  out << "# [" << table_prefix << "per-file-ignores]\n";
  out << "# \"" << versions_glob << "\" = [\"unguarded-add-column\", \"empty-downgrade\"]\n";
  out << "#\n";
  out << "# [" << table_prefix << "severity]\n";
  out << "# naive-datetime-column = \"error\"\n";
  return out.str();
}

std::string with_line_endings(const std::string& text, bool crlf) {
  if (!crlf) return text;
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// A private scratch folder for checking the result, removed when done.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern = (fs::temp_directory_path() / "ormlint-init-XXXXXX").string();
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The file as it will be after init, loaded as ormlint will load it: a mistake in what init writes (or a
// pyproject.toml that cannot take a new table) is caught before the user's file is touched.
void check_result_loads(const std::string& file_name, const std::string& content, const std::string& shown_name) {
  ScratchFolder scratch;
  if (scratch.path().empty()) throw InitRefused("cannot create a temporary folder: " + std::string(std::strerror(errno)));
  const fs::path candidate = scratch.path() / file_name;
  {
    std::ofstream out(candidate, std::ios::binary);
    out << content;
    if (!out) throw InitRefused("cannot write a temporary file in " + scratch.path().string());
  }
  try {
    Config config = load_config(candidate);
    active_rules(config, shown_name);
  } catch (const ConfigError& e) {
    std::string problem = e.what();
    // Name the user's file, not the scratch copy.
    if (problem.rfind(candidate.string(), 0) == 0) problem = shown_name + problem.substr(candidate.string().size());
    throw InitRefused("the result would not load (" + problem + "); nothing was written");
  }
}

}  // namespace

InitPlan plan_init(const fs::path& folder_in, const InitArgs& args) {
  std::error_code ec;
  const fs::path folder = fs::absolute(folder_in, ec).lexically_normal();
  const fs::path own = folder / "ormlint.toml";
  const fs::path pyproject = folder / "pyproject.toml";

  if (fs::exists(fs::symlink_status(own, ec))) {
    throw InitRefused("ormlint.toml already exists; init never changes existing configuration (edit it instead)");
  }
  std::optional<std::string> existing;
  if (fs::exists(fs::symlink_status(pyproject, ec))) {
    existing = read_text(pyproject);
    if (!existing) throw InitRefused("cannot read pyproject.toml: " + std::string(std::strerror(errno)));
    toml::table document;
    try {
      document = toml::parse(*existing, pyproject.string());
    } catch (const toml::parse_error& e) {
      throw InitRefused("pyproject.toml:" + std::to_string(e.source().begin.line) + ": " +
                        std::string(e.description()) + "; fix it first (init only appends to a valid file)");
    }
    if (document["tool"]["ormlint"]) {
      throw InitRefused(
          "pyproject.toml already has a [tool.ormlint] table; init never changes existing configuration (edit it "
          "instead)");
    }
  }

  InitPlan plan;
  const Survey survey = survey_project(folder, args.jobs);
  ProfileChoice choice = choose_profile(survey, args);
  std::vector<std::string> alembic = alembic_notes(folder);
  const std::string versions_glob = example_versions_glob(folder);
  plan.profile = choice.profile;
  plan.reasons.push_back("profile \"" + std::string(to_string(choice.profile)) + "\": " + printable(choice.reason));
  for (const std::string& note : alembic) plan.reasons.push_back("Alembic: " + note);
  for (const auto& [base, example] : survey.installed_bases) {
    plan.reasons.push_back("declarative-bases: " + printable(base) + " (" + printable(example) +
                           " derives from it)");
  }

  if (existing) {
    plan.target = pyproject;
    plan.append = true;
    const bool crlf = existing->find("\r\n") != std::string::npos;
    std::string text;
    if (!existing->empty() && existing->back() != '\n') text += "\n";  // finish the user's last line
    if (!existing->empty()) text += "\n";
    text += "[tool.ormlint]\n" + settings_text(choice, survey, alembic, versions_glob, "tool.ormlint.");
    plan.text = with_line_endings(text, crlf);
    check_result_loads("pyproject.toml", *existing + plan.text, "pyproject.toml");
  } else {
    plan.target = own;
    plan.text = settings_text(choice, survey, alembic, versions_glob, "");
    check_result_loads("ormlint.toml", plan.text, "ormlint.toml");
  }
  return plan;
}

void apply_init(const InitPlan& plan) {
  const std::string name = plan.target.filename().string();
  if (plan.append) {
    // Appending leaves every existing byte, the file's permissions and its identity (links) as they were.
    std::ofstream out(plan.target, std::ios::binary | std::ios::app);
    if (!out) throw InitRefused("cannot open " + name + " for appending: " + std::strerror(errno));
    out << plan.text;
    out.flush();
    if (!out) throw InitRefused("writing to " + name + " failed: " + std::strerror(errno));
    return;
  }
  // "x": fail rather than overwrite a file created since the plan was made.
  std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(plan.target.c_str(), "wx"), &std::fclose);
  if (!out) throw InitRefused("cannot create " + name + ": " + std::strerror(errno));
  if (std::fwrite(plan.text.data(), 1, plan.text.size(), out.get()) != plan.text.size() || std::fflush(out.get()) != 0) {
    throw InitRefused("writing " + name + " failed: " + std::strerror(errno));
  }
}

CLI::App* add_init_command(CLI::App& app, InitArgs& args) {
  CLI::App* cmd = app.add_subcommand(
      "init", "Write a starting configuration: [tool.ormlint] in pyproject.toml, or ormlint.toml");
  cmd->add_flag("--dry-run", args.dry_run, "Print what would be written; write nothing");
  cmd->add_option("--profile", args.profile, "Use this profile instead of detecting it")
      ->check(CLI::IsMember({"portable", "postgresql"}));
  cmd->add_option("-j,--jobs", args.jobs, "Worker threads for reading the project (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  return cmd;
}

int run_init(const InitArgs& args) {
  std::error_code ec;
  const fs::path folder = fs::current_path(ec);
  if (ec) {
    std::cerr << "ormlint: error: cannot determine the current folder: " << ec.message() << "\n";
    return kExitError;
  }
  InitPlan plan;
  try {
    plan = plan_init(folder, args);
    if (!args.dry_run) apply_init(plan);
  } catch (const InitRefused& e) {
    std::cerr << "ormlint: error: init: " << e.what() << "\n";
    return kExitError;
  }
  const std::string name = plan.target.filename().string();
  if (args.dry_run) {
    std::cout << "ormlint init --dry-run: would " << (plan.append ? "append to " : "create ") << name
              << " (nothing written):\n\n";
  } else if (plan.append) {
    std::cout << "ormlint init: appended a [tool.ormlint] table to " << name << " (the rest is unchanged):\n\n";
  } else {
    std::cout << "ormlint init: created " << name << ":\n\n";
  }
  std::string shown = plan.text;
  for (size_t at = shown.find('\r'); at != std::string::npos; at = shown.find('\r', at)) shown.erase(at, 1);
  shown.erase(0, shown.find_first_not_of('\n'));  // the blank line that separates it from the user's text
  std::cout << shown << "\nWhy:\n";
  for (const std::string& reason : plan.reasons) std::cout << "  - " << reason << "\n";
  // A configuration further up stops applying here once this one exists; say so rather than surprise.
  if (auto above = find_config_file(folder.parent_path()); above && !args.dry_run) {
    std::cout << "Note: " << above->string() << " configured this folder until now; " << name
              << " takes its place for checks started here.\n";
  } else if (above) {
    std::cout << "Note: " << above->string() << " configures this folder now; " << name
              << " would take its place for checks started here.\n";
  }
  std::cout << "Next: run `ormlint check`";
  if (!args.dry_run) std::cout << "; `ormlint install-hook` checks every commit";
  std::cout << ".\n";
  return kExitClean;
}

}  // namespace ormlint::cli
