#include "output/fingerprint.h"

#include <cstdint>
#include <map>
#include <tuple>

namespace ormlint {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// FNV-1a, 64 bits: tiny, dependency-free and stable across platforms and releases, which is all a fingerprint
// needs (it is not a security boundary).
class Fnv1a64 {
 public:
  void add(std::string_view bytes) {
    for (char c : bytes) {
      hash_ ^= static_cast<unsigned char>(c);
      hash_ *= 0x100000001b3ULL;
    }
  }
  // Separates fields so ("ab", "c") and ("a", "bc") hash differently.
  void add_field(std::string_view bytes) {
    add(bytes);
    add(std::string_view("\0", 1));
  }
  std::string hex() const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text(16, '0');
    for (int i = 15; i >= 0; --i) text[15 - i] = kHex[(hash_ >> (i * 4)) & 0xF];
    return text;
  }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace

std::string normalise_whitespace(std::string_view line) {
  std::string normalised;
  normalised.reserve(line.size());
  bool pending_space = false;
  for (char c : line) {
    if (is_space(c)) {
      pending_space = !normalised.empty();
      continue;
    }
    if (pending_space) normalised += ' ';
    pending_space = false;
    normalised += c;
  }
  return normalised;
}

std::vector<std::string> line_fingerprints(const std::vector<Diagnostic>& diagnostics) {
  std::map<std::tuple<std::string_view, std::string_view, std::string>, unsigned> occurrences;
  std::vector<std::string> fingerprints;
  fingerprints.reserve(diagnostics.size());
  for (const Diagnostic& d : diagnostics) {
    std::string line = normalise_whitespace(d.source_line);
    unsigned occurrence = ++occurrences[{d.code, d.path, line}];
    Fnv1a64 hash;
    hash.add_field(d.code);
    hash.add_field(d.path);
    hash.add_field(line);
    hash.add(std::to_string(occurrence));
    fingerprints.push_back(hash.hex());
  }
  return fingerprints;
}

}  // namespace ormlint
