// The facts cache (engine/facts_cache.h) and its codec (facts/facts_codec.h):
// - every fixture file's facts survive encoding: decoded facts equal the freshly built ones member by member
//   (a member missing from a describe() list would come back empty), and re-encoding gives the same bytes;
// - a warm run (all cache hits) reports exactly what a cold run and a run without a cache do, on every rule
//   fixture case and the demo app;
// - damaged bytes (every truncation, thousands of single-byte corruptions, crafted counts and nesting) throw
//   FactsDecodeError, never crash or hang;
// - a damaged, foreign or unwritable cache file is an empty cache or a reason, never an error.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <tuple>
#include <typeinfo>

#include "change_support.h"
#include "core/binary_codec.h"
#include "engine/facts_cache.h"
#include "engine/rule.h"
#include "facts/facts_codec.h"
#include "fixture_support.h"
#include "project/project.h"

using namespace ormlint;
using namespace ormlint::testing;
namespace fs = std::filesystem;

namespace {

// --- Member-by-member comparison of facts ----------------------------------------------------------------------
// Each fact type's member count, read with structured bindings: a member added to a fact type stops this file
// from compiling ("N names provided" / "only M names provided") — add it to its describe() list in
// src/facts/facts_codec.cpp, then update the count here. The comparison then covers the new member too.
template <class T>
constexpr int kFields = 0;
template <> constexpr int kFields<Location> = 6;
template <> constexpr int kFields<Keyword> = 3;
template <> constexpr int kFields<Expr> = 9;
template <> constexpr int kFields<Import> = 8;
template <>
constexpr int kFields<Assignment> = 4;
template <> constexpr int kFields<AttributeAssignment> = 2;
template <>
constexpr int kFields<ClassAttribute> = 6;
template <>
constexpr int kFields<HybridProperty> = 4;
template <>
constexpr int kFields<ClassDef> = 10;
template <> constexpr int kFields<Parameter> = 3;
template <> constexpr int kFields<FunctionDef> = 9;
template <>
constexpr int kFields<OperationCall> = 15;
template <> constexpr int kFields<RevisionCall> = 3;
template <>
constexpr int kFields<UncalledOperation> = 2;
template <>
constexpr int kFields<RevisionInfo> = 15;
template <> constexpr int kFields<Comment> = 3;
template <> constexpr int kFields<ModuleFacts::Binding> = 2;
template <>
constexpr int kFields<ModuleFacts> = 17;
template <> constexpr int kFields<SyntaxProblem> = 2;
template <> constexpr int kFields<FileFacts> = 2;

template <class T>
const char* type_name() {
  if constexpr (std::is_same_v<T, Location>) return "Location";
  else if constexpr (std::is_same_v<T, Keyword>) return "Keyword";
  else if constexpr (std::is_same_v<T, Expr>) return "Expr";
  else if constexpr (std::is_same_v<T, Import>) return "Import";
  else if constexpr (std::is_same_v<T, Assignment>) return "Assignment";
  else if constexpr (std::is_same_v<T, AttributeAssignment>) return "AttributeAssignment";
  else if constexpr (std::is_same_v<T, ClassAttribute>) return "ClassAttribute";
  else if constexpr (std::is_same_v<T, HybridProperty>)
    return "HybridProperty";
  else if constexpr (std::is_same_v<T, ClassDef>) return "ClassDef";
  else if constexpr (std::is_same_v<T, Parameter>) return "Parameter";
  else if constexpr (std::is_same_v<T, FunctionDef>) return "FunctionDef";
  else if constexpr (std::is_same_v<T, OperationCall>) return "OperationCall";
  else if constexpr (std::is_same_v<T, RevisionCall>) return "RevisionCall";
  else if constexpr (std::is_same_v<T, UncalledOperation>)
    return "UncalledOperation";
  else if constexpr (std::is_same_v<T, RevisionInfo>) return "RevisionInfo";
  else if constexpr (std::is_same_v<T, Comment>) return "Comment";
  else if constexpr (std::is_same_v<T, ModuleFacts::Binding>) return "Binding";
  else if constexpr (std::is_same_v<T, ModuleFacts>) return "ModuleFacts";
  else if constexpr (std::is_same_v<T, SyntaxProblem>) return "SyntaxProblem";
  else return "FileFacts";
}

// The members of a fact struct as a tuple of references.
template <class T>
auto members(const T& x) {
  constexpr int n = kFields<T>;
  static_assert(n > 0, "not a fact type: give it a kFields count");
  if constexpr (n == 2) {
    const auto& [a, b] = x;
    return std::tie(a, b);
  } else if constexpr (n == 3) {
    const auto& [a, b, c] = x;
    return std::tie(a, b, c);
  } else if constexpr (n == 4) {
    const auto& [a, b, c, d] = x;
    return std::tie(a, b, c, d);
  } else if constexpr (n == 5) {
    const auto& [a, b, c, d, e] = x;
    return std::tie(a, b, c, d, e);
  } else if constexpr (n == 6) {
    const auto& [a, b, c, d, e, f] = x;
    return std::tie(a, b, c, d, e, f);
  } else if constexpr (n == 7) {
    const auto& [a, b, c, d, e, f, g] = x;
    return std::tie(a, b, c, d, e, f, g);
  } else if constexpr (n == 8) {
    const auto& [a, b, c, d, e, f, g, h] = x;
    return std::tie(a, b, c, d, e, f, g, h);
  } else if constexpr (n == 9) {
    const auto& [a, b, c, d, e, f, g, h, i] = x;
    return std::tie(a, b, c, d, e, f, g, h, i);
  } else if constexpr (n == 10) {
    const auto& [a, b, c, d, e, f, g, h, i, j] = x;
    return std::tie(a, b, c, d, e, f, g, h, i, j);
  } else if constexpr (n == 14) {
    const auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, n2] = x;
    return std::tie(a, b, c, d, e, f, g, h, i, j, k, l, m, n2);
  } else if constexpr (n == 15) {
    const auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, n2, o] = x;
    return std::tie(a, b, c, d, e, f, g, h, i, j, k, l, m, n2, o);
  } else if constexpr (n == 16) {
    const auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, n2, o, p] = x;
    return std::tie(a, b, c, d, e, f, g, h, i, j, k, l, m, n2, o, p);
  } else if constexpr (n == 17) {
    const auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, n2, o, p, q] = x;
    return std::tie(a, b, c, d, e, f, g, h, i, j, k, l, m, n2, o, p, q);
  } else if constexpr (n == 11) {
    const auto& [a, b, c, d, e, f, g, h, i, j, k] = x;
    return std::tie(a, b, c, d, e, f, g, h, i, j, k);
  } else if constexpr (n == 12) {
    const auto& [a, b, c, d, e, f, g, h, i, j, k, l] = x;
    return std::tie(a, b, c, d, e, f, g, h, i, j, k, l);
  } else if constexpr (n == 13) {
    const auto& [a, b, c, d, e, f, g, h, i, j, k, l, m] = x;
    return std::tie(a, b, c, d, e, f, g, h, i, j, k, l, m);
  } else {
    static_assert(n == 2, "add a case for this member count");
  }
}

