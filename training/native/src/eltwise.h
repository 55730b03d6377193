#pragma once
#include "common.h"

namespace lgg {
void binary_op(uint8_t *heap, const Params &p);
void relu_grad(uint8_t *heap, const Params &p);
void step_op(uint8_t *heap, const Params &p);
void relu_op(uint8_t *heap, const Params &p);
}  // namespace lgg
