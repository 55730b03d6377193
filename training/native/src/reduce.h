#pragma once
#include "common.h"

namespace lgg {
void sum_leading(uint8_t *heap, const Params &p);
}  // namespace lgg
