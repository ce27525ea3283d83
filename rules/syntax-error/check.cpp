// syntax-error: a file ormlint could not parse as Python 3 — a syntax error, a binary file, bytes that are not
// UTF-8, or a file the parser gave up on. Such a file contributes no facts, so every other rule is silent on it.
#include "engine/rule.h"

namespace ormlint {

namespace {

class SyntaxError final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL001", "syntax-error", "File that does not parse as Python 3: nothing else is checked in it",
                               Severity::Error, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.syntax_problem) return;
    out.report(file, file.syntax_problem->loc, file.syntax_problem->message,
               "ormlint checks nothing else in this file until it parses");
  }
};

ORMLINT_RULE(SyntaxError);

}  // namespace

}  // namespace ormlint
