#include "facts/sql_statements.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "core/text.h"

namespace ormlint {

namespace {

// Quoted strings and identifiers, dollar-quoted bodies and comments are skipped; a CREATE statement's BEGIN ... END
// / CASE ... END blocks (SQLite and MySQL triggers and procedures) keep their inner `;` and END inside it.
class StatementSplitter {
 public:
  explicit StatementSplitter(std::string_view sql) : sql_(sql) {}

  std::vector<SqlStatement> split() {
    while (at_ < sql_.size()) step();
    finish_word();
    end_statement();
    return std::move(statements_);
  }

 private:
  void step() {
    char c = sql_[at_];
    if (c == '\\') {
      finish_word();  // an escape as written in the Python source (`"COMMIT;\nBEGIN"`, `\'`): a separator
      at_ += 2;
    } else if (sql_.compare(at_, 2, "--") == 0) {
      finish_word();
      at_ = std::min(sql_.size(), sql_.find('\n', at_));
    } else if (sql_.compare(at_, 2, "/*") == 0) {
      finish_word();
      size_t close = sql_.find("*/", at_ + 2);
      at_ = close == std::string_view::npos ? sql_.size() : close + 2;
    } else if (c == '\'' || c == '"' || c == '`') {
      skip_quoted(c);
    } else if (c == '$' && skip_dollar_quoted()) {
      // skipped
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word_ += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      ++at_;
    } else {
      finish_word();
      if (c == ';') {
        resolve_pending_end();
        if (depth_ == 0) end_statement();
      }
      ++at_;
    }
  }

  void skip_quoted(char quote) {
    finish_word();
    current_.push_back("<quoted>");
    size_t close = sql_.find(quote, at_ + 1);
    at_ = close == std::string_view::npos ? sql_.size() : close + 1;
  }

  // `$$ ... $$` or `$body$ ... $body$`; false when the `$` starts no tag (a `$1` parameter).
  bool skip_dollar_quoted() {
    size_t end = at_ + 1;
    while (end < sql_.size() && (std::isalnum(static_cast<unsigned char>(sql_[end])) || sql_[end] == '_'))
      ++end;
    if (end >= sql_.size() || sql_[end] != '$' ||
        (end > at_ + 1 && std::isdigit(static_cast<unsigned char>(sql_[at_ + 1])))) {
      return false;
    }
    finish_word();
    std::string_view tag = sql_.substr(at_, end - at_ + 1);
    size_t close = sql_.find(tag, end + 1);
    at_ = close == std::string_view::npos ? sql_.size() : close + tag.size();
    current_.push_back("<body>");
    return true;
  }

  void finish_word() {
    if (word_.empty()) return;
    track_blocks(word_);
    current_.push_back(std::move(word_));
    word_.clear();
  }

  // Inside CREATE TRIGGER/FUNCTION/PROCEDURE, a `DECLARE ... BEGIN ... END;` or a `BEGIN <statement>; ... END;`
  // anonymous block (PL/SQL, not the transaction's BEGIN): BEGIN and CASE open a block that END closes, except
  // `END IF`, `END LOOP`, ... which close constructs that never opened one here.
  void track_blocks(const std::string& word) {
    if (current_.size() == 1 && current_.front() == "BEGIN" && !begins_transaction(word)) ++depth_;
    if (pending_end_) {
      pending_end_ = false;
      bool closes_other =
          word == "IF" || word == "LOOP" || word == "WHILE" || word == "REPEAT" || word == "FOR";
      if (!closes_other && depth_ > 0) --depth_;
      if (word == "CASE" || closes_other) return;  // `END CASE`: the closing word, not a new CASE
    }
    if (current_.empty() ||
        (current_.front() != "CREATE" && current_.front() != "DECLARE" && current_.front() != "BEGIN")) {
      return;
    }
    if (word == "BEGIN" || word == "CASE") {
      ++depth_;
    } else if (word == "END" && depth_ > 0) {
      pending_end_ = true;
    }
  }

  // `END;`: a bare END closes the innermost block.
  void resolve_pending_end() {
    if (pending_end_ && depth_ > 0) --depth_;
    pending_end_ = false;
  }

  // At a top-level `;` (at_ points at it) or at the end of the SQL.
  void end_statement() {
    resolve_pending_end();
    const size_t start = std::min(start_, sql_.size());
    if (!current_.empty()) statements_.push_back(SqlStatement{sql_.substr(start, at_ - start), std::move(current_)});
    current_.clear();
    depth_ = 0;
    start_ = at_ + 1;
  }

