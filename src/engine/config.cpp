#include "engine/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>

#include "core/text.h"
#include "engine/rule.h"

namespace ormlint {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kAll = "ALL";
// The rule `require-suppression-reason = true` turns on (rules/suppression-without-reason).
constexpr std::string_view kSuppressionReasonRule = "suppression-without-reason";

std::string compose_message(const std::string& file, uint32_t line, const std::string& problem) {
  if (file.empty()) return problem;
  if (line == 0) return file + ": " + problem;
  return file + ":" + std::to_string(line) + ": " + problem;
}

std::string in_quotes(std::string_view text) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) about `"\"" + std::string(...)`.
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted.append(1, '"').append(text).append(1, '"');
  return quoted;
}

// Optimal string alignment distance: Levenshtein plus adjacent transpositions, so "ignroe" is one typo away
// from "ignore" rather than two.
size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (size_t j = 0; j <= m; ++j) previous[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

// A suggestion far from what was typed is noise ("did you mean "profile"?" for "foo"), so only offer one
// within roughly half the typed length.
bool close_enough(std::string_view typed, size_t distance) {
  return distance * 2 <= std::max<size_t>(typed.size(), 2);
}

const std::vector<std::string_view>& valid_keys() {
  static const std::vector<std::string_view> keys = {
      "profile",  "select",           "extend-select",
      "ignore",   "per-file-ignores", "exclude",
      "severity", "fail-level",       "require-suppression-reason",
      "baseline", "cache-dir",        "declarative-bases"};
  return keys;
}

std::optional<std::string> closest_key(std::string_view typed) {
  std::optional<std::string> best;
  size_t best_distance = 0;
  for (std::string_view key : valid_keys()) {
    const size_t d = edit_distance(lower(typed), key);
    if (!best || d < best_distance) {
      best = std::string(key);
      best_distance = d;
    }
  }
  if (best && close_enough(typed, best_distance)) return best;
  return std::nullopt;
}

uint32_t line_of(const toml::node& node) {
  return node.source().begin.line;
}

// Keys of tables declared by a header carry the header's position; fall back to the value when a key has
// none.
uint32_t line_of(const toml::key& key, const toml::node& value) {
  return key.source().begin.line != 0 ? key.source().begin.line : line_of(value);
}

std::string all_severities_text() {
  return "\"info\", \"warning\" or \"error\"";
}

// Reads the whole file so that open failures get a clear message rather than toml++'s generic one.
std::optional<std::string> read_text(const fs::path& file, std::string* error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    if (error) *error = std::string("cannot read the file: ") + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    if (error) *error = "cannot read the file";
    return std::nullopt;
  }
  return buffer.str();
}

bool is_pyproject(const fs::path& file) {
  return file.filename() == "pyproject.toml";
}

class ConfigReader {
 public:
  ConfigReader(const fs::path& file, Config& config) : file_(file.string()), config_(config) {}

