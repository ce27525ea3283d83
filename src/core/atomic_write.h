// Replacing a user's file safely: the new content goes to a temporary file beside it, which is then renamed over
// it, so nobody (git running a hook, a later ormlint run) ever reads a half-written file, and a failure leaves
// the old file as it was.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ormlint {

// Writes `content` to `destination` (with `mode`, when given, whatever the umask). Returns "" on success, else
// the reason ("No space left on device"); the temporary file is removed then.
std::string write_file_atomically(const std::filesystem::path& destination, std::string_view content,
                                  std::optional<std::filesystem::perms> mode = std::nullopt);

}  // namespace ormlint
