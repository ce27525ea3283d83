// Plain structs as compact bytes and back. A struct takes part by a `describe(archive, value)` overload in its own
// namespace that names its members once — `a(x.name, x.loc, x.items)` — and serves both directions, so writing
// and reading cannot disagree. Integers are LEB128 varints; strings, vectors, sets and maps carry their size.
// Reading is defensive: the bytes may come from a damaged file, so anything unexpected throws BinaryDecodeError
// (never an out-of-range read, a huge allocation or unbounded recursion).
#pragma once
#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/fact_list.h"
#include "core/flat_names.h"

namespace ormlint {

struct BinaryDecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The largest valid value of an enum that is written: specialize it for each (reading rejects larger values).
template <class E>
constexpr E kLastEnumValue = E{};

// `describe`'s parameter type for a struct S that works for the writer (const S) and the reader (S).
template <class Self, class T>
concept Is = std::is_same_v<std::remove_const_t<Self>, T>;

namespace codec_detail {
template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};
template <class T>
struct IsVector<FactList<T>> : std::true_type {};
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <class T>
struct IsUniquePtr : std::false_type {};
template <class T>
struct IsUniquePtr<std::unique_ptr<T>> : std::true_type {};
template <class T>
struct IsStringSet : std::false_type {};
template <class C>
struct IsStringSet<std::set<std::string, C>> : std::true_type {};
template <class T>
struct IsStringMap : std::false_type {};
template <class V, class C>
struct IsStringMap<std::map<std::string, V, C>> : std::true_type {};
template <class V>
struct IsStringMap<NameMap<V>> : std::true_type {};
template <class T>
struct IsNameMap : std::false_type {};
template <class V>
struct IsNameMap<NameMap<V>> : std::true_type {};
}  // namespace codec_detail

class BinaryWriter {
 public:
  template <class... T>
  void operator()(const T&... values) {
    (put(values), ...);
  }
  std::string take() { return std::move(out_); }

 private:
  void put_number(uint64_t value) {
    while (value >= 0x80) {
      out_.push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    out_.push_back(static_cast<char>(value));
  }

  template <class T>
  void put(const T& value) {
    using namespace codec_detail;
    if constexpr (std::is_same_v<T, bool>) {
      out_.push_back(value ? 1 : 0);
    } else if constexpr (std::is_enum_v<T>) {
      put(static_cast<std::underlying_type_t<T>>(value));
    } else if constexpr (std::is_integral_v<T>) {
      // Signed values are stored plus one, so that -1 ("none") is one byte.
      put_number(static_cast<uint64_t>(static_cast<int64_t>(value) + (std::is_signed_v<T> ? 1 : 0)));
    } else if constexpr (std::is_same_v<T, std::string> || std::is_base_of_v<std::string_view, T>) {
      put_number(value.size());
      out_.append(value);
    } else if constexpr (IsUniquePtr<T>::value || IsOptional<T>::value) {
      put(static_cast<bool>(value));
      if (value) put(*value);
    } else if constexpr (IsVector<T>::value || IsStringSet<T>::value || std::is_same_v<T, NameSet>) {
      put_number(value.size());
      for (const auto& item : value) put(item);
    } else if constexpr (IsStringMap<T>::value) {
      put_number(value.size());
      for (const auto& [key, item] : value) (*this)(key, item);
    } else {
      describe(*this, value);
    }
  }

  std::string out_;
};

class BinaryReader {
 public:
  explicit BinaryReader(std::string_view in) : in_(in) {}

  template <class... T>
  void operator()(T&... values) {
    (get(values), ...);
  }
  bool at_end() const { return pos_ == in_.size(); }
  size_t remaining() const { return in_.size() - pos_; }

 private:
  static constexpr int kMaxNesting = 1000;  // structs within structs (expressions nest)
  static constexpr size_t kMaxReserve = 1024;  // items reserved ahead of reading them

  [[noreturn]] static void fail(const char* what) { throw BinaryDecodeError(what); }

  uint64_t get_number() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) fail("truncated number");
      auto byte = static_cast<unsigned char>(in_[pos_++]);
      if (shift == 63 && (byte & 0x7e)) fail("number out of range");  // bits beyond the 64th
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
    }
    fail("malformed number");
  }
  // A count of items that each take at least one byte: never more than what is left.
  size_t get_count() {
    uint64_t count = get_number();
    if (count > in_.size() - pos_) fail("count beyond the end");
    return static_cast<size_t>(count);
  }
  template <class Int>
  Int get_integer() {
    uint64_t raw = get_number();
    if constexpr (std::is_signed_v<Int>) {
      auto value = static_cast<int64_t>(raw) - 1;
      if (value < std::numeric_limits<Int>::min() || value > std::numeric_limits<Int>::max()) fail("number out of range");
      return static_cast<Int>(value);
    } else {
      if (raw > std::numeric_limits<Int>::max()) fail("number out of range");
      return static_cast<Int>(raw);
    }
  }

  template <class T>
  void get(T& value) {
    using namespace codec_detail;
    if constexpr (std::is_same_v<T, bool>) {
      if (pos_ >= in_.size()) fail("truncated flag");
      char byte = in_[pos_++];
      if (byte != 0 && byte != 1) fail("bad flag");
      value = byte == 1;
    } else if constexpr (std::is_enum_v<T>) {
      using Raw = std::underlying_type_t<T>;
      static_assert(kLastEnumValue<T> != T{}, "specialize kLastEnumValue for this enum");
      Raw raw = get_integer<Raw>();
      if (raw < 0 || raw > static_cast<Raw>(kLastEnumValue<T>)) fail("bad enum value");
      value = static_cast<T>(raw);
    } else if constexpr (std::is_integral_v<T>) {
      value = get_integer<T>();
    } else if constexpr (std::is_same_v<T, std::string> || std::is_base_of_v<std::string_view, T>) {
      // A string_view (or a FactText) points into the bytes being read: they must outlive it.
      size_t size = get_count();
      value = T(in_.substr(pos_, size));
      pos_ += size;
    } else if constexpr (IsUniquePtr<T>::value) {
      bool present = false;
      get(present);
      if (present) get(*(value = std::make_unique<typename T::element_type>()));
    } else if constexpr (IsOptional<T>::value) {
      bool present = false;
      get(present);
      if (present) get(value.emplace());
    } else if constexpr (IsVector<T>::value) {
      // Reserved up to a bound, then grown: a damaged count must not allocate much.
      size_t count = get_count();
      value.reserve(std::min<size_t>(count, kMaxReserve));
      for (; count > 0; --count) get(value.emplace_back());
    } else if constexpr (IsStringSet<T>::value) {
      for (size_t count = get_count(); count > 0; --count) {
        std::string key;
        get(key);
        value.insert(value.end(), std::move(key));
      }
    } else if constexpr (std::is_same_v<T, NameSet>) {
      std::vector<FactText> names;
      get(names);
      value = NameSet(std::move(names));
    } else if constexpr (IsNameMap<T>::value) {
      std::vector<typename T::Entry> entries;
      for (size_t count = get_count(); count > 0; --count) {
        auto& [key, item] = entries.emplace_back();
        (*this)(key, item);
      }
      value = T(std::move(entries));
    } else if constexpr (IsStringMap<T>::value) {
      for (size_t count = get_count(); count > 0; --count) {
        std::string key;
        typename T::mapped_type item{};
        (*this)(key, item);
        value.emplace_hint(value.end(), std::move(key), std::move(item));
      }
    } else {
      if (++depth_ > kMaxNesting) fail("nested too deeply");
      describe(*this, value);
      --depth_;
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace ormlint