// The codec's own container traits (the facts' sets and maps are keyed by strings).
using codec_detail::IsOptional;
using codec_detail::IsUniquePtr;
using codec_detail::IsVector;
template <class T>
using IsMap = codec_detail::IsStringMap<T>;
template <class T>
using IsSet = std::bool_constant<codec_detail::IsStringSet<T>::value || std::is_same_v<T, NameSet>>;

constexpr size_t kExprResolved = 5;  // Expr's `resolved` member (filled by the project, not by parsing)

// Compares two facts member by member; `difference` names the first member that differs, by type and member index
// ("/FileFacts.0/ModuleFacts.3[0]/ClassDef.1": the first class's loc).
// `exercised` collects the members ("ClassDef.6") that held a non-default value in `a` somewhere: a member that
// no fixture sets would be compared only as default == default.
struct Comparison {
  bool ignore_resolved = false;
  std::string difference;
  std::set<std::string>* exercised = nullptr;

  template <class T>
  static bool non_default(const T& value) {
    if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) return value != T{};
    else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, FactText> || IsVector<T>::value ||
                       IsMap<T>::value || IsSet<T>::value)
      return !value.empty();
    else if constexpr (IsOptional<T>::value || IsUniquePtr<T>::value) return static_cast<bool>(value);
    else return true;  // a struct: its own members are tracked
  }

  template <class T>
  bool same(const T& a, const T& b, const std::string& path) {
    bool equal = true;
    if constexpr (std::is_same_v<T, std::shared_ptr<TextStore>>) {
      return true;  // where the texts' bytes are kept is no fact
    } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T> || std::is_same_v<T, std::string> ||
                         std::is_same_v<T, FactText> || IsSet<T>::value) {
      equal = a == b;
    } else if constexpr (IsOptional<T>::value || IsUniquePtr<T>::value) {
      if (static_cast<bool>(a) != static_cast<bool>(b)) equal = false;
      else if (a) return same(*a, *b, path + "*");
    } else if constexpr (IsVector<T>::value) {
      if (a.size() != b.size()) {
        equal = false;
      } else {
        for (size_t i = 0; i < a.size(); ++i) {
          if (!same(a[i], b[i], path + "[" + std::to_string(i) + "]")) return false;
        }
      }
    } else if constexpr (IsMap<T>::value) {
      if (a.size() != b.size()) return fail(path + " (size)");
      for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
        if (ia->first != ib->first) return fail(path + "{" + ia->first + "}");
        if (!same(ia->second, ib->second, path + "{" + ia->first + "}")) return false;
      }
    } else {
      return same_members(a, b, path, std::make_index_sequence<std::tuple_size_v<decltype(members(a))>>{});
    }
    return equal ? true : fail(path);
  }

  template <class T, size_t... I>
  bool same_members(const T& a, const T& b, const std::string& path, std::index_sequence<I...>) {
    auto ma = members(a);
    auto mb = members(b);
    bool all = true;
    auto one = [&](auto index, const auto& x, const auto& y) {
      if (!all) return;
      if constexpr (std::is_same_v<T, Expr>) {
        if (index == kExprResolved && ignore_resolved) return;
      }
      if (exercised && non_default(x)) exercised->insert(std::string(type_name<T>()) + "." + std::to_string(index));
      all = same(x, y, path + "/" + type_name<T>() + "." + std::to_string(index));
    };
    (one(std::integral_constant<size_t, I>{}, std::get<I>(ma), std::get<I>(mb)), ...);
    return all;
  }

  bool fail(const std::string& path) {
    if (difference.empty()) difference = path.empty() ? "(value)" : path;
    return false;
  }
};

