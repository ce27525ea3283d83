// revision-id-mismatch: the file name carries a revision id (Alembic's default template `%(rev)s_%(slug)s`,
// or a date-prefixed one) that differs from the `revision` the script declares — typically a script copied
// from another and edited, whose `revision` (and often down_revision) still belongs to the original. People
// and tools read the id from the file name; Alembic reads the variable. The convention is learnt from the
// location's other files, so locations whose names carry no ids (`20260110120000_create_tables.py`) are left
// alone. A name that fits only a template few files follow holds no id (a slug where the id should be): it is
// reported as naming none.
#include <algorithm>
#include <cctype>
#include <map>
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

// How the files that follow one template carry their ids: what the ids look like, and how many do.
struct IdForm {
  Alphabet alphabet = Alphabet::Digits;
  std::set<char> extra_chars;  // characters of the ids besides letters and digits
  size_t min_length = std::string::npos, max_length = 0;
  size_t followers = 0;
  std::string example;  // the first file name that follows it

  void learn(const std::string& id, const std::string& file_name) {
    alphabet = std::max(alphabet, alphabet_of(id));
    for (char c : id) {
      if (!word_char(c)) {
        extra_chars.insert(c);
        alphabet = Alphabet::Word;
      }
    }
    min_length = std::min(min_length, id.size());
    max_length = std::max(max_length, id.size());
    if (followers++ == 0) example = file_name;
  }

  // Whether `candidate` looks like the ids of this form. Slug ids (`0078_add_status`) vary in length; hashes
  // and numbers do not.
  bool fits_id(const std::string& candidate) const {
    const bool long_enough = candidate.size() >= min_length;
    const bool short_enough = !extra_chars.empty() || candidate.size() <= max_length;
    return fits(candidate, alphabet, extra_chars) && long_enough && short_enough;
  }
};

// A template: the shape of what precedes the id, and the separator after it ('\0': the id ends the name).
using Template = std::pair<std::string, char>;

// How this location's files carry their ids, learnt from the files that do, per template: one script named
// after a slug id (Skyvern's `2025_01_24_0000-add_task_credentials.py` among hex ids) must not make every
// name's slug look like an id.
struct Convention {
  std::map<Template, IdForm> templates;
  size_t followers = 0;  // files named after their own id

  void learn(const std::string& stem, const std::string& id, size_t at, const std::string& file_name) {
    size_t end = at + id.size();
    templates[{shape(stem.substr(0, at)), end < stem.size() ? stem[end] : '\0'}].learn(id, file_name);
    ++followers;
  }

  // The template most files follow.
  const std::pair<const Template, IdForm>& usual() const {
    return *std::max_element(templates.begin(), templates.end(), [](const auto& a, const auto& b) {
      return a.second.followers < b.second.followers;
    });
  }

  struct Found {
    size_t start = 0, length = 0;  // length 0: the name follows no template
    bool usual = false;            // through a template most files follow
  };

  // Where the id sits in a file name that follows the convention.
  Found id_in(const std::string& stem) const {
    Found found;
    for (const auto& [key, form] : templates) {
      const auto& [prefix, separator] = key;
      // Ids that hold the separator themselves (`0380_email_branding_cols_.py` of id
      // `0380_email_branding_cols`) say nothing about where another name's id ends.
      if (separator && form.extra_chars.count(separator)) continue;
      if (stem.size() <= prefix.size() || shape(stem.substr(0, prefix.size())) != prefix) continue;
      size_t end = separator ? stem.find(separator, prefix.size()) : stem.size();
      if (end == std::string::npos) continue;
      std::string candidate = stem.substr(prefix.size(), end - prefix.size());
      if (!form.fits_id(candidate)) continue;
      const bool usual = 2 * form.followers >= followers;
      if (found.length == 0 || (usual && !found.usual)) found = {prefix.size(), candidate.size(), usual};
    }
    return found;
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
          convention.learn(stem, node.id, at, node.file->source.path().filename().string());
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
    const Convention::Found found = convention.id_in(stem);
    if (found.length == 0) return;
    if (!found.usual) return report_no_id(location, convention, node, out);
    std::string file_name = node.file->source.path().filename().string();
    std::string named = stem.substr(found.start, found.length);
    std::string renamed = stem.substr(0, found.start) + node.id + stem.substr(found.start + found.length) +
                          node.file->source.path().extension().string();
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

  // A name that fits only a template few files follow (Skyvern's
  // `2026_02_13_0000-add_2fa_waiting_state_fields.py` of revision 'a1b2c3d4e5f6', where the others are
  // `<date>-<hex id>_<slug>.py`): its slug is no id, so the file name names no revision at all.
  static void report_no_id(const RevisionLocation& location, const Convention& convention,
                           const RevisionNode& node, Reporter& out) {
    const auto& [usual, form] = convention.usual();
    const auto& [prefix, separator] = usual;
    const std::string stem = stem_of(node);
    const std::string extension = node.file->source.path().extension().string();
    std::string rename = "name the file after its id, as " + form.example;
    if (stem.size() > prefix.size() && shape(stem.substr(0, prefix.size())) == prefix) {
      std::string rest = separator ? std::string(1, separator) + stem.substr(prefix.size()) : std::string();
      rename = "rename the file to " + stem.substr(0, prefix.size()) + node.id + rest + extension;
    }
    out.report(
        *node.file, node.info->revision_loc,
        "file name " + node.file->source.path().filename().string() +
            " does not contain the script's revision id '" + node.id + "'; the other scripts in " +
            location.name + " are named after their ids, as " + form.example,
        rename + " (if `revision` is wrong instead, fix it and the down_revision of the script after it)");
  }
};

ORMLINT_RULE(RevisionIdMismatch);

}  // namespace

}  // namespace ormlint