  void read(const toml::table& settings, bool in_pyproject) {
    const std::string where = in_pyproject ? " in [tool.ormlint]" : "";
    for (auto&& [key, value] : settings) {
      const std::string_view name = key.str();
      const uint32_t line = line_of(key, value);
      if (name == "profile") {
        read_profile(value);
      } else if (name == "select") {
        config_.select = rule_list(value, "select", true);
      } else if (name == "extend-select") {
        config_.extend_select = rule_list(value, "extend-select", true);
      } else if (name == "ignore") {
        config_.ignore = rule_list(value, "ignore", true);
      } else if (name == "per-file-ignores") {
        read_per_file_ignores(value, line);
      } else if (name == "exclude") {
        read_exclude(value);
      } else if (name == "severity") {
        read_severity(value, line);
      } else if (name == "fail-level") {
        config_.fail_level = severity_value(value, "fail-level", "");
      } else if (name == "require-suppression-reason") {
        const auto* flag = value.as_boolean();
        if (!flag) fail(line, "\"require-suppression-reason\" must be true or false");
        config_.require_suppression_reason = flag->get();
      } else if (name == "baseline") {
        read_baseline(value, line);
      } else if (name == "cache-dir") {
        const auto* text = value.as_string();
        if (!text || text->get().empty()) fail(line, "\"cache-dir\" must be a non-empty string (a folder path)");
        config_.cache_dir = (config_.root / text->get()).lexically_normal();
      } else if (name == "declarative-bases") {
        read_declarative_bases(value, line);
      } else if (const Rule* rule = find_rule(name); rule && value.is_table()) {
        read_rule_settings(*rule, *value.as_table(), line);
      } else if (!in_pyproject && name == "tool") {
        // People copy a pyproject.toml section verbatim; say what to change instead of only "unknown key".
        fail(line, "unknown key \"tool\"; in " + fs::path(file_).filename().string() +
                       " the settings go at the top level, without a [tool.ormlint] header");
      } else {
        std::string problem = "unknown key " + in_quotes(name) + where;
        if (auto suggestion = closest_key(name)) {
          problem += "; did you mean " + in_quotes(*suggestion) + "?";
        } else {
          problem += "; valid keys are ";
          for (size_t i = 0; i < valid_keys().size(); ++i) {
            if (i) problem += ", ";
            problem += in_quotes(valid_keys()[i]);
          }
        }
        fail(line, problem);
      }
    }
  }

 private:
  [[noreturn]] void fail(uint32_t line, const std::string& problem) const {
    throw ConfigError(file_, line, problem);
  }

  // `declarative-bases = ["pkg.module.Base", ...]`: dotted names, as the models import them; a factory's name
  // called, `"sqlalchemy_helpers.get_base()"`, for the base it returns (`BASE = get_base()`, mirrormanager2).
  void read_declarative_bases(const toml::node& value, uint32_t line) {
    const std::string usage =
        "\"declarative-bases\" must be a list of dotted names (\"shared_models.base.Base\")";
    const auto* list = value.as_array();
    if (!list) fail(line, usage);
    for (const toml::node& item : *list) {
      const auto* text = item.as_string();
      const uint32_t item_line = line_of(item) != 0 ? line_of(item) : line;
      if (!text) fail(item_line, usage);
      const std::string& name = text->get();
      const std::string_view path = std::string_view(name).ends_with("()")
                                        ? std::string_view(name).substr(0, name.size() - 2)
                                        : std::string_view(name);
      const bool dotted = path.find('.') != std::string::npos && path.front() != '.' && path.back() != '.' &&
                          path.find("..") == std::string::npos &&
                          path.find_first_of(" \t()[]") == std::string::npos;
      if (!dotted)
        fail(item_line,
             "\"declarative-bases\": " + in_quotes(name) +
                 " is not a dotted name (module and class: \"shared_models.base.Base\", or a factory "
                 "called: \"sqlalchemy_helpers.get_base()\")");
      config_.declarative_bases.insert(name);
    }
  }

  // `[tool.ormlint.migration-filename] pattern = "..."`: only the settings the rule declares, as strings.
  void read_rule_settings(const Rule& rule, const toml::table& table, uint32_t line) {
    const RuleInfo& info = rule.info();
    const std::vector<RuleSetting> settings = rule.settings();
    for (auto&& [key, value] : table) {
      const std::string setting(key.str());
      bool known = false;
      for (const RuleSetting& s : settings) known = known || s.name == setting;
      const uint32_t setting_line = line_of(key, value) != 0 ? line_of(key, value) : line;
      if (!known) {
        std::string problem = "unknown setting " + in_quotes(setting) + " for rule " + in_quotes(info.name);
        if (settings.empty()) {
          problem += " (it has no settings)";
        } else {
          problem += "; valid settings are ";
          for (size_t i = 0; i < settings.size(); ++i) problem += (i ? ", " : "") + in_quotes(settings[i].name);
        }
        fail(setting_line, problem);
      }
      std::string text;
      if (const auto* str = value.as_string()) {
        text = str->get();
      } else if (const auto* integer = value.as_integer()) {
        text = std::to_string(integer->get());
      } else if (const auto* boolean = value.as_boolean()) {
        text = boolean->get() ? "true" : "false";
      } else {
        fail(setting_line, in_quotes(info.name + "." + setting) + " must be a string, number or boolean");
      }
      config_.rule_settings[info.name][setting] = text;
    }
  }

