#include "engine/suppression.h"

#include <cctype>
#include <string_view>

#include "core/text.h"
#include "engine/rule.h"

namespace ormlint {

namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}
bool is_alpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The text after "--" (trimmed), if `text` starts with it: "-- " alone is no reason.
std::string reason_in(std::string_view text) {
  text = trim(text);
  return starts_with(text, "--") ? std::string(trim(text.substr(2))) : std::string();
}

void split_rules(std::string_view list, std::set<std::string>& out) {
  while (!list.empty()) {
    size_t comma = list.find_first_of(", ");
    std::string_view item = trim(list.substr(0, comma));
    if (!item.empty()) out.insert(std::string(item));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// `ignore`, `ignore[a, b]`, each optionally followed by `-- reason` (text after "ormlint:"). Returns false if
// the directive is not an ignore, e.g. "ignored" or an unclosed "[".
bool parse_ignore(std::string_view text, Suppression& s) {
  text = trim(text);
  if (!starts_with(text, "ignore")) return false;
  text.remove_prefix(6);
  if (!text.empty() && text.front() != '[' && !is_space(text.front())) return false;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    split_rules(text.substr(1, close - 1), s.rules);
    text.remove_prefix(close + 1);
  }
  s.reason = reason_in(text);
  return true;
}

// Where `# noqa` starts its word in the comment (case-insensitive, as flake8 reads it), or npos. "snoqalmie"
// or "noqa-related" prose is no directive.
size_t find_noqa(std::string_view text) {
  for (size_t at = 0; at + 4 <= text.size(); ++at) {
    bool match = true;
    for (size_t i = 0; i < 4 && match; ++i) {
      match = std::tolower(static_cast<unsigned char>(text[at + i])) == "noqa"[i];
    }
    if (!match) continue;
    size_t before = at;
    while (before > 0 && is_space(text[before - 1])) --before;
    const bool after_hash = before > 0 && text[before - 1] == '#';
    const bool word_ends = at + 4 == text.size() || (!is_word(text[at + 4]) && text[at + 4] != '-');
    if (after_hash && word_ends) return at;
  }
  return std::string_view::npos;
}

// `: E501, OL101 -- reason` after "noqa". The list ends at the first thing that is not a code or rule name,
// as in flake8: "# noqa: F401  (registers the models)" names only F401.
void parse_noqa_list(std::string_view rest, Suppression& s) {
  if (rest.empty() || rest.front() != ':') {
    s.reason = reason_in(rest);
    return;
  }
  rest.remove_prefix(1);
  while (true) {
    while (!rest.empty() && (is_space(rest.front()) || rest.front() == ',')) rest.remove_prefix(1);
    size_t length = 0;
    while (length < rest.size() && (is_word(rest[length]) || rest[length] == '-')) ++length;
    if (length == 0 || !is_alpha(rest.front())) break;
    s.rules.insert(std::string(rest.substr(0, length)));
    rest.remove_prefix(length);
  }
  s.reason = reason_in(rest);
}

bool looks_like_ormlint_code(const std::string& name) {
  if (name.size() < 3 || !starts_with(name, "OL")) return false;
  for (size_t i = 2; i < name.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> Suppression::ormlint_names() const {
  std::vector<std::string> names;
  for (const std::string& name : rules) {
    if (kind == Kind::Ormlint || find_rule(name) || looks_like_ormlint_code(name)) names.push_back(name);
  }
  return names;
}

bool Suppression::owned_by_ormlint() const {
  return kind == Kind::Ormlint || !ormlint_names().empty();
}

bool FileSuppressions::suppresses(uint32_t line, const std::string& rule_name,
                                  const std::string& code) const {
  auto it = by_line.find(line);
  if (it == by_line.end()) return false;
  const auto& rules = it->second.rules;
  return rules.empty() || rules.count(rule_name) || rules.count(code);
}

bool FileSuppressions::names(uint32_t line, const std::string& rule_name, const std::string& code) const {
  auto it = by_line.find(line);
  if (it == by_line.end()) return false;
  const auto& rules = it->second.rules;
  return rules.count(rule_name) || rules.count(code);
}

bool SuppressionUsage::used_by(uint32_t line, const std::string& rule_name) const {
  auto it = used_by_line.find(line);
  return it != used_by_line.end() && it->second.count(rule_name);
}

FileSuppressions parse_suppressions(const std::vector<Comment>& comments) {
  FileSuppressions result;
  for (const Comment& comment : comments) {
    std::string_view text = comment.text;
    Suppression s;
    s.line = comment.line;
    s.loc = comment.loc;
    bool found = false;
    if (size_t at = text.find("ormlint:"); at != std::string_view::npos) {
      std::string_view directive = trim(text.substr(at + 8));
      if (starts_with(directive, "skip-file")) {
        result.skip_file = true;
        continue;
      }
      found = parse_ignore(directive, s);
    }
    if (!found) {
      if (size_t at = find_noqa(text); at != std::string_view::npos) {
        s.kind = Suppression::Kind::Noqa;
        parse_noqa_list(text.substr(at + 4), s);
        found = true;
      }
    }
    if (found) result.by_line[comment.line] = std::move(s);
  }
  return result;
}

}  // namespace ormlint
