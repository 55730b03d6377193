#pragma once
#include "common.h"

namespace lgg {
void resize_nearest_forward(uint8_t *heap, const Params &p);
void resize_nearest_backward(uint8_t *heap, const Params &p);
}  // namespace lgg
