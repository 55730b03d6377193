{
  "targets": [
    {
      "target_name": "lgg_dnnl",
      "sources": ["src/addon.cc", "src/adam.cc", "src/batchnorm.cc", "src/conv.cc", "src/copy.cc", "src/eltwise.cc", "src/matmul.cc", "src/pool.cc", "src/reduce.cc", "src/resize.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fexceptions", "-march=x86-64-v2", "-fopenmp"],
      "cflags_cc!": ["-fno-exceptions"],
      "libraries": ["-ldnnl", "-fopenmp"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