// "" when the two are equal; else the first differing member.
std::string differs(const FileFacts& a, const FileFacts& b, bool ignore_resolved = false,
                    std::set<std::string>* exercised = nullptr) {
  Comparison comparison{ignore_resolved, "", exercised};
  return comparison.same(a, b, "") ? "" : comparison.difference;
}

template <class... T>
void add_all_members(std::set<std::string>& out) {
  auto add = [&](const char* name, int count) {
    for (int i = 0; i < count; ++i) out.insert(std::string(name) + "." + std::to_string(i));
  };
  (add(type_name<T>(), kFields<T>), ...);
}

FileFacts facts_of(const ProjectFile& file) {
  FileFacts out;
  out.facts = file.facts;
  out.syntax_problem = file.syntax_problem;
  return out;
}

FactsKey key_of(const ProjectFile& file) {
  return FactsKey::of(file.source.text(), file.module_key, file.is_package);
}

// --- Fixtures --------------------------------------------------------------------------------------------------

std::vector<fs::path> sorted_entries(const fs::path& dir) {
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(dir)) entries.push_back(entry.path());
  std::sort(entries.begin(), entries.end());
  return entries;
}

bool in_cache_folder(const fs::path& path) {
  for (const auto& part : path) {
    if (part == ".ormlint_cache") return true;
  }
  return false;
}

// Every Python file under fixtures/ (not a cache a run there may have left).
std::vector<fs::path> fixture_python_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(source_dir() / "fixtures")) {
    if (entry.is_regular_file() && entry.path().extension() == ".py" && !in_cache_folder(entry.path())) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// What the engine loads from `paths` (each read whatever its name), with the module names taken from `root`.
struct Loaded {
  std::unique_ptr<Project> project;
  std::vector<std::string> errors, warnings;
  std::map<std::string, const ProjectFile*> by_path;
};

Loaded load(const std::vector<std::string>& paths, const fs::path& root, std::optional<fs::path> cache_folder) {
  ProjectSources sources;
  sources.paths = paths;
  sources.project_root = root.string();
  sources.cache_folder = std::move(cache_folder);
  Config config;
  config.root = root;
  Loaded out;
  out.project = load_project(sources, config, 2, out.errors, &out.warnings);
  for (const auto& file : out.project->files()) out.by_path[file->path()] = file.get();
  return out;
}

// Diagnostics with every member, one line each, for comparing runs.
std::vector<std::string> describe_diagnostics(const RunResult& result) {
  std::vector<std::string> out;
  for (const auto& d : result.diagnostics) {
    std::ostringstream line;
    line << d.path << ":" << d.loc.line << ":" << d.loc.column << "-" << d.loc.end_line << ":" << d.loc.end_column
         << " [" << d.loc.start_byte << "," << d.loc.end_byte << ") " << d.code << " " << d.rule << " "
         << to_string(d.severity) << " | " << d.message << " | " << d.help << " | " << d.source_line;
    out.push_back(line.str());
  }
  for (const auto& error : result.errors) out.push_back("error: " + error);
  out.push_back("files checked: " + std::to_string(result.files_checked));
  return out;
}

Config case_config(const fs::path& case_path) {
  Config config;
  config.root = fs::is_directory(case_path) ? case_path : case_path.parent_path();
  if (fs::is_directory(case_path) && fs::exists(case_path / "ormlint.toml")) config = load_config(case_path / "ormlint.toml");
  return config;
}

// Runs `options` without a cache, then twice with a fresh cache folder (cold, then warm): the three reports must
// be identical, and the warm run must have found everything in the cache (it writes nothing back).
void check_warm_equals_cold(RunOptions options, const std::string& name) {
  INFO("case " << name);
  options.jobs = 2;
  options.cache_folder.reset();
  const RunResult uncached = run(options);

  TempDir cache;
  options.cache_folder = cache.path();
  const RunResult cold = run(options);
  CHECK(cold.warnings.empty());
  const fs::path file =
      FactsCache(cache.path(), options.project_root.value_or(options.config.root.string())).file();
  const bool has_files = uncached.files_checked > 0 || !uncached.errors.empty();
  if (has_files) {
    REQUIRE(fs::is_regular_file(file));
    CHECK(fs::exists(cache.path() / ".gitignore"));
    CHECK(fs::exists(cache.path() / "CACHEDIR.TAG"));
  }
  const std::string written = read_file(file);
  const RunResult warm = run(options);
  CHECK(warm.warnings.empty());
  // A cache miss stores new facts and rewrites the file (with the next generation).
  if (read_file(file) != written) FAIL_CHECK("the warm run rewrote the cache file: some file's facts were not in it");

  const auto expected = describe_diagnostics(uncached);
  CHECK(describe_diagnostics(cold) == expected);
  CHECK(describe_diagnostics(warm) == expected);
}

// A small, complete facts value for the FactsCache tests.
FileFacts sample_facts(const std::string& class_name = "Agent") {
  FileFacts facts;
  ClassDef cls;
  const FactText cls_name = facts.facts.texts->keep(class_name);
  cls.name = cls_name;
  cls.loc = Location{10, 15, 2, 7, 2, 12};
  Expr base;
  base.kind = Expr::Kind::Name;
  base.text = base.name = "Base";
  cls.bases.push_back(std::move(base));
  cls.body_names = NameSet({FactText("id")});
  facts.facts.classes.push_back(std::move(cls));
  facts.facts.bindings = NameMap<ModuleFacts::Binding>({{cls_name, ModuleFacts::Binding{ModuleFacts::BindingKind::Class, 0}}});
  facts.facts.comments.push_back(Comment{1, "# a comment", Location{0, 11, 1, 1, 1, 12}});
  facts.syntax_problem = SyntaxProblem{Location{3, 4, 1, 4, 1, 5}, "a message"};
  return facts;
}

const FactsKey kKey = FactsKey::of("class Agent(Base): ...\n", "app.models", false);

std::string random_bytes(std::mt19937& random, size_t size) {
  std::string out(size, '\0');
  for (auto& byte : out) byte = static_cast<char>(random() & 0xff);
  return out;
}

// The cache file's layout, as facts_cache.cpp writes it (checked against a real file by the test that uses it):
// magic, then the layout id and a checksum of the rest, then the generation and the entries.
constexpr std::string_view kMagic = "ormlint facts cache\n";

std::string cache_file_bytes(uint32_t generation, const FactsKey& key, uint32_t last_used, const std::string& entry) {
  BinaryWriter body;
  // No file stamps: the test stores facts without reading files.
  body(generation, uint64_t{1}, key.content_hash, key.content_size, key.module_key, key.is_package, last_used, entry,
       uint64_t{0});
  std::string rest = body.take();
  BinaryWriter header;
  header(std::string(facts_layout_id()), uint64_t{std::hash<std::string_view>{}(rest)});
  return std::string(kMagic) + header.take() + rest;
}

}  // namespace