  std::string_view sql_;
  size_t at_ = 0;
  std::string word_;
  std::vector<std::string> current_;
  size_t start_ = 0;  // where the current statement began
  std::vector<SqlStatement> statements_;
  int depth_ = 0;
  bool pending_end_ = false;
};

}  // namespace

bool begins_transaction(std::string_view second_word) {
  for (std::string_view w : {"", "TRANSACTION", "WORK", "ISOLATION", "READ", "NOT", "DEFERRABLE", "DEFERRED",
                             "IMMEDIATE", "EXCLUSIVE"}) {
    if (second_word == w) return true;
  }
  return false;
}

std::vector<SqlStatement> split_sql(std::string_view sql) { return StatementSplitter(sql).split(); }

namespace {

// The length of a placeholder starting at `at` — `%s`, `%(name)s`, `{...}` — that prefixes an identifier
// (`%srules`, `{schema}.rules`, rucio's schema prefix), its dot included; 0 for anything else.
size_t placeholder_prefix(std::string_view sql, size_t at) {
  size_t end = 0;  // one past the placeholder
  if (sql.substr(at).starts_with("%s")) {
    end = at + 2;
  } else if (sql.substr(at).starts_with("%(")) {
    const size_t close = sql.find(")s", at);
    end = close == std::string_view::npos ? 0 : close + 2;
  } else if (sql[at] == '{') {
    const size_t close = sql.find('}', at);
    end = close == std::string_view::npos ? 0 : close + 1;
  }
  if (end == 0 || end >= sql.size()) return 0;
  if (sql[end] == '.') ++end;
  const bool identifier_follows =
      end < sql.size() && (std::isalpha(static_cast<unsigned char>(sql[end])) || sql[end] == '_');
  return identifier_follows ? end - at : 0;
}

}  // namespace

std::vector<std::string> sql_identifier_words(std::string_view sql) {
  std::vector<std::string> words;
  std::string word;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (word.empty()) {
      if (const size_t prefix = placeholder_prefix(sql, i)) {  // the name after it is the word
        i += prefix - 1;
        continue;
      }
    }
    char c = sql[i];
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // `-- comment` to the end of the line
      while (i < sql.size() && sql[i] != '\n') ++i;
      c = ' ';
    }
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.') {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if ((c == '"' || c == '`') &&
               ((!word.empty() && word.back() == '.') || (i + 1 < sql.size() && sql[i + 1] == '.'))) {
      // A quoted part of a dotted name (`"augur_data"."contributors"`): one word, as unquoted.
      continue;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::vector<std::string> sql_statement_words(std::string_view statement) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (char c : statement) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      flush();
    } else if (c == '(' || c == ')' || c == ',') {
      flush();
      words.emplace_back(1, c);
    } else if (c != '"' && c != '`' && c != '\'') {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  flush();
  return words;
}

std::string sql_statement_verb(const SqlStatement& statement) {
  if (statement.words.empty()) return "";
  if (statement.words.front() != "WITH") return statement.words.front();
  // The first statement verb outside the parentheses of the CTEs (`WITH RECURSIVE t(n) AS (...), u AS
  // (...)`); a SELECT over a CTE that changes rows (`WITH x AS (UPDATE ... RETURNING id) SELECT ...`) is that
  // change.
  auto is_verb = [](const std::string& word) {
    return word == "select" || word == "insert" || word == "update" || word == "delete" || word == "merge";
  };
  int depth = 0;
  std::string previous;
  std::string cte_change;  // the first CTE body that changes rows: its verb
  for (const std::string& word : sql_statement_words(statement.text)) {
    if (word == "(") {
      ++depth;
    } else if (word == ")") {
      depth = std::max(0, depth - 1);
    } else if (depth == 0 && is_verb(word)) {
      return word == "select" && !cte_change.empty() ? upper(cte_change) : upper(word);
    } else if (depth == 1 && previous == "(" && is_verb(word) && word != "select" && cte_change.empty()) {
      cte_change = word;
    }
    previous = word;
  }
  return "WITH";
}

