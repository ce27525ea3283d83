// FactList<T>: the sequence an expression keeps its arguments and elements in — a std::vector reduced to what
// facts need, in 16 bytes instead of 24 (a pointer and two 32-bit counts).
//
// Why not std::vector: a run holds hundreds of thousands of expressions (the facts of every file stay in
// memory for the project model), each with two such sequences, and on the virtual machines ormlint runs on
// every megabyte a run first touches costs about a millisecond. With two FactLists an Expr is 120 bytes,
// inside the allocator's 128-byte size class, where two vectors made it 136 bytes in the 160-byte class.
// Decoding and building allocate exactly what they keep (reserve / shrink_to_fit), so no growth slack stays
// either.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <stdexcept>
#include <utility>

namespace ormlint {

template <class T>
class FactList {
 public:
  using value_type = T;
  using size_type = size_t;
  using iterator = T*;
  using const_iterator = const T*;

  FactList() = default;
  FactList(const FactList& other) { append_copies(other.begin(), other.end()); }
  template <class It>
  FactList(It first, It last) {
    append_copies(first, last);
  }
  FactList(FactList&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  FactList& operator=(FactList other) noexcept {
    swap(other);
    return *this;
  }
  ~FactList() { release(); }

  void swap(FactList& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T& front() { return data_[0]; }
  const T& front() const { return data_[0]; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }

  void reserve(size_t wanted) {
    if (wanted > capacity_) reallocate(wanted);
  }
  // Gives back the growth slack: builders call it once a list is complete.
  void shrink_to_fit() {
    if (capacity_ > size_) reallocate(size_);
  }
  void clear() {
    std::destroy(begin(), end());
    size_ = 0;
  }

  template <class... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity_) {
      // The new element may refer into this list (push_back(list[0])): make it before moving the old ones.
      T made(std::forward<Args>(args)...);
      reallocate(grown());
      return *std::construct_at(data_ + size_++, std::move(made));
    }
    return *std::construct_at(data_ + size_++, std::forward<Args>(args)...);
  }
  void push_back(const T& value) { emplace_back(value); }
  void push_back(T&& value) { emplace_back(std::move(value)); }

  // Inserts [first, last) before `pos`; returns an iterator to the first inserted element.
  template <class It>
  T* insert(const T* pos, It first, It last) {
    const size_t at = static_cast<size_t>(pos - data_);
    FactList joined;
    joined.reserve(size_ + static_cast<size_t>(std::distance(first, last)));
    for (size_t i = 0; i < at; ++i) joined.emplace_back(std::move(data_[i]));
    for (; first != last; ++first) joined.emplace_back(*first);
    for (size_t i = at; i < size_; ++i) joined.emplace_back(std::move(data_[i]));
    swap(joined);
    return data_ + at;
  }

 private:
  static constexpr size_t kMaxSize = std::numeric_limits<uint32_t>::max();

  size_t grown() const { return capacity_ == 0 ? 1 : size_t{capacity_} * 2; }

  template <class It>
  void append_copies(It first, It last) {
    if constexpr (std::is_base_of_v<std::forward_iterator_tag,
                                    typename std::iterator_traits<It>::iterator_category>) {
      reserve(size_ + static_cast<size_t>(std::distance(first, last)));
    }
    for (; first != last; ++first) emplace_back(*first);
  }

  void reallocate(size_t capacity) {
    if (capacity > kMaxSize) throw std::length_error("FactList: more than 2^32 elements");
    std::allocator<T> allocator;
    T* fresh = capacity ? allocator.allocate(capacity) : nullptr;
    std::uninitialized_move(begin(), end(), fresh);
    const uint32_t size = size_;
    release();
    data_ = fresh;
    size_ = size;
    capacity_ = static_cast<uint32_t>(capacity);
  }

  void release() {
    std::destroy(begin(), end());
    if (data_) std::allocator<T>().deallocate(data_, capacity_);
    data_ = nullptr;
    size_ = capacity_ = 0;
  }

  T* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;
};

}  // namespace ormlint