  // A file path relative to the configuration file's folder, like the globs.
  void read_baseline(const toml::node& value, uint32_t line) {
    const auto* text = value.as_string();
    if (!text || text->get().empty()) fail(line, "\"baseline\" must be a non-empty string (a file path)");
    const std::string& path = text->get();
    if (path.back() == '/' || path == "." || path == "..") {
      fail(line, "\"baseline\" must name a file, not a folder: " + in_quotes(path));
    }
    config_.baseline = (config_.root / path).lexically_normal();
  }

  void read_profile(const toml::node& value) {
    const auto* text = value.as_string();
    std::optional<Profile> profile = text ? parse_profile(text->get()) : std::nullopt;
    if (!profile) {
      const std::string got =
          text ? "invalid profile " + in_quotes(text->get()) : "\"profile\" must be a string";
      fail(line_of(value), got + "; expected \"portable\" or \"postgresql\"");
    }
    config_.profile = *profile;
    config_.profile_chosen = true;
  }

  // Validates every entry here, where the line is known, and stores kebab names so later consumers can
  // compare names directly.
  std::vector<std::string> rule_list(const toml::node& value, const std::string& key, bool allow_all) {
    const auto* array = value.as_array();
    if (!array) fail(line_of(value), in_quotes(key) + " must be an array of rule names");
    std::vector<std::string> names;
    for (const toml::node& item : *array) {
      const auto* text = item.as_string();
      const uint32_t line = line_of(item) != 0 ? line_of(item) : line_of(value);
      if (!text) fail(line, in_quotes(key) + " must be an array of rule names");
      if (allow_all && text->get() == kAll) {
        names.emplace_back(kAll);
        continue;
      }
      names.push_back(rule_or_error(text->get(), file_, line)->info().name);
    }
    return names;
  }

  void read_per_file_ignores(const toml::node& value, uint32_t line) {
    const auto* table = value.as_table();
    if (!table) fail(line, "\"per-file-ignores\" must be a table of glob = [rule names]");
    for (auto&& [glob, rules] : *table) {
      const std::string label = "\"per-file-ignores\" entry " + in_quotes(glob.str());
      const auto* array = rules.as_array();
      if (!array) fail(line_of(glob, rules), label + " must be an array of rule names");
      std::vector<std::string> names;
      for (const toml::node& item : *array) {
        const auto* text = item.as_string();
        const uint32_t item_line = line_of(item) != 0 ? line_of(item) : line_of(glob, rules);
        if (!text) fail(item_line, label + " must be an array of rule names");
        // The engine matches findings by name; spelling out "ALL" spares it a special case.
        if (text->get() == kAll) {
          for (const Rule* rule : all_rules()) names.push_back(rule->info().name);
        } else {
          names.push_back(rule_or_error(text->get(), file_, item_line)->info().name);
        }
      }
      config_.per_file_ignores.emplace_back(std::string(glob.str()), std::move(names));
    }
  }

  void read_exclude(const toml::node& value) {
    const auto* array = value.as_array();
    if (!array) fail(line_of(value), "\"exclude\" must be an array of glob patterns");
    for (const toml::node& item : *array) {
      const auto* text = item.as_string();
      if (!text) {
        fail(line_of(item) != 0 ? line_of(item) : line_of(value),
             "\"exclude\" must be an array of glob patterns");
      }
      config_.exclude.push_back(text->get());
    }
  }

  void read_severity(const toml::node& value, uint32_t line) {
    const auto* table = value.as_table();
    if (!table) fail(line, "\"severity\" must be a table of rule name = " + all_severities_text());
    for (auto&& [name, level] : *table) {
      const Rule* rule = rule_or_error(std::string(name.str()), file_, line_of(name, level));
      config_.severity[rule->info().name] =
          severity_value(level, "severity", " for " + in_quotes(name.str()));
    }
  }

