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

// The working directory, read from the system once: a run asks for paths relative to it for every file and every
// finding, and each getcwd is a system call (30,000 of them took 5% of a 2,000-file run). ormlint never changes
// its working directory; code that does (tests) goes through change_working_directory, which keeps this in step.
const std::string& working_directory();
void change_working_directory(const std::filesystem::path& dir);

}  // namespace ormlint
