// A file's bytes mapped read-only into memory, for large files read whole and only read: the facts cache. Mapping
// reuses the kernel's page cache instead of copying the file into freshly allocated memory, which on the virtual
// machines ormlint runs on costs about a millisecond per megabyte touched.
#pragma once
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ormlint {

class MappedFile {
 public:
  // The file mapped, or nullopt (with `error` set) when it cannot be opened, is not a regular file, is empty or
  // cannot be mapped. The file must only ever be replaced (renamed over), never truncated in place, while mapped:
  // ormlint writes its own files atomically.
  static std::optional<MappedFile> open(const std::filesystem::path& path, std::string& error);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(void* data, size_t size) : data_(data), size_(size) {}
  void* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace ormlint