// --- The codec on every fixture file ---------------------------------------------------------------------------

TEST_CASE("facts codec: every fixture file's facts decode to exactly what was built", "[cache]") {
  std::vector<std::string> paths;
  for (const auto& file : fixture_python_files()) paths.push_back(file.string());
  // The files of the .change cases too, current and base versions.
  TempDir changes;
  for (const auto& rule_dir : sorted_entries(source_dir() / "fixtures" / "rules")) {
    for (const auto& case_path : sorted_entries(rule_dir)) {
      if (case_path.extension() != ".change") continue;
      const fs::path dir = changes.path() / rule_dir.filename() / case_path.stem();
      const WrittenChange change = write_change(dir, read_file(case_path), "change.py");
      int n = 0;
      for (const auto& version : change.base_versions) {
        if (version.content) write_file(dir / "base" / (std::to_string(n++) + ".py"), *version.content);
      }
    }
  }
  for (const auto& entry : fs::recursive_directory_iterator(changes.path())) {
    if (entry.is_regular_file() && entry.path().extension() == ".py") paths.push_back(entry.path().string());
  }
  REQUIRE(paths.size() > 400);
  const fs::path root = source_dir() / "fixtures";

  const Loaded fresh = load(paths, root, std::nullopt);
  REQUIRE(fresh.errors.empty());
  REQUIRE(fresh.by_path.size() == paths.size());

  std::set<std::string> exercised;
  size_t with_syntax_problem = 0, revisions = 0;
  for (const auto& [path, file] : fresh.by_path) {
    INFO("file " << path);
    const FileFacts built = facts_of(*file);
    with_syntax_problem += built.syntax_problem.has_value();
    revisions += built.facts.is_revision();
    const std::string bytes = encode_facts(built);
    FileFacts decoded;
    REQUIRE_NOTHROW(decoded = decode_facts(bytes));
    CHECK(differs(built, decoded, false, &exercised) == "");
    if (encode_facts(decoded) != bytes) FAIL_CHECK("re-encoding the decoded facts gives other bytes");
  }
  CHECK(with_syntax_problem >= 5);
  CHECK(revisions >= 50);

  // Every member of every fact type held a non-default value in some fixture file: otherwise a member lost by the
  // codec would go unnoticed here (default == default).
  std::set<std::string> all;
  add_all_members<Location, Keyword, Expr, Import, Assignment, AttributeAssignment, ClassAttribute,
                  HybridProperty, ClassDef, Parameter, FunctionDef, OperationCall, RevisionCall,
                  UncalledOperation, RevisionInfo, Comment, ModuleFacts::Binding, ModuleFacts, SyntaxProblem,
                  FileFacts>(all);
  std::string never;
  for (const auto& member : all) {
    if (!exercised.count(member)) never += " " + member;
  }
  INFO("members no fixture file sets (Type.index, as in kFields):" << never);
  CHECK(never.empty());
}

TEST_CASE("facts cache: the engine stores every file's facts and a warm load gives the same project", "[cache]") {
  std::vector<std::string> paths;
  for (const auto& file : fixture_python_files()) paths.push_back(file.string());
  const fs::path root = source_dir() / "fixtures";
  TempDir cache;

  const Loaded uncached = load(paths, root, std::nullopt);
  const Loaded cold = load(paths, root, cache.path());
  CHECK(cold.warnings.empty());
  REQUIRE(fs::is_regular_file(FactsCache(cache.path(), root).file()));

  // What the cache holds for each file is what parsing it gave (before names are resolved across the project).
  FactsCache probe(cache.path(), root);
  for (const auto& [path, file] : cold.by_path) {
    INFO("file " << path);
    std::optional<FileFacts> cached = probe.find(key_of(*file));
    REQUIRE(cached);
    CHECK(differs(facts_of(*file), *cached, /*ignore_resolved=*/true) == "");
  }

  const Loaded warm = load(paths, root, cache.path());
  CHECK(warm.warnings.empty());
  REQUIRE(warm.by_path.size() == uncached.by_path.size());
  REQUIRE(cold.by_path.size() == uncached.by_path.size());
  for (const auto& [path, file] : uncached.by_path) {
    INFO("file " << path);
    REQUIRE(warm.by_path.count(path));
    CHECK(differs(facts_of(*file), facts_of(*cold.by_path.at(path))) == "");
    CHECK(differs(facts_of(*file), facts_of(*warm.by_path.at(path))) == "");
  }
}

