// missing-migration-message: a revision script without a message at the top of its docstring. `alembic
// history`, `alembic heads` and the version graph show that line; without it a revision is a bare hex id.
// Alembic's template writes the `-m` message there; a revision created without `-m` gets an empty first line
// (or, with Flask-Migrate, "empty message").
#include <string>
#include <string_view>

#include "core/text.h"
#include "engine/rule.h"

namespace ormlint {

namespace {

// The message Alembic shows: the docstring's first line, after leading blank lines. A first line that is the
// template's header (`Revision ID: ...`) is no message.
std::string message_of(std::string_view docstring) {
  while (!docstring.empty()) {
    size_t end = docstring.find('\n');
    std::string_view line = trim(docstring.substr(0, end));
    docstring = end == std::string_view::npos ? std::string_view{} : docstring.substr(end + 1);
    if (line.empty()) continue;
    if (lower(line).rfind("revision id:", 0) == 0) return "";
    return std::string(line);
  }
  return "";
}

class MissingMigrationMessage final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL230", "missing-migration-message",
                               "Revision without a message at the top of its docstring: history shows only a hex id",
                               Severity::Info, Profile::Any, false};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    std::string message = revision.docstring ? message_of(*revision.docstring) : "";
    bool placeholder = message == "empty message";  // Flask-Migrate's `flask db migrate` without -m
    if (!message.empty() && !placeholder) return;
    std::string id = revision.revision && revision.revision->is_string() ? " " + revision.revision->text : "";
    std::string problem = placeholder          ? "only has the placeholder message \"empty message\""
                          : revision.docstring ? "has no message at the top of its docstring"
                                               : "has no docstring message";
    out.report(file, revision.revision_loc,
               "revision" + id + " " + problem + ": `alembic history` and `alembic heads` show nothing that says "
               "what it does",
               "start the module docstring with one line saying what the revision does and why (e.g. \"add "
               "users.email_verified_at for the signup flow\"); next time pass `-m \"...\"` when creating it");
  }
};

ORMLINT_RULE(MissingMigrationMessage);

}  // namespace

}  // namespace ormlint
