#pragma once
// Position of the k-th set bit of a 64-bit word ("select"), without a loop over the bits:
// three halving steps by popcount narrow the search to one byte, and a table finishes it.
// Socialisation uses it to jump over the cells a geometric gap passes, which would
// otherwise cost one step per passed cell, about 1/p of them per move.

#include <array>
#include <bit>
#include <cstdint>

namespace orgsim {

namespace detail {

// kSelectInByte[b][k]: position of the k-th set bit of byte b (8 where there is none).
inline constexpr auto kSelectInByte = [] {
  std::array<std::array<std::uint8_t, 8>, 256> table{};
  for (int byte = 0; byte < 256; ++byte) {
    int k = 0;
    for (int bit = 0; bit < 8; ++bit) table[byte][bit] = 8;
    for (int bit = 0; bit < 8; ++bit) {
      if ((byte >> bit) & 1) table[byte][k++] = static_cast<std::uint8_t>(bit);
    }
  }
  return table;
}();

}  // namespace detail

/// Position (0..63) of the set bit of `word` that has `k` set bits below it; k must be
/// below popcount(word).
inline int nth_set_bit(std::uint64_t word, int k) {
  // Arithmetic rather than conditionals: compilers turn `k >= below ? ... : ...` into
  // branches here, and those fail to predict half the time.
  int position = 0;
  for (int width : {32, 16, 8}) {
    const int below = std::popcount(word & ((std::uint64_t{1} << width) - 1));
    const int upper = static_cast<int>(k >= below);  // 0 or 1
    const int shift = upper * width;
    k -= below & -upper;
    word >>= shift;
    position += shift;
  }
  return position + detail::kSelectInByte[word & 0xff][static_cast<std::size_t>(k)];
}

}  // namespace orgsim
