#include "engine/facts_cache.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/atomic_write.h"
#include "core/binary_codec.h"
#include "core/source_file.h"

namespace ormlint {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "ormlint facts cache\n";
constexpr uint32_t kKeepRuns = 10;  // an entry no run used for this many cache writes is dropped

uint64_t hash_bytes(std::string_view bytes) { return std::hash<std::string_view>{}(bytes); }

std::string hex(uint64_t value) {
  std::ostringstream out;
  out << std::hex << value;
  return out.str();
}

// Whether `folder` is missing or holds nothing but what a facts cache folder holds.
bool holds_only_cache_files(const fs::path& folder) {
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name != ".gitignore" && name != "CACHEDIR.TAG" && name.rfind("facts-", 0) != 0 &&
        name.rfind("base-findings", 0) != 0) {
      return false;  // engine/base_findings.h keeps its file here too
    }
  }
  return true;
}

// What the cache file holds after its magic, layout id and checksum.
struct CacheContents {
  uint32_t generation = 0;
  std::vector<CachedFacts> entries;
  std::vector<StampedKey> stamps;
};

// How long a file must have stayed unchanged before its stamp is trusted (see FactsCache::remember).
constexpr int64_t kSettledNanos = 2'000'000'000;

}  // namespace

template <class A, Is<FactsKey> S>
void describe(A& a, S& x) {
  a(x.content_hash, x.content_size, x.module_key, x.is_package);
}
template <class A, Is<CachedFacts> S>
void describe(A& a, S& x) {
  a(x.key, x.last_used, x.bytes);
}
template <class A, Is<FileStamp> S>
void describe(A& a, S& x) {
  a(x.size, x.mtime_ns, x.ctime_ns, x.inode);
}
template <class A, Is<StampedKey> S>
void describe(A& a, S& x) {
  a(x.path, x.stamp, x.key);
}
template <class A, Is<CacheContents> S>
void describe(A& a, S& x) {
  a(x.generation, x.entries, x.stamps);
}

std::optional<FileStamp> FileStamp::of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return FileStamp{static_cast<uint64_t>(st.st_size), st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec,
                   st.st_ctim.tv_sec * 1'000'000'000LL + st.st_ctim.tv_nsec, static_cast<uint64_t>(st.st_ino)};
}

FactsKey FactsKey::of(std::string_view content, std::string module_key, bool is_package) {
  return FactsKey{hash_bytes(content), content.size(), std::move(module_key), is_package};
}

size_t FactsCache::KeyHash::operator()(const FactsKey& key) const {
  return key.content_hash ^ (std::hash<std::string>{}(key.module_key) * 31) ^ key.is_package;
}

FactsCache::FactsCache(fs::path folder, const fs::path& project_folder) : folder_(std::move(folder)) {
  std::error_code ec;
  fs::path project = fs::weakly_canonical(fs::absolute(project_folder, ec).lexically_normal(), ec);
  file_ = folder_ / ("facts-" + hex(hash_bytes(project.string())) + ".bin");

  std::string error;
  auto mapped = MappedFile::open(file_, error);
  if (!mapped) return;  // no cache yet (or unreadable): a cold run
  file_bytes_ = std::make_shared<const MappedFile>(std::move(*mapped));
  // magic, layout id, checksum of the rest, the rest
  std::string_view view = file_bytes_->bytes();
  if (view.substr(0, kMagic.size()) != kMagic) return;
  view.remove_prefix(kMagic.size());
  try {
    BinaryReader header(view);
    std::string layout;
    uint64_t checksum = 0;
    header(layout);
    if (layout != facts_layout_id()) return;  // written by another build: its facts may be laid out differently
    header(checksum);
    std::string_view rest = view.substr(view.size() - header.remaining());
    if (hash_bytes(rest) != checksum) return;  // damaged
    CacheContents contents;
    BinaryReader reader(rest);
    reader(contents);
    generation_ = contents.generation + 1;
    for (auto& entry : contents.entries) {
      FactsKey key = entry.key;
      entries_.emplace(std::move(key), std::move(entry));
    }
    for (auto& stamped : contents.stamps) {
      std::string path = stamped.path;
      stamps_.emplace(std::move(path), std::move(stamped));
    }
  } catch (const BinaryDecodeError&) {
    entries_.clear();
    stamps_.clear();
    generation_ = 1;
  }
}

