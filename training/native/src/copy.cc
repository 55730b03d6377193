// Concat and split along any axis, as copies of contiguous chunks: with `outer` = product of the dims
// before the axis, each piece contributes one chunk of (its size on the axis) x (dims after the axis)
// floats per outer index. Channel-axis concat/split (the U-Net's skips) is the case that matters.
#include "copy.h"

#include <cstring>
#include <vector>

namespace lgg {
namespace {
struct Piece {
  float *data;
  int64_t chunk;
};

std::vector<Piece> pieces_of(uint8_t *heap, const Params &p, int64_t count) {
  std::vector<Piece> pieces(count);
  for (int64_t i = 0; i < count; ++i) pieces[i] = {at(heap, p.i(2 + 2 * i)), p.i(3 + 2 * i)};
  return pieces;
}
}  // namespace

// Params: 0 outer, 1 count, then (offset, chunk) per input, then output offset.
void concat_rows(uint8_t *heap, const Params &p) {
  const int64_t outer = p.i(0), count = p.i(1);
  std::vector<Piece> in = pieces_of(heap, p, count);
  float *out = at(heap, p.i(2 + 2 * count));
  int64_t row = 0;
  for (const Piece &piece : in) row += piece.chunk;
#pragma omp parallel for schedule(static)
  for (int64_t o = 0; o < outer; ++o) {
    float *dst = out + o * row;
    for (const Piece &piece : in) {
      std::memcpy(dst, piece.data + o * piece.chunk, sizeof(float) * piece.chunk);
      dst += piece.chunk;
    }
  }
}

// Params: 0 outer, 1 count, then (offset, chunk) per output, then input offset.
void split_rows(uint8_t *heap, const Params &p) {
  const int64_t outer = p.i(0), count = p.i(1);
  std::vector<Piece> out = pieces_of(heap, p, count);
  const float *in = at(heap, p.i(2 + 2 * count));
  int64_t row = 0;
  for (const Piece &piece : out) row += piece.chunk;
#pragma omp parallel for schedule(static)
  for (int64_t o = 0; o < outer; ++o) {
    const float *src = in + o * row;
    for (const Piece &piece : out) {
      std::memcpy(piece.data + o * piece.chunk, src, sizeof(float) * piece.chunk);
      src += piece.chunk;
    }
  }
}

}  // namespace lgg
