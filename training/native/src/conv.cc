// Convolution forward (with fused bias + activation) and both gradients, NHWC activations, HWIO filters:
// tfjs's layouts, read and written in place. Weights go through oneDNN's preferred blocked layout
// (format_tag::any): forcing plain HWIO was measured 2-3x slower than one reorder per call.
#include "conv.h"

#include <memory>
#include <unordered_map>

namespace lgg {
namespace {

using namespace dnnl;

// Parameter block, shared prefix: geometry.
struct Geometry {
  int64_t n, h, w, c, kh, kw, o, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr;
  explicit Geometry(const Params &p)
      : n(p.i(0)), h(p.i(1)), w(p.i(2)), c(p.i(3)), kh(p.i(4)), kw(p.i(5)), o(p.i(6)), oh(p.i(7)),
        ow(p.i(8)), sh(p.i(9)), sw(p.i(10)), dh(p.i(11)), dw(p.i(12)), pt(p.i(13)), pl(p.i(14)),
        pb(p.i(15)), pr(p.i(16)) {}
  std::string key() const {
    std::string k;
    for (int64_t v : {n, h, w, c, kh, kw, o, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr}) k += std::to_string(v) + ",";
    return k;
  }
  memory::desc src() const { return nhwc(n, h, w, c); }
  memory::desc dst() const { return nhwc(n, oh, ow, o); }
  memory::desc weights_user() const { return memory::desc({o, c, kh, kw}, dt::f32, tag::hwio); }
  memory::desc weights_any() const { return memory::desc({o, c, kh, kw}, dt::f32, tag::any); }
  dims strides() const { return {sh, sw}; }
  dims dilates() const { return {dh - 1, dw - 1}; }  // oneDNN counts dilation from 0
  dims pad_l() const { return {pt, pl}; }
  dims pad_r() const { return {pb, pr}; }
};

convolution_forward::desc forward_desc(const Geometry &g, prop_kind kind, bool bias) {
  memory::desc bias_md = bias ? memory::desc({g.o}, dt::f32, tag::a) : memory::desc();
  return convolution_forward::desc(kind, algorithm::convolution_direct, g.src(), g.weights_any(), bias_md,
                                   g.dst(), g.strides(), g.dilates(), g.pad_l(), g.pad_r());
}

// A weights buffer in oneDNN's layout plus the reorder that fills it from (or drains it to) tfjs's HWIO.
struct WeightsBridge {
  memory::desc user_md, prim_md;
  memory prim;  // owned scratch in prim_md, valid only if !same
  reorder convert;
  bool same;
  WeightsBridge(const memory::desc &user, const memory::desc &wanted, bool to_user) : user_md(user), prim_md(wanted) {
    same = (user == wanted);
    if (!same) {
      prim = memory(prim_md, cpu_engine());
      memory user_mem(user_md, cpu_engine(), nullptr);
      convert = to_user ? reorder(prim, user_mem) : reorder(user_mem, prim);
    }
  }
  // Returns the memory the primitive should use; copies user -> blocked first when reading.
  memory in(float *user_ptr) {
    memory user_mem(user_md, cpu_engine(), user_ptr);
    if (same) return user_mem;
    convert.execute(cpu_stream(), user_mem, prim);
    return prim;
  }
  memory out(float *user_ptr) { return same ? memory(user_md, cpu_engine(), user_ptr) : prim; }
  void drain(float *user_ptr) {
    if (same) return;
    memory user_mem(user_md, cpu_engine(), user_ptr);
    convert.execute(cpu_stream(), prim, user_mem);
  }
};

struct ForwardEntry {
  convolution_forward prim;
  std::unique_ptr<WeightsBridge> weights;
};
struct BackwardDataEntry {
  convolution_backward_data prim;
  std::unique_ptr<WeightsBridge> weights;
};
struct BackwardWeightsEntry {
  convolution_backward_weights prim;
  std::unique_ptr<WeightsBridge> weights;
};

post_ops activation_post_ops(int64_t act, float alpha) {
  post_ops ops;
  switch (act) {
    case 0: break;                                                      // linear
    case 1: ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); break;
    case 2: ops.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f); break;
    case 3: ops.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 6.f); break;  // relu6
    case 4: ops.append_eltwise(1.f, algorithm::eltwise_elu, 1.f, 0.f); break;
    case 5: ops.append_eltwise(1.f, algorithm::eltwise_relu, alpha, 0.f); break;  // leakyrelu
    default: throw std::runtime_error("conv2d_forward: unknown activation code");
  }
  return ops;
}

}  // namespace

