// Batch normalization over the last axis in training mode (batch statistics), forward and backward, as one
// oneDNN primitive each. tfjs computes this from ~20 separate ops (moments, batchNorm and their gradients,
// incl. a full-size Tile); here it is two passes over the data per direction.
// Tensors are viewed as [M, C] (all leading axes flattened), which is channels-last for any rank.
#include "batchnorm.h"

#include <unordered_map>
#include <vector>

namespace lgg {
namespace {
using namespace dnnl;

// As 4-D {M, C, 1, 1} channels-last, oneDNN picks its vectorised nspc implementation (2-D "nc" gets a slow one).
memory::desc rows(int64_t m, int64_t c) { return memory::desc({m, c, 1, 1}, dt::f32, tag::nhwc); }
memory::desc vec(int64_t c) { return memory::desc({c}, dt::f32, tag::a); }
const auto kFlags = normalization_flags::use_scale | normalization_flags::use_shift;

batch_normalization_forward::primitive_desc forward_pd(int64_t m, int64_t c, float eps) {
  return {batch_normalization_forward::desc(prop_kind::forward_training, rows(m, c), eps, kFlags), cpu_engine()};
}

std::string key_of(int64_t m, int64_t c, float eps) {
  return std::to_string(m) + "," + std::to_string(c) + "," + std::to_string(eps);
}
}  // namespace

// Params: 0 M, 1 C, 2 epsilon, offsets 3 x, 4 gamma, 5 beta, 6 y, 7 mean, 8 variance (biased, as tf.moments).
void batchnorm_train_forward(uint8_t *heap, const Params &p) {
  static std::unordered_map<std::string, batch_normalization_forward> cache;
  int64_t m = p.i(0), c = p.i(1);
  float eps = p.f(2);
  std::string key = key_of(m, c, eps);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, batch_normalization_forward(forward_pd(m, c, eps))).first;
  it->second.execute(cpu_stream(), {
                                       {DNNL_ARG_SRC, memory(rows(m, c), cpu_engine(), at(heap, p.i(3)))},
                                       {DNNL_ARG_SCALE, memory(vec(c), cpu_engine(), at(heap, p.i(4)))},
                                       {DNNL_ARG_SHIFT, memory(vec(c), cpu_engine(), at(heap, p.i(5)))},
                                       {DNNL_ARG_DST, memory(rows(m, c), cpu_engine(), at(heap, p.i(6)))},
                                       {DNNL_ARG_MEAN, memory(vec(c), cpu_engine(), at(heap, p.i(7)))},
                                       {DNNL_ARG_VARIANCE, memory(vec(c), cpu_engine(), at(heap, p.i(8)))},
                                   });
  cpu_stream().wait();
}

// Params: 0 M, 1 C, 2 epsilon, offsets 3 x, 4 dy, 5 gamma, 6 mean, 7 variance, 8 dx, 9 dgamma, 10 dbeta.
// Gradient through the batch statistics too (they depend on x), as tfjs's composed ops give.
void batchnorm_train_backward(uint8_t *heap, const Params &p) {
  static std::unordered_map<std::string, batch_normalization_backward> cache;
  int64_t m = p.i(0), c = p.i(1);
  float eps = p.f(2);
  std::string key = key_of(m, c, eps);
  auto it = cache.find(key);
  if (it == cache.end()) {
    batch_normalization_backward::desc d(prop_kind::backward, rows(m, c), rows(m, c), eps, kFlags);
    batch_normalization_backward::primitive_desc pd(d, cpu_engine(), forward_pd(m, c, eps));
    it = cache.emplace(key, batch_normalization_backward(pd)).first;
  }
  // oneDNN 2.6 requires a shift argument here although the gradient does not read it.
  std::vector<float> unused_shift(c, 0.f);
  it->second.execute(cpu_stream(), {
                                       {DNNL_ARG_SHIFT, memory(vec(c), cpu_engine(), unused_shift.data())},
                                       {DNNL_ARG_SRC, memory(rows(m, c), cpu_engine(), at(heap, p.i(3)))},
                                       {DNNL_ARG_DIFF_DST, memory(rows(m, c), cpu_engine(), at(heap, p.i(4)))},
                                       {DNNL_ARG_SCALE, memory(vec(c), cpu_engine(), at(heap, p.i(5)))},
                                       {DNNL_ARG_MEAN, memory(vec(c), cpu_engine(), at(heap, p.i(6)))},
                                       {DNNL_ARG_VARIANCE, memory(vec(c), cpu_engine(), at(heap, p.i(7)))},
                                       {DNNL_ARG_DIFF_SRC, memory(rows(m, c), cpu_engine(), at(heap, p.i(8)))},
                                       {DNNL_ARG_DIFF_SCALE, memory(vec(c), cpu_engine(), at(heap, p.i(9)))},
                                       {DNNL_ARG_DIFF_SHIFT, memory(vec(c), cpu_engine(), at(heap, p.i(10)))},
                                   });
  cpu_stream().wait();
}

}  // namespace lgg