// --- Warm runs report what cold runs do ------------------------------------------------------------------------

TEST_CASE("facts cache: a warm run reports exactly what a cold run does on every rule fixture", "[cache]") {
  // Every rule, not only the fixture's own: more findings compared.
  const std::vector<const Rule*> rules = all_rules();
  size_t cases = 0;
  for (const fs::path& rule_dir : sorted_entries(source_dir() / "fixtures" / "rules")) {
    for (const fs::path& case_path : sorted_entries(rule_dir)) {
      const std::string name = case_path.lexically_relative(source_dir()).string();
      RunOptions options;
      options.rules = rules;
      if (case_path.extension() == ".change") {
        TempDir dir;
        const WrittenChange change = write_change(dir.path(), read_file(case_path), "change.py");
        options.paths = {dir.path().string()};
        options.config.root = dir.path();
        options.base_name = change.base_name;
        options.base_versions = change.base_versions;
        check_warm_equals_cold(options, name);
        ++cases;
        continue;
      }
      if (case_path.extension() != ".py" && !fs::is_directory(case_path)) continue;
      options.paths = {case_path.string()};
      options.config = case_config(case_path);
      check_warm_equals_cold(options, name);
      ++cases;
    }
  }
  CHECK(cases > 250);
}

TEST_CASE("facts cache: a warm run reports exactly what a cold run does on the demo app", "[cache]") {
  const fs::path demo = source_dir() / "fixtures" / "demo-app";
  RunOptions options;
  options.paths = {demo.string()};
  options.project_root = demo.string();
  options.config = load_config(demo / "pyproject.toml");
  options.rules = active_rules(options.config, "demo-app");
  check_warm_equals_cold(options, "demo-app");
  // And with its findings non-trivial: the demo app demonstrates every default rule.
  options.cache_folder.reset();
  CHECK(run(options).diagnostics.size() > 20);
}

TEST_CASE("facts cache: the same bytes in two modules keep their own facts", "[cache]") {
  // `from .base import Base` means app.base in app/user.py and lib.base in lib/user.py (which has none): the same
  // bytes, other facts (the import's origin), so a finding in one file only.
  TempDir dir;
  const std::string model = R"(from sqlalchemy import JSON, Column, Integer

from .base import Base


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)
)";
  write_file(dir.path() / "app" / "__init__.py", "");
  write_file(dir.path() / "app" / "base.py", "from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n");
  write_file(dir.path() / "app" / "user.py", model);
  write_file(dir.path() / "lib" / "__init__.py", "");
  write_file(dir.path() / "lib" / "user.py", model);
  write_file(dir.path() / "pkg" / "user" / "__init__.py", model);  // a package: its .base is pkg.user.base
  RunOptions options;
  options.paths = {dir.path().string()};
  options.project_root = dir.path().string();
  options.config.root = dir.path();
  options.rules = all_rules();
  check_warm_equals_cold(options, "same bytes, three modules");
  options.cache_folder.reset();
  const RunResult result = run(options);
  std::set<std::string> with_finding;
  for (const auto& d : result.diagnostics) {
    if (d.rule == "reserved-attribute") with_finding.insert(fs::path(d.path).parent_path().filename().string());
  }
  CHECK(with_finding == std::set<std::string>{"app"});
}

TEST_CASE("facts cache: the engine takes a file's facts from the cache when its key matches", "[cache]") {
  // A planted entry for a file's exact bytes, module name and package flag is used instead of parsing: proof that
  // warm runs are cache hits (and that the key is what the engine computes).
  TempDir dir, cache;
  write_file(dir.path() / "app" / "models.py", "x = 1\n");
  ProjectSources sources;
  sources.paths = {dir.path().string()};
  sources.project_root = dir.path().string();
  Config config;
  config.root = dir.path();
  std::vector<std::string> errors;
  auto project = load_project(sources, config, 1, errors);
  REQUIRE(project->files().size() == 1);
  const ProjectFile& file = *project->files().front();
  CHECK(file.module_key == "app.models");
  FileFacts planted;
  planted.syntax_problem = SyntaxProblem{Location{0, 1, 1, 1, 1, 2}, "planted in the cache"};
  {
    FactsCache facts_cache(cache.path(), dir.path());
    facts_cache.store(key_of(file), planted);
    REQUIRE(facts_cache.save() == "");
  }
  RunOptions options;
  static_cast<ProjectSources&>(options) = sources;
  options.config = config;
  options.rules = all_rules();
  options.cache_folder = cache.path();
  const RunResult warm = run(options);
  REQUIRE(warm.diagnostics.size() == 1);
  CHECK(warm.diagnostics[0].rule == "syntax-error");
  CHECK(warm.diagnostics[0].message.find("planted in the cache") != std::string::npos);
  // Without the cache, or with other bytes, the file is parsed.
  options.cache_folder.reset();
  CHECK(run(options).diagnostics.empty());
  options.cache_folder = cache.path();
  write_file(dir.path() / "app" / "models.py", "x = 2\n");
  CHECK(run(options).diagnostics.empty());
}

// --- Damaged bytes ---------------------------------------------------------------------------------------------

