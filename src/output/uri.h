// File paths as URIs, for SARIF's artifactLocation.uri and originalUriBaseIds.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace ormlint {

// RFC 3986 percent-encoding of a '/'-separated path: unreserved characters and '/' stay, every other byte
// (spaces, ':', '%', each byte of a non-ASCII UTF-8 character) becomes %XX with upper-case hex digits.
std::string percent_encode_path(std::string_view path);

// "file:///abs/dir/" for a directory (made absolute and normalised); always ends in '/', since SARIF resolves
// relative URIs against it and a base without the slash would drop its last segment.
std::string directory_file_uri(const std::filesystem::path& directory);

// "file:///abs/file.py" for an absolute path.
std::string file_uri(const std::filesystem::path& absolute_path);

}  // namespace ormlint
