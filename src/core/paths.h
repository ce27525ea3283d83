// Where a path lies relative to a folder: the one question behind display paths, exclude and per-file-ignore
// patterns, module names and the paths shown in messages.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace ormlint {

// `path` relative to `folder`, '/'-separated ("." for the folder itself), when it lies inside it; else nullopt.
// Relative arguments are taken from the working directory.
std::optional<std::string> relative_inside(const std::filesystem::path& path, const std::filesystem::path& folder);

}  // namespace ormlint
