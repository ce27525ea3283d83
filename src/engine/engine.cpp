#include "engine/engine.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/except_lists.h"
#include "core/parallel.h"
#include "core/paths.h"
#include "core/phase_timer.h"
#include "core/source_file.h"
#include "core/syntax_tree.h"
#include "engine/alembic_config.h"
#include "engine/base_findings.h"
#include "engine/discovery.h"
#include "engine/facts_cache.h"
#include "engine/python_requirements.h"
#include "engine/rule.h"
#include "engine/suppression.h"
#include "facts/code_tokens.h"
#include "facts/module_builder.h"
#include "project/project.h"

namespace ormlint {

namespace {

constexpr uint64_t kParseTimeoutMicros = 20'000'000;       // tree-sitter gives up on a file after 20 s
constexpr size_t kMaxFileBytes = 64u * 1024u * 1024u;      // larger "Python" files are not source code

// Where the project's packaging files are looked for (upward from there): the first checked path.
std::filesystem::path packaging_folder(const ProjectSources& sources) {
  return sources.paths.empty() ? std::filesystem::path(".") : std::filesystem::path(sources.paths.front());
}

PythonParser& thread_parser() {
  thread_local PythonParser parser;
  return parser;
}

std::optional<SyntaxProblem> decoding_problem(const SourceFile& source) {
  if (source.looks_binary()) {
    return SyntaxProblem{source.locate(0, 0), "binary file (contains NUL bytes): not Python source"};
  }
  if (auto bad = source.first_invalid_utf8()) {
    Location loc = source.locate(*bad, *bad + 1);
    return SyntaxProblem{loc, "not valid UTF-8 (invalid byte at line " + std::to_string(loc.line) + ", column " +
                                  std::to_string(loc.column) + "); Python source must be UTF-8"};
  }
  // Checked before parsing: such source crashes or exhausts the tree-sitter runtime (see source_file.cpp).
  if (auto limit = exceeds_parser_limits(source.text())) {
    return SyntaxProblem{source.locate(limit->byte, limit->byte + 1), std::move(limit->message)};
  }
  return std::nullopt;
}

// Parses `source` and builds its facts. When `tokens` is given it receives the file's code tokens (for comparing
// with a base version).
FileFacts parse_file(const SourceFile& source, const std::string& module_key, bool is_package,
                     std::vector<CodeToken>* tokens) {
  FileFacts result;
  result.syntax_problem = decoding_problem(source);
  if (result.syntax_problem) return result;
  TreeHandle tree = thread_parser().parse(source.text(), kParseTimeoutMicros);
  if (!tree) {
    result.syntax_problem = SyntaxProblem{source.locate(0, 0), "the parser gave up on this file (too complex)"};
    return result;
  }
  TSNode root = ts_tree_root_node(tree.get());
  result.syntax_problem = find_syntax_problem(root, source);
  if (result.syntax_problem) {
    // Python 3.14's `except A, B:` (see core/except_lists.h): the same bytes with the list joined may parse.
    if (auto joined = with_except_lists_joined(source.text())) {
      TreeHandle retry = thread_parser().parse(*joined, kParseTimeoutMicros);
      if (retry && !find_syntax_problem(ts_tree_root_node(retry.get()), source)) {
        tree = std::move(retry);
        root = ts_tree_root_node(tree.get());
        result.syntax_problem.reset();
      }
    }
  }
  // A file that does not parse contributes no facts — half a tree would only produce confusing findings — but
  // its comments still count, so `# ormlint: skip-file` and line suppressions work on it too.
  if (!result.syntax_problem) {
    result.facts = build_module_facts(root, source, module_key, is_package);
  } else {
    result.facts = comments_only_facts(root, source);
  }
  if (tokens) *tokens = code_tokens(root, source);
  return result;
}

std::string module_key_of(const DiscoveredFile& found) {
  return module_key_for(found.module_path.empty() ? found.display_path : found.module_path);
}

bool is_package_file(const DiscoveredFile& found) {
  return found.path.stem() == "__init__";
}

// A folder with a packaging file of its own is the root of its own imports (ProjectFile::source_root).
bool holds_packaging_file(const std::filesystem::path& folder) {
  std::error_code ec;
  for (const char* name : {"pyproject.toml", "setup.py", "setup.cfg"}) {
    if (std::filesystem::exists(folder / name, ec)) return true;
  }
  return false;
}

// A file on disk whose stamp the cache knows: its facts without reading it (its bytes only if asked for),
// else null. `stamp` is taken before any read, so a change during a read shows as a new stamp next time.
std::unique_ptr<ProjectFile> cached_file(const DiscoveredFile& found, const FileStamp& stamp,
                                         FactsCache& cache) {
  const std::string key = module_key_of(found);
  const bool is_package = is_package_file(found);
  auto cached_key = cache.key_for(found.path.string(), stamp, key, is_package);
  if (!cached_key) return nullptr;
  auto facts = cache.find(*cached_key);
  if (!facts) return nullptr;
  auto file =
      std::make_unique<ProjectFile>(SourceFile::deferred(found.path, found.display_path), key, is_package);
  file->facts = std::move(facts->facts);
  file->syntax_problem = std::move(facts->syntax_problem);
  return file;
}

// Reads (or takes `content`) one file and gives it its facts: from `cache` when it holds them for these very
// bytes, else parsed (and then stored in `cache`). Returns null (and sets error) when it cannot be read.
std::unique_ptr<ProjectFile> load_file(const DiscoveredFile& found, const std::string* content, std::string& error,
                                       FactsCache* cache, std::vector<CodeToken>* tokens = nullptr) {
  const std::string key = module_key_of(found);
  const bool is_package = is_package_file(found);
  std::optional<FileStamp> stamp;
  if (cache && !content && !tokens) stamp = FileStamp::of(found.path);
  if (stamp) {
    if (auto file = cached_file(found, *stamp, *cache)) return file;
  }
  std::optional<std::string> bytes = content ? std::optional<std::string>(*content) : read_file_bytes(found.path, error);
  if (!bytes) return nullptr;
  if (bytes->size() > kMaxFileBytes) {
    error = "file is larger than 64 MiB; not checked";
    return nullptr;
  }
  auto file = std::make_unique<ProjectFile>(SourceFile(found.path, found.display_path, std::move(*bytes)), key,
                                            is_package);
  std::optional<FactsKey> cache_key;
  std::optional<FileFacts> facts;
  if (cache) {
    cache_key = FactsKey::of(file->source.text(), key, is_package);
    if (stamp) cache->remember(found.path.string(), *stamp, *cache_key);
    if (!tokens) facts = cache->find(*cache_key);  // the tokens need a syntax tree
  }
  if (!facts) {
    facts = parse_file(file->source, key, is_package, tokens);
    if (cache) cache->store(std::move(*cache_key), *facts);
  }
  file->facts = std::move(facts->facts);
  file->syntax_problem = std::move(facts->syntax_problem);
  return file;
}

// The files a run reads: what discovery found on disk, narrowed to `only` (staged mode: the index), plus files
// that exist only as given content (a file deleted from the working tree but staged, an unsaved editor buffer).
std::vector<DiscoveredFile> select_files(std::vector<DiscoveredFile> found, const ProjectSources& sources,
                                         const std::vector<std::string>& paths, const Config& config) {
  std::vector<std::string> scope;
  for (const auto& path : paths) scope.push_back(display_path_for(path));
  // A file named on the command line is read whatever its name, place or ignore status.
  auto named = [&](const std::string& display) {
    auto is = [&](const std::string& entry) { return entry == display; };
    return std::any_of(scope.begin(), scope.end(), is) ||
           (sources.report_scope && std::any_of(sources.report_scope->begin(), sources.report_scope->end(), is));
  };
  std::vector<DiscoveredFile> files;
  std::set<std::string> seen;
  for (auto& file : found) {
    if (sources.only && !sources.only->count(file.display_path)) continue;
    if (!sources.ignored.empty() && in_scope(file.display_path, sources.ignored) && !named(file.display_path)) continue;
    seen.insert(file.display_path);
    files.push_back(std::move(file));
  }
  for (const auto& [display, content] : sources.contents) {
    if (seen.count(display) || (sources.only && !sources.only->count(display))) continue;
    if (!named(display) && (!in_scope(display, scope) || !is_python_file(display) || is_excluded(display, config))) continue;
    files.push_back(DiscoveredFile{display, display, {}});
  }
  std::sort(files.begin(), files.end(),
            [](const DiscoveredFile& a, const DiscoveredFile& b) { return a.display_path < b.display_path; });
  return files;
}

// Module names come from paths relative to the project folder, not to the working directory: run from app/,
// app/base.py must still be the module `app.base` that `from app.base import Base` names.
void name_modules_from(const std::string& project_path, std::vector<DiscoveredFile>& files) {
  std::error_code ec;
  if (!std::filesystem::is_directory(project_path, ec)) return;
  for (auto& file : files) {
    if (auto relative = relative_inside(file.display_path, project_path)) file.module_path = std::move(*relative);
  }
}

const std::string* content_for(const ProjectSources& sources, const std::string& display_path) {
  auto it = sources.contents.find(display_path);
  return it == sources.contents.end() ? nullptr : &it->second;
}

// Parses the base versions of changed files and records, on each, how it changed. Returns the deleted files.
std::vector<std::unique_ptr<const ProjectFile>> attach_base_versions(
    const ProjectSources& sources, std::vector<std::unique_ptr<ProjectFile>>& files,
    std::vector<std::vector<CodeToken>>& tokens, unsigned jobs, FactsCache* cache) {
  std::unordered_map<std::string, size_t> file_index;
  for (size_t i = 0; i < files.size(); ++i) file_index[files[i]->path()] = i;
  const auto& versions = sources.base_versions;
  std::vector<std::unique_ptr<ProjectFile>> base(versions.size());
  std::vector<std::vector<CodeToken>> base_tokens(versions.size());
  parallel_for(versions.size(), jobs, [&](size_t i) {
    const BaseVersion& version = versions[i];
    if (!version.content) return;
    std::string error;
    base[i] = load_file(DiscoveredFile{version.base_path, version.base_path, {}}, &*version.content, error, cache,
                        &base_tokens[i]);
  });
  std::vector<std::unique_ptr<const ProjectFile>> deleted;
  for (size_t i = 0; i < versions.size(); ++i) {
    const BaseVersion& version = versions[i];
    if (version.path.empty()) {
      if (base[i]) deleted.push_back(std::move(base[i]));
      continue;
    }
    auto it = file_index.find(version.path);
    if (it == file_index.end()) continue;  // not part of this run (outside the paths, or not Python)
    auto change = std::make_unique<FileChange>();
    ProjectFile& file = *files[it->second];
    change->base_path = version.base_path;
    if (!version.content) {
      change->status = FileChange::Status::Added;
      if (!tokens[it->second].empty()) change->first_code_change = file.source.locate(0, 0);
    } else {
      change->status = version.base_path == version.path ? FileChange::Status::Modified : FileChange::Status::Renamed;
      if (auto diff = first_code_difference(base_tokens[i], tokens[it->second])) {
        change->first_code_change = file.source.locate(diff->start_byte, diff->end_byte);
      }
      change->base = std::move(base[i]);
    }
    file.change = std::move(change);
  }
  return deleted;
}

const std::map<std::string, std::string>* settings_for(const Config& config, const Rule& rule) {
  auto it = config.rule_settings.find(rule.info().name);
  return it == config.rule_settings.end() ? nullptr : &it->second;
}

struct Filters {
  const Config& config;
  std::unordered_map<std::string, FileSuppressions> suppressions;  // by display path
  std::unordered_map<std::string, const ProjectFile*> files;       // by display path
  std::unordered_map<std::string, SuppressionUsage> usage;         // by display path: what each suppression hid

