// naive-datetime-default: a column default (default= / insert_default= / onupdate=, SQLModel default_factory=)
// that produces a naive or local-time datetime: datetime.now / utcnow / today passed as the callable, called
// without a tz, or returned that way from a lambda. Aware values (now(timezone.utc), partial(now, tz)) and
// database-side defaults (server_default=, func.now()) are fine.
#include <optional>
#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"

namespace ormlint {

namespace {

enum class Clock {
  NaiveUtc,  // datetime.utcnow: UTC wall time without tzinfo
  Local,     // datetime.now() / datetime.today(): the server's local wall time without tzinfo
};

struct NaiveValue {
  Clock clock = Clock::Local;
  bool evaluated_once = false;  // `default=datetime.now()`: computed when the module is imported
  std::string datetime_class;   // how the datetime class is written here ("datetime", "dt.datetime")
};

// oslo.utils' `timeutils.utcnow()` (OpenStack): naive UTC unless called with `with_timezone=True`.
constexpr std::string_view kOsloUtcnow = "oslo_utils.timeutils.utcnow";

std::optional<Clock> naive_function(std::string_view origin) {
  if (origin == "datetime.datetime.utcnow" || origin == kOsloUtcnow) return Clock::NaiveUtc;
  if (origin == "datetime.datetime.now" || origin == "datetime.datetime.today") return Clock::Local;
  return std::nullopt;
}

// "dt.datetime.utcnow" -> "dt.datetime".
std::string owner_text(const Expr& name) {
  size_t dot = name.text.rfind('.');
  return dot == std::string::npos ? "datetime" : std::string(name.text.substr(0, dot));
}

// datetime.now / datetime.utcnow / datetime.today, named rather than called.
std::optional<NaiveValue> naive_callable(const Expr& e) {
  if (!e.is_name_like()) return std::nullopt;
  auto clock = naive_function(e.resolved);
  if (!clock) return std::nullopt;
  return NaiveValue{*clock, false, owner_text(e)};
}

// A call whose result is a naive datetime: now() without a tz, utcnow(), today(), and those followed by
// .replace(...) that does not set tzinfo. `.astimezone(...)` always returns an aware value; other methods
// (.isoformat(), .date()) do not return a datetime at all.
std::optional<NaiveValue> naive_call(const Expr& e) {
  if (!e.is_call() || !e.target) return std::nullopt;
  if (auto clock = naive_function(e.origin())) {
    const bool oslo = e.origin() == kOsloUtcnow;
    const Expr* tz = e.keyword(oslo ? "with_timezone" : "tz");
    if (!tz) tz = e.arg(0);
    if (tz && (oslo ? !tz->is_false() : tz->kind != Expr::Kind::None)) return std::nullopt;
    return NaiveValue{*clock, true, owner_text(*e.target)};
  }
  const Expr& callee = *e.target;
  if (callee.kind != Expr::Kind::Attribute || !callee.target || callee.name != "replace") return std::nullopt;
  auto inner = naive_call(*callee.target);
  if (!inner) return std::nullopt;
  const Expr* tzinfo = e.keyword("tzinfo");
  if (tzinfo && tzinfo->kind != Expr::Kind::None) return std::nullopt;
  return inner;
}

// A naive call, or a naive datetime shifted by a timedelta (`datetime.utcnow() + timedelta(days=10)`,
// security_monkey): the sum is as naive as the datetime.
std::optional<NaiveValue> naive_value(const Expr& e) {
  if (e.is(Expr::Kind::BinaryOp) && (e.name == "+" || e.name == "-") && e.items.size() == 2) {
    if (auto left = naive_value(e.items[0])) return left;
    return e.name == "+" ? naive_value(e.items[1]) : std::nullopt;
  }
  return naive_call(e);
}

// The value of a default keyword: a callable, a lambda, functools.partial(...) or a value computed at import.
std::optional<NaiveValue> naive_default(const Expr& value) {
  if (value.is_name_like()) return naive_callable(value);
  if (value.kind == Expr::Kind::Lambda) {
    if (!value.target) return std::nullopt;
    auto result = naive_value(*value.target);
    if (result) result->evaluated_once = false;
    return result;
  }
  if (value.is_call() && value.origin() == "functools.partial") {
    // partial(datetime.now, timezone.utc) binds the tz; partial(datetime.now) does not.
    const Expr* function = value.arg(0);
    if (!function || value.arg(1) || value.keyword("tz")) return std::nullopt;
    return naive_callable(*function);
  }
  return naive_value(value);
}

// The value as written, for the message. Call expressions keep only their callee's text, so rebuild the
// argument list ("datetime.now()", "partial(datetime.now)"); other expressions keep their source text.
std::string written(const Expr& e) {
  if (e.kind == Expr::Kind::String) return "\"" + e.text + "\"";
  if (!e.is_call() || !e.target) return one_line(e.text);
  std::string out = written(*e.target) + "(";
  bool first = true;
  auto add = [&](const std::string& part) {
    out += (first ? "" : ", ") + part;
    first = false;
  };
  for (const Expr& arg : e.items) add(written(arg));
  for (const Keyword& kw : e.keywords) add(kw.written_prefix() + written(kw.value));
  return out + ")";
}

// The aware spelling in the user's own import style: `datetime.now(timezone.utc)`, `dt.datetime.now(dt.timezone.utc)`.
std::string aware_now(const std::string& datetime_class) {
  if (datetime_class == "timeutils" || datetime_class.ends_with(".timeutils")) {
    return datetime_class + ".utcnow(with_timezone=True)";
  }
  size_t dot = datetime_class.rfind('.');
  std::string tz = dot == std::string::npos ? "timezone.utc" : datetime_class.substr(0, dot) + ".timezone.utc";
  return datetime_class + ".now(" + tz + ")";
}

// The keywords of a column construct that set a Python-side default.
constexpr std::string_view kDefaultKeywords[] = {"default", "insert_default", "onupdate", "default_factory"};

class NaiveDatetimeDefault final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL107", "naive-datetime-default",
                               "Column default produces a naive or local-time datetime (datetime.utcnow, datetime.now)",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    std::set<uint32_t> seen;  // a helper called twice records its operations (and columns) twice
    for (const ColumnInfo* column : project.columns_in(file)) {
      if (column->operation && !writes_rows_with_defaults(file, *column->operation)) continue;
      // A DATE keeps the calendar day and neither time nor zone: `datetime.now` there stores what
      // `date.today` does (ihatemoney's bill dates).
      if (column->type.origin == "sqlalchemy.Date") continue;
      for (const Expr* construct : constructs(*column)) check_construct(file, *construct, seen, out);
    }
  }