std::string unqualified_name(const std::string& name) {
  size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

std::string sql_type_name(std::string_view written) {
  std::string bare;
  for (char c : written) {
    if (c != '"') bare += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return unqualified_name(bare);
}

namespace {

// Skips optional words (`if exists`, `concurrently`, `only`) at `i`.
void skip_words(const std::vector<std::string>& words, size_t& i,
                std::initializer_list<std::string_view> optional) {
  for (bool moved = true; moved;) {
    moved = false;
    for (std::string_view w : optional) {
      if (i < words.size() && words[i] == w) {
        ++i;
        moved = true;
      }
    }
  }
}

// `ALTER TABLE [IF EXISTS] [ONLY] t DROP [COLUMN] [IF EXISTS] c, DROP CONSTRAINT [IF EXISTS] n`, from `i` on.
void alter_table_drops(const std::vector<std::string>& words, size_t i, std::vector<SqlDrop>& drops) {
  skip_words(words, i, {"if", "exists", "only"});
  if (i >= words.size()) return;
  const std::string table = unqualified_name(words[i++]);
  for (; i < words.size(); ++i) {
    if (words[i] != "drop" || i + 1 >= words.size()) continue;
    size_t j = i + 1;
    // `ALTER COLUMN c DROP DEFAULT` / `DROP NOT NULL`, MySQL's `DROP INDEX i` / `DROP PRIMARY KEY`: no
    // column.
    static const std::set<std::string, std::less<>> kNotColumns = {
        "default", "not",      "index",      "key",    "primary",  "foreign",
        "check",   "identity", "expression", "unique", "partition"};
    if (kNotColumns.count(words[j])) continue;
    const bool constraint = words[j] == "constraint";
    if (constraint || words[j] == "column") ++j;
    skip_words(words, j, {"if", "exists"});
    if (j >= words.size()) return;
    drops.push_back({constraint ? SqlDrop::Kind::Constraint : SqlDrop::Kind::Column, table, words[j], false});
  }
}

}  // namespace

std::string sql_created_table(std::string_view statement) {
  SqlWords words(statement);
  if (!words.next_is("create")) return "";
  while (words.next_is("temp") || words.next_is("temporary") || words.next_is("unlogged")) {
  }
  if (!words.next_is("table")) return "";
  if (words.next_is("if") && !(words.next_is("not") && words.next_is("exists"))) return "";
  return words.take();
}

std::vector<SqlDrop> sql_drops(std::string_view sql) {
  std::vector<SqlDrop> drops;
  for (const SqlStatement& statement : split_sql(sql)) {
    const std::vector<std::string> words = sql_statement_words(statement.text);
    if (words.size() < 3) continue;
    size_t i = 2;
    if (words[0] == "drop") {
      static const std::map<std::string, SqlDrop::Kind, std::less<>> kKinds = {
          {"table", SqlDrop::Kind::Table}, {"index", SqlDrop::Kind::Index}, {"type", SqlDrop::Kind::Type}};
      const auto found = kKinds.find(words[1]);
      if (found == kKinds.end()) continue;  // another object (a view, a sequence...)
      const SqlDrop::Kind kind = found->second;
      const bool concurrently = words[2] == "concurrently";
      skip_words(words, i, {"concurrently", "if", "exists"});
      // The comma-separated names (`DROP TABLE a, b CASCADE`); MySQL's `DROP INDEX ix ON t` names the table.
      const size_t first = drops.size();
      for (; i < words.size() && words[i] != "cascade" && words[i] != "restrict" && words[i] != "(" &&
             words[i] != "on";
           ++i) {
        if (words[i] != ",") drops.push_back({kind, "", unqualified_name(words[i]), concurrently});
      }
      if (kind == SqlDrop::Kind::Index && i + 1 < words.size() && words[i] == "on") {
        for (size_t d = first; d < drops.size(); ++d) drops[d].table = unqualified_name(words[i + 1]);
      }
    } else if (words[0] == "alter" && words[1] == "table") {
      alter_table_drops(words, i, drops);
    }
  }
  return drops;
}

std::string sql_identifier(std::string_view name) {
  // PostgreSQL's reserved key words that make likely table or column names.
  static const std::set<std::string, std::less<>> kReserved = {
      "all",      "analyse", "analyze", "and",     "any",    "array",      "as",      "asc",        "both",
      "case",     "cast",    "check",   "collate", "column", "constraint", "create",  "default",    "desc",
      "distinct", "do",      "else",    "end",     "except", "false",      "fetch",   "for",        "foreign",
      "from",     "grant",   "group",   "having",  "in",     "into",       "is",      "limit",      "not",
      "null",     "offset",  "on",      "only",    "or",     "order",      "primary", "references", "select",
      "table",    "then",    "to",      "true",    "union",  "unique",     "user",    "using",      "when",
      "where",    "window",  "with"};
  bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front()));
  for (char c : name) {
    plain = plain && (std::islower(static_cast<unsigned char>(c)) ||
                      std::isdigit(static_cast<unsigned char>(c)) || c == '_');
  }
  if (plain && !kReserved.count(name)) return std::string(name);
  return "\"" + std::string(name) + "\"";
}

