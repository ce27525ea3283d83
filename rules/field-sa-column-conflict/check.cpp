// field-sa-column-conflict: a SQLModel `Field(sa_column=Column(...), ...)` that also passes an option the
// sa_column replaces — `primary_key`, `nullable`, `foreign_key`, `ondelete`, `unique`, `index`, `sa_type`,
// `sa_column_args`, `sa_column_kwargs`. SQLModel 0.0.14+ raises RuntimeError when the class is defined
// ("Passing nullable is not supported when also passing a sa_column"), so the application fails at import;
// older releases ignored the option without a word.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "engine/rule.h"
#include "project/sqlalchemy_names.h"

namespace ormlint {

namespace {

constexpr std::array<std::string_view, 9> kReplacedBySaColumn = {
    "primary_key", "nullable", "foreign_key",    "ondelete",        "unique",
    "index",       "sa_type",  "sa_column_args", "sa_column_kwargs"};

// Where the option's meaning goes in the Column(...) that sa_column passes.
std::string where_it_goes(const std::string& option) {
  if (option == "sa_type") return "give the Column the type: `Column(<type>, ...)`";
  if (option == "foreign_key")
    return "give the Column the key: `Column(..., ForeignKey(\"<table>.<column>\"))`";
  if (option == "ondelete") return "give the Column's key the action: `ForeignKey(..., ondelete=...)`";
  if (option.starts_with("sa_column")) return "pass what `" + option + "` holds to the Column itself";
  return "set it on the Column: `Column(..., " + option + "=...)`";
}

class FieldSaColumnConflict final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL416",
        "field-sa-column-conflict",
        "SQLModel Field(sa_column=...) also given a column option: RuntimeError at import "
        "(SQLModel 0.0.14+), ignored before",
        Severity::Error,
        Profile::Any,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    for_each_sqlmodel_field(file, project, [&](const ClassAttribute& attribute, const Expr& field) {
      if (!field.keyword("sa_column")) return;
      // One finding per Field, at the first such option, naming them all.
      const Keyword* first = nullptr;
      std::string options, helps;
      for (const Keyword& keyword : field.keywords) {
        if (std::find(kReplacedBySaColumn.begin(), kReplacedBySaColumn.end(), keyword.name) ==
            kReplacedBySaColumn.end()) {
          continue;
        }
        if (!first) first = &keyword;
        options += (options.empty() ? "`" : ", `") + std::string(keyword.name) + "=`";
        helps += (helps.empty() ? "" : "; ") + where_it_goes(std::string(keyword.name));
      }
      if (!first) return;
      const std::string option(first->name);
      out.report(
          file, first->loc,
          "`" + std::string(attribute.name) + "` passes " + options +
              " beside `sa_column=`: SQLModel raises RuntimeError when the class is defined (\"Passing " +
              option +
              " is not supported when also passing a sa_column\"), so the application fails at "
              "import; releases before 0.0.14 ignored it",
          std::string(options.find(',') == std::string::npos ? "drop it" : "drop them") +
              " from Field() and " + helps);
    });
  }
};

ORMLINT_RULE(FieldSaColumnConflict);

}  // namespace

}  // namespace ormlint