std::optional<FileFacts> FactsCache::find(const FactsKey& key) {
  std::string_view bytes;
  std::shared_ptr<const void> owner;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    it->second.last_used = generation_;
    bytes = it->second.bytes;  // entries are never replaced or erased before save(): the bytes stay put
    owner = it->second.owned ? std::shared_ptr<const void>(it->second.owned) : file_bytes_;
  }
  try {
    return decode_facts(bytes, std::move(owner));
  } catch (const FactsDecodeError&) {
    // The checksum matched, yet the bytes do not decode: the facts are rebuilt, and store() replaces these.
    std::lock_guard lock(mutex_);
    entries_.at(key).undecodable = true;
    return std::nullopt;
  }
}

void FactsCache::store(FactsKey key, const FileFacts& facts) {
  auto bytes = std::make_shared<const std::string>(encode_facts(facts));
  std::lock_guard lock(mutex_);
  auto [it, added] = entries_.try_emplace(key);
  if (!added && !it->second.undecodable) return;  // the same bytes gave the same facts
  // An undecodable entry's bytes lie in the cache file read, never in `owned`: nobody else is reading memory
  // that the assignment frees.
  it->second = CachedFacts{std::move(key), generation_, *bytes, std::move(bytes)};
  changed_ = true;
}

std::optional<FactsKey> FactsCache::key_for(const std::string& path, const FileStamp& stamp,
                                            const std::string& module_key, bool is_package) {
  std::lock_guard lock(mutex_);
  auto it = stamps_.find(path);
  if (it == stamps_.end() || !(it->second.stamp == stamp) || it->second.key.module_key != module_key ||
      it->second.key.is_package != is_package) {
    return std::nullopt;
  }
  met_stamps_[path] = it->second;
  return it->second.key;
}

void FactsCache::remember(const std::string& path, const FileStamp& stamp, const FactsKey& key) {
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  if (now - stamp.mtime_ns < kSettledNanos || now - stamp.ctime_ns < kSettledNanos) return;
  std::lock_guard lock(mutex_);
  auto old = stamps_.find(path);
  if (old == stamps_.end() || !(old->second.stamp == stamp) || !(old->second.key == key)) changed_ = true;
  met_stamps_[path] = StampedKey{path, stamp, key};
}

std::string FactsCache::save() {
  // Stamps of files this run did not meet (deleted, moved, excluded) are dropped.
  if (met_stamps_.size() != stamps_.size()) changed_ = true;
  if (!changed_) return "";
  CacheContents contents{generation_, {}, {}};
  for (auto& [path, stamped] : met_stamps_) contents.stamps.push_back(std::move(stamped));
  std::sort(contents.stamps.begin(), contents.stamps.end(),
            [](const StampedKey& a, const StampedKey& b) { return a.path < b.path; });
  for (auto& [key, entry] : entries_) {
    if (entry.last_used + kKeepRuns >= generation_) contents.entries.push_back(std::move(entry));
  }
  entries_.clear();
  BinaryWriter body;
  body(contents);
  std::string rest = body.take();
  BinaryWriter header;
  header(std::string(facts_layout_id()), hash_bytes(rest));

  std::error_code ec;
  const bool ours = holds_only_cache_files(folder_);  // before creating it: a new folder is ours too
  fs::create_directories(folder_, ec);
  if (ec) return folder_.string() + ": " + ec.message();
  // Like ruff's cache folder: git ignores it by itself, and backup tools know it holds nothing to keep. Not in a
  // folder that holds anything else (`--cache-dir .`): a `*` .gitignore there would hide the user's files.
  if (ours) {
    for (const auto& [name, text] :
         {std::pair<const char*, std::string_view>{".gitignore", "# Created by ormlint.\n*\n"},
          {"CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# ormlint's facts cache.\n"}}) {
      if (!fs::exists(folder_ / name, ec)) write_file_atomically(folder_ / name, text);
    }
  }
  std::string content(kMagic);
  content += header.take();
  content += rest;
  std::string reason = write_file_atomically(file_, content);
  return reason.empty() ? "" : file_.string() + ": " + reason;
}

}  // namespace ormlint
