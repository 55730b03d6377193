#pragma once
#include "common.h"

namespace lgg {
void batchnorm_train_forward(uint8_t *heap, const Params &p);
void batchnorm_train_backward(uint8_t *heap, const Params &p);
}  // namespace lgg