TEST_CASE("facts codec: damaged bytes throw FactsDecodeError, never crash", "[cache]") {
  const fs::path fixtures = source_dir() / "fixtures";
  const std::vector<std::string> samples = {
      (fixtures / "demo-app" / "alembic" / "versions" / "20260110120000_create_core_tables.py").string(),
      (fixtures / "demo-app" / "app" / "models" / "user.py").string(),
      (fixtures / "rules" / "syntax-error" / "missing_colon.py").string(),
      (fixtures / "demo-app" / "app" / "__init__.py").string(),
  };
  const Loaded loaded = load(samples, fixtures, std::nullopt);
  REQUIRE(loaded.by_path.size() == samples.size());
  std::mt19937 random(20240611);
  for (const auto& [path, file] : loaded.by_path) {
    const std::string bytes = encode_facts(facts_of(*file));
    INFO("file " << path << " (" << bytes.size() << " bytes encoded)");
    REQUIRE_NOTHROW(decode_facts(bytes));

    // Every truncation (a stride on large encodings, but always the first and last 64 lengths).
    const size_t stride = std::max<size_t>(1, bytes.size() / 1500);
    size_t truncations = 0;
    for (size_t length = 0; length < bytes.size(); ++length) {
      if (length >= 64 && length + 64 < bytes.size() && length % stride != 0) continue;
      ++truncations;
      try {
        decode_facts(bytes.substr(0, length));
        FAIL_CHECK("a truncation to " << length << " bytes decoded");
      } catch (const FactsDecodeError&) {
      }
    }
    CHECK(truncations >= std::min<size_t>(bytes.size(), 1000));
    // Trailing bytes.
    CHECK_THROWS_AS(decode_facts(bytes + '\0'), FactsDecodeError);

    // Single-byte corruptions: an error or some facts, nothing else (an escaping exception fails the test).
    size_t decoded = 0, rejected = 0;
    for (int i = 0; i < 3000; ++i) {
      std::string damaged = bytes;
      const size_t at = random() % damaged.size();
      damaged[at] = static_cast<char>(damaged[at] ^ static_cast<char>(1 + random() % 255));
      try {
        FileFacts facts = decode_facts(damaged);
        ++decoded;
        (void)encode_facts(facts);
      } catch (const FactsDecodeError&) {
        ++rejected;
      }
    }
    CHECK(decoded + rejected == 3000);
    CHECK(rejected > 0);
    // A few random insertions and deletions of a byte.
    for (int i = 0; i < 500; ++i) {
      std::string damaged = bytes;
      const size_t at = random() % damaged.size();
      if (i % 2) damaged.erase(at, 1);
      else damaged.insert(at, 1, static_cast<char>(random() & 0xff));
      try {
        (void)decode_facts(damaged);
      } catch (const FactsDecodeError&) {
      }
    }
  }
  // Garbage of any length.
  for (int i = 0; i < 2000; ++i) {
    try {
      (void)decode_facts(random_bytes(random, random() % 200));
    } catch (const FactsDecodeError&) {
    }
  }
}

TEST_CASE("facts codec: huge counts and deep nesting are rejected without allocating or recursing", "[cache]") {
  // An empty FileFacts starts with the count of imports: make it 2^62, 2^64-1, and a number that never ends.
  const std::string empty = encode_facts(FileFacts{});
  REQUIRE(decode_facts(empty).facts.imports.empty());
  REQUIRE(empty[0] == '\0');
  for (const std::string& count : {std::string("\x80\x80\x80\x80\x80\x80\x80\x80\x40", 9),
                                   std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10),
                                   std::string(20, '\xff')}) {
    CHECK_THROWS_AS(decode_facts(count + empty.substr(1)), FactsDecodeError);
  }
  // A string that claims more bytes than there are (one import, its bound_name's size): a little, or 2^64-1.
  CHECK_THROWS_AS(decode_facts(std::string("\x01\xff\xff\x03", 4)), FactsDecodeError);
  CHECK_THROWS_AS(decode_facts(std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11) + std::string(40, 'a')),
                  FactsDecodeError);

  // Expressions nested deeper than any real source: an error, not a stack overflow.
  auto nested = [](int depth) {
    FileFacts facts;
    Expr top;
    Expr* at = &top;
    for (int i = 0; i < depth; ++i) {
      at->kind = Expr::Kind::Attribute;
      at->name = "a";
      at->target = std::make_unique<Expr>();
      at = at->target.get();
    }
    facts.facts.module_expressions.push_back(std::move(top));
    return facts;
  };
  const FileFacts shallow = nested(500);
  FileFacts back;
  REQUIRE_NOTHROW(back = decode_facts(encode_facts(shallow)));
  CHECK(differs(shallow, back) == "");
  CHECK_THROWS_AS(decode_facts(encode_facts(nested(5000))), FactsDecodeError);
  // Enum values beyond the last, a flag that is neither 0 nor 1, a binding beyond its list.
  FileFacts binding;
  binding.facts.bindings = NameMap<ModuleFacts::Binding>({{FactText("x"), ModuleFacts::Binding{ModuleFacts::BindingKind::Import, 0}}});
  CHECK_THROWS_AS(decode_facts(encode_facts(binding)), FactsDecodeError);
  binding.facts.imports.emplace_back();
  CHECK_NOTHROW(decode_facts(encode_facts(binding)));
  // The byte that differs between two encodings that differ in one member only.
  auto differing_byte = [](const std::string& a, const std::string& b) {
    REQUIRE(a.size() == b.size());
    size_t at = 0;
    while (at < a.size() && a[at] == b[at]) ++at;
    REQUIRE(at < a.size());
    return at;
  };
  FileFacts other_kind, dict_kind;
  other_kind.facts.module_expressions.emplace_back();
  dict_kind.facts.module_expressions.emplace_back().kind = Expr::Kind::Dict;
  std::string kind_bytes = encode_facts(other_kind);
  const size_t kind_at = differing_byte(kind_bytes, encode_facts(dict_kind));
  kind_bytes[kind_at] = static_cast<char>(kind_bytes[kind_at] + 1);  // one past Other, the last kind
  CHECK_THROWS_AS(decode_facts(kind_bytes), FactsDecodeError);
  FileFacts star;
  star.facts.has_star_import = true;
  std::string flag_bytes = encode_facts(star);
  const size_t flag_at = differing_byte(flag_bytes, encode_facts(FileFacts{}));
  flag_bytes[flag_at] = '\x02';
  CHECK_THROWS_AS(decode_facts(flag_bytes), FactsDecodeError);
}

