#include "core/fact_text.h"

#include <algorithm>
#include <cstring>

namespace ormlint {

FactText TextStore::keep(std::string_view text) {
  if (text.empty()) return {};
  if (text.size() > free_size_) {
    if (text.size() > next_chunk_ / 2) {  // a chunk of its own; the current chunk's rest stays in use
      chunks_.push_back(std::make_unique_for_overwrite<char[]>(text.size()));
      std::memcpy(chunks_.back().get(), text.data(), text.size());
      return FactText(std::string_view(chunks_.back().get(), text.size()));
    }
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(next_chunk_));
    free_ = chunks_.back().get();
    free_size_ = next_chunk_;
    next_chunk_ = std::min(next_chunk_ * 2, kLargestChunk);
  }
  std::memcpy(free_, text.data(), text.size());
  FactText kept(std::string_view(free_, text.size()));
  free_ += text.size();
  free_size_ -= text.size();
  return kept;
}

}  // namespace ormlint
