// Just enough Markdown reading to pull a rule's description out of its doc.md for SARIF.
#pragma once
#include <string>
#include <string_view>

namespace ormlint {

// The first paragraph under the heading line `heading` (e.g. "## What it does"), with its lines joined by single
// spaces; "" when the heading is missing or has no paragraph before the next heading.
std::string first_paragraph_under(std::string_view markdown, std::string_view heading);

}  // namespace ormlint