// --- FactsCache ------------------------------------------------------------------------------------------------

TEST_CASE("facts cache: stores, finds by key, and keeps projects apart", "[cache]") {
  TempDir project, other, folder;
  const fs::path cache_folder = folder.path() / "cache";
  {
    FactsCache cache(cache_folder, project.path());
    CHECK_FALSE(cache.find(kKey));
    CHECK(cache.save() == "");
    CHECK_FALSE(fs::exists(cache_folder));  // nothing stored: nothing written
    cache.store(kKey, sample_facts());
    REQUIRE(cache.find(kKey));  // within the run too
    CHECK(cache.save() == "");
  }
  FactsCache cache(cache_folder, project.path());
  CHECK(cache.file().parent_path() == cache_folder);
  CHECK(cache.file().filename().string().rfind("facts-", 0) == 0);
  CHECK(cache.file().extension() == ".bin");
  CHECK(fs::is_regular_file(cache.file()));
  CHECK(read_file(cache_folder / ".gitignore").find("\n*\n") != std::string::npos);
  CHECK(read_file(cache_folder / "CACHEDIR.TAG").rfind("Signature: 8a477f597d28d172789f06886806bc55", 0) == 0);
  std::optional<FileFacts> found = cache.find(kKey);
  REQUIRE(found);
  CHECK(differs(sample_facts(), *found) == "");

  // Any part of the key differing is a miss.
  const std::string content = "class Agent(Base): ...\n";
  CHECK(cache.find(FactsKey::of(content, "app.models", false)));
  CHECK_FALSE(cache.find(FactsKey::of("class Agent(Base): ..,\n", "app.models", false)));
  CHECK_FALSE(cache.find(FactsKey::of(content + " ", "app.models", false)));
  CHECK_FALSE(cache.find(FactsKey::of(content, "app.model", false)));
  CHECK_FALSE(cache.find(FactsKey::of(content, "app.models", true)));

  // Another project sharing the folder has its own file.
  FactsCache elsewhere(cache_folder, other.path());
  CHECK(elsewhere.file() != cache.file());
  CHECK_FALSE(elsewhere.find(kKey));
  // The same project named another way is the same project.
  CHECK(FactsCache(cache_folder, project.path() / ".").file() == cache.file());
  CHECK(FactsCache(cache_folder, project.path().string() + "/").file() == cache.file());
  CHECK(FactsCache(cache_folder, project.path() / ".." / project.path().filename()).file() == cache.file());
}

TEST_CASE("facts cache: the file layout the damage tests craft is the one written", "[cache]") {
  TempDir project, folder;
  FactsCache cache(folder.path(), project.path());
  cache.store(kKey, sample_facts());
  REQUIRE(cache.save() == "");
  INFO("facts_cache.cpp writes another layout: update cache_file_bytes() in this test");
  CHECK(read_file(cache.file()) == cache_file_bytes(1, kKey, 1, encode_facts(sample_facts())));
}

