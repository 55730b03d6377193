// BatchMatMul on oneDNN: out[b] = op(a[b]) x op(b[b]), op = optional transpose, all row-major as tfjs stores
// them. The transposes are expressed as strides, so nothing is copied. tfjs wasm's own kernel leaves
// XNNPACK's fast path for transposed operands (the dense layers' gradients) and was 20% of a classifier step.
#include "matmul.h"

#include <unordered_map>

namespace lgg {
namespace {

using namespace dnnl;

struct Shape {
  int64_t batch, m, k, n;
  bool ta, tb;
  std::string key() const {
    return std::to_string(batch) + "," + std::to_string(m) + "," + std::to_string(k) + "," + std::to_string(n) +
           (ta ? ",t" : ",n") + (tb ? "t" : "n");
  }
};

struct Entry {
  memory::desc a, b, c;
  matmul prim;
};

Entry make(const Shape &s) {
  // Logical a is [batch, m, k]: stored [batch, k, m] when transposed. Logical b is [batch, k, n]: stored [batch, n, k].
  const dims a_strides = s.ta ? dims{s.m * s.k, 1, s.m} : dims{s.m * s.k, s.k, 1};
  const dims b_strides = s.tb ? dims{s.k * s.n, 1, s.k} : dims{s.k * s.n, s.n, 1};
  memory::desc a_md({s.batch, s.m, s.k}, dt::f32, a_strides);
  memory::desc b_md({s.batch, s.k, s.n}, dt::f32, b_strides);
  memory::desc c_md({s.batch, s.m, s.n}, dt::f32, tag::abc);
  return {a_md, b_md, c_md, matmul(matmul::primitive_desc(matmul::desc(a_md, b_md, c_md), cpu_engine()))};
}

}  // namespace

// Params: 0 batch, 1 m, 2 k, 3 n, 4 transposeA, 5 transposeB, offsets 6 a, 7 b, 8 out.
void batch_matmul(uint8_t *heap, const Params &p) {
  const Shape s{p.i(0), p.i(1), p.i(2), p.i(3), p.i(4) != 0, p.i(5) != 0};
  static std::unordered_map<std::string, Entry> cache;
  auto it = cache.find(s.key());
  if (it == cache.end()) it = cache.emplace(s.key(), make(s)).first;
  const Entry &e = it->second;
  memory a(e.a, cpu_engine(), at(heap, p.i(6)));
  memory b(e.b, cpu_engine(), at(heap, p.i(7)));
  memory c(e.c, cpu_engine(), at(heap, p.i(8)));
  e.prim.execute(cpu_stream(), {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}});
  cpu_stream().wait();
}

}  // namespace lgg