  // `what` names the setting in messages: "fail-level", or "severity" with `context` naming the rule.
  Severity severity_value(const toml::node& value, const std::string& what,
                          const std::string& context) const {
    const auto* text = value.as_string();
    std::optional<Severity> severity = text ? parse_severity(text->get()) : std::nullopt;
    if (!severity) {
      const std::string got = text ? "invalid " + what + " " + in_quotes(text->get()) + context
                                   : in_quotes(what) + context + " must be a string";
      fail(line_of(value), got + "; expected " + all_severities_text());
    }
    return *severity;
  }

  std::string file_;
  Config& config_;
};

// ---- glob matching ----

enum class TokenKind { Literal, AnyChar, AnyRun, AnyFolders, Class };

struct Token {
  TokenKind kind = TokenKind::Literal;
  char literal = 0;
  std::vector<std::pair<char, char>> ranges;  // for Class
  bool negated = false;                       // for Class
};

std::vector<Token> tokenize(std::string_view pattern) {
  std::vector<Token> tokens;
  for (size_t i = 0; i < pattern.size();) {
    Token token;
    const char c = pattern[i];
    if (c == '*') {
      size_t stars = i;
      while (stars < pattern.size() && pattern[stars] == '*') ++stars;
      const bool at_component_start = i == 0 || pattern[i - 1] == '/';
      if (stars - i >= 2 && at_component_start && stars < pattern.size() && pattern[stars] == '/') {
        token.kind = TokenKind::AnyFolders;
        i = stars + 1;
      } else {
        // Since '*' already crosses folders, a run of stars anywhere else means the same as one.
        token.kind = TokenKind::AnyRun;
        i = stars;
      }
    } else if (c == '?') {
      token.kind = TokenKind::AnyChar;
      ++i;
    } else if (c == '[') {
      size_t j = i + 1;
      Token cls;
      cls.kind = TokenKind::Class;
      if (j < pattern.size() && (pattern[j] == '!' || pattern[j] == '^')) {
        cls.negated = true;
        ++j;
      }
      bool first = true;
      bool closed = false;
      while (j < pattern.size()) {
        if (pattern[j] == ']' && !first) {
          closed = true;
          break;
        }
        char low = pattern[j], high = pattern[j];
        if (j + 2 < pattern.size() && pattern[j + 1] == '-' && pattern[j + 2] != ']') {
          high = pattern[j + 2];
          j += 3;
        } else {
          ++j;
        }
        cls.ranges.emplace_back(low, high);
        first = false;
      }
      if (closed) {
        token = std::move(cls);
        i = j + 1;
      } else {
        // An unclosed bracket is a literal, as in most shells.
        token.literal = '[';
        ++i;
      }
    } else {
      token.literal = c;
      ++i;
    }
    tokens.push_back(std::move(token));
  }
  return tokens;
}

bool token_accepts(const Token& token, char c) {
  switch (token.kind) {
    case TokenKind::Literal:
      return token.literal == c;
    case TokenKind::AnyChar:
      return true;
    case TokenKind::Class: {
      bool in = false;
      for (auto [low, high] : token.ranges) in = in || (c >= low && c <= high);
      return in != token.negated;
    }
    case TokenKind::AnyRun:
    case TokenKind::AnyFolders:
      return false;
  }
  return false;
}