  // `explicit_only`: the finding is about a suppression comment itself, so only a suppression naming its rule
  // hides it (a bare `# ormlint: ignore` must not hide the finding that it suppresses nothing).
  // `in_any_file`: the finding is shown even in a file outside the report scope.
  bool keep(const Diagnostic& d, bool explicit_only = false, bool in_any_file = false) {
    auto file = files.find(d.path);
    if (!in_any_file && file != files.end() && !file->second->report) return false;
    if (auto s = suppressions.find(d.path); s != suppressions.end()) {
      if (s->second.skip_file) return false;
      if (explicit_only ? s->second.names(d.loc.line, d.rule, d.code)
                        : s->second.suppresses(d.loc.line, d.rule, d.code)) {
        usage[d.path].record(d.loc.line, d.rule);
        return false;
      }
    }
    if (config.per_file_ignores.empty()) return true;
    const std::string relative = relative_to_root(d.path, config);
    for (const auto& [pattern, rules] : config.per_file_ignores) {
      if (!path_matches(relative, pattern)) continue;
      for (const auto& rule : rules) {
        if (rule == d.rule || rule == d.code) return false;
      }
    }
    return true;
  }
};

// Every active rule's project-wide findings, rules in parallel (each only reads the project), in rule order.
std::vector<Diagnostic> check_project(const Project& project, const RunOptions& options, unsigned jobs,
                                      TimeTally* rule_times = nullptr) {
  std::vector<std::vector<Diagnostic>> per_rule(options.rules.size());
  parallel_for(options.rules.size(), jobs, [&](size_t i) {
    const Rule& rule = *options.rules[i];
    Reporter reporter(rule, settings_for(options.config, rule));
    if (rule_times) {
      rule_times->time(i, [&] { rule.check_project(project, reporter); });
    } else {
      rule.check_project(project, reporter);
    }
    per_rule[i] = std::move(reporter.diagnostics());
  });
  std::vector<Diagnostic> all;
  for (auto& found : per_rule) {
    all.insert(all.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return all;
}

// The project as the base commit holds it: a staged run's snapshot with every changed file put back as it was
// (added files left out, deleted ones restored, renamed ones under their old name).
std::unique_ptr<Project> load_base_project(const RunOptions& options, unsigned jobs) {
  ProjectSources base = options;
  for (const BaseVersion& version : options.base_versions) {
    if (!version.path.empty()) {
      base.only->erase(version.path);
      base.contents.erase(version.path);
    }
    if (version.content) {
      base.only->insert(version.base_path);
      base.contents[version.base_path] = *version.content;
    }
  }
  base.base_name.reset();
  base.base_versions.clear();
  base.report_scope.reset();
  std::vector<std::string> errors;
  return load_project(base, options.config, jobs, errors);
}

// Everything the base's project-wide findings depend on besides the base commit's files: the build, where paths
// are shown from, which files are read, the active rules and their settings, and the Alembic configuration.
std::string base_findings_key(const RunOptions& options) {
  std::ostringstream key;
  std::error_code ec;
  key << facts_layout_id() << "\ncommit " << options.base_commit.value_or("") << "\ncwd "
      << std::filesystem::current_path(ec).string() << "\nroot " << options.project_root.value_or("")
      << "\nconfig root " << options.config.root.string() << '\n';
  for (const auto& path : options.paths) key << "path " << path << '\n';
  for (const auto& path : options.ignored) key << "ignored " << path << '\n';
  for (const auto& pattern : options.config.exclude) key << "exclude " << pattern << '\n';
  for (const auto& name : options.config.declarative_bases) key << "declarative base " << name << '\n';
  // The versions rules may ask for (Project::lowest_version) come from these files: their stamps stand for
  // them.
  for (const auto& file : packaging_files(packaging_folder(options))) {
    const std::optional<FileStamp> stamp = FileStamp::of(file);
    key << "packaging file " << file.string() << ' ' << (stamp ? stamp->size : 0) << ' '
        << (stamp ? stamp->mtime_ns : 0) << '\n';
  }
  for (const Rule* rule : options.rules) key << "rule " << rule->info().name << '\n';
  for (const auto& [rule, settings] : options.config.rule_settings) {
    for (const auto& [name, value] : settings) key << "setting " << rule << '.' << name << '=' << value << '\n';
  }
  const std::vector<std::string> paths = options.paths.empty() ? std::vector<std::string>{"."} : options.paths;
  for (const auto& file : find_alembic_configs(paths)) {
    std::string error;
    key << "alembic config " << file.string() << '\n' << read_file_bytes(file, error).value_or(error) << '\n';
  }
  return key.str();
}

// The base commit's project-wide findings: saved by an earlier run on the same base (and the same everything
// else), or computed now and saved.
std::vector<Diagnostic> base_project_findings(const RunOptions& options, unsigned jobs) {
  const bool cached = options.cache_folder && options.base_commit;
  const std::string key = cached ? base_findings_key(options) : "";
  if (cached) {
    if (auto saved = load_base_findings(*options.cache_folder, key)) return std::move(*saved);
  }
  std::vector<Diagnostic> findings = check_project(*load_base_project(options, jobs), options, jobs);
  for (Diagnostic& d : findings) d.source = nullptr;  // its project ends here; these are only compared
  // Not saved is only slower next time; the facts cache already warns when its folder cannot be written.
  if (cached) save_base_findings(*options.cache_folder, key, findings);
  return findings;
}

// The findings of `now` that `before` does not have (as a multiset: a second equal finding is new).
std::vector<Diagnostic> not_in(std::vector<Diagnostic> now, std::vector<Diagnostic> before) {
  auto same = [](const Diagnostic& a, const Diagnostic& b) { return !(a < b) && !(b < a); };
  std::sort(now.begin(), now.end());
  std::sort(before.begin(), before.end());
  std::vector<Diagnostic> added;
  auto old = before.begin();
  for (auto& d : now) {
    while (old != before.end() && *old < d) ++old;
    if (old != before.end() && same(*old, d)) {
      ++old;
      continue;
    }
    added.push_back(std::move(d));
  }
  return added;
}

// The suppression pass, once the other rules' findings are filtered and so it is known which suppressions hid
// something: each active rule may judge the suppression comments of every shown file that has any
// (Rule::check_suppressions). Their findings go through the filters too; the kept ones are added to `kept`.
void check_suppressions(const Project& project, const RunOptions& options, Filters& filters,
                        std::vector<Diagnostic>& kept) {
  const SuppressionUsage nothing_used;
  std::vector<Diagnostic> found;
  for (const auto& file : project.files()) {
    auto suppressions = filters.suppressions.find(file->path());
    if (!file->report || suppressions == filters.suppressions.end()) continue;
    if (suppressions->second.by_line.empty()) continue;
    auto usage_it = filters.usage.find(file->path());
    const SuppressionUsage& usage = usage_it == filters.usage.end() ? nothing_used : usage_it->second;
    for (const Rule* rule : options.rules) {
      Reporter reporter(*rule, settings_for(options.config, *rule));
      rule->check_suppressions(*file, suppressions->second, usage, options.rules, reporter);
      for (auto& d : reporter.diagnostics()) found.push_back(std::move(d));
    }
  }
  for (auto& d : found) {
    if (filters.keep(d, /*explicit_only=*/true)) kept.push_back(std::move(d));
  }
}

std::vector<std::string> paths_read(const ProjectSources& sources) {
  return sources.paths.empty() ? std::vector<std::string>{"."} : sources.paths;
}

// The facts cache of the project `sources` read, in its cache folder (set).
std::unique_ptr<FactsCache> open_cache(const ProjectSources& sources, const Config& config) {
  return std::make_unique<FactsCache>(*sources.cache_folder,
                                      sources.project_root.value_or(config.root.string()));
}

Discovery discover(const std::vector<std::string>& paths, const Config& config) {
  PhaseTimer timer("discover files");
  return discover_files(paths, config);
}

}  // namespace

PreloadedFiles::PreloadedFiles() = default;
PreloadedFiles::PreloadedFiles(PreloadedFiles&&) noexcept = default;
PreloadedFiles& PreloadedFiles::operator=(PreloadedFiles&&) noexcept = default;
PreloadedFiles::~PreloadedFiles() = default;

PreloadedFiles preload_cached_files(const ProjectSources& sources, const Config& config, unsigned jobs) {
  PreloadedFiles preloaded;
  if (!sources.cache_folder) return preloaded;
  preloaded.paths = paths_read(sources);
  preloaded.project_root = sources.project_root;
  preloaded.cache_folder = sources.cache_folder;
  preloaded.discovery = discover(preloaded.paths, config);
  preloaded.cache = open_cache(sources, config);
  std::vector<DiscoveredFile> found = preloaded.discovery.files;
  if (sources.project_root) name_modules_from(*sources.project_root, found);
  std::vector<std::unique_ptr<ProjectFile>> files(found.size());
  {
    PhaseTimer timer("decode cached facts ahead");
    parallel_for(found.size(), jobs, [&](size_t i) {
      if (auto stamp = FileStamp::of(found[i].path))
        files[i] = cached_file(found[i], *stamp, *preloaded.cache);
    });
  }
  for (size_t i = 0; i < found.size(); ++i) {
    if (files[i]) preloaded.files.emplace(found[i].display_path, std::move(files[i]));
  }
  return preloaded;
}

namespace {

// The preloaded facts of `found`, when the run reads it from disk as it was preloaded (same module name).
std::unique_ptr<ProjectFile> take_preloaded(PreloadedFiles* preloaded, const DiscoveredFile& found) {
  if (!preloaded) return nullptr;
  auto it = preloaded->files.find(found.display_path);
  if (it == preloaded->files.end() || !it->second || it->second->module_key != module_key_of(found) ||
      it->second->is_package != is_package_file(found)) {
    return nullptr;
  }
  return std::move(it->second);
}

}  // namespace

std::unique_ptr<Project> load_project(const ProjectSources& sources, const Config& config, unsigned jobs,
                                      std::vector<std::string>& errors, std::vector<std::string>* warnings,
                                      PreloadedFiles* preloaded) {
  const std::vector<std::string> paths = paths_read(sources);
  // Preloaded files serve only a run over the same paths, in the same project, with the same cache.
  if (preloaded &&
      (!preloaded->cache || preloaded->paths != paths || preloaded->project_root != sources.project_root ||
       preloaded->cache_folder != sources.cache_folder)) {
    preloaded = nullptr;
  }
  Discovery discovery = preloaded ? std::move(preloaded->discovery) : discover(paths, config);
  errors = std::move(discovery.errors);
  for (const std::string& folder : discovery.skipped_templates) {
    if (warnings) {
      warnings->push_back("skipped `" + folder +
                          "`: a project template (`{{...}}` in its name), not Python yet; "
                          "to check it, name it on the command line instead of a folder above it");
    }
  }
  std::vector<DiscoveredFile> found = select_files(std::move(discovery.files), sources, paths, config);
  if (sources.project_root) name_modules_from(*sources.project_root, found);
  std::set<std::string> with_base;  // files whose code is compared with a base version
  for (const auto& version : sources.base_versions) {
    if (!version.path.empty()) with_base.insert(version.path);
  }
  std::unique_ptr<FactsCache> cache;
  if (preloaded) {
    cache = std::move(preloaded->cache);
  } else if (sources.cache_folder) {
    cache = open_cache(sources, config);
  }
  FactsCache* cache_ptr = cache.get();
  // Read + parse + per-file facts, in parallel: each file is read once and parsed once (or not at all, when the
  // cache holds its facts).
  std::vector<std::unique_ptr<ProjectFile>> loaded(found.size());
  std::vector<std::string> load_errors(found.size());
  std::vector<std::vector<CodeToken>> tokens(found.size());
  {
    PhaseTimer timer(cache ? "read and parse files (cache)" : "read and parse files");
    parallel_for(found.size(), jobs, [&](size_t i) {
      const std::string& display = found[i].display_path;
      const std::string* content = content_for(sources, display);
      const bool compared = with_base.count(display) > 0;  // needs its code tokens: read and parsed
      if (!content && !compared) loaded[i] = take_preloaded(preloaded, found[i]);
      if (!loaded[i]) {
        loaded[i] = load_file(found[i], content, load_errors[i], cache_ptr, compared ? &tokens[i] : nullptr);
      }
      if (loaded[i] && sources.report_scope) loaded[i]->report = in_scope(display, *sources.report_scope);
      if (loaded[i] && loaded[i]->is_package)
        loaded[i]->source_root = holds_packaging_file(found[i].path.parent_path());
    });
  }
  std::vector<std::unique_ptr<ProjectFile>> files;
  std::vector<std::vector<CodeToken>> file_tokens;
  for (size_t i = 0; i < loaded.size(); ++i) {
    if (loaded[i]) {
      files.push_back(std::move(loaded[i]));
      file_tokens.push_back(std::move(tokens[i]));
    } else {
      errors.push_back(found[i].display_path + ": " + load_errors[i]);
    }
  }
  std::unique_ptr<BaseSnapshot> base;
  if (sources.base_name) {
    base = std::make_unique<BaseSnapshot>();
    base->name = *sources.base_name;
    base->deleted_files = attach_base_versions(sources, files, file_tokens, jobs, cache_ptr);
  }
  if (cache) {
    PhaseTimer timer("save the facts cache");
    std::string problem = cache->save();
    if (!problem.empty() && warnings) warnings->push_back("cannot write the facts cache " + problem);
  }
  std::vector<ScriptLocation> script_locations;
  for (const auto& config_file : find_alembic_configs(paths)) {
    for (auto& location : read_script_locations(config_file)) script_locations.push_back(std::move(location));
  }
  const std::filesystem::path packaging = packaging_folder(sources);
  return std::make_unique<Project>(std::move(files), std::move(script_locations), jobs, std::move(base),
                                   config.declarative_bases,
                                   [packaging] { return lowest_package_versions(packaging); });
}

std::unique_ptr<Project> load_project(const std::vector<std::string>& paths, const Config& config, unsigned jobs,
                                      std::vector<std::string>& errors) {
  ProjectSources sources;
  sources.paths = paths;
  return load_project(sources, config, jobs, errors);
}

void ProjectDeleter::operator()(const Project* project) const { std::default_delete<const Project>()(project); }

RunResult run(const RunOptions& options) {
  RunResult result;
  unsigned jobs = options.jobs ? options.jobs : default_jobs();
  auto project_ptr =
      load_project(options, options.config, jobs, result.errors, &result.warnings, options.preloaded);
  const Project& project = *project_ptr;
  result.files_checked = std::count_if(project.files().begin(), project.files().end(),
                                       [](const auto& file) { return file->report; });
  std::optional<PhaseTimer> reading_suppressions(std::in_place, "read suppressions");
  Filters filters{options.config, {}, {}, {}};
  for (const auto& file : project.files()) {
    filters.files[file->path()] = file.get();
    filters.suppressions[file->path()] = parse_suppressions(file->facts.comments);
  }

  reading_suppressions.reset();
  // Per-file checks in parallel (one reporter per file and rule), then the project-wide ones.
  const auto& rules = options.rules;
  const auto& project_files = project.files();
  std::optional<PhaseTimer> checking(std::in_place, "rules");
  TimeTally rule_times(rules.size());
  std::vector<std::vector<Diagnostic>> per_file(project_files.size());
  parallel_for(project_files.size(), jobs, [&](size_t i) {
    const ProjectFile& file = *project_files[i];
    if (!file.report) return;
    for (size_t r = 0; r < rules.size(); ++r) {
      const Rule* rule = rules[r];
      Reporter reporter(*rule, settings_for(options.config, *rule));
      rule_times.time(r, [&] { rule->check_file(file, project, reporter); });
      auto& found = reporter.diagnostics();
      per_file[i].insert(per_file[i].end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
  });
  std::vector<Diagnostic> project_wide = check_project(project, options, jobs, &rule_times);
  // Staged mode also shows what the staged change causes in files it does not touch (deleting a revision leaves
  // its children dangling): project-wide findings in unstaged files that the committed project does not have.
  std::vector<Diagnostic> caused;
  if (options.only && options.base_name) {
    std::vector<Diagnostic> elsewhere;
    for (const auto& d : project_wide) {
      auto file = filters.files.find(d.path);
      if (file != filters.files.end() && !file->second->report) elsewhere.push_back(d);
    }
    if (!elsewhere.empty()) caused = not_in(elsewhere, base_project_findings(options, jobs));
  }

  checking.reset();
  rule_times.report("rule", [&](size_t r) { return std::string_view(rules[r]->info().name); });
  PhaseTimer filtering("filter and sort findings");
  // A finding is ~200 bytes: the kept ones are moved once, into a list sized once, and sorted as pointers.
  size_t found = project_wide.size() + caused.size();
  for (const auto& in_file : per_file) found += in_file.size();
  std::vector<Diagnostic> kept;
  kept.reserve(found);
  auto keep = [&](std::vector<Diagnostic>& findings) {
    for (auto& d : findings) {
      if (filters.keep(d)) kept.push_back(std::move(d));
    }
  };
  for (auto& in_file : per_file) keep(in_file);
  keep(project_wide);
  for (auto& d : caused) {
    if (filters.keep(d, /*explicit_only=*/false, /*in_any_file=*/true)) kept.push_back(std::move(d));
  }
  check_suppressions(project, options, filters, kept);
  std::vector<Diagnostic*> order;
  order.reserve(kept.size());
  for (auto& d : kept) {
    if (d.source) d.source_line = std::string(d.source->line_text(d.loc.line));
    d.source = nullptr;
    if (auto it = options.config.severity.find(d.rule); it != options.config.severity.end()) d.severity = it->second;
    order.push_back(&d);
  }
  // Sorted; of findings that compare equal (the same place, rule and message: a construct two paths reach),
  // the first found stays.
  std::stable_sort(order.begin(), order.end(),
                   [](const Diagnostic* a, const Diagnostic* b) { return *a < *b; });
  result.diagnostics.reserve(order.size());
  for (Diagnostic* d : order) {
    if (result.diagnostics.empty() || result.diagnostics.back() < *d)
      result.diagnostics.push_back(std::move(*d));
  }
  std::sort(result.errors.begin(), result.errors.end());
  result.project.reset(project_ptr.release());
  return result;
}

size_t parse_only(const std::vector<std::string>& paths, unsigned jobs) {
  Config config;
  config.root = std::filesystem::current_path();
  Discovery discovery = discover_files(paths, config);
  std::atomic<size_t> parsed{0};
  parallel_for(discovery.files.size(), jobs ? jobs : default_jobs(), [&](size_t i) {
    std::string error;
    auto bytes = read_file_bytes(discovery.files[i].path, error);
    if (!bytes || exceeds_parser_limits(*bytes)) return;
    TreeHandle tree = thread_parser().parse(*bytes, kParseTimeoutMicros);
    if (tree) ++parsed;
  });
  return parsed;
}

}  // namespace ormlint