 private:
  // A Python-side default is no DDL: in a migration it only fills the rows inserted through the operation's own
  // Table object — `jobs = op.create_table(...)`, then `op.bulk_insert(jobs, rows)` in the same upgrade(). Never
  // in a downgrade(), which re-creates the old schema, nor for add_column (no row is inserted through it).
  static bool writes_rows_with_defaults(const ProjectFile& file, const OperationCall& op) {
    if (op.function == "downgrade" || op.name != "create_table" || op.result_name.empty()) return false;
    const auto& operations = file.facts.revision->operations;
    return std::any_of(operations.begin(), operations.end(), [&](const OperationCall& other) {
      const Expr* table = other.call.arg(0);
      return other.name == "bulk_insert" && other.function == op.function && table &&
             table->kind == Expr::Kind::Name && table->text == op.result_name;
    });
  }

  // The column construct, and for SQLModel also the Field(...) around `sa_column=Column(...)`, whose
  // default_factory= sets the Python-side default.
  static std::vector<const Expr*> constructs(const ColumnInfo& column) {
    std::vector<const Expr*> result;
    if (column.construct) result.push_back(column.construct);
    if (column.attribute && column.attribute->value) {
      const Expr& value = *column.attribute->value;
      if (&value != column.construct && value.is_call() && value.origin() == "sqlmodel.Field") result.push_back(&value);
    }
    return result;
  }

  static void check_construct(const ProjectFile& file, const Expr& construct, std::set<uint32_t>& seen,
                              Reporter& out) {
    for (std::string_view name : kDefaultKeywords) {
      if (const Expr* value = construct.keyword(name))
        check_value(file, std::string(name), *value, seen, out);
    }
    // SQLModel: Field(sa_column_kwargs={"onupdate": datetime.utcnow}).
    const Expr* extra = construct.keyword("sa_column_kwargs");
    if (!extra || extra->kind != Expr::Kind::Dict) return;
    for (size_t i = 0; i + 1 < extra->items.size(); i += 2) {
      const Expr& key = extra->items[i];
      if (key.is_string() && (key.text == "default" || key.text == "onupdate")) {
        check_value(file, key.text, extra->items[i + 1], seen, out);
      }
    }
  }

  static void check_value(const ProjectFile& file, const std::string& keyword, const Expr& value,
                          std::set<uint32_t>& seen, Reporter& out) {
    auto naive = naive_default(value);
    // `default=datetime.now()` (computed once, at import) is default-evaluated-at-import's finding, whose fix
    // — a callable giving aware time — settles this one too: one finding for one mistake.
    if (!naive || naive->evaluated_once || !seen.insert(value.loc.start_byte).second) return;
    std::string shown = "`" + keyword + "=" + written(value) + "`";
    std::string what;
    if (naive->clock == Clock::NaiveUtc) {
      what = shown +
             " stores a naive datetime: utcnow() carries no tzinfo, so a timezone-aware column or comparison "
             "misreads it as local time";
    } else {
      what = shown +
             " stores the server's local time without a time zone: hosts in different zones disagree, and a "
             "timezone-aware column reads it in the session's zone";
    }
    out.report(file, value.loc, what, help(keyword, *naive));
  }

  static std::string help(const std::string& keyword, const NaiveValue& naive) {
    std::string aware = "`" + keyword + "=lambda: " + aware_now(naive.datetime_class) + "`";
    if (keyword == "onupdate") return "use " + aware + ", or let the database do it: `onupdate=func.now()`";
    if (keyword == "default_factory") return "use " + aware;
    return "use " + aware + ", or let the database set it: `server_default=func.now()`";
  }
};

ORMLINT_RULE(NaiveDatetimeDefault);

}  // namespace

}  // namespace ormlint