TEST_CASE("facts cache: a damaged or foreign cache file is an empty cache, and saving repairs it", "[cache]") {
  TempDir project, folder;
  const fs::path file = FactsCache(folder.path(), project.path()).file();
  std::string good;
  {
    FactsCache cache(folder.path(), project.path());
    cache.store(kKey, sample_facts());
    REQUIRE(cache.save() == "");
    good = read_file(file);
    REQUIRE(FactsCache(folder.path(), project.path()).find(kKey));  // the control: a good file is used
  }
  std::mt19937 random(7);
  std::vector<std::pair<std::string, std::string>> damages = {
      {"an empty file", ""},
      {"half the file", good.substr(0, good.size() / 2)},
      {"all but the last byte", good.substr(0, good.size() - 1)},
      {"one byte more", good + "x"},
      {"only the magic", std::string(kMagic)},
      {"random bytes", random_bytes(random, 4096)},
      {"the magic, then random bytes", std::string(kMagic) + random_bytes(random, 4096)},
      {"another build's file", cache_file_bytes(1, kKey, 1, encode_facts(sample_facts()))
                                   .replace(kMagic.size() + 1, 1, "\x01")},
      {"a good checksum over garbage", [&] {
         std::string rest = random_bytes(random, 300);
         BinaryWriter header;
         header(std::string(facts_layout_id()), uint64_t{std::hash<std::string_view>{}(rest)});
         return std::string(kMagic) + header.take() + rest;
       }()},
  };
  for (const auto& [what, bytes] : damages) {
    INFO("cache file: " << what);
    write_file(file, bytes);
    FactsCache cache(folder.path(), project.path());
    CHECK_FALSE(cache.find(kKey));
    cache.store(kKey, sample_facts());
    CHECK(cache.save() == "");
    std::optional<FileFacts> found = FactsCache(folder.path(), project.path()).find(kKey);
    REQUIRE(found);
    CHECK(differs(sample_facts(), *found) == "");
  }
  // Every single-byte change of the good file: a miss (the checksum, the layout id or the magic differ) or, where
  // the change leaves every value as it was, the same facts - never other facts. Only the last byte of a 10-byte
  // number (the checksum) has bits that no value uses (LEB128 beyond 64 bits), so at most one change is not a miss.
  size_t misses = 0;
  for (size_t at = 0; at < good.size(); ++at) {
    INFO("cache file: byte " << at << " of " << good.size() << " changed");
    std::string damaged = good;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x20);
    write_file(file, damaged);
    FactsCache cache(folder.path(), project.path());
    if (std::optional<FileFacts> found = cache.find(kKey)) {
      CHECK(differs(sample_facts(), *found) == "");
    } else {
      ++misses;
    }
    cache.store(kKey, sample_facts());
    CHECK(cache.save() == "");
    std::optional<FileFacts> found = FactsCache(folder.path(), project.path()).find(kKey);
    REQUIRE(found);
    CHECK(differs(sample_facts(), *found) == "");
  }
  CHECK(misses + 1 >= good.size());

  SECTION("a directory in the file's place") {
    fs::remove(file);
    fs::create_directories(file / "inside");
    FactsCache cache(folder.path(), project.path());
    CHECK_FALSE(cache.find(kKey));
    cache.store(kKey, sample_facts());
    std::string reason;
    CHECK_NOTHROW(reason = cache.save());
    // Either it took the directory's place, or it says why it could not.
    if (reason.empty()) {
      CHECK(FactsCache(folder.path(), project.path()).find(kKey));
    } else {
      CHECK(reason.find(file.filename().string()) != std::string::npos);
    }
  }
}

TEST_CASE("facts cache: an entry whose facts do not decode is a miss", "[cache]") {
  TempDir project, folder;
  const fs::path file = FactsCache(folder.path(), project.path()).file();
  // The checksum matches (the file is whole), yet the entry's bytes are no facts: a miss, not an error.
  write_file(file, cache_file_bytes(1, kKey, 1, "\x05garbage"));
  FactsCache cache(folder.path(), project.path());
  CHECK_FALSE(cache.find(kKey));
  CHECK_FALSE(cache.find(kKey));
}

// An entry whose checksum holds but whose facts do not decode is a miss, and the rebuilt facts replace it (else
// every later run would parse the file again).
TEST_CASE("facts cache: facts rebuilt after an undecodable entry replace it", "[cache]") {
  TempDir project, folder;
  const fs::path file = FactsCache(folder.path(), project.path()).file();
  write_file(file, cache_file_bytes(1, kKey, 1, "\x05garbage"));
  {
    FactsCache cache(folder.path(), project.path());
    REQUIRE_FALSE(cache.find(kKey));
    cache.store(kKey, sample_facts());
    REQUIRE(cache.save() == "");
  }
  std::optional<FileFacts> found = FactsCache(folder.path(), project.path()).find(kKey);
  REQUIRE(found);
  CHECK(differs(sample_facts(), *found) == "");
}

TEST_CASE("facts cache: a folder that cannot be created or written gives a reason, not an exception", "[cache]") {
  TempDir project, folder;
  const fs::path regular = folder.path() / "a-file";
  write_file(regular, "not a folder\n");
  for (const fs::path& place : {regular / "cache", regular, regular / "deeper" / "cache"}) {
    INFO("cache folder " << place);
    FactsCache cache(place, project.path());
    CHECK_FALSE(cache.find(kKey));
    cache.store(kKey, sample_facts());
    std::string reason;
    CHECK_NOTHROW(reason = cache.save());
    CHECK_FALSE(reason.empty());
  }
  CHECK(read_file(regular) == "not a folder\n");
}

TEST_CASE("facts cache: entries unused for 10 cache writes are dropped, used ones kept", "[cache]") {
  TempDir project, folder;
  const FactsKey unused = FactsKey::of("unused", "app.unused", false);
  const FactsKey used = FactsKey::of("used", "app.used", false);
  {
    FactsCache cache(folder.path(), project.path());
    cache.store(unused, sample_facts("Unused"));
    cache.store(used, sample_facts("Used"));
    REQUIRE(cache.save() == "");
  }
  // Each later run uses `used`, changes one other file (so the cache is written) and leaves `unused` alone.
  for (int write = 1; write <= 12; ++write) {
    {
      FactsCache cache(folder.path(), project.path());
      REQUIRE(cache.find(used));
      cache.store(FactsKey::of("edit " + std::to_string(write), "app.edited", false), sample_facts());
      REQUIRE(cache.save() == "");
    }
    // Looking without saving changes nothing.
    FactsCache probe(folder.path(), project.path());
    INFO("after " << write << " later cache writes");
    CHECK(probe.find(used));
    if (write <= 10) CHECK(probe.find(unused));
    else CHECK_FALSE(probe.find(unused));
  }
}
