// Shared by the fixture-driven tests: run ormlint's engine on a file or folder and compare what it reports
// with the `# expect: rule-name[, rule-name...]` comments on the offending lines. An entry may go on with
// quoted texts its message must hold, or, after a `!`, must not: `# expect: set-not-null "NotNullViolation"
// !"scan"`.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/engine.h"

namespace ormlint::testing {

std::filesystem::path source_dir();  // the repository root

struct Expectation {
  std::string path;  // absolute, normalised
  uint32_t line;
  std::string rule;
  // What the finding's message or help must say (`# expect: rule "text"`) or must not (`# expect: rule
  // !"text"`); not
  // part of the comparison of findings: compare() checks them on a run's diagnostics.
  struct MessageCheck {
    bool present;
    std::string text;
  };
  std::vector<MessageCheck> message_checks;
  friend bool operator<(const Expectation& a, const Expectation& b);
  friend bool operator==(const Expectation& a, const Expectation& b);
};

// Every `# expect:` comment in the Python files under `path` (a file or a folder), optionally only for one rule.
std::vector<Expectation> read_expectations(const std::filesystem::path& path, const std::string& only_rule = "");

// Runs the engine on `path` with the given rules and config; returns the findings as expectations.
std::vector<Expectation> run_and_collect(const std::filesystem::path& path, const Config& config,
                                         const std::vector<const Rule*>& rules, RunResult* result = nullptr);

// A run's findings as expectations (paths normalised as read_expectations does).
std::vector<Expectation> findings_of(const RunResult& result);

// "" when `expected` and `actual` are the same multiset and (given `result`) every message check holds;
// otherwise a readable list of missing and extra findings and of the messages that fail their checks.
std::string compare(const std::vector<Expectation>& expected, const std::vector<Expectation>& actual,
                    const RunResult* result = nullptr);

// Writes `text` as files into `dir`: a text may hold several files, each starting at a line `# file: rel/path.py`;
// without such markers it is one file named `default_name`.
void write_files(const std::filesystem::path& dir, const std::string& text, const std::string& default_name);

// A model with one finding: `metadata` on a declarative class (reserved-attribute, an error, line 10 column 5).
inline constexpr const char* kBadModel = R"(from sqlalchemy import JSON, Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Agent(Base):
    __tablename__ = "agents"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)
)";

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

// Runs the built `ormlint ARGS` in `dir` through the shell, with `env` set (colour off by default); captures
// standard output, and standard error too when `merge_stderr` (off: stderr notes cannot break a JSON report).
CommandResult run_ormlint(const std::filesystem::path& dir, const std::string& args, bool merge_stderr = true,
                          const std::string& env = "NO_COLOR=1");

// Writes a file's bytes, creating its folders; reads them back.
void write_file(const std::filesystem::path& path, const std::string& text);
std::string read_file(const std::filesystem::path& path);

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A fresh, empty temporary folder, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace ormlint::testing
