#include "core/fact_list.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace ormlint {
namespace {

std::vector<std::string> contents(const FactList<std::string>& list) {
  return {list.begin(), list.end()};
}

TEST_CASE("FactList grows, keeps its elements and gives back its slack", "[fact_list]") {
  FactList<std::string> list;
  CHECK(list.empty());
  for (int i = 0; i < 5; ++i)
    list.push_back("item " + std::to_string(i) + " long enough to leave the SSO buffer");
  REQUIRE(list.size() == 5);
  CHECK(list.capacity() == 8);
  CHECK(list.front() == "item 0 long enough to leave the SSO buffer");
  CHECK(list.back() == "item 4 long enough to leave the SSO buffer");
  list.shrink_to_fit();
  CHECK(list.capacity() == 5);
  CHECK(list[2] == "item 2 long enough to leave the SSO buffer");
  list.clear();
  CHECK(list.empty());
}

TEST_CASE("FactList appends a copy of its own element when it must grow", "[fact_list]") {
  FactList<std::string> list;
  list.push_back("first element, longer than the small-string buffer");
  list.shrink_to_fit();
  list.push_back(list[0]);  // the reallocation must not pull the source away first
  CHECK(contents(list) == std::vector<std::string>(2, "first element, longer than the small-string buffer"));
}

TEST_CASE("FactList inserts a range anywhere", "[fact_list]") {
  FactList<std::string> list;
  list.push_back("c");
  list.push_back("d");
  std::vector<std::string> front{"a", "b"};
  auto* inserted = list.insert(list.begin(), front.begin(), front.end());
  CHECK(*inserted == "a");
  std::vector<std::string> middle{"x"};
  list.insert(list.begin() + 3, middle.begin(), middle.end());
  std::vector<std::string> back{"e"};
  list.insert(list.end(), back.begin(), back.end());
  CHECK(contents(list) == std::vector<std::string>{"a", "b", "c", "x", "d", "e"});
}

TEST_CASE("FactList copies deeply and moves by taking the storage", "[fact_list]") {
  FactList<std::string> original;
  original.push_back("one");
  original.push_back("two");
  FactList<std::string> copy = original;
  copy[0] = "changed";
  CHECK(contents(original) == std::vector<std::string>{"one", "two"});
  const std::string* storage = original.data();
  FactList<std::string> moved = std::move(original);
  CHECK(moved.data() == storage);
  CHECK(original.empty());  // NOLINT(bugprone-use-after-move): a moved-from list is empty, by design
  copy = moved;
  CHECK(contents(copy) == std::vector<std::string>{"one", "two"});
}

}  // namespace
}  // namespace ormlint
