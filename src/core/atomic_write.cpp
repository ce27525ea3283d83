#include "core/atomic_write.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace ormlint {

namespace fs = std::filesystem;

std::string write_file_atomically(const fs::path& destination, std::string_view content,
                                  std::optional<fs::perms> mode) {
  fs::path temporary = destination;
  temporary += ".tmp-" + std::to_string(::getpid());  // beside it: a rename within one file system
  std::string reason;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (out) out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (out) out.flush();
    if (!out) reason = std::strerror(errno);
  }
  std::error_code ec;
  if (reason.empty() && mode) fs::permissions(temporary, *mode, fs::perm_options::replace, ec);
  if (reason.empty() && !ec) fs::rename(temporary, destination, ec);
  if (reason.empty() && ec) reason = ec.message();
  if (!reason.empty()) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
  }
  return reason;
}

}  // namespace ormlint
