// SARIF partialFingerprints: how code-scanning services recognise the same finding across commits.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.h"

namespace ormlint {

// Trims the line and collapses each run of whitespace to one space, so re-indenting code keeps its fingerprint.
std::string normalise_whitespace(std::string_view line);

// One "primaryLocationLineHash" per diagnostic, in the same order: a 16-digit hex FNV-1a 64 hash of the rule
// code, the path, the whitespace-normalised source line and an occurrence counter (1, 2, ...) among earlier
// diagnostics with the same code, path and normalised line. Never the line number: a finding must keep its
// fingerprint when unrelated lines above it are added or removed, while two identical flagged lines in one
// file must still get different fingerprints.
std::vector<std::string> line_fingerprints(const std::vector<Diagnostic>& diagnostics);

}  // namespace ormlint
