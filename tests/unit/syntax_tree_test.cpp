// The symbol-id node kinds (core/syntax_tree.h) must give exactly the answers the type-name compares they
// replaced gave: checked on every node of every Python fixture in the repository, broken files included.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>

#include "core/source_file.h"
#include "core/syntax_tree.h"
#include "fixture_support.h"

using namespace ormlint;
namespace fs = std::filesystem;

namespace {

const std::map<std::string, NodeKind>& kinds_by_name() {
  static const std::map<std::string, NodeKind> kinds = {
#define ORMLINT_NODE_KIND_ENTRY(name, type) {type, NodeKind::name},
      ORMLINT_NODE_KINDS(ORMLINT_NODE_KIND_ENTRY)
#undef ORMLINT_NODE_KIND_ENTRY
  };
  return kinds;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

TEST_CASE("node kinds by symbol agree with node type names on every fixture", "[syntax_tree]") {
  PythonParser parser;
  size_t nodes = 0, files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(testing::source_dir() / "fixtures")) {
    if (entry.path().extension() != ".py") continue;
    std::string error;
    auto text = read_file_bytes(entry.path(), error);
    REQUIRE(text);
    if (exceeds_parser_limits(*text)) continue;
    TreeHandle tree = parser.parse(*text, 10'000'000);
    REQUIRE(tree);
    ++files;
    walk_subtree(ts_tree_root_node(tree.get()), [&](TSNode node) {
      ++nodes;
      const std::string type = ts_node_type(node);
      auto known = kinds_by_name().find(type);
      const NodeKind expected = known == kinds_by_name().end() ? NodeKind::Other : known->second;
      INFO(entry.path().string() << ": node type " << type);
      CHECK(kind_of(node) == expected);
      const NodeTypeInfo& info = node_type_info(node);
      CHECK(((info.suffix & kSuffixStatement) != 0) == ends_with(type, "_statement"));
      CHECK(((info.suffix & kSuffixDefinition) != 0) == ends_with(type, "_definition"));
      CHECK(((info.suffix & kSuffixClause) != 0) == ends_with(type, "_clause"));
      return true;
    });
  }
  CHECK(files > 100);
  CHECK(nodes > 10000);
}
