#include "core/flat_names.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace ormlint {
namespace {

TEST_CASE("NameSet finds each name once, whatever order and repeats it was given", "[flat_names]") {
  NameSet names({FactText("session"), FactText("Base"), FactText("engine"), FactText("Base")});
  CHECK(names.size() == 3);
  CHECK(names.contains("Base"));
  CHECK(names.count("engine") == 1);
  CHECK_FALSE(names.contains("base"));
  CHECK_FALSE(names.contains(""));
  CHECK(std::vector<std::string>(names.begin(), names.end()) ==
        std::vector<std::string>{"Base", "engine", "session"});
  CHECK(NameSet().empty());
}

TEST_CASE("NameMap keeps the first entry of a name, as try_emplace would", "[flat_names]") {
  NameMap<int> map(
      {{FactText("User"), 1}, {FactText("Base"), 2}, {FactText("User"), 3}, {FactText("Address"), 4}});
  CHECK(map.size() == 3);
  REQUIRE(map.find("User") != map.end());
  CHECK(map.find("User")->second == 1);
  CHECK(map.find("Address")->second == 4);
  CHECK(map.find("Missing") == map.end());
  CHECK(map.count("Base") == 1);
  std::vector<std::string> order;
  for (const auto& [name, value] : map) order.emplace_back(name);
  CHECK(order == std::vector<std::string>{"Address", "Base", "User"});
}

}  // namespace
}  // namespace ormlint