namespace {

// Each `ALTER [COLUMN] c ...` clause of each `ALTER TABLE [IF EXISTS] [ONLY] t` statement: `clause(table,
// column, words)` with `words` just past the column, to read what the clause does to it.
template <typename Clause>
void for_each_altered_column(std::string_view sql, Clause clause) {
  for (const SqlStatement& statement : split_sql(sql)) {
    SqlWords words(statement.text);
    const std::string table = altered_table(words);
    if (table.empty()) continue;
    while (!words.at_end()) {
      if (!words.next_is("alter")) {
        words.take();
        continue;
      }
      words.next_is("column");
      const std::string column = words.take();
      if (!column.empty()) clause(table, column, words);
    }
  }
}

}  // namespace

std::vector<SqlTypeChange> sql_type_changes(std::string_view sql) {
  std::vector<SqlTypeChange> changes;
  for_each_altered_column(sql, [&](const std::string& table, const std::string& column, SqlWords& words) {
    if (words.next_is("set")) words.next_is("data");
    if (!words.next_is("type") || words.at_end()) return;
    // The type's words up to the clause's end (USING, COLLATE, the next ALTER / ADD / DROP ...).
    static const std::set<std::string, std::less<>> kClauseEnds = {
        "using", "collate", "alter", "add", "drop", "set", "rename", "owner", "cascade"};
    std::string type;
    while (!words.at_end() && !kClauseEnds.count(words.peek())) {
      std::string word = words.take();
      if (std::all_of(word.begin(), word.end(),
                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        continue;  // TIMESTAMP(6), VARCHAR(255)
      type += (type.empty() ? "" : " ") + word;
    }
    if (!type.empty()) changes.push_back({table, column, type});
  });
  return changes;
}

std::vector<SqlColumnName> sql_set_not_nulls(std::string_view sql) {
  std::vector<SqlColumnName> columns;
  for_each_altered_column(sql, [&](const std::string& table, const std::string& column, SqlWords& words) {
    if (words.next_is("set") && words.next_is("not") && words.next_is("null"))
      columns.push_back({table, column});
  });
  return columns;
}

bool sql_type_is_naive_datetime(std::string_view type) {
  const std::string_view first = type.substr(0, type.find(' '));
  if (first == "datetime" || first == "pg_catalog.timestamp") return true;
  if (first != "timestamp") return false;
  return type.find("with time zone") == std::string_view::npos ||
         type.find("without time zone") != std::string_view::npos;
}

std::vector<SqlRename> sql_renames(std::string_view sql) {
  std::vector<SqlRename> renames;
  for (const SqlStatement& statement : split_sql(sql)) {
    SqlWords words(statement.text);
    const std::string table = altered_table(words);
    if (table.empty() || !words.next_is("rename")) continue;
    if (words.next_is("to")) {
      renames.push_back({table, "", words.take()});
      continue;
    }
    if (words.peek() == "constraint") continue;
    words.next_is("column");
    std::string column = words.take();
    if (!column.empty() && words.next_is("to")) renames.push_back({table, std::move(column), words.take()});
  }
  return renames;
}

std::string altered_table(SqlWords& words) {
  if (!words.next_is("alter") || !words.next_is("table")) return "";
  if (words.next_is("if") && !words.next_is("exists")) return "";
  words.next_is("only");
  return words.take();
}

std::string added_enum_type(const std::string& sql) {
  static const std::regex kAddValue(R"(\balter\s+type\s+(\S+)\s+add\s+value\b)",
                                    std::regex::icase | std::regex::ECMAScript | std::regex::optimize);
  std::smatch match;
  if (!std::regex_search(sql, match, kAddValue)) return "";
  return match[1].str();
}

std::vector<std::string> created_enum_types(const std::string& sql) {
  static const std::regex kCreateEnum(R"(\bcreate\s+type\s+("?[\w.]+"?)\s+as\s+enum\b)",
                                      std::regex::icase | std::regex::ECMAScript | std::regex::optimize);
  std::vector<std::string> types;
  for (std::sregex_iterator it(sql.begin(), sql.end(), kCreateEnum), end; it != end; ++it) {
    types.push_back((*it)[1].str());
  }
  return types;
}

}  // namespace ormlint
