// revision-id-mismatch: the file name carries a revision id (Alembic's default template `%(rev)s_%(slug)s`, or a
// date-prefixed one) that differs from the `revision` the script declares — typically a script copied from another
// and edited, whose `revision` (and often down_revision) still belongs to the original. People and tools read the
// id from the file name; Alembic reads the variable. The convention is learnt from the location's other files, so
// locations whose names carry no ids (`20260110120000_create_tables.py`) are left alone.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "engine/rule.h"

namespace ormlint {

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Where `id` occurs in `stem` as a whole token (not inside a longer run of letters and digits), or npos.
size_t find_token(const std::string& stem, const std::string& id) {
  if (id.empty()) return std::string::npos;
  for (size_t at = stem.find(id); at != std::string::npos; at = stem.find(id, at + 1)) {
    bool left = at == 0 || !word_char(stem[at - 1]);
    bool right = at + id.size() == stem.size() || !word_char(stem[at + id.size()]);
    if (left && right) return at;
  }
  return std::string::npos;
}

// A file-name prefix with its digits generalised: "2024_01_05_1200-" -> "9999_99_99_9999-".
std::string shape(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (std::isdigit(static_cast<unsigned char>(c))) c = '9';
  }
  return out;
}

enum class Alphabet { Digits, Hex, Word };

Alphabet alphabet_of(const std::string& id) {
  bool digits = std::all_of(id.begin(), id.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (digits) return Alphabet::Digits;
  bool hex = std::all_of(id.begin(), id.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'); });
  return hex ? Alphabet::Hex : Alphabet::Word;
}

// `extra`: the other characters the location's ids hold (`_` in notifications-api's `0078_add_status`).
bool fits(const std::string& text, Alphabet alphabet, const std::set<char>& extra) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    switch (alphabet) {
      case Alphabet::Digits: return std::isdigit(static_cast<unsigned char>(c)) != 0;
      case Alphabet::Hex: return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
      case Alphabet::Word:
        return word_char(c) || extra.count(c) > 0;
    }
    return false;
  });
}

// How this location's files carry their ids, learnt from the files that do: what precedes the id (shape), what
// follows it, and what the ids look like.
struct Convention {
  std::set<std::pair<std::string, char>> templates;  // prefix shape, separator after the id ('\0': id ends the name)
  Alphabet alphabet = Alphabet::Digits;
  std::set<char> extra_chars;  // characters of the ids besides letters and digits
  size_t min_length = std::string::npos, max_length = 0;
  size_t followers = 0;  // files named after their own id

  void learn(const std::string& stem, const std::string& id, size_t at) {
    size_t end = at + id.size();
    templates.emplace(shape(stem.substr(0, at)), end < stem.size() ? stem[end] : '\0');
    alphabet = std::max(alphabet, alphabet_of(id));
    for (char c : id) {
      if (!word_char(c)) {
        extra_chars.insert(c);
        alphabet = Alphabet::Word;
      }
    }
    min_length = std::min(min_length, id.size());
    max_length = std::max(max_length, id.size());
    ++followers;
  }

  // Where the id sits in a file name that follows the convention: {start, length}; length 0 when it does not.
  std::pair<size_t, size_t> id_in(const std::string& stem) const {
    for (const auto& [prefix, separator] : templates) {
      // Ids that hold the separator themselves (`0380_email_branding_cols_.py` of id
      // `0380_email_branding_cols`) say nothing about where another name's id ends.
      if (separator && extra_chars.count(separator)) continue;
      if (stem.size() <= prefix.size() || shape(stem.substr(0, prefix.size())) != prefix) continue;
      size_t end = separator ? stem.find(separator, prefix.size()) : stem.size();
      if (end == std::string::npos) continue;
      std::string candidate = stem.substr(prefix.size(), end - prefix.size());
      // Slug ids (`0078_add_status`) vary in length; hashes and numbers do not.
      const bool long_enough = candidate.size() >= min_length;
      const bool short_enough = !extra_chars.empty() || candidate.size() <= max_length;
      if (fits(candidate, alphabet, extra_chars) && long_enough && short_enough) {
        return {prefix.size(), candidate.size()};
      }
    }
    return {0, 0};
  }
};

std::string stem_of(const RevisionNode& node) { return node.file->source.path().stem().string(); }

class RevisionIdMismatch final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL306", "revision-id-mismatch",
                               "File name carries a revision id that differs from the script's `revision` (where "
                               "the location names files after their ids)",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    for (const RevisionLocation& location : project.revision_locations()) {
      Convention convention;
      size_t with_ids = 0;
      std::vector<size_t> strays;  // scripts whose name does not contain their own id
      for (size_t i = 0; i < location.nodes.size(); ++i) {
        const RevisionNode& node = location.nodes[i];
        if (node.id.empty()) continue;
        ++with_ids;
        std::string stem = stem_of(node);
        size_t at = find_token(stem, node.id);
        if (at == std::string::npos) {
          strays.push_back(i);
        } else {
          convention.learn(stem, node.id, at);
        }
      }
      // The location names files after their ids when most of the *other* files do (and at least one does).
      size_t others = with_ids - 1;
      if (convention.followers == 0 || 2 * convention.followers < others) continue;
      for (size_t stray : strays) check(location, convention, stray, out);
    }
  }

 private:
  static void check(const RevisionLocation& location, const Convention& convention, size_t index, Reporter& out) {
    const RevisionNode& node = location.nodes[index];
    std::string stem = stem_of(node);
    auto [at, length] = convention.id_in(stem);
    if (length == 0) return;
    std::string named = stem.substr(at, length);
    std::string file_name = node.file->source.path().filename().string();
    std::string renamed = stem.substr(0, at) + node.id + stem.substr(at + length) + node.file->source.path().extension().string();
    // A declared id that another script declares too, or a named id that belongs to another script: a copy.
    std::string owner;
    if (auto it = location.by_id.find(node.id); it != location.by_id.end() && it->second.size() > 1) {
      size_t other = it->second.front() == index ? it->second.back() : it->second.front();
      owner = ", which " + location.nodes[other].file->path() + " declares too (a copied script?)";
    } else if (auto named_it = location.by_id.find(named); named_it != location.by_id.end()) {
      owner = " (the file name's id belongs to " + location.nodes[named_it->second.front()].file->path() + ")";
    }
    out.report(*node.file, node.info->revision_loc,
               "file name " + file_name + " says revision '" + named + "' but the script declares revision = '" +
                   node.id + "'" + owner + "; the other scripts in " + location.name + " are named after their ids",
               "if `revision` is right, rename the file to " + renamed +
                   "; if the file name is right, fix `revision` (and the down_revision of the script after it)");
  }
};

ORMLINT_RULE(RevisionIdMismatch);

}  // namespace

}  // namespace ormlint
