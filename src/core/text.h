// Small text helpers shared by rules and front ends.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace ormlint {

// Source text on one line, for quoting it in a message: every run of spaces, tabs and line breaks becomes one
// space, none at either end nor just inside brackets (`Column(\n    JSON,\n)` -> `Column(JSON,)`).
std::string one_line(std::string_view text);

// ASCII lower case (SQL keywords and identifiers, names compared case-insensitively).
std::string lower(std::string_view text);
// ASCII upper case (SQL words as split_sql gives them).
std::string upper(std::string_view text);
// Without the whitespace at either end (what Python's str.strip() removes: space, \t, \n, \r, \f, \v).
std::string_view trim(std::string_view text);
// The items separated by ", " (column lists and names in messages).
std::string joined(const std::vector<std::string>& items);

}  // namespace ormlint