// Sets of reachable text positions, advanced token by token: linear in pattern × text, with no backtracking,
// so pathological patterns like "*a*a*a*a*b" cannot blow up.
bool glob_match(const std::vector<Token>& tokens, std::string_view text) {
  const size_t n = text.size();
  std::vector<char> reachable(n + 1, 0), next(n + 1, 0);
  reachable[0] = 1;
  for (const Token& token : tokens) {
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    switch (token.kind) {
      case TokenKind::AnyRun:
        for (size_t j = 0; j <= n; ++j) {
          any = any || reachable[j];
          next[j] = any;
        }
        break;
      case TokenKind::AnyFolders:
        // Empty, or anything that ends at a '/'.
        for (size_t j = 0; j <= n; ++j) {
          next[j] = reachable[j] || (any && j > 0 && text[j - 1] == '/');
          any = any || reachable[j];
        }
        break;
      default:
        for (size_t j = 0; j < n; ++j) {
          if (reachable[j] && token_accepts(token, text[j])) {
            next[j + 1] = 1;
            any = true;
          }
        }
        break;
    }
    if (!any) return false;
    std::swap(reachable, next);
  }
  return reachable[n] != 0;
}

std::string_view strip_dot_slash(std::string_view text) {
  while (text.size() >= 2 && text[0] == '.' && text[1] == '/') {
    text.remove_prefix(2);
    while (!text.empty() && text.front() == '/') text.remove_prefix(1);
  }
  return text;
}

}  // namespace

ConfigError::ConfigError(std::string file, uint32_t line, std::string problem)
    : std::runtime_error(compose_message(file, line, problem)), file_(std::move(file)), line_(line) {}

std::optional<fs::path> find_config_file(const fs::path& start) {
  std::error_code ec;
  fs::path folder = fs::absolute(start.empty() ? fs::path(".") : start, ec);
  if (ec) return std::nullopt;
  folder = folder.lexically_normal();
  if (!fs::is_directory(folder, ec)) folder = folder.parent_path();
  // lexically_normal leaves a trailing separator on folders ("/a/b/"), whose parent_path is itself.
  if (folder.has_relative_path() && folder.filename().empty()) folder = folder.parent_path();

  while (true) {
    const fs::path own = folder / "ormlint.toml";
    if (fs::exists(own, ec) && !fs::is_directory(own, ec)) return own;

    const fs::path pyproject = folder / "pyproject.toml";
    if (fs::is_regular_file(pyproject, ec)) {
      // Most pyproject.toml files never mention us: a substring check avoids parsing them.
      if (auto text = read_text(pyproject, nullptr); text && text->find("ormlint") != std::string::npos) {
        try {
          toml::table table = toml::parse(*text, pyproject.string());
          if (table["tool"]["ormlint"]) return pyproject;
        } catch (const toml::parse_error&) {
          // A broken file that plainly meant to configure us must report its error rather than be passed
          // over.
          if (text->find("tool.ormlint") != std::string::npos) return pyproject;
        }
      }
    }

    const fs::path parent = folder.parent_path();
    if (parent == folder || parent.empty()) return std::nullopt;
    folder = parent;
  }
}

Config load_config(const fs::path& file) {
  Config config;
  config.source = file;
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec);
  config.root = (ec ? file : absolute).lexically_normal().parent_path();
  if (config.root.empty()) config.root = ".";

  std::string error;
  std::optional<std::string> text = read_text(file, &error);
  if (!text) throw ConfigError(file.string(), 0, error);

  toml::table document;
  try {
    document = toml::parse(*text, file.string());
  } catch (const toml::parse_error& e) {
    throw ConfigError(file.string(), e.source().begin.line, std::string(e.description()));
  }

  ConfigReader reader(file, config);
  if (!is_pyproject(file)) {
    reader.read(document, false);
    return config;
  }
  toml::node_view<toml::node> section = document["tool"]["ormlint"];
  if (!section) return config;  // nothing for us: the defaults apply
  const toml::table* table = section.as_table();
  if (!table) throw ConfigError(file.string(), line_of(*section.node()), "[tool.ormlint] must be a table");
  reader.read(*table, true);
  return config;
}

