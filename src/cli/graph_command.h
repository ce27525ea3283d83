// `ormlint graph [PATH...]`: each Alembic location's revisions as a tree from the base revisions to the heads —
// ids, messages, files, heads/roots/merges/branch labels — with warnings for missing parents, duplicate ids and
// cycles. What `alembic heads` and `alembic history` would say, without a database or running the scripts.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace ormlint::cli {

// format: "text" or "json". Returns the exit code: 0, or 2 when a path cannot be read or the config is invalid.
int run_graph(const std::vector<std::string>& paths, const std::string& format, std::ostream& out, std::ostream& err);

}  // namespace ormlint::cli
