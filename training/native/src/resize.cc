// Nearest-neighbour resizing by whole factors (UpSampling2D: each pixel becomes an fy x fx block), NHWC, and
// its gradient (each pixel's gradient is the sum over its block). Other sizes and the align-corners /
// half-pixel-centers variants stay with the portable kernels. The gradient sums in the order the portable
// kernel scatters (block rows top to bottom, left to right), so both give the same floats.
#include "resize.h"

#include <cstring>

namespace lgg {

// Params (both): 0 N, 1 H, 2 W, 3 C (the small image), 4 fy, 5 fx, offsets 6 small, 7 large.
void resize_nearest_forward(uint8_t *heap, const Params &p) {
  const int64_t n = p.i(0), h = p.i(1), w = p.i(2), c = p.i(3), fy = p.i(4), fx = p.i(5);
  const float *x = at(heap, p.i(6));
  float *y = at(heap, p.i(7));
  const int64_t ow = w * fx;
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < h; ++i) {
      float *row = y + ((b * h + i) * fy * ow) * c;
      const float *src = x + ((b * h + i) * w) * c;
      for (int64_t j = 0; j < w; ++j)
        for (int64_t k = 0; k < fx; ++k) std::memcpy(row + (j * fx + k) * c, src + j * c, sizeof(float) * c);
      for (int64_t r = 1; r < fy; ++r) std::memcpy(row + r * ow * c, row, sizeof(float) * ow * c);
    }
}

void resize_nearest_backward(uint8_t *heap, const Params &p) {
  const int64_t n = p.i(0), h = p.i(1), w = p.i(2), c = p.i(3), fy = p.i(4), fx = p.i(5);
  float *dx = at(heap, p.i(6));
  const float *dy = at(heap, p.i(7));
  const int64_t ow = w * fx;
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < h; ++i) {
      float *out = dx + ((b * h + i) * w) * c;
      std::memset(out, 0, sizeof(float) * w * c);
      for (int64_t r = 0; r < fy; ++r) {
        const float *row = dy + ((b * h + i) * fy + r) * ow * c;
        for (int64_t j = 0; j < w; ++j)
          for (int64_t k = 0; k < fx; ++k) {
            const float *__restrict g = row + (j * fx + k) * c;
            float *__restrict o = out + j * c;
            for (int64_t ch = 0; ch < c; ++ch) o[ch] += g[ch];
          }
      }
    }
}

}  // namespace lgg
