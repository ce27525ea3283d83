// A span in a source file. Lines and columns are 1-based; columns count Unicode code points, as editors do.
#pragma once
#include <cstdint>

namespace ormlint {

struct Location {
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  uint32_t line = 1;
  uint32_t column = 1;
  uint32_t end_line = 1;
  uint32_t end_column = 1;
};

}  // namespace ormlint
