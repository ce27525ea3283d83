// The saved project-wide findings of a staged run's base: given back only under the very key they were saved
// with, whole; anything else (another key, a damaged or missing file) is "none saved", never a crash.
#include <catch2/catch.hpp>

#include "engine/base_findings.h"
#include "fixture_support.h"

using namespace ormlint;
using namespace ormlint::testing;
namespace fs = std::filesystem;

namespace {

std::vector<Diagnostic> sample_findings() {
  Diagnostic d;
  d.path = "migrations/versions/0002_second.py";
  d.loc = Location{40, 53, 6, 1, 6, 14};
  d.code = "OL301";
  d.rule = "missing-down-revision";
  d.severity = Severity::Error;
  d.message = "down_revision 'a1' of revision 'b2' is not a revision";
  d.help = "set down_revision";
  d.source_line = "down_revision = \"a1\"";
  Diagnostic other = d;
  other.loc.line = 9;
  other.severity = Severity::Info;
  return {d, other};
}

void check_same(const std::vector<Diagnostic>& a, const std::vector<Diagnostic>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].path == b[i].path);
    CHECK(a[i].loc.start_byte == b[i].loc.start_byte);
    CHECK(a[i].loc.end_byte == b[i].loc.end_byte);
    CHECK(a[i].loc.line == b[i].loc.line);
    CHECK(a[i].loc.column == b[i].loc.column);
    CHECK(a[i].loc.end_line == b[i].loc.end_line);
    CHECK(a[i].loc.end_column == b[i].loc.end_column);
    CHECK(a[i].code == b[i].code);
    CHECK(a[i].rule == b[i].rule);
    CHECK(a[i].severity == b[i].severity);
    CHECK(a[i].message == b[i].message);
    CHECK(a[i].help == b[i].help);
    CHECK(a[i].source_line == b[i].source_line);
  }
}

}  // namespace

TEST_CASE("base findings: saved and given back under the same key only", "[cache]") {
  TempDir folder;
  CHECK_FALSE(load_base_findings(folder.path(), "key"));  // nothing saved yet
  REQUIRE(save_base_findings(folder.path(), "commit abc\nrule x\n", sample_findings()) == "");
  auto loaded = load_base_findings(folder.path(), "commit abc\nrule x\n");
  REQUIRE(loaded);
  check_same(*loaded, sample_findings());
  CHECK_FALSE(load_base_findings(folder.path(), "commit abd\nrule x\n"));
  CHECK_FALSE(load_base_findings(folder.path(), "commit abc\nrule x\nrule y\n"));
  // An empty list is a real answer, not "none saved".
  REQUIRE(save_base_findings(folder.path(), "clean", {}) == "");
  auto clean = load_base_findings(folder.path(), "clean");
  REQUIRE(clean);
  CHECK(clean->empty());
}

TEST_CASE("base findings: a damaged file is none saved", "[cache]") {
  TempDir folder;
  REQUIRE(save_base_findings(folder.path(), "k", sample_findings()) == "");
  const fs::path file = folder.path() / "base-findings.bin";
  const std::string good = read_file(file);
  for (size_t size = 0; size < good.size(); ++size) {
    write_file(file, good.substr(0, size));
    CHECK_FALSE(load_base_findings(folder.path(), "k"));
  }
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    write_file(file, bad);
    auto loaded = load_base_findings(folder.path(), "k");  // never a crash; a changed key byte is a miss
    if (i < 3) CHECK_FALSE(loaded);
  }
  fs::remove(file);
  fs::create_directory(file);
  CHECK_FALSE(load_base_findings(folder.path(), "k"));
}

TEST_CASE("base findings: no folder to save into is a reason, not an exception", "[cache]") {
  TempDir folder;
  std::string reason;
  CHECK_NOTHROW(reason = save_base_findings(folder.path() / "missing", "k", sample_findings()));
  CHECK_FALSE(reason.empty());
}
