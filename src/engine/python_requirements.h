// Which versions of its Python dependencies a project can run on, from its packaging files — read, never
// installed or imported. Rules whose finding depends on a library's version (Pydantic 2.10 narrowed its
// protected namespaces) ask the project model for the lowest version the project allows.
#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ormlint {

// Package name (normalized: lower case, `_` and `.` as `-`) -> the lowest version the project can be
// installed with ("2.10.3"). Read from the first folder, from `start` upward (up to the repository's top),
// that holds a pyproject.toml, a uv.lock, a poetry.lock or a requirements.txt: a lock file's version wins (it
// is what runs); otherwise the lower bound of the requirement — PEP 508 in pyproject's [project] dependencies
// (`pydantic>=2.10,<3`, `~=`, `==`), Poetry's [tool.poetry.dependencies] (`^2.10`, `~2.10`, `>=2.10`, a bare
// `2.10`, a table with `version`), then requirements.txt. A package with no lower bound anywhere is absent.
// Files that cannot be read or parsed count as missing: the versions only narrow findings, they never add
// one.
std::map<std::string, std::string, std::less<>> lowest_package_versions(const std::filesystem::path& start);

// The packaging files lowest_package_versions reads for `start` (those of that first folder that exist): what
// a cache of results that depend on the versions must be keyed by.
std::vector<std::filesystem::path> packaging_files(const std::filesystem::path& start);

// A requirement line: the package it names (normalized) and the lower bound its version specifiers set
// ("pydantic[email]>=2.10,<3 ; python_version>'3.8'" -> {"pydantic", "2.10"}; "" when none sets one).
struct Requirement {
  std::string name;
  std::string lower_bound;
};
std::optional<Requirement> parse_requirement(std::string_view line);

// `name` as pip compares package names (PEP 503): lower case, runs of `-`, `_`, `.` as one `-`.
std::string normalized_package_name(std::string_view name);

// Version `a` is at least `b`, compared release segment by segment as numbers ("2.10" >= "2.9.2"); a
// pre-release or local suffix is ignored.
bool version_at_least(std::string_view a, std::string_view b);

}  // namespace ormlint
