// Location in the byte form of core/binary_codec.h, for every file that writes locations.
#pragma once
#include "core/binary_codec.h"
#include "core/location.h"

namespace ormlint {

template <class A, Is<Location> S>
void describe(A& a, S& x) {
  a(x.start_byte, x.end_byte, x.line, x.column, x.end_line, x.end_column);
}

}  // namespace ormlint
