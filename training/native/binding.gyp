{
  "targets": [
    {
      "target_name": "lgg_dnnl",
      "sources": ["src/addon.cc", "src/conv.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fexceptions", "-march=x86-64-v2"],
      "cflags_cc!": ["-fno-exceptions"],
      "libraries": ["-ldnnl"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
