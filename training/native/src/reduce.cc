// Sum over the leading axes of a row-major tensor viewed as [rows, cols]: out[c] = scale * sum_r x[r, c].
// That is the conv bias gradient (sum over N, H, W) and any full reduction (cols = 1). tfjs wasm transposes
// the whole tensor first when the reduced axes are not the innermost ones.
#include "reduce.h"

#include <omp.h>

#include <algorithm>
#include <vector>

namespace lgg {

// Params: 0 rows, 1 cols, 2 scale, offsets 3 x, 4 out.
void sum_leading(uint8_t *heap, const Params &p) {
  const int64_t rows = p.i(0), cols = p.i(1);
  const double scale = p.p[2];
  const float *x = at(heap, p.i(3));
  float *out = at(heap, p.i(4));
  const int threads = omp_get_max_threads();
  std::vector<double> partial(static_cast<size_t>(threads) * cols, 0.0);
#pragma omp parallel num_threads(threads)
  {
    double *acc = partial.data() + static_cast<size_t>(omp_get_thread_num()) * cols;
    if (cols == 1) {
      double s = 0;
#pragma omp for schedule(static)
      for (int64_t r = 0; r < rows; ++r) s += x[r];
      acc[0] = s;
    } else {
      // Float sums over blocks of rows (vectorisable), flushed into the double accumulators.
      std::vector<float> block(cols);
      const int64_t blocks = (rows + 255) / 256;
#pragma omp for schedule(static)
      for (int64_t b = 0; b < blocks; ++b) {
        std::fill(block.begin(), block.end(), 0.f);
        float *__restrict blk = block.data();
        for (int64_t r = b * 256; r < std::min(rows, (b + 1) * 256); ++r) {
          const float *row = x + r * cols;
          for (int64_t c = 0; c < cols; ++c) blk[c] += row[c];
        }
        for (int64_t c = 0; c < cols; ++c) acc[c] += blk[c];
      }
    }
  }
  for (int64_t c = 0; c < cols; ++c) {
    double s = 0;
    for (int t = 0; t < threads; ++t) s += partial[static_cast<size_t>(t) * cols + c];
    out[c] = static_cast<float>(s * scale);
  }
}

}  // namespace lgg
