// Max-pooling gradient, NHWC: each output's gradient goes to the first position (row-major in its window)
// that holds the window's maximum, as tfjs's cpu reference does. Parallel over (batch, output row):
// windows of different output rows may overlap only when stride < filter, so rows are split by batch then.
#include "pool.h"

#include <cmath>
#include <cstring>
#include <algorithm>
#include <vector>

namespace lgg {

// Params: 0 N, 1 H, 2 W, 3 C, 4 OH, 5 OW, 6 KH, 7 KW, 8 SH, 9 SW, 10 pad top, 11 pad left,
//         offsets 12 x, 13 dy, 14 dx.
void maxpool_backward(uint8_t *heap, const Params &p) {
  const int64_t n = p.i(0), h = p.i(1), w = p.i(2), c = p.i(3), oh = p.i(4), ow = p.i(5), kh = p.i(6), kw = p.i(7),
                sh = p.i(8), sw = p.i(9), pt = p.i(10), pl = p.i(11);
  const float *x = at(heap, p.i(12));
  const float *dy = at(heap, p.i(13));
  float *dx = at(heap, p.i(14));
  std::memset(dx, 0, sizeof(float) * n * h * w * c);
  const bool rows_disjoint = sh >= kh;
  // Channels innermost: every window position is a contiguous run of c floats.
  auto one_row = [&](int64_t b, int64_t r) {
    std::vector<float> best(c);
    std::vector<int64_t> where(c);
    const int64_t y0 = r * sh - pt;
    for (int64_t q = 0; q < ow; ++q) {
      const int64_t x0 = q * sw - pl;
      std::fill(best.begin(), best.end(), -INFINITY);
      std::fill(where.begin(), where.end(), -1);
      for (int64_t i = 0; i < kh; ++i) {
        const int64_t yy = y0 + i;
        if (yy < 0 || yy >= h) continue;
        for (int64_t j = 0; j < kw; ++j) {
          const int64_t xx = x0 + j;
          if (xx < 0 || xx >= w) continue;
          const int64_t base = ((b * h + yy) * w + xx) * c;
          const float *px = x + base;
          for (int64_t ch = 0; ch < c; ++ch)
            if (px[ch] > best[ch] || where[ch] < 0) best[ch] = px[ch], where[ch] = base + ch;
        }
      }
      const float *g = dy + ((b * oh + r) * ow + q) * c;
      for (int64_t ch = 0; ch < c; ++ch)
        if (where[ch] >= 0) dx[where[ch]] += g[ch];
    }
  };
  if (rows_disjoint) {
#pragma omp parallel for collapse(2) schedule(static)
    for (int64_t b = 0; b < n; ++b)
      for (int64_t r = 0; r < oh; ++r) one_row(b, r);
  } else {
#pragma omp parallel for schedule(static)
    for (int64_t b = 0; b < n; ++b)
      for (int64_t r = 0; r < oh; ++r) one_row(b, r);
  }
}

}  // namespace lgg
