// Shared helpers for the oneDNN kernels: one engine/stream, NHWC memory descriptors over raw pointers.
#pragma once
#include <oneapi/dnnl/dnnl.hpp>
#include <cstdint>
#include <string>

namespace lgg {

dnnl::engine &cpu_engine();
dnnl::stream &cpu_stream();

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;
using dims = dnnl::memory::dims;

inline dnnl::memory::desc nhwc(int64_t n, int64_t h, int64_t w, int64_t c) {
  // oneDNN's logical order is NCHW; the tag says the bytes are laid out NHWC, as tfjs stores them.
  return dnnl::memory::desc({n, c, h, w}, dt::f32, tag::nhwc);
}

// Kernel parameters arrive as one Float64Array (byte offsets into the heap do not fit int32).
struct Params {
  const double *p;
  size_t n;
  int64_t i(size_t k) const { return static_cast<int64_t>(p[k]); }
  float f(size_t k) const { return static_cast<float>(p[k]); }
};

inline float *at(uint8_t *heap, int64_t offset) { return reinterpret_cast<float *>(heap + offset); }

}  // namespace lgg
