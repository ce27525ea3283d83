#include "engine/base_findings.h"

#include <functional>

#include "core/atomic_write.h"
#include "core/binary_codec.h"
#include "core/location_codec.h"
#include "core/source_file.h"

namespace ormlint {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kFileName = "base-findings.bin";

struct SavedFindings {
  std::string key;
  std::vector<Diagnostic> findings;
};

}  // namespace

template <>
constexpr Severity kLastEnumValue<Severity> = Severity::Error;

template <class A, Is<Diagnostic> S>
void describe(A& a, S& x) {
  a(x.path, x.loc, x.code, x.rule, x.severity, x.message, x.help, x.source_line);
}
template <class A, Is<SavedFindings> S>
void describe(A& a, S& x) {
  a(x.key, x.findings);
}

std::optional<std::vector<Diagnostic>> load_base_findings(const fs::path& folder, const std::string& key) {
  std::string error;
  std::optional<std::string> bytes = read_file_bytes(folder / kFileName, error);
  if (!bytes) return std::nullopt;
  try {
    SavedFindings saved;
    BinaryReader reader(*bytes);
    reader(saved);
    if (!reader.at_end() || saved.key != key) return std::nullopt;
    return std::move(saved.findings);
  } catch (const BinaryDecodeError&) {
    return std::nullopt;
  }
}

std::string save_base_findings(const fs::path& folder, const std::string& key, const std::vector<Diagnostic>& findings) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return folder.string() + ": not a folder";  // the facts cache made it
  BinaryWriter writer;
  writer(SavedFindings{key, findings});
  std::string reason = write_file_atomically(folder / kFileName, writer.take());
  return reason.empty() ? "" : (folder / kFileName).string() + ": " + reason;
}

}  // namespace ormlint
