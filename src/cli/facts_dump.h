// `ormlint facts PATH...` (hidden): prints what the engine understood — classes and their roles, columns with
// resolved types, revision operations with their guards. For rule authors and bug reports.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace ormlint::cli {

int dump_facts(const std::vector<std::string>& paths, std::ostream& out);

}  // namespace ormlint::cli
