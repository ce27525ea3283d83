// The facts cache: what parsing a file gave (its facts and first syntax problem), kept between runs so that an
// unchanged file is not parsed again — the git hook and the editor re-check a whole project for one changed file.
// Like ruff's cache: one file per project in a cache folder (default `.ormlint_cache/` in the project folder,
// which git is told to ignore), never inside the user's own files. Entries are keyed by the file's content (a
// hash and the size), its module name and package flag — everything building facts depends on — so a stale entry
// can never be used; entries not used for a few runs are dropped. A missing, unreadable, damaged or foreign cache
// file is simply a cold cache; failing to write one is a warning, never a failed run.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/mapped_file.h"
#include "facts/facts_codec.h"

namespace ormlint {

struct FactsKey {
  uint64_t content_hash = 0;
  uint64_t content_size = 0;
  std::string module_key;
  bool is_package = false;

  static FactsKey of(std::string_view content, std::string module_key, bool is_package);
  bool operator==(const FactsKey&) const = default;
};

// What stat says of a file. While it stays the same, so do the file's bytes (as ruff's cache and git's index
// assume): a warm run then finds the facts without reading the file.
struct FileStamp {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  uint64_t inode = 0;

  static std::optional<FileStamp> of(const std::filesystem::path& path);
  bool operator==(const FileStamp&) const = default;
};

// The key of the facts a file had when it had this stamp.
struct StampedKey {
  std::string path;
  FileStamp stamp;
  FactsKey key;
};

struct CachedFacts {
  FactsKey key;
  uint32_t last_used = 0;  // the cache generation of the run that last used it
  std::string_view bytes;  // encode_facts(): into the cache file read, or into `owned`
  std::shared_ptr<const std::string> owned;  // the bytes of facts built by this run
  bool undecodable = false;  // read from the cache file, but its bytes do not decode (replaced when rebuilt)
};

class FactsCache {
 public:
  // Reads `<folder>/facts-<id>.bin` for the project in `project_folder`; a missing or unusable file gives an
  // empty cache.
  FactsCache(std::filesystem::path folder, const std::filesystem::path& project_folder);

  // Thread-safe. The facts stored for this key, or nullopt; marks the entry as used by this run.
  std::optional<FileFacts> find(const FactsKey& key);
  // Thread-safe. Records freshly built facts.
  void store(FactsKey key, const FileFacts& facts);
  // Thread-safe. The facts key recorded for the file at `path` when it had this very stamp, for this module
  // key and package flag; nullopt when the file changed since (or was never recorded).
  std::optional<FactsKey> key_for(const std::string& path, const FileStamp& stamp, const std::string& module_key,
                                  bool is_package);
  // Thread-safe. Records the key of the bytes read from `path`, stamped `stamp` before the read. A file changed in
  // the last seconds is not recorded: a change within the file system's timestamp granularity would go unseen.
  void remember(const std::string& path, const FileStamp& stamp, const FactsKey& key);
  // Writes the cache file back when this run changed it, leaving this object empty (call it last). Returns "" or
  // why it could not (for a warning).
  std::string save();

  const std::filesystem::path& file() const { return file_; }

 private:
  struct KeyHash {
    size_t operator()(const FactsKey& key) const;
  };
  std::filesystem::path folder_;
  std::filesystem::path file_;
  // The cache file as read: the entries' bytes point into it, and so do the texts of facts decoded from them
  // (which keep it mapped as long as they live).
  std::shared_ptr<const MappedFile> file_bytes_;
  uint32_t generation_ = 1;  // this run's
  std::mutex mutex_;
  std::unordered_map<FactsKey, CachedFacts, KeyHash> entries_;
  std::unordered_map<std::string, StampedKey> stamps_;  // by path; only the paths this run met are written back
  std::unordered_map<std::string, StampedKey> met_stamps_;
  bool changed_ = false;
};

}  // namespace ormlint