// Forward params: geometry[0..16], 17 x, 18 w, 19 bias (-1: none), 20 y, 21 activation code, 22 alpha.
void conv2d_forward(uint8_t *heap, const Params &p) {
  static std::unordered_map<std::string, ForwardEntry> cache;
  Geometry g(p);
  bool has_bias = p.i(19) >= 0;
  int64_t act = p.i(21);
  float alpha = p.f(22);
  std::string key = g.key() + (has_bias ? "b" : "-") + std::to_string(act) + ":" + std::to_string(alpha);
  auto it = cache.find(key);
  if (it == cache.end()) {
    primitive_attr attr;
    attr.set_post_ops(activation_post_ops(act, alpha));
    convolution_forward::primitive_desc pd(forward_desc(g, prop_kind::forward_inference, has_bias), attr, cpu_engine());
    ForwardEntry e{convolution_forward(pd), std::make_unique<WeightsBridge>(g.weights_user(), pd.weights_desc(), false)};
    it = cache.emplace(key, std::move(e)).first;
  }
  ForwardEntry &e = it->second;
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, memory(g.src(), cpu_engine(), at(heap, p.i(17)))},
      {DNNL_ARG_WEIGHTS, e.weights->in(at(heap, p.i(18)))},
      {DNNL_ARG_DST, memory(g.dst(), cpu_engine(), at(heap, p.i(20)))},
  };
  if (has_bias) args.emplace(DNNL_ARG_BIAS, memory(memory::desc({g.o}, dt::f32, tag::a), cpu_engine(), at(heap, p.i(19))));
  e.prim.execute(cpu_stream(), args);
  cpu_stream().wait();
}

// Backward-data params: geometry[0..16], 17 dy, 18 w, 19 dx.
void conv2d_backward_data(uint8_t *heap, const Params &p) {
  static std::unordered_map<std::string, BackwardDataEntry> cache;
  Geometry g(p);
  std::string key = g.key();
  auto it = cache.find(key);
  if (it == cache.end()) {
    convolution_forward::primitive_desc hint(forward_desc(g, prop_kind::forward_training, false), cpu_engine());
    convolution_backward_data::desc d(algorithm::convolution_direct, g.src(), g.weights_any(), g.dst(), g.strides(),
                                      g.dilates(), g.pad_l(), g.pad_r());
    convolution_backward_data::primitive_desc pd(d, cpu_engine(), hint);
    BackwardDataEntry e{convolution_backward_data(pd),
                        std::make_unique<WeightsBridge>(g.weights_user(), pd.weights_desc(), false)};
    it = cache.emplace(key, std::move(e)).first;
  }
  BackwardDataEntry &e = it->second;
  e.prim.execute(cpu_stream(), {
                                   {DNNL_ARG_DIFF_DST, memory(g.dst(), cpu_engine(), at(heap, p.i(17)))},
                                   {DNNL_ARG_WEIGHTS, e.weights->in(at(heap, p.i(18)))},
                                   {DNNL_ARG_DIFF_SRC, memory(g.src(), cpu_engine(), at(heap, p.i(19)))},
                               });
  cpu_stream().wait();
}

// Backward-weights params: geometry[0..16], 17 x, 18 dy, 19 dw.
void conv2d_backward_weights(uint8_t *heap, const Params &p) {
  static std::unordered_map<std::string, BackwardWeightsEntry> cache;
  Geometry g(p);
  std::string key = g.key();
  auto it = cache.find(key);
  if (it == cache.end()) {
    convolution_forward::primitive_desc hint(forward_desc(g, prop_kind::forward_training, false), cpu_engine());
    convolution_backward_weights::desc d(algorithm::convolution_direct, g.src(), g.weights_any(), g.dst(),
                                         g.strides(), g.dilates(), g.pad_l(), g.pad_r());
    convolution_backward_weights::primitive_desc pd(d, cpu_engine(), hint);
    BackwardWeightsEntry e{convolution_backward_weights(pd),
                           std::make_unique<WeightsBridge>(g.weights_user(), pd.diff_weights_desc(), true)};
    it = cache.emplace(key, std::move(e)).first;
  }
  BackwardWeightsEntry &e = it->second;
  float *dw = at(heap, p.i(19));
  e.prim.execute(cpu_stream(), {
                                   {DNNL_ARG_SRC, memory(g.src(), cpu_engine(), at(heap, p.i(17)))},
                                   {DNNL_ARG_DIFF_DST, memory(g.dst(), cpu_engine(), at(heap, p.i(18)))},
                                   {DNNL_ARG_DIFF_WEIGHTS, e.weights->out(dw)},
                               });
  e.weights->drain(dw);
  cpu_stream().wait();
}

}  // namespace lgg
