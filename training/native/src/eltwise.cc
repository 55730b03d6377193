// Element-wise ops on both cores (wasm runs them single-threaded): binary arithmetic on equal shapes or with
// a scalar operand, ReLU and its gradient in one pass (tfjs: Step + Cast + Multiply), and Step.
#include "eltwise.h"

#include <cmath>

namespace lgg {
namespace {
constexpr int64_t kParallelFrom = 1 << 15;  // below this, threads cost more than they save

// tfjs's Step: 1 above 0, alpha otherwise, NaN stays NaN. Written as selects, not branches: on activations
// the sign is a coin flip, and the branchy form (mispredicted half the time, not vectorised) ran ReLU's
// gradient 8x slower than a multiply of the same size.
inline float step_of(float x, float alpha) {
  const float s = x > 0.f ? 1.f : alpha;
  return x != x ? x : s;
}

template <typename Op>
void apply(int64_t n, const float *a, bool a_scalar, const float *b, bool b_scalar, float *out, Op op) {
  if (!a_scalar && !b_scalar) {
#pragma omp parallel for schedule(static) if (n >= kParallelFrom)
    for (int64_t i = 0; i < n; ++i) out[i] = op(a[i], b[i]);
  } else if (b_scalar) {
    const float s = b[0];
#pragma omp parallel for schedule(static) if (n >= kParallelFrom)
    for (int64_t i = 0; i < n; ++i) out[i] = op(a[i], s);
  } else {
    const float s = a[0];
#pragma omp parallel for schedule(static) if (n >= kParallelFrom)
    for (int64_t i = 0; i < n; ++i) out[i] = op(s, b[i]);
  }
}
}  // namespace

// Params: 0 op (0 add, 1 sub, 2 mul, 3 div), 1 n (output size), 2 a, 3 a is scalar, 4 b, 5 b is scalar, 6 out.
void binary_op(uint8_t *heap, const Params &p) {
  const int64_t n = p.i(1);
  const float *a = at(heap, p.i(2)), *b = at(heap, p.i(4));
  const bool as = p.i(3) != 0, bs = p.i(5) != 0;
  float *out = at(heap, p.i(6));
  switch (p.i(0)) {
    case 0: apply(n, a, as, b, bs, out, [](float x, float y) { return x + y; }); break;
    case 1: apply(n, a, as, b, bs, out, [](float x, float y) { return x - y; }); break;
    case 2: apply(n, a, as, b, bs, out, [](float x, float y) { return x * y; }); break;
    case 3: apply(n, a, as, b, bs, out, [](float x, float y) { return x / y; }); break;
    default: throw std::runtime_error("binary_op: unknown op");
  }
}

// Params: 0 n, 1 dy, 2 x, 3 out. out = dy * step(x), as tfjs computes it (x > 0: dy; else 0 * dy; NaN x: NaN).
void relu_grad(uint8_t *heap, const Params &p) {
  const int64_t n = p.i(0);
  const float *dy = at(heap, p.i(1)), *x = at(heap, p.i(2));
  float *out = at(heap, p.i(3));
#pragma omp parallel for schedule(static) if (n >= kParallelFrom)
  for (int64_t i = 0; i < n; ++i) out[i] = dy[i] * step_of(x[i], 0.f);
}

// Params: 0 n, 1 alpha, 2 x, 3 out. out = x > 0 ? 1 : alpha, NaN stays NaN (tfjs Step).
void step_op(uint8_t *heap, const Params &p) {
  const int64_t n = p.i(0);
  const float alpha = p.f(1);
  const float *x = at(heap, p.i(2));
  float *out = at(heap, p.i(3));
#pragma omp parallel for schedule(static) if (n >= kParallelFrom)
  for (int64_t i = 0; i < n; ++i) out[i] = step_of(x[i], alpha);
}

// Params: 0 n, 1 x, 2 out. As tfjs's cpu and wasm kernels: x above 0 and NaN pass, everything else (-0 too) is +0.
void relu_op(uint8_t *heap, const Params &p) {
  const int64_t n = p.i(0);
  const float *x = at(heap, p.i(1));
  float *out = at(heap, p.i(2));
#pragma omp parallel for schedule(static) if (n >= kParallelFrom)
  for (int64_t i = 0; i < n; ++i) out[i] = (x[i] > 0.f || x[i] != x[i]) ? x[i] : 0.f;
}

}  // namespace lgg
