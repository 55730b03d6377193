// Max-pooling gradient, NHWC: each output's gradient goes to the first position (row-major in its window)
// that holds the window's maximum, as tfjs's cpu reference does. Parallel over (batch, output row):
// windows of different output rows may overlap only when stride < filter, so rows are split by batch then.
#include "pool.h"

#include <cmath>
#include <cstring>
#include <algorithm>
#include <vector>

namespace lgg {

// The common case (2x2, stride 2, no padding: every pooling of both models) without the general loop's
// bookkeeping: the four window positions are read as four contiguous channel runs and each gets its gradient or
// 0, so dx needs no memset except the odd last row/column no window covers. Ties go to the first position in
// row-major order, as in the general loop and tfjs's cpu reference (a NaN in a window may route its gradient
// elsewhere than they do; the trainer stops at the NaN loss that follows). Vectorises over channels.
static void pool2x2_backward(int64_t n, int64_t h, int64_t w, int64_t c, const float *x, const float *dy, float *dx) {
  const int64_t oh = h / 2, ow = w / 2;
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t b = 0; b < n; ++b)
    for (int64_t r = 0; r < oh; ++r) {
      for (int64_t q = 0; q < ow; ++q) {
        const int64_t i00 = ((b * h + 2 * r) * w + 2 * q) * c, i01 = i00 + c, i10 = i00 + w * c, i11 = i10 + c;
        const float *__restrict g = dy + ((b * oh + r) * ow + q) * c;
        for (int64_t ch = 0; ch < c; ++ch) {
          const float a = x[i00 + ch], bb = x[i01 + ch], cc = x[i10 + ch], d = x[i11 + ch];
          const bool pa = a >= bb && a >= cc && a >= d;
          const bool pb = !pa && bb >= cc && bb >= d;
          const bool pc = !pa && !pb && cc >= d;
          const bool pd = !pa && !pb && !pc;
          dx[i00 + ch] = pa ? g[ch] : 0.f;
          dx[i01 + ch] = pb ? g[ch] : 0.f;
          dx[i10 + ch] = pc ? g[ch] : 0.f;
          dx[i11 + ch] = pd ? g[ch] : 0.f;
        }
      }
      if (w % 2) {  // the last column of both rows is in no window
        std::memset(dx + ((b * h + 2 * r) * w + w - 1) * c, 0, sizeof(float) * c);
        std::memset(dx + ((b * h + 2 * r + 1) * w + w - 1) * c, 0, sizeof(float) * c);
      }
    }
  if (h % 2)  // the last row is in no window
    for (int64_t b = 0; b < n; ++b) std::memset(dx + (b * h + h - 1) * w * c, 0, sizeof(float) * w * c);
}

// Params: 0 N, 1 H, 2 W, 3 C, 4 OH, 5 OW, 6 KH, 7 KW, 8 SH, 9 SW, 10 pad top, 11 pad left,
//         offsets 12 x, 13 dy, 14 dx.
void maxpool_backward(uint8_t *heap, const Params &p) {
  const int64_t n = p.i(0), h = p.i(1), w = p.i(2), c = p.i(3), oh = p.i(4), ow = p.i(5), kh = p.i(6), kw = p.i(7),
                sh = p.i(8), sw = p.i(9), pt = p.i(10), pl = p.i(11);
  const float *x = at(heap, p.i(12));
  const float *dy = at(heap, p.i(13));
  float *dx = at(heap, p.i(14));
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && pt == 0 && pl == 0 && oh == h / 2 && ow == w / 2) {
    pool2x2_backward(n, h, w, c, x, dy, dx);
    return;
  }
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
