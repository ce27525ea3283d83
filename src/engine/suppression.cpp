#include "engine/suppression.h"

#include <cctype>
#include <string_view>

namespace ormlint {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
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

// Parses one directive starting at `text` (after "ormlint:" or "noqa"). Returns false if it is not one.
bool parse_ignore(std::string_view text, Suppression& s) {
  text = trim(text);
  if (text.rfind("ignore", 0) != 0) return false;
  text.remove_prefix(6);
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    split_rules(text.substr(1, close - 1), s.rules);
    text.remove_prefix(close + 1);
  }
  text = trim(text);
  if (text.rfind("--", 0) == 0) s.reason = std::string(trim(text.substr(2)));
  return true;
}

}  // namespace

bool FileSuppressions::suppresses(uint32_t line, const std::string& rule_name, const std::string& code) const {
  auto it = by_line.find(line);
  if (it == by_line.end()) return false;
  const auto& rules = it->second.rules;
  return rules.empty() || rules.count(rule_name) || rules.count(code);
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
      if (directive.rfind("skip-file", 0) == 0) {
        result.skip_file = true;
        continue;
      }
      found = parse_ignore(directive, s);
    } else if (size_t at = text.find("noqa"); at != std::string_view::npos) {
      std::string_view rest = text.substr(at + 4);
      found = true;
      if (!rest.empty() && rest.front() == ':') {
        std::string_view list = rest.substr(1);
        if (size_t dash = list.find("--"); dash != std::string_view::npos) {
          s.reason = std::string(trim(list.substr(dash + 2)));
          list = list.substr(0, dash);
        }
        split_rules(list, s.rules);
      }
    }
    if (found) result.by_line[comment.line] = std::move(s);
  }
  return result;
}

}  // namespace ormlint
