// N-API entry points. Every kernel has the signature fn(heap, params): heap is an ArrayBuffer or typed array
// (normally the tfjs wasm heap, read and written in place), params a Float64Array of sizes and byte offsets.
#include <node_api.h>

#include <functional>
#include <string>

#include "adam.h"
#include "batchnorm.h"
#include "conv.h"
#include "copy.h"
#include "eltwise.h"
#include "matmul.h"
#include "pool.h"
#include "reduce.h"
#include "resize.h"

namespace lgg {

dnnl::engine &cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}
dnnl::stream &cpu_stream() {
  static dnnl::stream stream(cpu_engine());
  return stream;
}

namespace {

using Kernel = void (*)(uint8_t *, const Params &);

bool heap_pointer(napi_env env, napi_value v, uint8_t **data, size_t *bytes) {
  bool is;
  if (napi_is_arraybuffer(env, v, &is) == napi_ok && is) {
    void *d;
    if (napi_get_arraybuffer_info(env, v, &d, bytes) != napi_ok) return false;
    *data = static_cast<uint8_t *>(d);
    return true;
  }
  if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
    napi_typedarray_type type;
    size_t length, offset;
    void *d;
    napi_value ab;
    if (napi_get_typedarray_info(env, v, &type, &length, &d, &ab, &offset) != napi_ok) return false;
    *data = static_cast<uint8_t *>(d);  // already includes the view's byte offset
    *bytes = length;
    return true;
  }
  return false;
}

template <Kernel K>
napi_value call(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  uint8_t *heap = nullptr;
  size_t bytes = 0;
  if (argc < 2 || !heap_pointer(env, argv[0], &heap, &bytes)) {
    napi_throw_type_error(env, nullptr, "expected (heap: ArrayBuffer | TypedArray, params: Float64Array)");
    return nullptr;
  }
  napi_typedarray_type type;
  size_t length, offset;
  void *d;
  napi_value ab;
  bool is = false;
  napi_is_typedarray(env, argv[1], &is);
  if (!is || napi_get_typedarray_info(env, argv[1], &type, &length, &d, &ab, &offset) != napi_ok ||
      type != napi_float64_array) {
    napi_throw_type_error(env, nullptr, "params must be a Float64Array");
    return nullptr;
  }
  try {
    K(heap, Params{static_cast<const double *>(d), length});
  } catch (const dnnl::error &e) {
    napi_throw_error(env, nullptr, (std::string("oneDNN: ") + e.what()).c_str());
  } catch (const std::exception &e) {
    napi_throw_error(env, nullptr, e.what());
  }
  return nullptr;
}

napi_value version(napi_env env, napi_callback_info) {
  const dnnl_version_t *v = dnnl_version();
  std::string s = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  napi_value out;
  napi_create_string_utf8(env, s.c_str(), s.size(), &out);
  return out;
}

napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"version", nullptr, version, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dForward", nullptr, call<conv2d_forward>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dBackwardData", nullptr, call<conv2d_backward_data>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dBackwardWeights", nullptr, call<conv2d_backward_weights>, nullptr, nullptr, nullptr, napi_enumerable,
       nullptr},
      {"batchnormTrainForward", nullptr, call<batchnorm_train_forward>, nullptr, nullptr, nullptr, napi_enumerable,
       nullptr},
      {"batchnormTrainBackward", nullptr, call<batchnorm_train_backward>, nullptr, nullptr, nullptr, napi_enumerable,
       nullptr},
      {"concatRows", nullptr, call<concat_rows>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"splitRows", nullptr, call<split_rows>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"sumLeading", nullptr, call<sum_leading>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"binaryOp", nullptr, call<binary_op>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"reluGrad", nullptr, call<relu_grad>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"step", nullptr, call<step_op>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"relu", nullptr, call<relu_op>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"adamUpdate", nullptr, call<adam_update>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchMatMul", nullptr, call<batch_matmul>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"resizeNearestForward", nullptr, call<resize_nearest_forward>, nullptr, nullptr, nullptr, napi_enumerable,
       nullptr},
      {"resizeNearestBackward", nullptr, call<resize_nearest_backward>, nullptr, nullptr, nullptr, napi_enumerable,
       nullptr},
      {"maxpoolBackward", nullptr, call<maxpool_backward>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace
}  // namespace lgg

NAPI_MODULE(NODE_GYP_MODULE_NAME, lgg::init)
