// Batch normalization over the last axis in training mode (batch statistics), forward and backward.
// tfjs composes this from ~20 separate ops (moments, batchNorm and their gradients, incl. a full-size Tile);
// here each direction is one read pass for per-channel sums (double accumulators) and one fused pass.
// oneDNN's bnorm was tried first: for channels-last it picked a generic (non-JIT) implementation, ~2x slower.
// Tensors are viewed as [M, C] (all leading axes flattened).
#include "batchnorm.h"

#include <omp.h>

#include <cmath>
#include <vector>

namespace lgg {
namespace {

// Per-channel sums of f(row, c) over all rows, two accumulators at once; parallel over rows.
template <typename F>
void channel_sums(int64_t m, int64_t c, std::vector<double> &s1, std::vector<double> &s2, F f) {
  const int threads = omp_get_max_threads();
  std::vector<double> part(static_cast<size_t>(threads) * 2 * c, 0.0);
#pragma omp parallel num_threads(threads)
  {
    double *a = part.data() + static_cast<size_t>(omp_get_thread_num()) * 2 * c;
    double *b = a + c;
#pragma omp for schedule(static)
    for (int64_t r = 0; r < m; ++r) f(r, a, b);
  }
  s1.assign(c, 0.0);
  s2.assign(c, 0.0);
  for (int t = 0; t < threads; ++t)
    for (int64_t k = 0; k < c; ++k) {
      s1[k] += part[(static_cast<size_t>(t) * 2) * c + k];
      s2[k] += part[(static_cast<size_t>(t) * 2 + 1) * c + k];
    }
}

// out[r, k] = (x[r, k] - center[k]) * a[k] + y[r, k] * b[k] + d[k]  (y may be null). Centering first keeps
// precision when |mean| >> std.
void affine(int64_t m, int64_t c, const float *x, const float *center, const float *y, const std::vector<float> &a,
            const std::vector<float> &b, const std::vector<float> &d, float *out) {
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < m; ++r) {
    const float *xr = x + r * c;
    float *o = out + r * c;
    if (y) {
      const float *yr = y + r * c;
      for (int64_t k = 0; k < c; ++k) o[k] = (xr[k] - center[k]) * a[k] + yr[k] * b[k] + d[k];
    } else {
      for (int64_t k = 0; k < c; ++k) o[k] = (xr[k] - center[k]) * a[k] + d[k];
    }
  }
}

}  // namespace

// Params: 0 M, 1 C, 2 epsilon, offsets 3 x, 4 gamma, 5 beta, 6 y, 7 mean, 8 variance (biased, as tf.moments).
void batchnorm_train_forward(uint8_t *heap, const Params &p) {
  const int64_t m = p.i(0), c = p.i(1);
  const double eps = p.p[2];
  const float *x = at(heap, p.i(3)), *gamma = at(heap, p.i(4)), *beta = at(heap, p.i(5));
  float *y = at(heap, p.i(6)), *mean_out = at(heap, p.i(7)), *var_out = at(heap, p.i(8));
  std::vector<double> sum, sumsq;
  channel_sums(m, c, sum, sumsq, [&](int64_t r, double *s, double *q) {
    const float *xr = x + r * c;
    for (int64_t k = 0; k < c; ++k) s[k] += xr[k], q[k] += static_cast<double>(xr[k]) * xr[k];
  });
  std::vector<float> scale(c), none, shift(c);
  for (int64_t k = 0; k < c; ++k) {
    const double mean = sum[k] / m, var = std::max(0.0, sumsq[k] / m - mean * mean);
    const double a = gamma[k] / std::sqrt(var + eps);
    scale[k] = static_cast<float>(a);
    shift[k] = beta[k];
    mean_out[k] = static_cast<float>(mean);
    var_out[k] = static_cast<float>(var);
  }
  affine(m, c, x, mean_out, nullptr, scale, none, shift, y);
}

// Params: 0 M, 1 C, 2 epsilon, offsets 3 x, 4 dy, 5 gamma, 6 mean, 7 variance, 8 dx, 9 dgamma, 10 dbeta.
// Gradient through the batch statistics too (they depend on x), as tfjs's composed ops give.
void batchnorm_train_backward(uint8_t *heap, const Params &p) {
  const int64_t m = p.i(0), c = p.i(1);
  const double eps = p.p[2];
  const float *x = at(heap, p.i(3)), *dy = at(heap, p.i(4)), *gamma = at(heap, p.i(5)), *mean = at(heap, p.i(6)),
              *var = at(heap, p.i(7));
  float *dx = at(heap, p.i(8)), *dgamma = at(heap, p.i(9)), *dbeta = at(heap, p.i(10));
  std::vector<double> sdy, sdyx;  // sum(dy), sum(dy * (x - mean))
  channel_sums(m, c, sdy, sdyx, [&](int64_t r, double *s, double *q) {
    const float *xr = x + r * c, *g = dy + r * c;
    for (int64_t k = 0; k < c; ++k) s[k] += g[k], q[k] += static_cast<double>(g[k]) * (xr[k] - mean[k]);
  });
  // dx = gamma*inv*(dy - sdy/M - (x-mean)*inv^2*sdyx/M) = k_dy*dy + k_x*(x-mean) + k_0
  std::vector<float> k_dy(c), k_x(c), k_0(c);
  for (int64_t k = 0; k < c; ++k) {
    const double inv = 1.0 / std::sqrt(static_cast<double>(var[k]) + eps);
    const double g = gamma[k] * inv, kx = -g * inv * inv * sdyx[k] / m;
    k_dy[k] = static_cast<float>(g);
    k_x[k] = static_cast<float>(kx);
    k_0[k] = static_cast<float>(-g * sdy[k] / m);
    dgamma[k] = static_cast<float>(sdyx[k] * inv);
    dbeta[k] = static_cast<float>(sdy[k]);
  }
  affine(m, c, x, mean, dy, k_x, k_dy, k_0, dx);
}

}  // namespace lgg