const Rule* closest_rule(std::string_view typed) {
  const std::string typed_lower = lower(typed);
  const Rule* best = nullptr;
  size_t best_distance = 0;
  for (const Rule* rule : all_rules()) {
    for (const std::string* candidate : {&rule->info().name, &rule->info().code}) {
      const size_t d = edit_distance(typed_lower, lower(*candidate));
      if (!best || d < best_distance) {
        best = rule;
        best_distance = d;
      }
    }
  }
  // Codes are short and differ in a digit or two, so a code is only suggested for a single typo: "OL999" is no
  // misspelling of "OL229".
  const bool typed_a_code = typed_lower.size() > 2 && typed_lower.compare(0, 2, "ol") == 0 &&
                            std::all_of(typed_lower.begin() + 2, typed_lower.end(),
                                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  if (!best || !close_enough(typed, best_distance) || (typed_a_code && best_distance > 1)) return nullptr;
  return best;
}

const Rule* rule_or_error(const std::string& name, const std::string& origin, uint32_t line) {
  if (const Rule* rule = find_rule(name)) return rule;

  std::string problem = "unknown rule " + in_quotes(name);
  if (const Rule* best = closest_rule(name)) {
    problem += "; did you mean " + in_quotes(best->info().name) + "?";
  } else {
    problem += "; run \"ormlint rules\" to list them";
  }
  throw ConfigError(origin, line, problem);
}

std::vector<const Rule*> active_rules(const Config& config, const std::string& origin) {
  // "ALL" stays within the profile: the two profiles' rules give opposite advice, so enabling both is never
  // meant. A rule named explicitly still runs whatever its profile.
  auto in_profile = [&](const Rule* rule) {
    const Profile p = rule->info().profile;
    return p == Profile::Any || p == config.profile;
  };
  std::set<const Rule*> chosen;
  auto add = [&](const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      if (name == kAll) {
        for (const Rule* rule : all_rules()) {
          if (in_profile(rule)) chosen.insert(rule);
        }
      } else {
        chosen.insert(rule_or_error(name, origin, 0));
      }
    }
  };

  if (config.select) {
    add(*config.select);
  } else {
    for (const Rule* rule : all_rules()) {
      if (rule->info().enabled_by_default && in_profile(rule)) chosen.insert(rule);
    }
  }
  add(config.extend_select);
  // The configuration key is the friendly spelling of selecting this rule; `ignore` still wins over it.
  if (config.require_suppression_reason) {
    if (const Rule* rule = find_rule(kSuppressionReasonRule)) chosen.insert(rule);
  }
  for (const std::string& name : config.ignore) {
    if (name == kAll) {
      chosen.clear();
    } else {
      chosen.erase(rule_or_error(name, origin, 0));
    }
  }

  // all_rules() is ordered by code, so filtering it gives the required order without a sort.
  std::vector<const Rule*> result;
  for (const Rule* rule : all_rules()) {
    if (chosen.count(rule)) result.push_back(rule);
  }
  return result;
}

bool path_matches(const std::string& relative_path, const std::string& pattern) {
  std::string_view path = strip_dot_slash(relative_path);
  std::string_view pat = strip_dot_slash(pattern);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const bool folder_only = !pat.empty() && pat.back() == '/';
  while (!pat.empty() && pat.back() == '/') pat.remove_suffix(1);
  if (pat.empty() || path.empty()) return false;

  const std::vector<Token> tokens = tokenize(pat);
  const bool anchored = folder_only || pat.find('/') != std::string_view::npos;

  // A pattern that matches a folder matches everything inside it, so try the path and each enclosing folder.
  // Which of them are folders is unknown here (the path itself may be one), so the path counts for "x/" too.
  for (size_t end = path.find('/');; end = path.find('/', end + 1)) {
    const std::string_view prefix = path.substr(0, end);
    if (glob_match(tokens, prefix)) return true;
    if (end == std::string_view::npos) break;
  }
  if (!anchored) {
    // Without a '/', the pattern names a file or folder at any depth.
    size_t begin = 0;
    while (begin < path.size()) {
      size_t end = path.find('/', begin);
      if (end == std::string_view::npos) end = path.size();
      if (glob_match(tokens, path.substr(begin, end - begin))) return true;
      begin = end + 1;
    }
  }
  return false;
}

}  // namespace ormlint
