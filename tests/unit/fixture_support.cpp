#include "fixture_support.h"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include "engine/rule.h"

namespace ormlint::testing {

namespace fs = std::filesystem;

fs::path source_dir() { return fs::path(ORMLINT_SOURCE_DIR); }

bool operator<(const Expectation& a, const Expectation& b) {
  return std::tie(a.path, a.line, a.rule) < std::tie(b.path, b.line, b.rule);
}
bool operator==(const Expectation& a, const Expectation& b) {
  return std::tie(a.path, a.line, a.rule) == std::tie(b.path, b.line, b.rule);
}

namespace {

std::string normalise(const fs::path& path) { return fs::weakly_canonical(fs::absolute(path)).string(); }

// The entries of an `# expect:` list: rule names separated by commas (outside quotes), each with its message
// checks.
std::vector<Expectation> parse_expect_list(std::string_view list, const fs::path& file, uint32_t line) {
  std::vector<Expectation> out;
  auto malformed = [&](const std::string& why) {
    throw std::runtime_error(file.string() + ":" + std::to_string(line) + ": # expect: " + why);
  };
  size_t i = 0;
  auto skip_blanks = [&] {
    while (i < list.size() && (list[i] == ' ' || list[i] == '\t' || list[i] == '\r')) ++i;
  };
  while (true) {
    skip_blanks();
    if (i >= list.size()) break;
    Expectation e{"", line, "", {}};
    while (i < list.size() && list[i] != ',' && list[i] != ' ' && list[i] != '"' && list[i] != '!')
      e.rule += list[i++];
    if (e.rule.empty()) malformed("a rule name is missing");
    for (skip_blanks(); i < list.size() && list[i] != ','; skip_blanks()) {
      bool present = true;
      if (list[i] == '!') {
        present = false;
        ++i;
      }
      if (i >= list.size() || list[i] != '"') malformed("expected a quoted message text after " + e.rule);
      size_t end = list.find('"', i + 1);
      if (end == std::string_view::npos) malformed("unterminated message text");
      e.message_checks.push_back({present, std::string(list.substr(i + 1, end - i - 1))});
      i = end + 1;
    }
    out.push_back(std::move(e));
    if (i < list.size()) ++i;  // the comma
  }
  return out;
}

void read_file_expectations(const fs::path& file, const std::string& only_rule, std::vector<Expectation>& out) {
  std::ifstream in(file);
  std::string line;
  uint32_t number = 0;
  std::string path = normalise(file);
  while (std::getline(in, line)) {
    ++number;
    size_t at = line.find("# expect:");
    if (at == std::string::npos) continue;
    for (Expectation& expectation : parse_expect_list(line.substr(at + 9), file, number)) {
      if (!only_rule.empty() && expectation.rule != only_rule) continue;
      expectation.path = path;
      expectation.line = number;
      out.push_back(std::move(expectation));
    }
  }
}

}  // namespace

std::vector<Expectation> read_expectations(const fs::path& path, const std::string& only_rule) {
  std::vector<Expectation> out;
  if (fs::is_regular_file(path)) {
    read_file_expectations(path, only_rule, out);
  } else {
    for (const auto& entry : fs::recursive_directory_iterator(path)) {
      if (entry.is_regular_file() && entry.path().extension() == ".py") {
        read_file_expectations(entry.path(), only_rule, out);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Expectation> run_and_collect(const fs::path& path, const Config& config,
                                         const std::vector<const Rule*>& rules, RunResult* result_out) {
  RunOptions options;
  options.paths = {path.string()};
  options.jobs = 2;
  options.config = config;
  options.rules = rules;
  RunResult result = run(options);
  std::vector<Expectation> out = findings_of(result);
  if (result_out) *result_out = std::move(result);
  return out;
}

std::vector<Expectation> findings_of(const RunResult& result) {
  std::vector<Expectation> out;
  for (const auto& d : result.diagnostics)
    out.push_back(Expectation{normalise(d.path), d.loc.line, d.rule, {}});
  std::sort(out.begin(), out.end());
  return out;
}

std::string compare(const std::vector<Expectation>& expected, const std::vector<Expectation>& actual,
                    const RunResult* result) {
  std::vector<Expectation> missing, extra;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(), std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(), std::back_inserter(extra));
  std::ostringstream report;
  for (const auto& e : missing) report << "missing: " << e.path << ":" << e.line << " " << e.rule << "\n";
  for (const auto& e : extra) {
    report << "extra:   " << e.path << ":" << e.line << " " << e.rule;
    if (result) {
      for (const auto& d : result->diagnostics) {
        if (d.loc.line == e.line && d.rule == e.rule && normalise(d.path) == e.path) report << " (" << d.message << ")";
      }
    }
    report << "\n";
  }
  if (result) {
    for (const auto& error : result->errors) report << "error:   " << error << "\n";
    for (const Expectation& e : expected) {
      for (const Expectation::MessageCheck& check : e.message_checks) {
        // Held by one of the findings on the line (a missing finding is reported above).
        const Diagnostic* failing = nullptr;
        bool holds = false;
        for (const auto& d : result->diagnostics) {
          if (d.loc.line != e.line || d.rule != e.rule || normalise(d.path) != e.path) continue;
          const bool said =
              d.message.find(check.text) != std::string::npos || d.help.find(check.text) != std::string::npos;
          if (said == check.present)
            holds = true;
          else
            failing = &d;
        }
        if (!holds && failing) {
          report << "message: " << e.path << ":" << e.line << " " << e.rule
                 << (check.present ? " lacks" : " has") << " \"" << check.text << "\": " << failing->message
                 << "\n";
        }
      }
    }
  }
  return report.str();
}

void write_files(const fs::path& dir, const std::string& text, const std::string& default_name) {
  std::istringstream in(text);
  std::string line;
  fs::path current = dir / default_name;
  std::string content;
  auto flush = [&] {
    if (content.empty()) return;
    fs::create_directories(current.parent_path());
    std::ofstream(current, std::ios::binary) << content;
    content.clear();
  };
  while (std::getline(in, line)) {
    if (line.rfind("# file: ", 0) == 0) {
      flush();
      current = dir / line.substr(8);
      continue;
    }
    content += line + "\n";
  }
  flush();
}

TempDir::TempDir() {
  std::random_device random;
  path_ = fs::temp_directory_path() / ("ormlint-test-" + std::to_string(random()) + std::to_string(random()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

CommandResult run_ormlint(const std::filesystem::path& dir, const std::string& args, bool merge_stderr,
                          const std::string& env) {
  const std::string command = "cd '" + dir.string() + "' && " + env + " '" + std::string(ORMLINT_BINARY) + "' " +
                              args + (merge_stderr ? " 2>&1" : " 2>/dev/null");
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace ormlint::testing
