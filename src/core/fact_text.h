// Texts of facts without a heap string each: a FactText is a view of bytes that a TextStore keeps alive
// (copied in by a fact builder, or the facts cache file the facts were decoded from, used where it lies).
//
// Why: a run holds the facts of every file (hundreds of thousands of expressions, each with three texts), and
// on the virtual machines ormlint runs on a run's cost follows the memory it touches (README "Performance").
// As std::string the texts took 32 bytes each plus a heap block for every text over 15 bytes
// ("sqlalchemy.Column"); as views they take 16 and the bytes are shared, or not copied at all.
//
// A FactText cannot be made from a std::string, so a text can never point into a temporary: builders write
// `texts.keep(...)`; string literals (static storage) are fine.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ormlint {

class FactText : public std::string_view {
 public:
  constexpr FactText() = default;
  template <size_t N>
  constexpr FactText(const char (&literal)[N])
      : std::string_view(literal, N - 1) {}  // NOLINT: literals are static
  // Only for bytes whose owner outlives the text (a TextStore, the cache file a store retains).
  constexpr explicit FactText(std::string_view kept) : std::string_view(kept) {}
  FactText(const std::string&) = delete;
  FactText(std::string&&) = delete;

  // A copy, where a std::string is wanted (safe: the copy owns its bytes).
  operator std::string() const { return std::string(data(), size()); }  // NOLINT(google-explicit-constructor)
};

// Concatenation gives an owned std::string, as with std::string operands.
inline std::string operator+(const FactText& a, std::string_view b) {
  return std::string(a).append(b);
}
inline std::string operator+(std::string_view a, const FactText& b) {
  return std::string(a).append(b);
}
inline std::string operator+(const FactText& a, const FactText& b) {
  return std::string(a).append(b);
}
inline std::string operator+(const FactText& a, char b) {
  return std::string(a) + b;
}
inline std::string operator+(char a, const FactText& b) {
  return a + std::string(b);
}
inline std::string operator+(const std::string& a, const FactText& b) {
  return std::string(a).append(b);
}
inline std::string operator+(std::string&& a, const FactText& b) {
  return std::move(a.append(b));
}
inline std::string operator+(const char* a, const FactText& b) {
  return std::string(a).append(b);
}
inline std::string operator+(const FactText& a, const char* b) {
  return std::string(a).append(b);
}

// Owns the bytes a file's FactTexts point into. Chunks never move, so texts stay valid as long as the store,
// which the file's facts share (ModuleFacts::texts). Not thread-safe: one thread builds or resolves a file.
class TextStore {
 public:
  // A copy of `text` that lives as long as this store.
  FactText keep(std::string_view text);
  // Keeps `owner` (a buffer that texts point into) alive as long as this store.
  void retain(std::shared_ptr<const void> owner) { owners_.push_back(std::move(owner)); }

 private:
  // Chunks grow from small (most files keep little: a warm run only its resolved names) to a bound.
  static constexpr size_t kFirstChunk = 256;
  static constexpr size_t kLargestChunk = 16384;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t next_chunk_ = kFirstChunk;
  char* free_ = nullptr;  // the rest of the newest chunk
  size_t free_size_ = 0;
  std::vector<std::shared_ptr<const void>> owners_;
};

}  // namespace ormlint
