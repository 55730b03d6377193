#pragma once
#include "common.h"

namespace lgg {
void maxpool_backward(uint8_t *heap, const Params &p);
}  // namespace lgg
