// One Adam step for one variable in a single pass (tfjs: ~12 element-wise ops, each a full pass), with the
// same float arithmetic order as tfjs's AdamOptimizer so results match it to rounding.
#include "adam.h"

#include <cmath>

namespace lgg {

// Params: 0 n, 1 lr, 2 beta1, 3 beta2, 4 epsilon, 5 1 - beta1^t, 6 1 - beta2^t,
//         offsets 7 value, 8 grad, 9 m, 10 v, 11 new value, 12 new m, 13 new v, 14 1 - beta1, 15 1 - beta2
//         (computed in double like tfjs does before rounding to float32: 1 - float(0.999) is 1.3e-5 off).
void adam_update(uint8_t *heap, const Params &p) {
  const int64_t n = p.i(0);
  const float lr = p.f(1), b1 = p.f(2), b2 = p.f(3), eps = p.f(4), c1 = p.f(5), c2 = p.f(6);
  const float one_b1 = p.f(14), one_b2 = p.f(15);
  const float *value = at(heap, p.i(7)), *grad = at(heap, p.i(8)), *m = at(heap, p.i(9)), *v = at(heap, p.i(10));
  float *nvalue = at(heap, p.i(11)), *nm = at(heap, p.i(12)), *nv = at(heap, p.i(13));
#pragma omp parallel for schedule(static) if (n >= (1 << 15))
  for (int64_t i = 0; i < n; ++i) {
    const float g = grad[i];
    const float m1 = m[i] * b1 + g * one_b1;
    const float v1 = v[i] * b2 + (g * g) * one_b2;
    nm[i] = m1;
    nv[i] = v1;
    nvalue[i] = ((m1 / c1) / (std::sqrt(v1 / c2) + eps)) * -lr + value[i];
  }
}

}  // namespace lgg
