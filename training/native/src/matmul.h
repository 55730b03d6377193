#pragma once
#include "common.h"

namespace lgg {
void batch_matmul(uint8_t *heap, const Params &p);
}  // namespace lgg
