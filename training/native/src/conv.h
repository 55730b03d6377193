#pragma once
#include "common.h"

namespace lgg {
// Each takes the heap base and a parameter block; see conv.cc for the layout.
void conv2d_forward(uint8_t *heap, const Params &p);
void conv2d_backward_data(uint8_t *heap, const Params &p);
void conv2d_backward_weights(uint8_t *heap, const Params &p);
}  // namespace lgg
